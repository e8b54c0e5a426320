from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from comptoir.accounts.models import User
from comptoir.backoffice.models import AccessRequest
from comptoir.companies.models import Company
from comptoir.companies.services import invitation_create
from comptoir.core.audit import audit


@transaction.atomic
def access_request_create(*, data: dict, language: str) -> AccessRequest:
    """A prospect's request from the login page lands in the back-office queue (A9)."""
    request = AccessRequest(language=language, **data)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def access_request_set_status(*, access_request: AccessRequest, status: str, actor: User) -> None:
    access_request.status = status
    access_request.save(update_fields=["status"])
    audit(actor=actor, action=f"access_request.{status}", target=access_request)


@transaction.atomic
def customer_give_access(*, company: Company, email: str, role: str, private_message: str, actor: User) -> None:
    """Staff invite one customer; the private message is saved on the customer (seed 002)."""
    if private_message != company.private_message:
        company.private_message = private_message
        company.save(update_fields=["private_message"])
        audit(actor=actor, action="company.private_message_changed", company=company, target=company)
    invitation_create(company=company, email=email, role=role, actor=actor)


def customers_give_access(*, companies: list[Company], actor: User) -> tuple[int, list[str]]:
    """Invite many customers at once, each at the e-mail address of its customer record."""
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
            )
        except (ValidationError, PermissionDenied):
            skipped.append(company.name)
        else:
            invited += 1
    return invited, skipped
