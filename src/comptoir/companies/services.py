"""Writes for customers, members, invitations and join requests.

Each service runs in one transaction, checks what it is given, records an
audit event where a person decided something (G5) and sends mail after commit.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.accounts.services import user_create
from comptoir.companies.models import (
    Address,
    Company,
    CustomerNumber,
    Invitation,
    JoinRequest,
    Membership,
    hash_token,
)
from comptoir.companies.vat import same_vat_number, vat_number_check
from comptoir.core.audit import AuditAction, audit
from comptoir.core.buyer import Buyer
from comptoir.core.permissions import Permission, Role, check_rights_change, member_rights
from comptoir.core.tokenlinks import fragment_link
from comptoir.notifications.services import email_send, recipient_language


def _mail_on_commit(**kwargs: Any) -> None:
    transaction.on_commit(lambda: email_send(**kwargs))


def _admins(company: Company) -> list[User]:
    return [
        m.user for m in company.memberships.active().select_related("user") if Permission.MANAGE_USERS in m.permissions
    ]


# --- Registration and activation (A4) -------------------------------------------------


@transaction.atomic
def company_register(
    *,
    user: User,
    name: str,
    vat_number: str,
    language: str,
    phone: str = "",
    billing: dict[str, str],
    delivery: dict[str, str] | None = None,
    full_name: str = "",
) -> Company:
    """A business registers: the company waits for the seller's review; the registrant becomes its administrator."""
    try:
        vat_number = vat_number_check(vat_number, country=str(billing.get("country") or ""))
    except ValidationError as exc:
        raise ValidationError({"vat_number": exc.messages}) from None
    if full_name.strip() and not user.full_name:
        user.full_name = full_name.strip()[:150]
        user.save(update_fields=["full_name"])
    company = Company(
        name=name.strip(),
        vat_number=vat_number,
        language=language,
        email=user.email,
        phone=phone,
        registered_by=user,
    )
    company.full_clean()
    company.save()
    for kind, data in ((Address.Kind.BILLING, billing), (Address.Kind.DELIVERY, delivery or billing)):
        address = Address(company=company, kind=kind, **data)
        address.full_clean()
        address.save()
    Membership.objects.create(user=user, company=company, role=Role.ADMINISTRATOR)
    audit(actor=user, action=AuditAction.COMPANY_REGISTERED, company=company, target=company)
    return company


def next_customer_number() -> str:
    """C100001, C100002 …: the next free number in the seller's default series."""
    last = CustomerNumber.objects.filter(number__regex=r"^C\d{6}$").aggregate(m=Max("number"))["m"]
    return f"C{int(last[1:]) + 1 if last else 100001:06d}"


@transaction.atomic
def company_activate(*, company: Company, actor: User, customer_number: str = "") -> Company:
    """The seller accepts a registration: the customer becomes active and gets a customer number."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.ACTIVE:
        return company
    if company.customer_numbers.exists():
        # Lifting a suspension: the customer keeps its numbers and gets no "welcome" mail.
        previous = company.status
        company.status = Company.Status.ACTIVE
        company.save(update_fields=["status"])
        audit(actor=actor, action=AuditAction.COMPANY_REACTIVATED, company=company, target=company, before=previous)
        return company
    number = customer_number.strip() or next_customer_number()
    if CustomerNumber.objects.filter(number=number).exists():
        raise ValidationError({"customer_number": _("This customer number is already in use.")})
    billing = company.addresses.filter(kind=Address.Kind.BILLING).first()
    CustomerNumber.objects.create(company=company, number=number, kind=CustomerNumber.Kind.BOTH, address=billing)
    company.status = Company.Status.ACTIVE
    company.activated_at = timezone.now()
    company.save(update_fields=["status", "activated_at"])
    audit(actor=actor, action=AuditAction.COMPANY_ACTIVATED, company=company, target=company, customer_number=number)
    for membership in company.memberships.active().select_related("user"):
        _mail_on_commit(
            template="companies/email/company_activated",
            to=[membership.user.email],
            language=recipient_language(membership.user, company),
            context={"company": company, "customer_number": number, "user": membership.user},
        )
    return company


@transaction.atomic
def company_set_status(*, company: Company, status: str, actor: User) -> Company:
    """Suspend, reject or reactivate a customer. A suspended customer's members lose access at once."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if status not in Company.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Company.Status.ACTIVE and not company.customer_numbers.exists():
        return company_activate(company=company, actor=actor)
    previous = company.status
    company.status = status
    company.save(update_fields=["status"])
    audit(
        actor=actor,
        action=AuditAction.COMPANY_STATUS_CHANGED,
        company=company,
        target=company,
        before=previous,
        after=status,
    )
    return company


