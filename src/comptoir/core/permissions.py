"""Member roles and the permissions behind them (PRODUCT A6).

A member's effective permissions are the preset of its role, plus what an
administrator granted, minus what an administrator removed.

Who may change whose rights (``check_rights_change``, the one place this is
decided, for member edits, invitations and join approvals; the seller's back
office is not bound by it):

- Rights are compared as sets, never roles by rank: two roles can be "as
  high" as each other and still hold different rights. A member's rights are
  their effective permissions, plus "order without approval" when they may
  order and their orders need no approval (``member_rights``).
- Nobody gives a right they do not hold themselves, by role or by
  adjustment: after the change, the member's rights are a subset of the
  actor's rights. Removing rights one holds is always allowed.
- Nobody changes a member who holds a right they do not hold (edit,
  deactivate, reactivate): taking rights away from, or locking out, someone
  with more rights is for someone who holds at least as many.
- Nobody changes their own role, rights, approval requirement or customer
  numbers, nor deactivates themselves: another member who manages users, or
  the seller, does it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
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


def effective_permissions(role: str, granted: Iterable[str] = (), revoked: Iterable[str] = ()) -> frozenset[str]:
    """The permissions a member holds: role preset + granted - revoked."""
    valid = set(P.values)
    return frozenset((set(ROLE_PERMISSIONS.get(role, frozenset())) | (set(granted) & valid)) - set(revoked))


# Not a permission of its own: what a member who may order holds when their orders need no approval.
ORDER_WITHOUT_APPROVAL = "order_without_approval"
RIGHT_LABELS = {**dict(Permission.choices), ORDER_WITHOUT_APPROVAL: _("Order without approval")}
_ORDERING = frozenset({P.PLACE_ORDERS, P.ORDER_FROM_QUICK_LISTS})


def member_rights(
    role: str, granted: Iterable[str] = (), revoked: Iterable[str] = (), orders_need_approval: bool = False
) -> frozenset[str]:
    """Everything a member may do: effective permissions, plus ordering without approval where that applies."""
    permissions = effective_permissions(role, granted, revoked)
    if permissions & _ORDERING and not orders_need_approval:
        return permissions | {ORDER_WITHOUT_APPROVAL}
    return permissions


def roles_within(rights: frozenset[str]) -> list[str]:
    """The roles whose preset holds only rights in ``rights``: those a member holding them may give as they are."""
    return [role for role in Role.values if ROLE_PERMISSIONS[role] <= rights]


def _names(rights: Iterable[str]) -> str:
    return ", ".join(str(RIGHT_LABELS[right]) for right in sorted(rights, key=list(RIGHT_LABELS).index))


def check_rights_change(
    *,
    actor: frozenset[str],
    before: frozenset[str] | None,
    after: frozenset[str] | None,
    own: bool = False,
    changed: bool = True,
) -> None:
    """Refuse a change of a member's rights that the actor may not make (the rule in this module's docstring).

    ``actor``: the actor's rights; ``before``: the member's rights now (None for a newcomer);
    ``after``: the member's rights after the change (None when the change gives nothing, as a
    deactivation); ``own``: the member is the actor; ``changed``: something would change.
    Raises PermissionDenied with a message for the person.
    """
    if own and changed:
        raise PermissionDenied(
            gettext(
                "You cannot change your own role, rights, approval requirement or customer numbers: "
                "ask another member who manages users."
            )
        )
    if before is not None and before - actor:
        raise PermissionDenied(
            gettext("This member holds rights you do not hold (%(rights)s): you cannot change this member.")
            % {"rights": _names(before - actor)}
        )
    if after is not None and after - actor:
        raise PermissionDenied(
            gettext("You cannot give rights you do not hold: %(rights)s.") % {"rights": _names(after - actor)}
        )
