"""Placing and moving orders (C7-C13). One module decides every status change.

``order_place`` runs in one transaction: it locks the cart (a double submit waits,
then finds the first order by its checkout key), prices the lines from the
company's price list at that moment (never from the client), reserves stock at
the customer's location with row locks in a fixed order, writes the order and
empties the cart. Mails leave after commit.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ParamSpec, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.carts.models import Cart, CartLine
from comptoir.catalog.selectors import visible_products
from comptoir.companies.models import Address, CustomerNumber
from comptoir.core.audit import AuditAction, audit
from comptoir.core.buyer import Buyer
from comptoir.core.money import order_total, round_money
from comptoir.core.permissions import Permission
from comptoir.inventory.allocation import InsufficientStock, stock_allocate, stock_release, stock_ship
from comptoir.notifications.services import email_send, recipient_language
from comptoir.orders.models import BEFORE_CONFIRMATION, Order, OrderLine, OrderStatus
from comptoir.pricing.selectors import prices_for_ordering

logger = logging.getLogger(__name__)
S = OrderStatus
P = ParamSpec("P")


class OrderError(ValidationError):
    """The order cannot be placed or moved; nothing was changed."""


@dataclass(frozen=True)
class DeliveryAddress:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    saved: Address | None = None


# --- Checkout choices --------------------------------------------------------------------------


def delivery_addresses_for(buyer: Buyer) -> list[Address]:
    return list(Address.objects.filter(company_id=buyer.company_id, kind=Address.Kind.DELIVERY, is_active=True))


BILLING_KINDS = (CustomerNumber.Kind.BILLING, CustomerNumber.Kind.BOTH)
DELIVERY_KINDS = (CustomerNumber.Kind.DELIVERY, CustomerNumber.Kind.BOTH)


def _customer_numbers_for(buyer: Buyer, kinds: tuple[str, ...]) -> list[CustomerNumber]:
    """A8: the member's own customer numbers of these kinds; a member linked to none uses all the company's."""
    numbers = CustomerNumber.objects.filter(company_id=buyer.company_id, kind__in=kinds)
    # Limited to some numbers of these kinds: those; linked to none of them (a member limited to a
    # delivery number still bills on the company's billing numbers): all of them.
    own = list(numbers.filter(members=buyer.membership).order_by("number"))
    return own or list(numbers.order_by("number"))


def billing_numbers_for(buyer: Buyer) -> list[CustomerNumber]:
    """The billing customer numbers the member may order on (A8)."""
    return _customer_numbers_for(buyer, BILLING_KINDS)


def delivery_numbers_for(buyer: Buyer) -> list[CustomerNumber]:
    """The delivery customer numbers the member may order for (A8: they can differ from the billing ones)."""
    return _customer_numbers_for(buyer, DELIVERY_KINDS)


def shipping_cost_for(buyer: Buyer) -> Decimal:
    """C7: the default of the customer's stock location, or the previous order's cost when the store says so."""
    if buyer.store_settings.reuse_previous_shipping_cost:
        previous = (
            Order.objects.filter(company_id=buyer.company_id)
            .exclude(status__in=[S.CANCELLED, S.DECLINED, S.REJECTED])
            .order_by("-created_at", "-pk")
            .values_list("shipping_cost", flat=True)
            .first()
        )
        if previous is not None:
            return previous
    location = buyer.stock_location
    return location.default_shipping_cost if location else Decimal("0.00")


def needs_approval(buyer: Buyer, total: Decimal) -> bool:
    """C8: the member's own rule, or the company's amount rule."""
    if buyer.membership.orders_need_approval:
        return True
    threshold = buyer.company.approval_above_amount
    return threshold is not None and total > threshold


def needs_validation(company: Any, store: Any) -> bool:
    """C9: per customer, else per store."""
    return company.validation_required if company.validation_required is not None else store.validation_required


# --- Placing -----------------------------------------------------------------------------------


def _mail(**kwargs: Any) -> None:
    transaction.on_commit(lambda: email_send(**kwargs))


def _order_mail(order: Order, template: str, users: list[Any], **context: Any) -> None:
    """Mail each user in their language; prices only for those who may see them (A6)."""
    from comptoir.core.buyer import buyer_for_company

    for user in users:
        buyer = buyer_for_company(user, order.company_id)
        _mail(
            template=f"orders/email/{template}",
            to=[user.email],
            language=recipient_language(user, order.company),
            context={
                "order_id": order.pk,
                "order": order,
                "show_prices": bool(buyer and buyer.sees_prices),
                "user": user,
                **context,
            },
        )


def _approvers(order: Order) -> list[Any]:
    from comptoir.companies.models import Membership

    return [
        m.user
        for m in Membership.objects.active().filter(company_id=order.company_id).select_related("user")
        if Permission.APPROVE_ORDERS in m.permissions and m.user_id != order.created_by_id
    ]


def _shortage_error(shortages: list[Any], names: dict[int, str]) -> OrderError:
    return OrderError(
        [
            _("%(product)s: %(requested)s requested, %(available)s available.")
            % {
                "product": names.get(s.product_id, s.product_id),
                "requested": s.requested,
                "available": s.available,
            }
            for s in shortages
        ]
    )


class _DuplicateCheckout(Exception):
    pass


@dataclass(frozen=True)
class OrderItem:
    """A product and a quantity to order (from a cart line or a scan list line)."""

    product: Any
    quantity: int

    @property
    def product_id(self) -> int:
        return self.product.pk


def _checkout_expired() -> OrderError:
    return OrderError(_("This checkout has expired. Review your order again."))


def _may_order(buyer: Buyer, checkout_key: str) -> None:
    if not (buyer.can(Permission.PLACE_ORDERS) or buyer.can(Permission.ORDER_FROM_QUICK_LISTS)):
        raise PermissionDenied(_("You may not order."))
    if not checkout_key or len(checkout_key) > 64:
        raise _checkout_expired()


def _placed_already(buyer: Buyer, checkout_key: str) -> Order | None:
    return Order.objects.filter(
        checkout_key=checkout_key, company_id=buyer.company_id, created_by_id=buyer.user.pk
    ).first()


def _once_per_checkout(place: Callable[P, Order]) -> Callable[P, Order]:
    """One order per checkout key, for a way of placing one (``place`` takes ``buyer`` and ``checkout_key``).

    In one transaction: a member who may not order or a missing key is refused, and a second submit
    (double click, two tabs, a retry) gets the first order. When another transaction placed the same
    key first (``_DuplicateCheckout``), everything done here is undone and that order is the answer.
    """

    @functools.wraps(place)
    def once(*args: P.args, **kwargs: P.kwargs) -> Order:
        buyer, checkout_key = cast(Buyer, kwargs["buyer"]), str(kwargs["checkout_key"])
        try:
            with transaction.atomic():
                _may_order(buyer, checkout_key)
                existing = _placed_already(buyer, checkout_key)
                if existing is not None:
                    return existing
                return place(*args, **kwargs)
        except _DuplicateCheckout:
            existing = _placed_already(buyer, checkout_key)
            if existing is None:
                raise _checkout_expired() from None
            return existing

    return once


@_once_per_checkout
def order_place(
    *,
    buyer: Buyer,
    checkout_key: str,
    delivery: DeliveryAddress,
    billing_number: CustomerNumber | None,
    delivery_number: CustomerNumber | None = None,
    reference: str = "",
    remarks: str = "",
    requested_delivery_date: date | None = None,
    cart_kind: str = Cart.Kind.STANDARD,
    source: str = Order.Source.CART,
) -> Order:
    """Turn the member's cart into an order, or raise ``OrderError`` and change nothing.

    Placing twice with the same ``checkout_key`` (double click, two tabs, a retry) returns the first order.
    """
    cart = (
        Cart.objects.select_for_update()
        .filter(company_id=buyer.company_id, user_id=buyer.user.pk, kind=cart_kind)
        .first()
    )
    existing = _placed_already(buyer, checkout_key)
    if existing:  # the first submit committed while we waited for the cart lock
        return existing
    lines = list(CartLine.objects.filter(cart=cart).select_related("product")) if cart else []
    if cart is None or not lines:
        raise OrderError(_("Your cart is empty."))
    if cart_kind == Cart.Kind.ONBOARDING and not cart.onboarding:
        raise OrderError(_("Enter the new employee's details first."))
    order = _order_create(
        buyer=buyer,
        checkout_key=checkout_key,
        items=[OrderItem(line.product, line.quantity) for line in lines],
        delivery=delivery,
        billing_number=billing_number,
        delivery_number=delivery_number,
        reference=reference,
        remarks=remarks,
        requested_delivery_date=requested_delivery_date,
        source=source,
        onboarding=dict(cart.onboarding) if cart_kind == Cart.Kind.ONBOARDING else {},
    )
    CartLine.objects.filter(cart=cart).delete()
    if cart_kind == Cart.Kind.ONBOARDING:
        cart.onboarding = {}
        cart.save(update_fields=["onboarding", "updated_at"])
    return order


@_once_per_checkout
def order_place_scan_list(
    *,
    buyer: Buyer,
    checkout_key: str,
    text: str,
    delivery: DeliveryAddress,
    billing_number: CustomerNumber | None,
    delivery_number: CustomerNumber | None = None,
    reference: str = "",
    remarks: str = "",
    requested_delivery_date: date | None = None,
) -> Order:
    """C9: order a list of scanned codes (EAN or SKU, ``code;quantity``); it always waits for the seller.

    Any unknown code or bad line raises ``OrderError`` naming its line, and nothing is created.
    Placing twice with the same ``checkout_key`` returns the first order.
    """
    from comptoir.orders.scan_lists import scan_list_items

    items = scan_list_items(buyer, text)  # raises OrderError with every bad line
    return _order_create(
        buyer=buyer,
        checkout_key=checkout_key,
        items=[OrderItem(product, quantity) for product, quantity in items],
        delivery=delivery,
        billing_number=billing_number,
        delivery_number=delivery_number,
        reference=reference,
        remarks=remarks,
        requested_delivery_date=requested_delivery_date,
        source=Order.Source.SCAN_LIST,
    )


def _order_create(
    *,
    buyer: Buyer,
    checkout_key: str,
    items: list[OrderItem],
    delivery: DeliveryAddress,
    billing_number: CustomerNumber | None,
    reference: str,
    remarks: str,
    requested_delivery_date: date | None,
    source: str,
    delivery_number: CustomerNumber | None = None,
    onboarding: dict[str, Any] | None = None,
) -> Order:
    """Price, check, reserve and write the order (inside the caller's transaction)."""
    if billing_number is not None and billing_number.pk not in {n.pk for n in billing_numbers_for(buyer)}:
        raise OrderError(_("Choose one of your billing customer numbers."))
    if delivery_number is not None and delivery_number.pk not in {n.pk for n in delivery_numbers_for(buyer)}:
        raise OrderError(_("Choose one of your delivery customer numbers."))
    products = [item.product for item in items]
    visible = set(visible_products(buyer).filter(pk__in=[p.pk for p in products]).values_list("pk", flat=True))
    prices = prices_for_ordering(buyer, products)
    problems = []
    for item in items:
        if item.product_id not in visible:
            problems.append(_("%(sku)s is no longer available.") % {"sku": item.product.sku})
        elif item.product_id not in prices:
            problems.append(_("%(sku)s has no price yet: contact us.") % {"sku": item.product.sku})
    if problems:
        raise OrderError(problems)

    # core/money.py: the subtotal is the sum of the rounded line totals, the total adds the shipping.
    currency = next(iter(prices.values())).currency
    subtotal = sum((prices[item.product_id].line_total(item.quantity) for item in items), Decimal("0.00"))
    shipping = round_money(shipping_cost_for(buyer), currency)
    total = order_total(subtotal=subtotal, shipping=shipping, currency=currency)
    location = buyer.stock_location
    if location is None:
        raise OrderError(_("The shop has no stock location yet: contact us."))
    if needs_approval(buyer, total):
        status = S.AWAITING_APPROVAL
    elif needs_validation(buyer.company, buyer.store_settings) or source == Order.Source.SCAN_LIST:
        status = S.AWAITING_VALIDATION
    else:
        status = S.CONFIRMED
    quantities = {item.product_id: item.quantity for item in items}
    if status != S.AWAITING_APPROVAL:
        try:
            stock_allocate(location_id=location.pk, quantities=quantities)
        except InsufficientStock as exc:
            # A scan list has no cart lock to queue a double submit on: it waited here, on the stock rows,
            # while the first submit took the last units. The first submit's order is the answer.
            if _placed_already(buyer, checkout_key):
                raise _DuplicateCheckout from exc
            raise _shortage_error(exc.shortages, {p.pk: f"{p.sku} {p.name}" for p in products}) from exc

    try:
        with transaction.atomic():
            order = Order.objects.create(
                company_id=buyer.company_id,
                created_by=buyer.user,
                status=status,
                source=source,
                checkout_key=checkout_key,
                reference=reference.strip()[:60],
                remarks=remarks.strip()[:2000],
                requested_delivery_date=requested_delivery_date,
                billing_number=billing_number,
                delivery_number=delivery_number,
                delivery_name=delivery.name,
                delivery_street=delivery.street,
                delivery_postcode=delivery.postcode,
                delivery_city=delivery.city,
                delivery_country=delivery.country,
                delivery_address=delivery.saved,
                stock_location=location,
                price_level=buyer.price_level,
                currency=currency,
                subtotal=subtotal,
                shipping_cost=shipping,
                total=total,
                onboarding=onboarding or {},
            )
    except IntegrityError:
        # Another transaction placed this checkout first: undo everything here, return that order.
        raise _DuplicateCheckout from None
    order.number = f"CO-{order.pk:07d}"
    order.save(update_fields=["number"])
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                product=item.product,
                sku=item.product.sku,
                name=item.product.name[:200],
                quantity=item.quantity,
                unit_price=prices[item.product_id].unit_price_for(item.quantity),
                line_total=prices[item.product_id].line_total(item.quantity),
            )
            for item in items
        ],
        batch_size=1000,
    )
    audit(
        actor=buyer.user,
        action=AuditAction.ORDER_PLACED,
        company=buyer.company,
        target=order,
        status=status,
        source=source,
        total=str(total),
    )
    _order_mail(order, "order_received", [buyer.user])
    if status == S.AWAITING_APPROVAL:
        _order_mail(order, "approval_requested", _approvers(order))
    return order


