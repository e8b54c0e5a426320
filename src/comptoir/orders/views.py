"""Checkout (C7), order history (C11) and approvals (C8) for buyers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.carts import selectors as cart_selectors
from comptoir.carts import services as cart_services
from comptoir.carts.models import Cart
from comptoir.core.decorators import buyer_required
from comptoir.core.exports import csv_format_for, csv_response, xlsx_response
from comptoir.core.http import BuyerRequest
from comptoir.core.money import order_total
from comptoir.core.numbers import MAX_ID, id_or_404, page_number, parse_int_or_none
from comptoir.orders import documents, onboarding, selectors, services
from comptoir.orders.forms import (
    ONE_TIME,
    CheckoutForm,
    DeclineForm,
    FastEntryForm,
    OnboardingForm,
    OnboardingItemForm,
    OrderFilterForm,
    ScanListForm,
)
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.models import onboarding_items as onboarding_items_of

PAGE = 50
MAX_PAGE = 100_000


def _delivery(form: CheckoutForm) -> services.DeliveryAddress:
    data = form.cleaned_data
    if data["delivery"] == ONE_TIME:
        return services.DeliveryAddress(
            name=data["name"],
            street=data["street"],
            postcode=data["postcode"],
            city=data["city"],
            country=str(data["country"]),
        )
    saved = form.addresses[data["delivery"]]
    return services.DeliveryAddress(
        name=saved.name,
        street=saved.street,
        postcode=saved.postcode,
        city=saved.city,
        country=saved.country.code,
        saved=saved,
    )


def _checkout_form(request: BuyerRequest, form_class: type[CheckoutForm] = CheckoutForm) -> CheckoutForm:
    buyer = request.buyer
    addresses = services.delivery_addresses_for(buyer)
    billing_numbers = services.billing_numbers_for(buyer)
    delivery_numbers = services.delivery_numbers_for(buyer)
    initial = {
        "checkout_key": uuid.uuid4().hex,
        "delivery": str(addresses[0].pk) if addresses else ONE_TIME,
        # A single choice is made for the member; among several, they choose.
        "billing_number": str(billing_numbers[0].pk) if len(billing_numbers) == 1 else "",
        "delivery_number": str(delivery_numbers[0].pk) if len(delivery_numbers) == 1 else "",
    }
    return form_class(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        addresses=addresses,
        billing_numbers=billing_numbers,
        delivery_numbers=delivery_numbers,
    )


def _placed(request: BuyerRequest, order) -> HttpResponse:
    if order.status == OrderStatus.AWAITING_APPROVAL:
        messages.success(
            request, _("Your order %(number)s waits for approval by your company.") % {"number": order.number}
        )
    elif order.status == OrderStatus.AWAITING_VALIDATION:
        messages.success(
            request,
            _("We received your order %(number)s: it becomes firm once we have checked it.") % {"number": order.number},
        )
    else:
        messages.success(request, _("Thank you: we received your order %(number)s.") % {"number": order.number})
    return redirect("orders:detail", order.number)


def _place_from_form(request: BuyerRequest, form: CheckoutForm, place) -> HttpResponse | None:
    """Rate-limit, place through ``place(**fields)``; on success the redirect, else errors land on the form."""
    limited = consume_or_429(request, action="place_order", key=str(request.buyer.company_id))
    if limited:
        return limited
    data = form.cleaned_data
    try:
        order = place(
            buyer=request.buyer,
            checkout_key=data["checkout_key"],
            delivery=_delivery(form),
            billing_number=form.billing_numbers.get(data["billing_number"] or ""),
            delivery_number=form.delivery_numbers.get(data["delivery_number"] or ""),
            reference=data["reference"],
            remarks=data["remarks"],
            requested_delivery_date=data["requested_delivery_date"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    return _placed(request, order)


def _checkout_page(request: BuyerRequest, *, cart_kind: str, source: str, extra: dict) -> HttpResponse:
    buyer = request.buyer
    form = _checkout_form(request)
    cart, priced = cart_selectors.cart_view(buyer, cart_kind)
    if request.method == "POST" and form.is_valid():
        response = _place_from_form(request, form, partial(services.order_place, cart_kind=cart_kind, source=source))
        if response is not None:
            return response
    total = None
    shipping = services.shipping_cost_for(buyer)
    if priced.subtotal is not None:
        total = order_total(subtotal=priced.subtotal, shipping=shipping, currency=priced.currency)
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
            "cart_url": reverse("carts:cart"),
            **extra,
        },
    )


@buyer_required
def checkout(request: BuyerRequest) -> HttpResponse:
    """Review the cart, choose delivery and billing, place the order (one order per checkout key)."""
    if not cart_services.can_fill_cart(request.buyer, from_quick_list=True):
        raise PermissionDenied
    return _checkout_page(request, cart_kind=Cart.Kind.STANDARD, source=Order.Source.CART, extra={})


@buyer_required
def order_list(request: BuyerRequest) -> HttpResponse:
    buyer = request.buyer
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    orders = selectors.order_list(buyer, **filters)
    page = page_number(request.GET.get("page"), maximum=MAX_PAGE)
    rows = list(orders[(page - 1) * PAGE : page * PAGE + 1])
    return render(
        request,
        "orders/list.html",
        {
            "form": form,
            "orders": rows[:PAGE],
            "page": page,
            "has_next": len(rows) > PAGE,
            "filtered": bool(filters),
        },
    )


@buyer_required
def order_detail(request: BuyerRequest, number: str) -> HttpResponse:
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
            "can_reorder": cart_services.can_fill_cart(buyer),
        },
    )


@buyer_required
@require_GET
def order_csv(request: BuyerRequest, number: str) -> HttpResponse:
    """C11, E2: the order as CSV, safe to open in a spreadsheet; prices only for members who see them.

    Separator and decimal mark follow the member's language (``;`` and ``,`` in French, Dutch, Swedish).
    """
    order = selectors.access_order(request.buyer, number)
    rows = documents.order_csv_rows(order, show_prices=request.buyer.sees_prices)
    return csv_response(rows, filename=documents.order_csv_filename(order), fmt=csv_format_for(get_language()))


@buyer_required
@require_GET
def order_xlsx(request: BuyerRequest, number: str) -> HttpResponse:
    """C11, E2: the same rows as the CSV, as an Excel workbook (numbers as numbers, text never a formula)."""
    order = selectors.access_order(request.buyer, number)
    rows = documents.order_csv_rows(order, show_prices=request.buyer.sees_prices)
    return xlsx_response(rows, filename=documents.order_xlsx_filename(order), sheet_title=order.number or "order")


@buyer_required
@require_GET
def order_pdf(request: BuyerRequest, number: str) -> HttpResponse:
    """G4: the order confirmation as PDF, in the customer's language."""
    buyer = request.buyer
    order = selectors.access_order(buyer, number)
    # limit_get: allauth leaves GET requests alone unless told.
    limited = consume_or_429(request, action="order_pdf", key=str(buyer.user.pk), limit_get=True)
    if limited:
        return limited
    pdf = documents.order_confirmation_pdf(
        order, show_prices=buyer.sees_prices, language=documents.document_language(order, buyer.user)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.order_pdf_filename(order)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@buyer_required
@require_POST
def order_reorder(request: BuyerRequest, number: str) -> HttpResponse:
    """C11: "Order again": the order's lines that can still be ordered go into the cart."""
    order = selectors.access_order(request.buyer, number)
    try:
        added, problems = services.order_reorder(buyer=request.buyer, order=order)
    except PermissionDenied:
        messages.error(request, _("You may not order."))
        return redirect("orders:detail", order.number)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d line of order %(number)s was added to your cart.",
                "%(count)d lines of order %(number)s were added to your cart.",
                added,
            )
            % {"count": added, "number": order.number},
        )
    for problem in problems:
        messages.warning(request, _("Not added: %(problem)s") % {"problem": problem})
    return redirect("carts:cart")


