from __future__ import annotations

from typing import Any

from django.db import transaction

from comptoir.catalog.models import ProductRequest


@transaction.atomic
def product_request_create(*, buyer: Any, query: str, message: str, quantity: str = "") -> ProductRequest:
    """ "Not found? Ask us" (B4): the request lands in the back-office queue."""
    request = ProductRequest(
        company=buyer.company, user=buyer.user, query=query.strip(), message=message.strip(), quantity=quantity.strip()
    )
    request.full_clean()
    request.save()
    return request