# --- Moving --------------------------------------------------------------------------------


def _move(order: Order, status: str) -> None:
    if not order.can_move_to(status):
        raise OrderError(
            _("An order that is %(current)s cannot become %(new)s.")
            % {"current": order.get_status_display(), "new": OrderStatus(status).label}
        )
    order.status = status


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def _quantities(order: Order) -> dict[int, int]:
    return dict(order.lines.values_list("product_id", "quantity"))


def _locked_for_decision(*, buyer: Buyer, order: Order, own_order: str) -> Order:
    """C8: the order locked for an approver's decision: their company's, with the right to decide,
    and not their own (refused with ``own_order``)."""
    order = _locked(order)
    if order.company_id != buyer.company_id:
        raise PermissionDenied
    if not buyer.can(Permission.APPROVE_ORDERS):
        raise PermissionDenied(_("You may not approve orders."))
    if order.created_by_id == buyer.user.pk:
        raise OrderError(own_order)
    return order


@transaction.atomic
def order_approve(*, buyer: Buyer, order: Order, version: int) -> Order:
    """C8: an approver of the same company places the order: stock is reserved now."""
    order = _locked_for_decision(buyer=buyer, order=order, own_order=_("You cannot approve your own order."))
    if order.status != S.AWAITING_APPROVAL:
        if order.approved_by_id and order.status != S.DECLINED:
            return order  # approved already: a second click changes nothing
        raise OrderError(_("This order no longer waits for approval."))
    if version != order.version:
        raise OrderError(_("The order changed since you opened it. Review it again."))
    from comptoir.backoffice.models import StoreSettings

    store = StoreSettings.load()
    must_validate = needs_validation(order.company, store) or order.source == Order.Source.SCAN_LIST
    new_status = S.AWAITING_VALIDATION if must_validate else S.CONFIRMED
    _move(order, new_status)
    try:
        stock_allocate(location_id=order.stock_location_id, quantities=_quantities(order))
    except InsufficientStock as exc:
        names = dict(order.lines.values_list("product_id", "sku"))
        raise _shortage_error(exc.shortages, names) from exc
    order.approved_by = buyer.user
    order.approved_at = timezone.now()
    order.approved_version = order.version
    order.save(update_fields=["status", "approved_by", "approved_at", "approved_version", "updated_at"])
    audit(
        actor=buyer.user, action=AuditAction.ORDER_APPROVED, company=order.company, target=order, version=order.version
    )
    _order_mail(order, "approval_decided", [order.created_by], approved=True)
    return order


