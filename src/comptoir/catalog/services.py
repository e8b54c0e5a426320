from __future__ import annotations

from typing import Any

from django.db import transaction

from comptoir.catalog.models import ProductRequest
from comptoir.core.buyer import Buyer


@transaction.atomic
def product_request_create(*, buyer: Buyer, query: str, message: str, quantity: str = "") -> ProductRequest:
    """ "Not found? Ask us" (B4): the request lands in the back-office queue."""
    request = ProductRequest(
        company=buyer.company, user=buyer.user, query=query.strip(), message=message.strip(), quantity=quantity.strip()
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def product_requests_mark_handled(*, requests: Any, actor: Any) -> int:
    """Staff close "not found" requests (F5 queue); who closed which is audited."""
    from comptoir.core.audit import AuditAction, audit

    handled = list(requests.select_for_update().filter(status=ProductRequest.Status.NEW))
    for item in handled:
        item.status = ProductRequest.Status.HANDLED
        item.save(update_fields=["status"])
        audit(actor=actor, action=AuditAction.PRODUCT_REQUEST_HANDLED, company=item.company, target=item)
    return len(handled)