# --- Members (A6-A8) -------------------------------------------------------------------


def _check_role_known(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})


def _locked(actor_membership: Membership, membership: Membership | None = None) -> tuple[Membership, Membership | None]:
    """The actor's and the member's memberships as they are now, locked until the change commits.

    Rights removed from the actor a moment ago count, and cannot be removed while the actor
    gives them. Rows are locked lowest id first, so two members changing each other wait
    for one another instead of deadlocking.
    """
    pks = {actor_membership.pk} | ({membership.pk} if membership is not None else set())
    rows = {m.pk: m for m in Membership.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    actor = rows.get(actor_membership.pk)
    if actor is None or not actor.is_active:
        raise PermissionDenied(_("Your membership of this company is no longer active."))
    return actor, rows.get(membership.pk) if membership is not None else None


def _check_member_change(
    actor: Membership, membership: Membership | None, after: frozenset[str] | None, *, changed: bool = True
) -> None:
    """Members change members only within their own rights (core.permissions.check_rights_change)."""
    check_rights_change(
        actor=actor.rights,
        before=membership.rights if membership is not None else None,
        after=after,
        own=membership is not None and membership.pk == actor.pk,
        changed=changed,
    )


def member_change_refusal(*, buyer: Buyer, membership: Membership) -> str:
    """Why this member may not change ``membership`` at all ("" when they may, within their rights)."""
    try:
        _check_member_change(buyer.membership, membership, None)
    except PermissionDenied as exc:
        return str(exc)
    return ""


@transaction.atomic
def member_update(
    *,
    buyer: Buyer | None,
    membership: Membership,
    role: str,
    granted: list[str],
    revoked: list[str],
    orders_need_approval: bool,
    customer_numbers: list[CustomerNumber],
    actor: User | None = None,
) -> Membership:
    """Change a member's role, permission adjustments, approval rule and customer numbers.

    A member who manages users (``buyer``) does it within their own rights
    (core.permissions.check_rights_change); the seller's staff (``buyer=None``, ``actor`` the
    staff user) are not bound by that rule. Either way one "member.updated" event is recorded.
    """
    company_id = buyer.company_id if buyer is not None else membership.company_id
    if buyer is None and actor is None:
        raise ValueError("member_update needs a buyer or, for the seller's staff, an actor")
    if membership.company_id != company_id:
        raise PermissionDenied
    _check_role_known(role)
    if any(number.company_id != company_id for number in customer_numbers):
        raise PermissionDenied
    actor_membership: Membership | None
    if buyer is not None:
        actor_membership, current = _locked(buyer.membership, membership)
    else:
        actor_membership, current = None, Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise PermissionDenied
    membership = current
    valid = set(Permission.values)
    granted, revoked = sorted(set(granted) & valid), sorted(set(revoked) & valid)
    before = {
        "role": membership.role,
        "granted": sorted(membership.granted_permissions),
        "revoked": sorted(membership.revoked_permissions),
        "orders_need_approval": membership.orders_need_approval,
        "customer_numbers": sorted(membership.customer_numbers.values_list("number", flat=True)),
    }
    after = {
        "role": role,
        "granted": granted,
        "revoked": revoked,
        "orders_need_approval": orders_need_approval,
        "customer_numbers": sorted(n.number for n in customer_numbers),
    }
    if actor_membership is not None:
        _check_member_change(
            actor_membership,
            membership,
            member_rights(role, granted, revoked, orders_need_approval),
            changed=before != after,
        )
    membership.role = role
    membership.granted_permissions = granted
    membership.revoked_permissions = revoked
    membership.orders_need_approval = orders_need_approval
    membership.save(update_fields=["role", "granted_permissions", "revoked_permissions", "orders_need_approval"])
    membership.customer_numbers.set(customer_numbers)
    if before != after:
        audit(
            actor=buyer.user if buyer is not None else actor,
            action=AuditAction.MEMBER_UPDATED,
            company=membership.company,
            target=membership,
            member=membership.user.email,
            before=before,
            after=after,
        )
    return membership


@transaction.atomic
def member_set_active(*, buyer: Buyer | None, membership: Membership, active: bool, actor: User) -> Membership:
    """Deactivate (never delete) or reactivate a member; a deactivated member loses access on the next request."""
    if buyer is not None:
        if membership.company_id != buyer.company_id:
            raise PermissionDenied
        if membership.pk == buyer.membership.pk:
            raise ValidationError(_("You cannot deactivate yourself."))
        actor_membership, current = _locked(buyer.membership, membership)
        if current is None:
            raise PermissionDenied
        membership = current
        # Locking out, or letting back in, someone with rights the actor lacks is not theirs to decide.
        _check_member_change(actor_membership, membership, None)
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action=AuditAction.MEMBER_ACTIVATED if active else AuditAction.MEMBER_DEACTIVATED,
        company=membership.company,
        target=membership,
        member=membership.user.email,
    )
    return membership


