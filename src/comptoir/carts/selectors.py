"""Cart reads for the buyer, priced for the buyer (never for someone else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from comptoir.carts.models import Cart, CartLine, QuickList
from comptoir.catalog.selectors import visible_products
from comptoir.core.access import not_found
from comptoir.inventory.selectors import Availability, availability_for
from comptoir.pricing.selectors import PriceInfo, prices_for


def cart_get(buyer: Any, kind: str = Cart.Kind.STANDARD) -> Cart | None:
    return Cart.objects.filter(company_id=buyer.company_id, user_id=buyer.user.pk, kind=kind).first()


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


def price_lines(buyer: Any, lines: list[Any]) -> PricedLines:
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
        result.currency = next((p.price.currency for p in priced if p.price), "")
    return result


def cart_view(buyer: Any, kind: str = Cart.Kind.STANDARD) -> tuple[Cart | None, PricedLines]:
    cart = cart_get(buyer, kind)
    if cart is None:
        return None, PricedLines()
    lines = list(CartLine.objects.filter(cart=cart).select_related("product", "product__brand"))
    return cart, price_lines(buyer, lines)


def access_cart_line(buyer: Any, pk: int) -> CartLine:
    line = (
        CartLine.objects.filter(pk=pk, cart__company_id=buyer.company_id, cart__user_id=buyer.user.pk)
        .select_related("cart", "product")
        .first()
    )
    if line is None:
        raise not_found(buyer, "cart_line", pk)
    return line


def quick_lists_for(buyer: Any) -> list[QuickList]:
    """The member's own lists and the lists shared inside the company."""
    from django.db.models import Count, Q

    return list(
        QuickList.objects.filter(Q(owner_id=buyer.user.pk) | Q(shared=True), company_id=buyer.company_id)
        .select_related("owner")
        .annotate(line_count=Count("lines"))
        .order_by("name", "pk")
    )


def access_quick_list(buyer: Any, pk: int, *, for_edit: bool = False) -> QuickList:
    """A list the member may use (own or shared); for editing, only the owner's."""
    from django.db.models import Q

    lists = QuickList.objects.filter(company_id=buyer.company_id, pk=pk)
    lists = (
        lists.filter(owner_id=buyer.user.pk) if for_edit else lists.filter(Q(owner_id=buyer.user.pk) | Q(shared=True))
    )
    found = lists.first()
    if found is None:
        raise not_found(buyer, "quick_list", pk)
    return found
