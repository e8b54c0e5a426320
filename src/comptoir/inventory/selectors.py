"""Availability at the buyer's stock location, in bulk (one query a page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from comptoir.inventory.models import StockLevel


@dataclass(frozen=True)
class Availability:
    available: int
    status: str  # "in", "low" or "out"
    show_quantity: bool

    @property
    def in_stock(self) -> bool:
        return self.available > 0


def availability_for(buyer: Any, products: Iterable[Any]) -> dict[int, Availability]:
    """What the buyer may know of the stock of ``products`` at its own location.

    Empty when the store hides stock; never another location's figures.
    """
    store = buyer.store_settings
    location = buyer.stock_location
    if not store.show_stock or location is None:
        return {}
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    rows = StockLevel.objects.filter(location=location, product_id__in=ids).values_list(
        "product_id", "quantity", "allocated"
    )
    levels = {product_id: quantity - allocated for product_id, quantity, allocated in rows}
    show_quantity = store.stock_display == "quantity"
    threshold = store.low_stock_threshold
    result = {}
    for product_id in ids:
        available = max(0, levels.get(product_id, 0))
        status = "out" if available <= 0 else ("low" if available <= threshold else "in")
        result[product_id] = Availability(available=available, status=status, show_quantity=show_quantity)
    return result
