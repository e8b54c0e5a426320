"""The rule every way of setting stock follows (a count in the back office, ``stock_set``, the stock import)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def stock_quantity_refusal(*, quantity: int, allocated: int) -> str:
    """Why ``quantity`` cannot be the units in stock of a row with ``allocated`` units promised to
    orders, or "" when it can: stock is never negative, nor below what orders were promised.

    The database's constraints (``stock_quantity_not_negative``, ``stock_allocated_within_quantity``)
    are the last guard; this gives the person a readable reason first.
    """
    if quantity < 0:
        return _("Stock cannot be negative.")
    if quantity < allocated:
        return ngettext(
            "%(allocated)d unit is already promised to orders: stock cannot go below that.",
            "%(allocated)d units are already promised to orders: stock cannot go below that.",
            allocated,
        ) % {"allocated": allocated}
    return ""
