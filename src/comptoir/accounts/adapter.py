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
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's mails (codes, resets), rendered in the recipient's language.

        A login code is only queued here: the task renders and stores the mail, so that asking
        for a code costs the request the same for an address with an account as for one without
        (``login_code_mail_queue``, also called for unknown addresses; SECURITY check 6).
        """
        if template_prefix == LOGIN_CODE_MAIL:
            login_code_mail_queue(
                email=email,
                code=context["code"],
                reauthentication=context["reauthentication"],
                language=translation.get_language(),
            )
            return
        language, site = _recipient_language_and_site(email)
        with translation.override(language):
            super().send_mail(template_prefix, email, {"current_site": site, **context})

    def login_code_mail_send(self, *, email: str, code: str, reauthentication: bool, language: str = "") -> bool:
        """Render and send the login-code mail, outside any request; nothing for an address without an account."""
        from allauth.account.internal.userkit import filter_users_by_email

        if not filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True):
            return False
        language, site = _recipient_language_and_site(email, language)
        context = {"email": email, "current_site": site, "code": code, "reauthentication": reauthentication}
        with translation.override(language):
            self.render_mail(LOGIN_CODE_MAIL, email, context).send()
        return True


LOGIN_CODE_MAIL = "account/email/login_code"


def login_code_mail_queue(*, email: str, code: str, reauthentication: bool, language: str) -> None:
    """Queue the login-code mail. Called for every address that asks for a code, with or without an
    account (for none, with a code that was never stored): the request does the same work either way."""
    from comptoir.accounts.tasks import send_login_code

    send_login_code.enqueue(email=email, code=code, reauthentication=reauthentication, language=language)


def _recipient_language_and_site(email: str, page_language: str = "") -> tuple[str, SimpleNamespace]:
    from urllib.parse import urlsplit

    from django.conf import settings

    from comptoir.accounts.models import User
    from comptoir.backoffice.models import StoreSettings

    # The person asking for a code reads it: their profile's language, else the page's (their browser's).
    user = User.objects.filter(email__iexact=email).first()
    language = (user.language if user else "") or page_language or translation.get_language() or settings.LANGUAGE_CODE
    # The mails greet with the store's name and address, not the request's host name.
    site = SimpleNamespace(name=StoreSettings.load().store_name, domain=urlsplit(settings.COMPTOIR_SITE_URL).netloc)
    return language, site


@receiver(allauth_signals.login_code_rejected)
def _log_code_rejected(sender: Any, request: HttpRequest, user: Any, last_attempt: bool, **kwargs: Any) -> None:
    # Never log the code itself.
    security_log.warning("login_code_rejected user=%s last_attempt=%s", user.pk, last_attempt)


@receiver(user_login_failed)
def _log_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    security_log.warning("login_failed")
