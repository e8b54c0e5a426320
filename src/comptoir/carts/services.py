"""Cart writes (C1-C6). Quantities are checked against the product's minimum and
multiple; only products the buyer can see get into a cart."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.carts.models import Cart, CartLine, CartShare, QuickList, QuickListLine
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import visible_products
from comptoir.companies.models import hash_token
from comptoir.core.buyer import Buyer
from comptoir.core.permissions import Permission
from comptoir.pricing.selectors import prices_for_ordering


def max_cart_lines() -> int:
    """Lines a cart (and so an import or a paste) may hold (SECURITY 38); ``MAX_CART_LINES``."""
    return settings.COMPTOIR_MAX_CART_LINES


MAX_QUANTITY = 100_000
CART_DAYS = 30
SHARE_DAYS = 7


@dataclass(frozen=True)
class LineProblem:
    line_number: int | None
    sku: str
    message: str

    def __str__(self) -> str:
        if self.line_number is not None:
            return _("Line %(line)s (%(sku)s): %(message)s") % {
                "line": self.line_number,
                "sku": self.sku,
                "message": self.message,
            }
        # Translators: a label or code and what goes with it, e.g. "Start date: 3 March 2025".
        return _("%(label)s: %(value)s") % {"label": self.sku, "value": self.message}


class CartError(ValidationError):
    """Lines that cannot go into the cart; nothing was changed."""

    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__([str(p) for p in problems])
        self.problems = problems


def quantity_problem(product: Product, quantity: Any) -> str | None:
    """Why ``quantity`` cannot be ordered for ``product``, or None."""
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        return _("the quantity must be a whole number")
    if quantity < 1:
        return _("the quantity must be at least 1")
    if quantity > MAX_QUANTITY:
        return _("the quantity may not exceed %(max)s") % {"max": MAX_QUANTITY}
    if quantity < product.min_order_quantity:
        return _("the minimum order is %(min)s") % {"min": product.min_order_quantity}
    if quantity % product.order_multiple:
        return _("order in multiples of %(multiple)s") % {"multiple": product.order_multiple}
    return None


def can_fill_cart(buyer: Buyer, *, from_quick_list: bool = False) -> bool:
    if buyer.can(Permission.PLACE_ORDERS):
        return True
    return from_quick_list and buyer.can(Permission.ORDER_FROM_QUICK_LISTS)


def _require_fill(buyer: Buyer, *, from_quick_list: bool = False) -> None:
    if not can_fill_cart(buyer, from_quick_list=from_quick_list):
        raise PermissionDenied(_("You may not order."))


def cart_for_update(buyer: Buyer, kind: str = Cart.Kind.STANDARD) -> Cart:
    """The member's cart, created on first use and locked for this transaction."""
    cart, _created = Cart.objects.get_or_create(company_id=buyer.company_id, user_id=buyer.user.pk, kind=kind)
    return Cart.objects.select_for_update().get(pk=cart.pk)


def resolve_items(
    buyer: Buyer, items: Iterable[tuple[int | None, str, Any]]
) -> tuple[list[tuple[Product, int]], list[LineProblem]]:
    """Check (line number, SKU, quantity) items: visible products with a price, valid quantities; same
    SKU adds up. Every way into a cart or a quick list comes through here."""
    items = list(items)
    products = _products_by_sku(buyer, {sku for _n, sku, _q in items})
    priced = set(prices_for_ordering(buyer, {p.pk: p for p in products.values()}.values()))
    problems: list[LineProblem] = []
    totals: dict[str, int] = {}
    first_line: dict[str, int | None] = {}
    for line_number, sku, quantity in items:
        product = products.get(sku) or (products.get(sku.casefold()) if isinstance(sku, str) else None)
        if product is None:
            problems.append(LineProblem(line_number, sku, _("unknown product, or not available to you")))
            continue
        if product.pk not in priced:
            # Without a price for the customer the product cannot be ordered (checkout would refuse it);
            # a request for a quote would start here once quotes exist.
            problems.append(LineProblem(line_number, sku, _("price on request: contact us to order it")))
            continue
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            problems.append(LineProblem(line_number, sku, _("the quantity must be a whole number of at least 1")))
            continue
        totals[product.sku] = totals.get(product.sku, 0) + quantity
        first_line.setdefault(product.sku, line_number)
    resolved = []
    for sku, quantity in totals.items():
        problem = quantity_problem(products[sku], quantity)
        if problem:
            problems.append(LineProblem(first_line[sku], sku, problem))
        else:
            resolved.append((products[sku], quantity))
    problems.sort(key=lambda p: (p.line_number is None, p.line_number or 0))
    return resolved, problems


