"""Stock allocation for orders (C13): never oversell.

Rows are locked in primary-key order (``select_for_update(of=("self",))``) so two
orders over the same products cannot deadlock; counters change with ``F()``; the
database constraints (allocated <= quantity, both >= 0) are the last guard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from comptoir.inventory.models import StockLevel


@dataclass(frozen=True)
class Shortage:
    product_id: int
    requested: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__(f"{len(shortages)} product(s) short")
        self.shortages = shortages


def _locked_levels(location_id: int, product_ids: list[int]) -> dict[int, StockLevel]:
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(location_id=location_id, product_id__in=product_ids)
        .order_by("pk")
    )
    return {row.product_id: row for row in rows}


def stock_allocate(*, location_id: int, quantities: Mapping[int, int]) -> None:
    """Promise ``quantities`` (product id → units) to an order, or raise ``InsufficientStock`` and change nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_allocate must run inside the order's transaction")
    levels = _locked_levels(location_id, sorted(quantities))
    shortages = []
    for product_id, requested in sorted(quantities.items()):
        level = levels.get(product_id)
        available = level.quantity - level.allocated if level else 0
        if requested > available:
            shortages.append(Shortage(product_id=product_id, requested=requested, available=max(0, available)))
    if shortages:
        raise InsufficientStock(shortages)
    for product_id, requested in sorted(quantities.items()):
        StockLevel.objects.filter(pk=levels[product_id].pk).update(allocated=F("allocated") + requested)


def stock_release(*, location_id: int, quantities: Mapping[int, int]) -> None:
    """Give back units promised to an order that will not ship (cancelled, declined, rejected).

    Products that were out of stock and are available again trigger their back-in-stock alerts (B5).
    """
    from comptoir.inventory.services import stock_became_available

    levels = _locked_levels(location_id, sorted(quantities))
    back_in_stock = []
    for product_id, quantity in sorted(quantities.items()):
        level = levels.get(product_id)
        if level is not None:
            released = min(quantity, level.allocated)
            StockLevel.objects.filter(pk=level.pk).update(allocated=F("allocated") - released)
            if released and level.quantity - level.allocated <= 0:
                back_in_stock.append(product_id)
    if back_in_stock:
        stock_became_available(product_ids=back_in_stock, location=location_id)


def stock_ship(*, location_id: int, quantities: Mapping[int, int]) -> None:
    """Units leave the warehouse: both the stock and the promise go down."""
    levels = _locked_levels(location_id, sorted(quantities))
    for product_id, quantity in sorted(quantities.items()):
        level = levels.get(product_id)
        if level is not None:
            StockLevel.objects.filter(pk=level.pk).update(
                quantity=F("quantity") - quantity, allocated=F("allocated") - quantity
            )