def _decide(request: BuyerRequest, number: str, action) -> HttpResponse:
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
def order_approve(request: BuyerRequest, number: str) -> HttpResponse:
    # An unreadable version matches no order: the approval is refused as out of date.
    version = parse_int_or_none(request.POST.get("version"), minimum=0, maximum=MAX_ID)
    if version is None:
        version = -1

    def approve(order):
        services.order_approve(buyer=request.buyer, order=order, version=version)
        messages.success(request, _("Order %(number)s is approved.") % {"number": order.number})

    return _decide(request, number, approve)


@buyer_required
@require_POST
def order_decline(request: BuyerRequest, number: str) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def decline(order):
        services.order_decline(buyer=request.buyer, order=order, reason=reason)
        messages.success(request, _("Order %(number)s is declined.") % {"number": order.number})

    return _decide(request, number, decline)


@buyer_required
@require_POST
def order_cancel(request: BuyerRequest, number: str) -> HttpResponse:
    def cancel(order):
        services.order_cancel(actor=request.user, order=order, buyer=request.buyer)
        messages.success(request, _("Order %(number)s is cancelled.") % {"number": order.number})

    return _decide(request, number, cancel)


@buyer_required
def approvals(request: BuyerRequest) -> HttpResponse:
    if not request.buyer.can("approve_orders"):
        raise PermissionDenied
    return render(request, "orders/approvals.html", {"orders": selectors.approvals_waiting_for(request.buyer)})


# --- Onboarding orders (C10) ---------------------------------------------------------------------


def _onboarding_allowed(request: BuyerRequest) -> None:
    if not cart_services.can_fill_cart(request.buyer):
        raise PermissionDenied


@buyer_required
def onboarding_start(request: BuyerRequest) -> HttpResponse:
    """Step 1: the new employee's details, attached once; after that they are shown, not edited."""
    _onboarding_allowed(request)
    buyer = request.buyer
    cart = onboarding.onboarding_cart(buyer)
    if cart is not None and cart.onboarding:
        if request.method == "POST":
            messages.error(request, onboarding.details_fixed_message())
        return redirect("orders:onboarding_items")
    form = OnboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.onboarding_details_attach(buyer=buyer, details=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The new employee's details are attached. Now choose the equipment."))
            return redirect("orders:onboarding_items")
    return render(request, "orders/onboarding_start.html", {"form": form})


def _onboarding_details_or_start(request: BuyerRequest):
    cart = onboarding.onboarding_cart(request.buyer)
    if cart is None or not cart.onboarding:
        return None
    return cart


@buyer_required
def onboarding_items(request: BuyerRequest) -> HttpResponse:
    """Step 2: fill the onboarding cart (one product, several lines at once, or remove a line)."""
    _onboarding_allowed(request)
    buyer = request.buyer
    cart = _onboarding_details_or_start(request)
    if cart is None:
        return redirect("orders:onboarding")
    item_form = OnboardingItemForm(request.POST if "add" in request.POST else None)
    fast_form = FastEntryForm(request.POST if "add_lines" in request.POST else None)
    if request.method == "POST":
        add: Callable[[], Any] | None = None
        if "remove" in request.POST:
            line = cart_selectors.access_cart_line(buyer, id_or_404(request.POST["remove"]))
            if line.cart_id != cart.pk:
                raise Http404
            cart_services.cart_line_set_quantity(buyer=buyer, line=line, quantity=0)
            return redirect("orders:onboarding_items")
        if "add" in request.POST and item_form.is_valid():
            items = [(None, item_form.cleaned_data["sku"].strip(), item_form.cleaned_data["quantity"])]
            add = partial(cart_services.cart_add_items, buyer=buyer, items=items, kind=Cart.Kind.ONBOARDING)
        elif "add_lines" in request.POST and fast_form.is_valid():
            # The cart's fast entry: the same reading of "SKU quantity" lines, the same reasons per line.
            text = fast_form.cleaned_data["lines"]
            add = partial(cart_services.cart_fast_entry, buyer=buyer, text=text, kind=Cart.Kind.ONBOARDING)
        if add is not None:
            try:
                add()
            except ValidationError as exc:
                target = item_form if "add" in request.POST else fast_form
                for message in exc.messages:
                    target.add_error(None, message)
            else:
                messages.success(request, _("Added to the onboarding order."))
                return redirect("orders:onboarding_items")
    _cart, priced = cart_selectors.cart_view(buyer, Cart.Kind.ONBOARDING)
    return render(
        request,
        "orders/onboarding_items.html",
        {
            "details": onboarding_items_of(cart.onboarding),
            "priced": priced,
            "item_form": item_form,
            "fast_form": fast_form,
        },
    )


@buyer_required
def onboarding_checkout(request: BuyerRequest) -> HttpResponse:
    """Step 3: delivery and billing as at checkout; the order carries the details."""
    _onboarding_allowed(request)
    cart = _onboarding_details_or_start(request)
    if cart is None:
        return redirect("orders:onboarding")
    return _checkout_page(
        request,
        cart_kind=Cart.Kind.ONBOARDING,
        source=Order.Source.ONBOARDING,
        extra={
            "cart_url": reverse("orders:onboarding_items"),
            "onboarding_details": onboarding_items_of(cart.onboarding),
            "title": _("Onboarding order: checkout"),
        },
    )


@buyer_required
@require_POST
def onboarding_discard(request: BuyerRequest) -> HttpResponse:
    _onboarding_allowed(request)
    onboarding.onboarding_discard(buyer=request.buyer)
    messages.success(request, _("The onboarding order was dropped."))
    return redirect("orders:onboarding")


# --- Scan lists (C9) -----------------------------------------------------------------------------


@buyer_required
def scan_list(request: BuyerRequest) -> HttpResponse:
    """Upload or paste scanned codes: an order that waits for the seller's validation."""
    if not cart_services.can_fill_cart(request.buyer):
        raise PermissionDenied
    form = cast(ScanListForm, _checkout_form(request, ScanListForm))
    if request.method == "POST" and form.is_valid():
        response = _place_from_form(request, form, partial(services.order_place_scan_list, text=form.scan_text()))
        if response is not None:
            return response
    return render(request, "orders/scan_list.html", {"form": form})
