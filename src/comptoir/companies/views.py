from __future__ import annotations

import logging
from typing import Any

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.companies import selectors, services
from comptoir.companies.forms import (
    AddressFields,
    CompanyRegistrationForm,
    InvitationForm,
    JoinCompanyForm,
    JoinDecisionForm,
    MemberForm,
)
from comptoir.core.buyer import SESSION_COMPANY_KEY
from comptoir.core.decorators import buyer_permission_required, buyer_required
from comptoir.core.http import AuthenticatedRequest, BuyerRequest, ComptoirRequest
from comptoir.core.next_url import safe_next
from comptoir.core.numbers import id_or_404
from comptoir.core.permissions import Permission
from comptoir.core.tokenlinks import token_from_post

MANAGE_USERS = Permission.MANAGE_USERS
security_log = logging.getLogger("comptoir.security")
JOIN_REQUEST_SENT_KEY = "comptoir_join_request_sent"


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if safe_next(request, target):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
def choose_company(request: AuthenticatedRequest) -> HttpResponse:
    """A member of several companies picks the one to work for."""
    if not request.memberships:
        return redirect("accounts:welcome")
    return render(request, "companies/choose.html", {"next": _safe_next(request)})


@login_required
@require_POST
def switch_company(request: AuthenticatedRequest) -> HttpResponse:
    company_id = id_or_404(request.POST.get("company"))
    if not any(m.company_id == company_id for m in request.memberships):
        raise Http404
    request.session[SESSION_COMPANY_KEY] = company_id
    return redirect(_safe_next(request))


@login_required
def register_company(request: AuthenticatedRequest) -> HttpResponse:
    """A logged-in person registers their business (A4)."""
    form = CompanyRegistrationForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE, "full_name": request.user.full_name}
    )
    billing = AddressFields(request.POST or None, prefix="billing")
    same = request.POST.get("delivery_same") == "on" if request.method == "POST" else True
    if same:
        # Not used: shown again as typed, without "required" errors for an address nobody asked for.
        delivery = AddressFields(
            prefix="delivery",
            use_required_attribute=False,
            initial={name: request.POST.get(f"delivery-{name}", "") for name in AddressFields.base_fields},
        )
    else:
        delivery = AddressFields(request.POST, prefix="delivery", use_required_attribute=False)
    if request.method == "POST":
        valid = form.is_valid() & billing.is_valid() & (same or delivery.is_valid())
        if valid:
            try:
                services.company_register(
                    user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    name=form.cleaned_data["name"],
                    vat_number=form.cleaned_data["vat_number"],
                    language=form.cleaned_data["language"],
                    phone=str(form.cleaned_data["phone"] or ""),
                    billing=billing.cleaned_data,
                    delivery=None if same else delivery.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Thank you. We review your registration and e-mail you when your account is active.")
                )
                return redirect("accounts:welcome")
    return render(
        request,
        "companies/register.html",
        {"form": form, "billing": billing, "delivery": delivery, "delivery_same": same},
    )


@login_required
def join_company(request: AuthenticatedRequest) -> HttpResponse:
    """Ask to join a company that already has a customer number (A5)."""
    form = JoinCompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = consume_or_429(request, action="join_request", key=str(request.user.pk))
        if limited:
            return limited
        services.join_request_create(user=request.user, **form.cleaned_data)
        # The same answer whether or not the numbers matched, here and on the welcome page:
        # customer numbers cannot be probed.
        request.session[JOIN_REQUEST_SENT_KEY] = True
        messages.success(
            request, _("If these numbers match a customer, its administrators have received your request.")
        )
        return redirect("accounts:welcome")
    return render(request, "companies/join.html", {"form": form})


def private_persons(request: ComptoirRequest) -> HttpResponse:
    return render(request, "companies/private_persons.html")


def _members_page(
    request: BuyerRequest, *, invite_form: InvitationForm | None = None, status: int = 200
) -> HttpResponse:
    buyer = request.buyer
    rights = buyer.membership.rights
    members = list(selectors.members_for(buyer))
    return render(
        request,
        "companies/members.html",
        {
            "members": members,
            # Deactivate or reactivate: only members this member may change (core.permissions).
            "manageable": {m.pk for m in members if not services.member_change_refusal(buyer=buyer, membership=m)},
            "join_requests": selectors.pending_join_requests_for(buyer),
            "invitations": selectors.open_invitations_for(buyer),
            "invite_form": invite_form or InvitationForm(actor_rights=rights),
            "decision_form": JoinDecisionForm(actor_rights=rights),
        },
        status=status,
    )


@buyer_permission_required(MANAGE_USERS)
def members(request: BuyerRequest) -> HttpResponse:
    return _members_page(request)


@buyer_permission_required(MANAGE_USERS)
def member_edit(request: BuyerRequest, pk: int) -> HttpResponse:
    buyer = request.buyer
    membership = selectors.access_membership(buyer, pk)
    numbers = selectors.customer_numbers_for(buyer)
    initial = MemberForm.initial_for(membership)
    form = MemberForm(
        request.POST or None,
        initial=initial,
        customer_numbers=numbers,
        actor_rights=buyer.membership.rights,
        current_role=membership.role,
    )
    refusal = services.member_change_refusal(buyer=buyer, membership=membership)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                buyer=buyer,
                membership=membership,
                **form.changes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 400
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You cannot give this role."))
            status = 403
        else:
            messages.success(request, _("%(email)s was updated.") % {"email": membership.user.email})
            return redirect("companies:members")
    return render(
        request,
        "companies/member_edit.html",
        {"membership": membership, "form": form, "refusal": refusal},
        status=status,
    )


