from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from comptoir.core.money import format_money, format_unit_price

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ prices|get_item:product.pk }}``: a dict lookup in templates."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount (line total, subtotal, shipping, total) in the active language's number format,
    rounded and shown with the currency's decimals (core/money.py)."""
    if amount is None:
        return ""
    return format_money(amount, currency)


@register.simple_tag
def unit_price(amount: Decimal | None, currency: str = "") -> str:
    """A unit price as ``money`` shows an amount, with up to four decimals when it has them (core/money.py)."""
    if amount is None:
        return ""
    return format_unit_price(amount, currency)


@register.filter
def storage_url(name: str | None) -> str:
    """The URL of a stored file name (local media or S3)."""
    if not name:
        return ""
    from django.core.files.storage import default_storage

    return default_storage.url(name)


@register.simple_tag
def select_options(items: Any, value: str, label: str, selected: str) -> str:
    """``<option>`` elements for ``items`` (``value`` and ``label`` name their attributes), the one
    whose value is ``selected`` selected. Built in Python: a filter bar has about eighty of them."""
    from django.utils.html import format_html_join

    rows = []
    for item in items:
        item_value = str(getattr(item, value))
        rows.append((item_value, " selected" if item_value == selected else "", getattr(item, label)))
    return format_html_join("", '<option value="{}"{}>{}</option>', rows)