def _products_by_sku(buyer: Buyer, skus: set[str]) -> dict[str, Product]:
    """Visible products by exact SKU; SKUs typed in another case ("dr-100") are found too, keyed casefolded."""
    # PostgreSQL refuses NUL in a query parameter: such a "SKU" matches nothing, without asking the database.
    skus = {sku for sku in skus if isinstance(sku, str) and 0 < len(sku) <= 64 and "\x00" not in sku}
    found = {p.sku: p for p in visible_products(buyer).filter(sku__in=skus)}
    missing = {sku.casefold() for sku in skus if sku not in found}
    if missing:
        candidates = visible_products(buyer).annotate(sku_folded=Lower("sku")).filter(sku_folded__in=missing)
        by_folded: dict[str, list[Product]] = {}
        for product in candidates:
            by_folded.setdefault(product.sku.casefold(), []).append(product)
        for folded, matches in by_folded.items():
            if len(matches) == 1:  # two SKUs differing only in case: the typed one must be exact
                found[folded] = matches[0]
                found[matches[0].sku] = matches[0]
    return found


@transaction.atomic
def cart_add_items(
    *,
    buyer: Buyer,
    items: Iterable[tuple[int | None, str, Any]],
    replace: bool = False,
    from_quick_list: bool = False,
    kind: str = Cart.Kind.STANDARD,
) -> Cart:
    """Add (or with ``replace``, put instead of the current lines) items; all or nothing."""
    _require_fill(buyer, from_quick_list=from_quick_list)
    resolved, problems = resolve_items(buyer, items)
    if problems:
        raise CartError(problems)
    cart = cart_for_update(buyer, kind)
    existing = {line.product_id: line for line in CartLine.objects.filter(cart=cart)}
    if replace:
        CartLine.objects.filter(cart=cart).delete()
        existing = {}
    new_lines, totals = [], {}
    for product, quantity in resolved:
        line = existing.get(product.pk)
        total = quantity + (line.quantity if line else 0)
        problem = quantity_problem(product, total)
        if problem:
            problems.append(LineProblem(None, product.sku, problem))
        totals[product.pk] = (line, product, total)
    if len(set(existing) | set(totals)) > max_cart_lines():
        problems.append(LineProblem(None, "", _("a cart holds at most %(max)s lines") % {"max": max_cart_lines()}))
    if problems:
        raise CartError(problems)
    for line, product, total in totals.values():
        if line is None:
            new_lines.append(CartLine(cart=cart, product=product, quantity=total))
        else:
            CartLine.objects.filter(pk=line.pk).update(quantity=total)
    CartLine.objects.bulk_create(new_lines, batch_size=1000)
    cart.save(update_fields=["updated_at"])
    return cart


def cart_add(*, buyer: Buyer, sku: str, quantity: Any, kind: str = Cart.Kind.STANDARD) -> Cart:
    return cart_add_items(buyer=buyer, items=[(None, sku, quantity)], kind=kind)


def _all_problems(buyer: Buyer, items: list[tuple[int, str, int]], problems: list[LineProblem]) -> CartError:
    """Every bad line at once: those that could not be read and those the catalogue refuses."""
    _resolved, refused = resolve_items(buyer, items)
    found = sorted([*problems, *refused], key=lambda p: (p.line_number is None, p.line_number or 0))
    return CartError(found)


def cart_import(*, buyer: Buyer, upload: Any, filename: str = "") -> Cart:
    """C4: the file's lines REPLACE the cart, in one transaction; or nothing changes.

    Raises ``CartError`` listing every bad line (line number and reason), or ``ValidationError``
    when the file cannot be read at all (too large, not a spreadsheet, missing columns).
    """
    from comptoir.carts import line_input

    _require_fill(buyer)
    items, problems = line_input.read_import_file(upload, filename=filename)
    if problems:
        raise _all_problems(buyer, items, problems)
    return cart_add_items(buyer=buyer, items=items, replace=True)


def cart_fast_entry(*, buyer: Buyer, text: str, kind: str = Cart.Kind.STANDARD) -> Cart:
    """C6: "SKU quantity" lines are ADDED to the cart; any bad line is reported and nothing is added."""
    from comptoir.carts import line_input

    _require_fill(buyer)
    items, problems = line_input.parse_fast_entry(text)
    if problems:
        raise _all_problems(buyer, items, problems)
    return cart_add_items(buyer=buyer, items=items, kind=kind)


