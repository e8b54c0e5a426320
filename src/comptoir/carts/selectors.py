"""Cart reads for the buyer, priced for the buyer (never for someone else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from comptoir.carts.models import Cart, CartLine, CartShare, QuickList, QuickListLine
from comptoir.catalog.models import Product
from comptoir.catalog.selectors import visible_products
from comptoir.core.access import not_found
from comptoir.core.buyer import Buyer
from comptoir.inventory.selectors import Availability, availability_for
from comptoir.pricing.selectors import PriceInfo, prices_for


def cart_get(buyer: Buyer, kind: str = Cart.Kind.STANDARD) -> Cart | None:
    return Cart.objects.filter(company_id=buyer.company_id, user_id=buyer.user.pk, kind=kind).first()


def cart_line_count(buyer: Buyer, kind: str = Cart.Kind.STANDARD) -> int:
    """Lines in the member's cart for the active company, in one query."""
    return CartLine.objects.filter(
        cart__company_id=buyer.company_id, cart__user_id=buyer.user.pk, cart__kind=kind
    ).count()


@dataclass
class PricedLine:
    line: Any  # CartLine, QuickListLine or a plain object with product and quantity
    price: PriceInfo | None
    availability: Availability | None
    visible: bool = True

    @property
    def product(self) -> Any:
        return self.line.product

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def unit_price(self) -> Decimal | None:
        return self.price.unit_price_for(self.quantity) if self.price else None

    @property
    def total(self) -> Decimal | None:
        return self.price.line_total(self.quantity) if self.price else None

    @property
    def short_of_stock(self) -> bool:
        return self.availability is not None and self.quantity > self.availability.available


@dataclass
class PricedLines:
    lines: list[PricedLine] = field(default_factory=list)
    currency: str = ""
    subtotal: Decimal | None = None  # None when the member may not see prices

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def price_lines(buyer: Buyer, lines: list[Any]) -> PricedLines:
    """Price and check lines for the buyer in a fixed number of queries, whatever their number."""
    products = [line.product for line in lines]
    prices = prices_for(buyer, products)
    availability = availability_for(buyer, products)
    visible_ids = set(visible_products(buyer).filter(pk__in=[p.pk for p in products]).values_list("pk", flat=True))
    priced = [
        PricedLine(
            line=line,
            price=prices.get(line.product_id),
            availability=availability.get(line.product_id),
            visible=line.product_id in visible_ids,
        )
        for line in lines
    ]
    result = PricedLines(lines=priced)
    if buyer.sees_prices:
        result.subtotal = sum((p.total for p in priced if p.total is not None), Decimal("0.00"))
        # A cart whose lines all lost their price ("on request") still shows its subtotal in a currency.
        level = buyer.price_level
        result.currency = next((p.price.currency for p in priced if p.price), level.currency if level else "")
    return result


def cart_view(buyer: Buyer, kind: str = Cart.Kind.STANDARD) -> tuple[Cart | None, PricedLines]:
    cart = cart_get(buyer, kind)
    if cart is None:
        return None, PricedLines()
    lines = list(CartLine.objects.filter(cart=cart).select_related("product", "product__brand"))
    return cart, price_lines(buyer, lines)


def access_cart_line(buyer: Buyer, pk: int) -> CartLine:
    line = (
        CartLine.objects.filter(pk=pk, cart__company_id=buyer.company_id, cart__user_id=buyer.user.pk)
        .select_related("cart", "product")
        .first()
    )
    if line is None:
        raise not_found(buyer, "cart_line", pk)
    return line


def quick_lists_for(buyer: Buyer) -> list[QuickList]:
    """The member's own lists and the lists shared inside the company."""
    return list(
        QuickList.objects.filter(Q(owner_id=buyer.user.pk) | Q(shared=True), company_id=buyer.company_id)
        .select_related("owner")
        .annotate(line_count=Count("lines"))
        .order_by("name", "pk")
    )


def quick_lists_to_fill(buyer: Buyer) -> list[QuickList]:
    """The lists the member may add products to: their own."""
    return list(QuickList.objects.filter(company_id=buyer.company_id, owner_id=buyer.user.pk).order_by("name", "pk"))


def access_quick_list(buyer: Buyer, pk: int, *, for_edit: bool = False) -> QuickList:
    """A list the member may use (own or shared); for editing, only the owner's."""
    lists = QuickList.objects.filter(company_id=buyer.company_id, pk=pk).select_related("owner")
    lists = (
        lists.filter(owner_id=buyer.user.pk) if for_edit else lists.filter(Q(owner_id=buyer.user.pk) | Q(shared=True))
    )
    found = lists.first()
    if found is None:
        raise not_found(buyer, "quick_list", pk)
    return found


def quick_list_view(buyer: Buyer, quick_list: QuickList) -> PricedLines:
    """The list's lines priced and checked for the member looking at it."""
    lines = list(QuickListLine.objects.filter(quick_list=quick_list).select_related("product"))
    return price_lines(buyer, lines)


# --- Share links (C3) ------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedLine:
    product: Product
    quantity: int

    @property
    def product_id(self) -> int:
        return self.product.pk


def cart_share_preview(buyer: Buyer, share: CartShare) -> tuple[PricedLines, int]:
    """A read-only copy of the shared lines, priced for the VIEWER (never for the sharer).

    Also returns how many shared products no longer exist at all.
    """
    quantities = {int(pid): int(qty) for pid, qty in share.lines}
    products = {p.pk: p for p in Product.objects.filter(pk__in=quantities)}
    lines = [SharedLine(products[pid], qty) for pid, qty in quantities.items() if pid in products]
    return price_lines(buyer, lines), len(quantities) - len(lines)


def cart_shares_for(buyer: Buyer) -> list[CartShare]:
    """The member's share links that still work, newest first."""
    return list(
        CartShare.objects.filter(
            company_id=buyer.company_id,
            created_by_id=buyer.user.pk,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )
