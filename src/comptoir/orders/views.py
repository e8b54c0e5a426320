"""Checkout (C7), order history (C11) and approvals (C8) for buyers."""

from __future__ import annotations

import uuid

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.carts import selectors as cart_selectors
from comptoir.carts import services as cart_services
from comptoir.core.decorators import buyer_required
from comptoir.orders import selectors, services
from comptoir.orders.forms import ONE_TIME, CheckoutForm, DeclineForm, OrderFilterForm
from comptoir.orders.models import OrderStatus

PAGE = 50


@buyer_required
def checkout(request: HttpRequest) -> HttpResponse:
    """Review the cart, choose delivery and billing, place the order (one order per checkout key)."""
    buyer = request.buyer
    if not cart_services.can_fill_cart(buyer, from_quick_list=True):
        raise PermissionDenied
    addresses = services.delivery_addresses_for(buyer)
    numbers = services.billing_numbers_for(buyer)
    initial = {
        "checkout_key": uuid.uuid4().hex,
        "delivery": str(addresses[0].pk) if addresses else ONE_TIME,
        "billing_number": str(numbers[0].pk) if numbers else "",
    }
    form = CheckoutForm(request.POST or None, initial=initial, addresses=addresses, billing_numbers=numbers)
    cart, priced = cart_selectors.cart_view(buyer)
    if request.method == "POST" and form.is_valid():
        limited = consume_or_429(request, action="place_order", key=str(buyer.company_id))
        if limited:
            return limited
        data = form.cleaned_data
        if data["delivery"] == ONE_TIME:
            delivery = services.DeliveryAddress(
                name=data["name"],
                street=data["street"],
                postcode=data["postcode"],
                city=data["city"],
                country=str(data["country"]),
            )
        else:
            saved = form.addresses[data["delivery"]]
            delivery = services.DeliveryAddress(
                name=saved.name,
                street=saved.street,
                postcode=saved.postcode,
                city=saved.city,
                country=saved.country.code,
                saved=saved,
            )
        try:
            order = services.order_place(
                buyer=buyer,
                checkout_key=data["checkout_key"],
                delivery=delivery,
                billing_number=form.billing_numbers.get(data["billing_number"] or ""),
                reference=data["reference"],
                remarks=data["remarks"],
                requested_delivery_date=data["requested_delivery_date"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if order.status == OrderStatus.AWAITING_APPROVAL:
                messages.success(
                    request, _("Your order %(number)s waits for approval by your company.") % {"number": order.number}
                )
            else:
                messages.success(request, _("Thank you: we received your order %(number)s.") % {"number": order.number})
            return redirect("orders:detail", order.number)
    total = None
    shipping = services.shipping_cost_for(buyer)
    if priced.subtotal is not None:
        total = priced.subtotal + shipping
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "cart": cart,
            "priced": priced,
            "shipping": shipping,
            "total": total,
            "approval_needed": buyer.membership.orders_need_approval,
        },
    )


@buyer_required
def order_list(request: HttpRequest) -> HttpResponse:
    buyer = request.buyer
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = selectors.order_list(buyer, **{k: v for k, v in filters.items() if v})
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = list(orders[(page - 1) * PAGE : page * PAGE + 1])
    return render(
        request,
        "orders/list.html",
        {
            "form": form,
            "orders": rows[:PAGE],
            "page": page,
            "has_next": len(rows) > PAGE,
        },
    )


@buyer_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    buyer = request.buyer
    order = selectors.access_order(buyer, number)
    can_decide = (
        order.status == OrderStatus.AWAITING_APPROVAL
        and buyer.can("approve_orders")
        and order.created_by_id != buyer.user.pk
    )
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "can_decide": can_decide,
            "decline_form": DeclineForm(),
            "can_cancel": order.status in ("awaiting_approval", "awaiting_validation")
            and (order.created_by_id == buyer.user.pk or buyer.can("approve_orders")),
        },
    )


def _decide(request: HttpRequest, number: str, action) -> HttpResponse:
    order = selectors.access_order(request.buyer, number)
    try:
        action(order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    return redirect("orders:detail", order.number)


@buyer_required
@require_POST
def order_approve(request: HttpRequest, number: str) -> HttpResponse:
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1

    def approve(order):
        services.order_approve(buyer=request.buyer, order=order, version=version)
        messages.success(request, _("Order %(number)s is approved.") % {"number": order.number})

    return _decide(request, number, approve)


@buyer_required
@require_POST
def order_decline(request: HttpRequest, number: str) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def decline(order):
        services.order_decline(buyer=request.buyer, order=order, reason=reason)
        messages.success(request, _("Order %(number)s is declined.") % {"number": order.number})

    return _decide(request, number, decline)


@buyer_required
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    def cancel(order):
        services.order_cancel(actor=request.user, order=order, buyer=request.buyer)
        messages.success(request, _("Order %(number)s is cancelled.") % {"number": order.number})

    return _decide(request, number, cancel)


@buyer_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not request.buyer.can("approve_orders"):
        raise PermissionDenied
    return render(request, "orders/approvals.html", {"orders": selectors.approvals_waiting_for(request.buyer)})