@buyer_permission_required(MANAGE_USERS)
@require_POST
def member_set_active(request: BuyerRequest, pk: int) -> HttpResponse:
    membership = selectors.access_membership(request.buyer, pk)
    active = request.POST.get("active") == "1"
    try:
        services.member_set_active(buyer=request.buyer, membership=membership, active=active, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _members_page(request, status=403)
    else:
        if active:
            messages.success(request, _("%(email)s is active again.") % {"email": membership.user.email})
        else:
            messages.success(request, _("%(email)s was deactivated.") % {"email": membership.user.email})
    return redirect("companies:members")


@buyer_permission_required(MANAGE_USERS)
@require_POST
def invite(request: BuyerRequest) -> HttpResponse:
    buyer = request.buyer
    form = InvitationForm(request.POST, actor_rights=buyer.membership.rights)
    if form.is_valid():
        limited = consume_or_429(request, action="invite", key=str(buyer.company_id))
        if limited:
            return limited
        try:
            services.invitation_create(
                company=buyer.company, actor=request.user, actor_membership=buyer.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            form.add_error("role", str(exc))
            return _members_page(request, invite_form=form, status=403)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("companies:members")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("companies:members")


@buyer_permission_required(MANAGE_USERS)
@require_POST
def invitation_revoke(request: BuyerRequest, pk: int) -> HttpResponse:
    invitation = selectors.access_invitation(request.buyer, pk)
    services.invitation_revoke(buyer=request.buyer, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("companies:members")


@buyer_permission_required(MANAGE_USERS)
@require_POST
def join_request_decide(request: BuyerRequest, pk: int) -> HttpResponse:
    buyer = request.buyer
    join_request = selectors.access_join_request(buyer, pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline", "report"}:
        messages.error(request, _("Choose to approve or decline."))
        return redirect("companies:members")
    form = JoinDecisionForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else None
    if decision == "approve" and role is None:
        messages.error(request, _("Choose a role."))
        return redirect("companies:members")
    try:
        services.join_request_decide(
            buyer=buyer,
            join_request=join_request,
            approve=decision == "approve",
            role=role or "see_prices_and_order",
            report_abuse=decision == "report",
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _members_page(request, status=403)
    else:
        messages.success(request, _("Your decision was recorded."))
    return redirect("companies:members")


def _invitation_refused(request: HttpRequest, response: HttpResponse, reason: str, invitation: Any) -> HttpResponse:
    """Log a refused invitation link without its path: the path holds the token."""
    security_log.info(
        "invitation_refused reason=%s user=%s invitation=%s",
        reason,
        request.user.pk,
        invitation.pk if invitation is not None else None,
    )
    response._has_been_logged = True  # type: ignore[attr-defined]  # django.request would log the path
    return response


INVITATION_PENDING_KEY = "comptoir_invitation_pending"


@require_http_methods(["GET", "POST"])
def invitation_accept(request: ComptoirRequest) -> HttpResponse:
    """The link in the invitation mail, ``/company/invitation/#<token>``: the token never travels in a URL.

    GET: a page whose script posts the fragment's token back (``link``), or, once the token is known
    in this session, the invitation. The invited person logs in with the invited address (the token
    waits in the session meanwhile), then accepts (POST ``accept``).
    """
    if request.method == "POST":
        token = token_from_post(request)
    else:
        token = request.session.get(INVITATION_PENDING_KEY, "")
        if not token:
            return render(request, "companies/invitation_open.html")
    invitation = services.invitation_by_token(token)
    if invitation is None or not invitation.is_usable:
        request.session.pop(INVITATION_PENDING_KEY, None)
        return _invitation_refused(
            request, render(request, "companies/invitation_invalid.html", status=404), "not_usable", invitation
        )
    context = {"invitation": invitation, "token": token}
    if not request.user.is_authenticated:
        request.session[INVITATION_PENDING_KEY] = token  # kept through the login, which comes back here
        return render(request, "companies/invitation.html", context)
    if request.user.email != invitation.email:
        response = render(request, "companies/invitation.html", {**context, "wrong_user": True}, status=403)
        return _invitation_refused(request, response, "other_address", invitation)
    if request.method == "POST" and "accept" in request.POST:
        request.session.pop(INVITATION_PENDING_KEY, None)
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("home")
        request.session[SESSION_COMPANY_KEY] = membership.company_id
        messages.success(request, _("Welcome to %(company)s.") % {"company": membership.company.name})
        return redirect("home")
    return render(request, "companies/invitation.html", context)


@buyer_required
def company_profile(request: BuyerRequest) -> HttpResponse:
    buyer = request.buyer
    return render(
        request,
        "companies/profile.html",
        {
            "company": buyer.company,
            "addresses": buyer.company.addresses.filter(is_active=True),
            "customer_numbers": selectors.customer_numbers_for(buyer),
        },
    )