@transaction.atomic
def order_decline(*, buyer: Buyer, order: Order, reason: str) -> Order:
    """C8: declined with a reason, back to the buyer (who is e-mailed)."""
    order = _locked_for_decision(buyer=buyer, order=order, own_order=_("You cannot decide on your own order."))
    if not reason.strip():
        raise OrderError(_("Give a reason: the buyer will read it."))
    if order.status == S.DECLINED:
        return order
    _move(order, S.DECLINED)
    order.decided_reason = reason.strip()[:2000]
    order.approved_by = buyer.user
    order.approved_at = timezone.now()
    order.save(update_fields=["status", "decided_reason", "approved_by", "approved_at", "updated_at"])
    audit(
        actor=buyer.user,
        action=AuditAction.ORDER_DECLINED,
        company=order.company,
        target=order,
        reason=order.decided_reason,
    )
    _order_mail(order, "approval_decided", [order.created_by], approved=False, reason=order.decided_reason)
    return order


@transaction.atomic
def order_validate(*, actor: Any, order: Order) -> Order:
    """C9: the seller makes the order firm."""
    order = _locked(order)
    if order.status == S.CONFIRMED and order.validated_by_id:
        return order
    if order.status != S.AWAITING_VALIDATION:  # awaiting the company's approval: not ours to confirm
        raise OrderError(_("This order does not wait for our validation."))
    _move(order, S.CONFIRMED)
    order.validated_by = actor
    order.validated_at = timezone.now()
    order.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    audit(actor=actor, action=AuditAction.ORDER_VALIDATED, company=order.company, target=order)
    _order_mail(order, "order_status", [order.created_by])
    return order


