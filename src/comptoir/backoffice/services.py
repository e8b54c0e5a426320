from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from comptoir.accounts.models import User
from comptoir.backoffice.models import AccessRequest
from comptoir.companies.models import Company
from comptoir.companies.services import invitation_create
from comptoir.core.audit import AuditAction, audit


@transaction.atomic
def access_request_create(*, data: dict, language: str) -> AccessRequest:
    """A prospect's request from the login page lands in the back-office queue (A9)."""
    request = AccessRequest(language=language, **data)
    request.full_clean()
    request.save()
    return request


ACCESS_REQUEST_ACTIONS: dict[str, AuditAction] = {
    AccessRequest.Status.HANDLED: AuditAction.ACCESS_REQUEST_HANDLED,
    AccessRequest.Status.DECLINED: AuditAction.ACCESS_REQUEST_DECLINED,
}


@transaction.atomic
def access_request_set_status(*, access_request: AccessRequest, status: str, actor: User) -> None:
    access_request.status = status
    access_request.save(update_fields=["status"])
    audit(actor=actor, action=ACCESS_REQUEST_ACTIONS[status], target=access_request)


@transaction.atomic
def customer_set_visibility(*, company: Company, tags: Any, seasons: Any, brands: Any, actor: User) -> None:
    """Open these tags, seasons and brands to the customer (B1), replacing its selection; audited."""
    before = {
        "tags": sorted(company.visible_tags.values_list("pk", flat=True)),
        "seasons": sorted(company.visible_seasons.values_list("pk", flat=True)),
        "brands": sorted(company.visible_brands.values_list("pk", flat=True)),
    }
    company.visible_tags.set(tags)
    company.visible_seasons.set(seasons)
    company.visible_brands.set(brands)
    after = {
        "tags": sorted(t.pk for t in tags),
        "seasons": sorted(s.pk for s in seasons),
        "brands": sorted(b.pk for b in brands),
    }
    if before != after:
        audit(
            actor=actor,
            action=AuditAction.COMPANY_VISIBILITY_CHANGED,
            company=company,
            target=company,
            before=before,
            after=after,
        )


@transaction.atomic
def customer_give_access(
    *, company: Company, email: str, role: str, private_message: str, actor: User, visibility: dict | None = None
) -> None:
    """Staff invite one customer with the products it will see and, for one customer, a private message (seed 002)."""
    if visibility is not None:
        customer_set_visibility(company=company, actor=actor, **visibility)
    if private_message != company.private_message:
        company.private_message = private_message
        company.save(update_fields=["private_message"])
        audit(actor=actor, action=AuditAction.COMPANY_PRIVATE_MESSAGE_CHANGED, company=company, target=company)
    invitation_create(company=company, email=email, role=role, actor=actor)


def customers_give_access(
    *, companies: list[Company], actor: User, visibility: dict | None = None
) -> tuple[int, list[str]]:
    """Invite many customers at once, each at the e-mail address of its customer record.

    With a selection, each customer gets it; without one (None), each keeps its own.
    """
    invited, skipped = 0, []
    for company in companies:
        if not company.email or not company.is_active:
            skipped.append(company.name)
            continue
        try:
            customer_give_access(
                company=company,
                email=company.email,
                role="administrator",
                private_message=company.private_message,
                actor=actor,
                visibility=visibility,
            )
        except (ValidationError, PermissionDenied):
            skipped.append(company.name)
        else:
            invited += 1
    return invited, skipped
