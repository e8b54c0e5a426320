from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from allauth.account import signals as allauth_signals
from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

security_log = logging.getLogger("comptoir.security")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user._signing_up = True
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's mails (codes, resets), rendered in the recipient's language."""
        from urllib.parse import urlsplit

        from django.conf import settings

        from comptoir.accounts.models import User
        from comptoir.backoffice.models import StoreSettings

        # The person asking for a code reads it: their profile's language, else the page's (their browser's).
        user = User.objects.filter(email__iexact=email).first()
        language = (user.language if user else "") or translation.get_language()
        # The mails greet with the store's name and address, not the request's host name.
        site = SimpleNamespace(name=StoreSettings.load().store_name, domain=urlsplit(settings.COMPTOIR_SITE_URL).netloc)
        with translation.override(language):
            super().send_mail(template_prefix, email, {"current_site": site, **context})


@receiver(allauth_signals.login_code_rejected)
def _log_code_rejected(sender: Any, request: HttpRequest, user: Any, last_attempt: bool, **kwargs: Any) -> None:
    # Never log the code itself.
    security_log.warning("login_code_rejected user=%s last_attempt=%s", user.pk, last_attempt)


@receiver(user_login_failed)
def _log_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_log.warning("login_failed")
