"""Reads for the buyer's own company. Every query is scoped by the buyer's
company, so another company's object is simply not found (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from comptoir.companies.models import CustomerNumber, Invitation, JoinRequest, Membership
from comptoir.core.access import not_found
from comptoir.core.buyer import Buyer


def members_for(buyer: Buyer) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(company_id=buyer.company_id)
        .select_related("user")
        .prefetch_related("customer_numbers")
        .order_by("-is_active", "user__email")
    )


def access_membership(buyer: Buyer, pk: int) -> Membership:
    membership = members_for(buyer).filter(pk=pk).first()
    if membership is None:
        raise not_found(buyer, "membership", pk)
    return membership


def customer_numbers_for(buyer: Buyer) -> QuerySet[CustomerNumber]:
    return CustomerNumber.objects.filter(company_id=buyer.company_id).select_related("address")


def pending_join_requests_for(buyer: Buyer) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(company_id=buyer.company_id, status=JoinRequest.Status.PENDING).select_related(
        "user"
    )


def access_join_request(buyer: Buyer, pk: int) -> JoinRequest:
    join_request = JoinRequest.objects.filter(company_id=buyer.company_id, pk=pk).select_related("user").first()
    if join_request is None:
        raise not_found(buyer, "join_request", pk)
    return join_request


def open_invitations_for(buyer: Buyer) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        company_id=buyer.company_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def access_invitation(buyer: Buyer, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(company_id=buyer.company_id, pk=pk).first()
    if invitation is None:
        raise not_found(buyer, "invitation", pk)
    return invitation
