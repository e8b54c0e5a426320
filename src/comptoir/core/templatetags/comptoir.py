from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ prices|get_item:product.pk }}``: a dict lookup in templates."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount in the active language's number format, with its currency code."""
    if amount is None:
        return ""
    return _money(Decimal(amount).quantize(Decimal("0.01")), currency, get_language())


@functools.lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, language: str | None) -> str:
    # A catalogue page formats 48 prices, often the same few: the formats of a language are fixed.
    text = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()


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
