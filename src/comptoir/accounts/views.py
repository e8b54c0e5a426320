from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.views import RequestLoginCodeView as AllauthRequestLoginCodeView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from comptoir.accounts.adapter import login_code_mail_queue
from comptoir.companies.forms import ProfileForm
from comptoir.companies.models import Company
from comptoir.companies.services import profile_update
from comptoir.companies.views import JOIN_REQUEST_SENT_KEY
from comptoir.core.decorators import buyer_required
from comptoir.core.http import AuthenticatedRequest, BuyerRequest


@buyer_required
def home(request: BuyerRequest) -> HttpResponse:
    """The buyer's start page for the active company."""
    from comptoir.carts.selectors import cart_line_count, quick_lists_for
    from comptoir.core.permissions import Permission
    from comptoir.orders.selectors import order_list

    buyer = request.buyer
    return render(
        request,
        "accounts/home.html",
        {
            "permission_choices": Permission.choices,
            "cart_lines": cart_line_count(buyer),
            "recent_orders": list(order_list(buyer)[:5]),
            "quick_lists": quick_lists_for(buyer)[:5],
        },
    )


@login_required
def welcome(request: AuthenticatedRequest) -> HttpResponse:
    """Logged in without an active company: register one, ask to join one, or wait for review."""
    if request.buyer is not None:
        return redirect("home")
    if request.memberships:
        return redirect("companies:choose")
    pending = Company.objects.filter(
        memberships__user=request.user, memberships__is_active=True, status=Company.Status.PENDING
    )
    # Whether a join request matched a customer is not shown: the page reads the same either way (A5).
    join_request_sent = bool(request.session.get(JOIN_REQUEST_SENT_KEY))
    return render(
        request, "accounts/welcome.html", {"pending_companies": pending, "join_request_sent": join_request_sent}
    )


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """A member edits their own contact data and language."""
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "phone": user.phone, "language": user.language}
    )
    if request.method == "POST" and form.is_valid():
        profile_update(
            user=user,
            full_name=form.cleaned_data["full_name"],
            phone=form.cleaned_data["phone"] or "",
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your details were saved."))
        response = redirect("accounts:profile")
        if form.cleaned_data["language"]:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax", max_age=365 * 24 * 3600
            )
        else:  # no language of their own: the browser's decides again
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


class RequestLoginCodeView(AllauthRequestLoginCodeView):
    """allauth's "mail me a code" page. For an address with an account allauth queues the code mail
    (``AccountAdapter.send_mail``); for one without, the same task is queued here with a code that
    was never stored, and finds no account to write to. Both answers then cost the same."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        email = form.cleaned_data.get("email")
        if form._user is None and email:
            login_code_mail_queue(
                email=email,
                code=get_adapter().generate_login_code(),
                reauthentication=False,
                language=translation.get_language(),
            )
        return response


request_login_code = RequestLoginCodeView.as_view()