@transaction.atomic
def cart_line_set_quantity(*, buyer: Buyer, line: CartLine, quantity: Any) -> CartLine | None:
    """Change a line's quantity; 0 removes the line.

    The cart row is locked first, as checkout does before it empties the cart: a change made in
    another tab while the cart is being ordered waits for the order, then finds its line gone
    (and does nothing) instead of deadlocking with it.
    """
    _require_fill(buyer, from_quick_list=True)
    cart = Cart.objects.select_for_update(of=("self",)).filter(pk=line.cart_id).first()
    current = CartLine.objects.filter(pk=line.pk, cart_id=line.cart_id).select_related("product").first()
    if cart is None or current is None:
        return None
    if quantity == 0:
        current.delete()
        cart.save(update_fields=["updated_at"])
        return None
    problem = quantity_problem(current.product, quantity)
    if problem:
        raise CartError([LineProblem(None, current.product.sku, problem)])
    current.quantity = quantity
    current.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return current


@transaction.atomic
def cart_clear(*, buyer: Buyer, kind: str = Cart.Kind.STANDARD) -> None:
    """Empty the cart (the cart row locked first, like every other cart write)."""
    cart = (
        Cart.objects.select_for_update(of=("self",))
        .filter(company_id=buyer.company_id, user_id=buyer.user.pk, kind=kind)
        .first()
    )
    if cart is None:
        return
    CartLine.objects.filter(cart=cart).delete()
    cart.save(update_fields=["updated_at"])


def carts_purge() -> int:
    """C1: a cart is kept 30 days after its last change."""
    deleted, _details = Cart.objects.filter(updated_at__lt=timezone.now() - timedelta(days=CART_DAYS)).delete()
    CartShare.objects.filter(expires_at__lt=timezone.now() - timedelta(days=CART_DAYS)).delete()
    return deleted


# --- Share links (C3) ------------------------------------------------------------------------