@transaction.atomic
def member_add(*, company: Company, email: str, role: str, actor: User, full_name: str = "") -> Membership:
    """Staff add a person (a plus-address included) to a customer directly; they log in by code."""
    _check_role_known(role)
    user = User.objects.filter(email=User.objects.normalize_address(email)).first()
    if user is None:
        user = user_create(email=email, full_name=full_name)
    membership, created = Membership.objects.get_or_create(user=user, company=company, defaults={"role": role})
    if not created:
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    audit(
        actor=actor, action=AuditAction.MEMBER_ADDED, company=company, target=membership, member=user.email, role=role
    )
    return membership


def _start_afresh(membership: Membership, role: str, orders_need_approval: bool) -> None:
    """A former member let in again gets the role they were let in with, not their old adjustments."""
    membership.role = role
    membership.granted_permissions = []
    membership.revoked_permissions = []
    membership.orders_need_approval = orders_need_approval
    membership.is_active = True
    membership.save(
        update_fields=["role", "granted_permissions", "revoked_permissions", "orders_need_approval", "is_active"]
    )


# --- Invitations (A7, A10) -------------------------------------------------------------


def invitation_url(token: str) -> str:
    # In the fragment, which browsers never send: no server, proxy or browser history logs the token.
    return fragment_link(settings.COMPTOIR_SITE_URL + reverse("companies:invitation_accept"), token)


