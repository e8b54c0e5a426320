"""Member roles and the permissions behind them (PRODUCT A6).

A member's effective permissions are the preset of its role, plus what an
administrator granted, minus what an administrator removed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Permission(models.TextChoices):
    PLACE_ORDERS = "place_orders", _("Place orders")
    ORDER_FROM_QUICK_LISTS = "order_from_quick_lists", _("Order from quick lists")
    SEE_PRICES = "see_prices", _("See prices")
    SEE_COMPANY_ORDERS = "see_company_orders", _("See the company's orders")
    SEE_QUOTES = "see_quotes", _("See quotes")
    MANAGE_QUICK_LISTS = "manage_quick_lists", _("Manage quick lists")
    USE_CONVERSATIONS = "use_conversations", _("Use conversations")
    MANAGE_USERS = "manage_users", _("Manage users")
    APPROVE_ORDERS = "approve_orders", _("Approve orders")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SEE_PRICES = "see_prices", _("See prices")
    SEE_PRICES_AND_ORDER = "see_prices_and_order", _("See prices and order")
    ORDER_WITHOUT_PRICES = "order_without_prices", _("Order without prices")
    QUICK_LISTS_ONLY = "quick_lists_only", _("Quick lists only")


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(P.values),
    Role.SEE_PRICES: frozenset({P.SEE_PRICES, P.SEE_QUOTES, P.USE_CONVERSATIONS}),
    Role.SEE_PRICES_AND_ORDER: frozenset(
        {
            P.SEE_PRICES,
            P.PLACE_ORDERS,
            P.ORDER_FROM_QUICK_LISTS,
            P.SEE_QUOTES,
            P.MANAGE_QUICK_LISTS,
            P.USE_CONVERSATIONS,
        }
    ),
    Role.ORDER_WITHOUT_PRICES: frozenset({P.PLACE_ORDERS, P.ORDER_FROM_QUICK_LISTS, P.MANAGE_QUICK_LISTS}),
    Role.QUICK_LISTS_ONLY: frozenset({P.ORDER_FROM_QUICK_LISTS}),
}

# A role ranks by how much it allows; nobody hands out a role above their own.
ROLE_RANK = {
    Role.QUICK_LISTS_ONLY: 1,
    Role.ORDER_WITHOUT_PRICES: 2,
    Role.SEE_PRICES: 2,
    Role.SEE_PRICES_AND_ORDER: 3,
    Role.ADMINISTRATOR: 4,
}


def effective_permissions(role: str, granted: Iterable[str] = (), revoked: Iterable[str] = ()) -> frozenset[str]:
    """The permissions a member holds: role preset + granted - revoked."""
    valid = set(P.values)
    return frozenset((set(ROLE_PERMISSIONS.get(role, frozenset())) | (set(granted) & valid)) - set(revoked))
