"""Availability at the buyer's stock location, in bulk (one query a page), and the member's stock alerts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext

from comptoir.core import rawsql
from comptoir.core.access import not_found
from comptoir.core.buyer import Buyer
from comptoir.inventory.models import BackInStockAlert, StockLevel


@dataclass(frozen=True)
class Availability:
    available: int
    status: str  # "in", "low" or "out"
    show_quantity: bool

    @property
    def in_stock(self) -> bool:
        return self.available > 0

    @property
    def label(self) -> str:
        """What the buyer reads: a quantity, or in stock / low / out, as the store shows stock."""
        if self.status == "out":
            return gettext("Out of stock")
        if self.show_quantity:
            return ngettext("%(n)s available", "%(n)s available", self.available) % {"n": self.available}
        return gettext("Low stock") if self.status == "low" else gettext("In stock")


def availability_for(buyer: Buyer, products: Iterable[Any]) -> dict[int, Availability]:
    """What the buyer may know of the stock of ``products`` at its own location.

    Empty when the store hides stock; never another location's figures.
    """
    store = buyer.store_settings
    location = buyer.stock_location
    if not store.show_stock or location is None:
        return {}
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    quantities = available_quantities(location_id=location.pk, product_ids=ids)
    show_quantity = store.stock_display == "quantity"
    threshold = store.low_stock_threshold
    result = {}
    for product_id in ids:
        available = quantities[product_id]
        status = "out" if available <= 0 else ("low" if available <= threshold else "in")
        result[product_id] = Availability(available=available, status=status, show_quantity=show_quantity)
    return result


def _stock_fields() -> tuple[Any, ...]:
    return rawsql.fields(StockLevel, "product", "quantity", "allocated")


@lru_cache(maxsize=32)
def _stock_sql(products: int) -> str:
    """Stock of ``products`` ids at one location: written from the model once per shape rather than
    built by the ORM on every page (core/rawsql.py)."""
    product, quantity, allocated = (rawsql.quote(field.column) for field in _stock_fields())
    location = rawsql.column(StockLevel, "location")
    return (
        f"SELECT {product}, {quantity}, {allocated} FROM {rawsql.table(StockLevel)} "  # noqa: S608
        f"WHERE {location} = %s AND {product} IN ({rawsql.placeholders(products)})"
    )


def available_quantities(*, location_id: int, product_ids: Iterable[int]) -> dict[int, int]:
    """Units free to sell per product at one location (missing row: none), whatever the store shows buyers.

    Every catalogue page asks for 48 products: the SQL is written once per list length
    (core/rawsql.py) rather than built by the ORM each time."""
    ids = list(product_ids)
    rows = rawsql.fetch(_stock_sql(len(ids)), [location_id, *ids], _stock_fields()) if ids else []
    found = {product_id: max(0, quantity - allocated) for product_id, quantity, allocated in rows}
    return {product_id: found.get(product_id, 0) for product_id in ids}


def alerts_for(buyer: Buyer) -> QuerySet[BackInStockAlert]:
    """The member's own back-in-stock alerts in the active company, newest first."""
    return (
        BackInStockAlert.objects.filter(user_id=buyer.user.pk, company_id=buyer.company_id)
        .select_related("product")
        .order_by("-created_at", "-pk")
    )


def access_alert(buyer: Buyer, pk: int) -> BackInStockAlert:
    """One of the member's own alerts; anyone else's is not found."""
    alert = alerts_for(buyer).filter(pk=pk).first()
    if alert is None:
        raise not_found(buyer, "stock_alert", pk)
    return alert


def products_with_open_alert(buyer: Buyer, products: Iterable[Any]) -> set[int]:
    """Which of ``products`` the member already asked to be told about (one query for a page)."""
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    return set(
        alerts_for(buyer).filter(product_id__in=ids, notified_at__isnull=True).values_list("product_id", flat=True)
    )