@transaction.atomic
def order_reject(*, actor: Any, order: Order, reason: str) -> Order:
    """C9: the seller refuses the order; its stock is released."""
    order = _locked(order)
    if not reason.strip():
        raise OrderError(_("Give a reason: the buyer will read it."))
    held = order.holds_stock
    _move(order, S.REJECTED)
    if held:
        stock_release(location_id=order.stock_location_id, quantities=_quantities(order))
    order.decided_reason = reason.strip()[:2000]
    order.save(update_fields=["status", "decided_reason", "updated_at"])
    audit(
        actor=actor, action=AuditAction.ORDER_REJECTED, company=order.company, target=order, reason=order.decided_reason
    )
    _order_mail(order, "order_status", [order.created_by])
    return order


@transaction.atomic
def order_cancel(*, actor: Any, order: Order, buyer: Buyer | None = None) -> Order:
    """Cancel before shipping; stock held by the order is released."""
    order = _locked(order)
    if buyer is not None:
        if order.company_id != buyer.company_id:
            raise PermissionDenied
        if order.created_by_id != buyer.user.pk and not buyer.can(Permission.APPROVE_ORDERS):
            raise PermissionDenied
        if order.status not in BEFORE_CONFIRMATION:
            raise OrderError(_("A confirmed order can only be cancelled by us: contact us."))
    if order.status == S.CANCELLED:
        return order
    held = order.holds_stock
    _move(order, S.CANCELLED)
    if held:
        stock_release(location_id=order.stock_location_id, quantities=_quantities(order))
    order.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=AuditAction.ORDER_CANCELLED, company=order.company, target=order)
    return order


