"""Template helpers for cart forms shown on other apps' pages (catalogue list and product page)."""

from __future__ import annotations

from typing import Any

from django import template

from comptoir.carts import selectors
from comptoir.core.buyer import Buyer

register = template.Library()


@register.filter
def first_quantity(product: Any) -> int:
    """The smallest quantity that can be ordered: the minimum, rounded up to the order multiple.

    Used as the ``min`` of a quantity input whose ``step`` is the multiple, so that every value the
    browser offers is orderable.
    """
    minimum = max(1, int(product.min_order_quantity or 1))
    multiple = max(1, int(product.order_multiple or 1))
    return -(-minimum // multiple) * multiple


@register.simple_tag
def quick_lists_to_fill(buyer: Buyer) -> list[Any]:
    """``{% quick_lists_to_fill buyer as my_lists %}``: the member's own lists (none without the right)."""
    if buyer is None or not buyer.can("manage_quick_lists"):
        return []
    return selectors.quick_lists_to_fill(buyer)
