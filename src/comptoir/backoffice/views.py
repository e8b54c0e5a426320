from __future__ import annotations

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from comptoir.backoffice.forms import AccessRequestForm
from comptoir.backoffice.models import StoreSettings
from comptoir.backoffice.services import access_request_create


def request_access(request: HttpRequest) -> HttpResponse:
    """Prospects ask for access from the login page, when the store allows it (A9)."""
    if not StoreSettings.load().request_access_enabled:
        raise Http404
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = consume_or_429(request, action="request_access")
        if limited:
            return limited
        access_request_create(data=form.cleaned_data, language=request.LANGUAGE_CODE)
        messages.success(request, _("Thank you. We will contact you shortly."))
        return redirect("account_request_login_code")
    return render(request, "backoffice/request_access.html", {"form": form})