@transaction.atomic
def order_ship(*, actor: Any, order: Order) -> Order:
    order = _locked(order)
    _move(order, S.SHIPPED)
    stock_ship(location_id=order.stock_location_id, quantities=_quantities(order))
    order.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=AuditAction.ORDER_SHIPPED, company=order.company, target=order)
    _order_mail(order, "order_status", [order.created_by])
    return order


@transaction.atomic
def order_complete(*, actor: Any, order: Order) -> Order:
    order = _locked(order)
    _move(order, S.COMPLETED)
    order.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=AuditAction.ORDER_COMPLETED, company=order.company, target=order)
    return order


@transaction.atomic
def order_set_shipping_cost(*, actor: Any, order: Order, amount: Decimal) -> Order:
    """C12: staff change the shipping cost before confirmation; a pending approval must be given again."""
    order = _locked(order)
    if order.status not in BEFORE_CONFIRMATION:
        raise OrderError(_("The shipping cost can only change before the order is confirmed."))
    if amount < 0:
        raise OrderError(_("The shipping cost cannot be negative."))
    amount = round_money(amount, order.currency)
    if amount == order.shipping_cost:
        return order
    before = order.shipping_cost
    order.shipping_cost = amount
    order.total = order_total(subtotal=order.subtotal, shipping=amount, currency=order.currency)
    order.version += 1
    order.save(update_fields=["shipping_cost", "total", "version", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.ORDER_SHIPPING_CHANGED,
        company=order.company,
        target=order,
        before=str(before),
        after=str(amount),
    )
    return order


@transaction.atomic
def order_correct_onboarding(*, actor: Any, order: Order, details: dict[str, str]) -> Order:
    """C10: onboarding details are fixed once attached; only the seller corrects them (audited)."""
    order = _locked(order)
    if not actor.is_staff:
        raise PermissionDenied
    from comptoir.orders.onboarding import onboarding_details_clean

    before = dict(order.onboarding)
    corrected = onboarding_details_clean({**order.onboarding, **details})
    if corrected == before:
        return order
    order.onboarding = corrected
    order.version += 1
    order.save(update_fields=["onboarding", "version", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.ORDER_ONBOARDING_CORRECTED,
        company=order.company,
        target=order,
        before=before,
        after=order.onboarding,
    )
    return order


# --- Ordering again (C11) ----------------------------------------------------------------------


@transaction.atomic
def order_reorder(*, buyer: Buyer, order: Order) -> tuple[int, list[Any]]:
    """Add the order's lines to the member's cart (quantities add up); returns (lines added, problems).

    Lines whose product the member can no longer see or order are reported, not added; the others
    go in through ``cart_add_items``, all or nothing.
    """
    from comptoir.carts.services import CartError, cart_add_items, resolve_items

    if order.company_id != buyer.company_id:
        raise PermissionDenied
    lines = list(order.lines.select_related("product"))
    resolved, problems = resolve_items(buyer, [(None, line.product.sku, line.quantity) for line in lines])
    if not resolved:
        return 0, problems
    try:
        cart_add_items(buyer=buyer, items=[(None, product.sku, quantity) for product, quantity in resolved])
    except CartError as exc:
        return 0, problems + exc.problems
    return len(resolved), problems