@transaction.atomic
def cart_share_create(*, buyer: Buyer) -> str:
    """A link to a snapshot of the member's cart; returns the token (only its hash is stored)."""
    cart = cart_for_update(buyer)
    lines = list(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity"))
    if not lines:
        raise ValidationError(_("Your cart is empty: there is nothing to share."))
    token = secrets.token_urlsafe(24)
    CartShare.objects.create(
        company_id=buyer.company_id,
        created_by=buyer.user,
        token_hash=hash_token(token),
        lines=[list(line) for line in lines],
        expires_at=timezone.now() + timedelta(days=SHARE_DAYS),
    )
    return token


def cart_share_get(*, buyer: Buyer, token: str) -> CartShare | None:
    """The share behind a token, for a member of the same company only; expired or revoked: None."""
    share = CartShare.objects.filter(token_hash=hash_token(token), company_id=buyer.company_id).first()
    if share is None or share.revoked_at or share.expires_at <= timezone.now():
        return None
    return share


@transaction.atomic
def cart_share_revoke(*, buyer: Buyer, share_id: int) -> bool:
    """Stop a link the member created; returns whether there was one to stop."""
    updated = CartShare.objects.filter(
        pk=share_id, company_id=buyer.company_id, created_by_id=buyer.user.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return bool(updated)


@transaction.atomic
def cart_share_accept(*, buyer: Buyer, share: CartShare) -> tuple[Cart, list[LineProblem]]:
    """C3: ADD the shared lines to the recipient's cart (same product: quantities add up).

    Lines the recipient may not see or order are reported, not added.
    """
    products = {p.pk: p for p in Product.objects.filter(pk__in=[pid for pid, _q in share.lines])}
    items = [(None, products[pid].sku, qty) for pid, qty in share.lines if pid in products]
    resolved, problems = resolve_items(buyer, items)
    if resolved:
        cart = cart_add_items(buyer=buyer, items=[(None, p.sku, q) for p, q in resolved])
    else:
        cart = cart_for_update(buyer)
    return cart, problems


# --- Quick lists (C5) ------------------------------------------------------------------------


@transaction.atomic
def quick_list_create(*, buyer: Buyer, name: str, shared: bool = False) -> QuickList:
    if not buyer.can(Permission.MANAGE_QUICK_LISTS):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the list a name."))
    return QuickList.objects.create(company_id=buyer.company_id, owner=buyer.user, name=name[:120], shared=shared)


@transaction.atomic
def quick_list_update(*, buyer: Buyer, quick_list: QuickList, name: str, shared: bool) -> QuickList:
    if not buyer.can(Permission.MANAGE_QUICK_LISTS) or quick_list.owner_id != buyer.user.pk:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the list a name."))
    quick_list.name, quick_list.shared = name[:120], shared
    quick_list.save(update_fields=["name", "shared", "updated_at"])
    return quick_list


@transaction.atomic
def quick_list_set_items(
    *, buyer: Buyer, quick_list: QuickList, items: Iterable[tuple[int | None, str, Any]]
) -> QuickList:
    """Put these lines in the list instead of its current ones (checked like cart lines)."""
    if not buyer.can(Permission.MANAGE_QUICK_LISTS) or quick_list.owner_id != buyer.user.pk:
        raise PermissionDenied
    resolved, problems = resolve_items(buyer, items)
    if problems:
        raise CartError(problems)
    QuickListLine.objects.filter(quick_list=quick_list).delete()
    QuickListLine.objects.bulk_create(
        [QuickListLine(quick_list=quick_list, product=p, quantity=q) for p, q in resolved]
    )
    QuickList.objects.filter(pk=quick_list.pk).update(updated_at=timezone.now())
    return quick_list


def quick_list_set_text(*, buyer: Buyer, quick_list: QuickList, text: str) -> QuickList:
    """Put the "SKU quantity" lines of ``text`` in the list instead of its current ones; all or nothing."""
    from comptoir.carts import line_input

    items, problems = line_input.parse_fast_entry(text)
    if problems:
        raise _all_problems(buyer, items, problems)
    return quick_list_set_items(buyer=buyer, quick_list=quick_list, items=items)


def quick_list_set_quantities(*, buyer: Buyer, quick_list: QuickList, quantities: dict[int, str]) -> QuickList:
    """Change the lines' quantities (``{line id: typed quantity}``); 0 removes a line, a line not given stays."""
    from comptoir.carts import line_input

    items: list[tuple[int, str, int]] = []
    problems: list[LineProblem] = []
    lines = QuickListLine.objects.filter(quick_list=quick_list).select_related("product")
    for number, line in enumerate(lines, start=1):
        typed = quantities.get(line.pk, str(line.quantity)).strip()
        if typed == "0":
            continue
        quantity, problem = line_input.parse_quantity(typed)
        if problem or quantity is None:
            problems.append(LineProblem(number, line.product.sku, problem or ""))
        else:
            items.append((number, line.product.sku, quantity))
    if problems:
        raise _all_problems(buyer, items, problems)
    return quick_list_set_items(buyer=buyer, quick_list=quick_list, items=items)


@transaction.atomic
def quick_list_from_cart(*, buyer: Buyer, name: str, shared: bool = False) -> QuickList:
    lines = list(
        CartLine.objects.filter(
            cart__company_id=buyer.company_id, cart__user_id=buyer.user.pk, cart__kind=Cart.Kind.STANDARD
        ).select_related("product")
    )
    if not lines:
        raise ValidationError(_("Your cart is empty: there is nothing to save."))
    quick_list = quick_list_create(buyer=buyer, name=name, shared=shared)
    QuickListLine.objects.bulk_create(
        [QuickListLine(quick_list=quick_list, product=line.product, quantity=line.quantity) for line in lines]
    )
    return quick_list


@transaction.atomic
def quick_list_add_product(*, buyer: Buyer, quick_list: QuickList, sku: str, quantity: Any) -> None:
    if not buyer.can(Permission.MANAGE_QUICK_LISTS) or quick_list.owner_id != buyer.user.pk:
        raise PermissionDenied
    resolved, problems = resolve_items(buyer, [(None, sku, quantity)])
    if problems:
        raise CartError(problems)
    product, qty = resolved[0]
    line = QuickListLine.objects.filter(quick_list=quick_list, product=product).first()
    if line:
        QuickListLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + qty)
    else:
        QuickListLine.objects.create(quick_list=quick_list, product=product, quantity=qty)


@transaction.atomic
def quick_list_delete(*, buyer: Buyer, quick_list: QuickList) -> None:
    if quick_list.owner_id != buyer.user.pk:
        raise PermissionDenied
    quick_list.delete()


@transaction.atomic
def quick_list_to_cart(*, buyer: Buyer, quick_list: QuickList) -> Cart:
    """Order a list: its lines are added to the cart (the quick-lists-only role may do only this)."""
    lines = QuickListLine.objects.filter(quick_list=quick_list).select_related("product")
    return cart_add_items(
        buyer=buyer, items=[(None, line.product.sku, line.quantity) for line in lines], from_quick_list=True
    )
