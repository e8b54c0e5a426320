"""The pricing strategy (DESIGN "prices in bulk"): one query answers for a whole page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from comptoir.core import money, rawsql
from comptoir.core.buyer import Buyer
from comptoir.pricing.models import Price


@dataclass(frozen=True)
class PriceInfo:
    currency: str
    tiers: tuple[tuple[int, Decimal], ...]  # (from quantity, unit price), ascending

    @property
    def unit_price(self) -> Decimal:
        return self.tiers[0][1]

    def unit_price_for(self, quantity: int) -> Decimal:
        """The unit price of the highest tier the quantity reaches."""
        price = self.tiers[0][1]
        for min_quantity, amount in self.tiers:
            if quantity >= min_quantity:
                price = amount
        return price

    def line_total(self, quantity: int) -> Decimal:
        """Quantity times the tier's unit price, rounded as every line total is (core/money.py)."""
        return money.line_total(self.unit_price_for(quantity), quantity, self.currency)

    @property
    def has_tiers(self) -> bool:
        return len(self.tiers) > 1


def prices_for(buyer: Buyer, products: Iterable[Any]) -> dict[int, PriceInfo]:
    """Prices of ``products`` for the buyer's price level, falling back to the store default level.

    A member without the right to see prices gets an empty mapping: no figure can
    leak into a page, fragment, export or mail built from it.
    """
    if buyer is None or not buyer.sees_prices:
        return {}
    return prices_for_ordering(buyer, products)


def prices_and_priced(buyer: Buyer, products: Iterable[Any]) -> tuple[dict[int, PriceInfo], frozenset[int]]:
    """The prices the member may see (as ``prices_for``) and the ids of the products that have a
    price at all, in one query: a product without one is "price on request" and cannot be ordered,
    which a member without the right to see prices must know too (no figure comes with it)."""
    if buyer is None:
        return {}, frozenset()
    prices = prices_for_ordering(buyer, products)
    return (prices if buyer.sees_prices else {}), frozenset(prices)


def prices_for_ordering(buyer: Buyer, products: Iterable[Any]) -> dict[int, PriceInfo]:
    """The same prices whether or not the member may see them: for totals, approval rules and
    order lines only. Never put the result in front of a member; use ``prices_for`` for that."""
    ids = [p.pk if hasattr(p, "pk") else int(p) for p in products]
    level = buyer.price_level
    default = buyer.store_settings.default_price_level
    level_ids = {lvl.pk for lvl in (level, default) if lvl is not None}
    if not ids or not level_ids:
        return {}
    currencies = {lvl.pk: lvl.currency for lvl in (level, default) if lvl is not None}
    rows = rawsql.fetch(_prices_sql(len(level_ids), len(ids)), [*level_ids, *ids], _price_fields())
    by_level: dict[tuple[int, int], list[tuple[int, Decimal]]] = {}
    for product_id, level_id, min_quantity, amount in rows:
        by_level.setdefault((product_id, level_id), []).append((min_quantity, amount))
    result: dict[int, PriceInfo] = {}
    for product_id in ids:
        for lvl in (level, default):
            if lvl is not None and (product_id, lvl.pk) in by_level:
                tiers = by_level[(product_id, lvl.pk)]
                if tiers[0][0] != 1:  # a level with tiers but no base price: the first tier rules below it
                    tiers = [(1, tiers[0][1]), *tiers]
                result[product_id] = PriceInfo(currency=currencies[lvl.pk], tiers=tuple(tiers))
                break
    return result


def _price_fields() -> tuple[Any, ...]:
    return rawsql.fields(Price, "product", "price_level", "min_quantity", "amount")


@lru_cache(maxsize=32)
def _prices_sql(levels: int, products: int) -> str:
    """The prices of ``products`` ids at ``levels`` level ids, tiers in order: written from the model
    once per shape rather than built by the ORM on every page (core/rawsql.py)."""
    product, level, min_quantity, amount = (rawsql.quote(field.column) for field in _price_fields())
    return (
        f"SELECT {product}, {level}, {min_quantity}, {amount} FROM {rawsql.table(Price)} "  # noqa: S608
        f"WHERE {level} IN ({rawsql.placeholders(levels)}) AND {product} IN ({rawsql.placeholders(products)}) "
        f"ORDER BY {product}, {level}, {min_quantity}"
    )