@transaction.atomic
def invitation_create(
    *,
    company: Company,
    email: str,
    role: str,
    actor: User,
    actor_membership: Membership | None = None,
    message: str = "",
) -> Invitation:
    """Invite a person to a customer; the mail carries the link, never a password.

    The mail is in the invited person's language when they have an account with one, else in
    the customer's language (nobody is behind a new address yet). A member
    (``actor_membership``; staff have none) invites within their own rights, and whoever's
    orders need approval invites people whose orders need it too.
    """
    _check_role_known(role)
    orders_need_approval = False
    if actor_membership is not None:
        actor_membership, _member = _locked(actor_membership)
        orders_need_approval = actor_membership.orders_need_approval
        _check_member_change(actor_membership, None, member_rights(role, orders_need_approval=orders_need_approval))
    email = User.objects.normalize_address(email)
    if Membership.objects.filter(company=company, user__email=email, is_active=True).exists():
        raise ValidationError({"email": _("This person is already a member of this company.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company,
        email=email,
        role=role,
        orders_need_approval=orders_need_approval,
        message=message,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.COMPTOIR_INVITATION_DAYS),
    )
    # The invited person logs in by e-mailed code: they need an account to receive one.
    invitee = User.objects.filter(email=email).first()
    # Someone who never chose a language is, for this mail, nobody yet: the company's language.
    language = recipient_language(invitee if invitee is not None and invitee.language else None, company)
    if invitee is None:
        user_create(email=email)
    audit(
        actor=actor, action=AuditAction.INVITATION_CREATED, company=company, target=invitation, email=email, role=role
    )
    _mail_on_commit(
        template="companies/email/invitation",
        to=[email],
        language=language,
        context={
            "company": company,
            "invitation": invitation,
            "url": invitation_url(token),
            "inviter": actor,
            "message": message,
        },
    )
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("company").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """The invited person, logged in with the invited address, accepts; the token then stops working."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    if user.email != invitation.email:
        raise ValidationError(_("This invitation was sent to another e-mail address. Log in with that address."))
    membership, created = Membership.objects.get_or_create(
        user=user,
        company=invitation.company,
        defaults={"role": invitation.role, "orders_need_approval": invitation.orders_need_approval},
    )
    if not created:
        _start_afresh(membership, invitation.role, invitation.orders_need_approval)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(actor=user, action=AuditAction.INVITATION_ACCEPTED, company=invitation.company, target=invitation)
    return membership


@transaction.atomic
def invitation_revoke(*, buyer: Buyer, invitation: Invitation) -> None:
    if invitation.company_id != buyer.company_id:
        raise PermissionDenied
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(actor=buyer.user, action=AuditAction.INVITATION_REVOKED, company=buyer.company, target=invitation)


# --- Join requests (A5) ----------------------------------------------------------------


@transaction.atomic
def join_request_create(*, user: User, customer_number: str, vat_number: str, message: str = "") -> JoinRequest | None:
    """Ask to join an existing customer, named by its customer number and VAT number.

    The caller answers the same whether or not they matched, so customer numbers
    cannot be probed. Returns the request, or None when nothing matched.
    """
    number = CustomerNumber.objects.select_related("company").filter(number__iexact=customer_number.strip()).first()
    if number is None:
        return None
    company = number.company
    if not same_vat_number(company.vat_number, vat_number) or company.status != Company.Status.ACTIVE:
        return None
    if Membership.objects.active().filter(user=user, company=company).exists():
        return None
    existing = JoinRequest.objects.filter(company=company, user=user, status=JoinRequest.Status.PENDING).first()
    if existing:
        return existing
    join_request = JoinRequest.objects.create(company=company, user=user, message=message)
    for admin in _admins(company):  # one mail each, in each administrator's language
        _mail_on_commit(
            template="companies/email/join_request",
            to=[admin.email],
            language=recipient_language(admin, company),
            context={"company": company, "join_request": join_request, "requester": user},
        )
    return join_request


@transaction.atomic
def join_request_decide(
    *,
    buyer: Buyer,
    join_request: JoinRequest,
    approve: bool,
    role: str = Role.SEE_PRICES_AND_ORDER,
    report_abuse: bool = False,
) -> JoinRequest:
    """The company's administrator approves (active member with a role) or declines, and may report abuse."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.company_id != buyer.company_id:
        raise PermissionDenied
    if join_request.status != JoinRequest.Status.PENDING:
        return join_request  # decided already: a second click changes nothing
    if approve:
        _check_role_known(role)
        actor, existing = _locked(
            buyer.membership, Membership.objects.filter(user=join_request.user, company=buyer.company).first()
        )
        # Whoever's orders need approval lets in people whose orders need it too.
        orders_need_approval = actor.orders_need_approval
        _check_member_change(
            actor,
            existing if existing is not None and existing.is_active else None,
            member_rights(role, orders_need_approval=orders_need_approval),
        )
        if existing is None:
            Membership.objects.create(
                user=join_request.user,
                company=buyer.company,
                role=role,
                orders_need_approval=orders_need_approval,
            )
        else:
            _start_afresh(existing, role, orders_need_approval)
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = buyer.user
    join_request.reported_abuse = bool(report_abuse and not approve)
    join_request.save(update_fields=["status", "decided_at", "decided_by", "reported_abuse"])
    audit(
        actor=buyer.user,
        action=AuditAction.JOIN_REQUEST_APPROVED if approve else AuditAction.JOIN_REQUEST_DECLINED,
        company=buyer.company,
        target=join_request,
        member=join_request.user.email,
        role=role if approve else None,
        reported_abuse=join_request.reported_abuse or None,
    )
    _mail_on_commit(
        template="companies/email/join_decided",
        to=[join_request.user.email],
        language=recipient_language(join_request.user, buyer.company),
        context={"company": buyer.company, "approved": approve, "user": join_request.user},
    )
    return join_request


@transaction.atomic
def profile_update(*, user: User, full_name: str, phone: Any, language: str) -> User:
    """A member edits their own contact data."""
    user.full_name = full_name
    user.phone = phone
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "language"])
    return user
