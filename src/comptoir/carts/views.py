"""The cart page (C1, C2): add, change quantities inline (htmx) with live totals, remove, clear."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.carts import selectors, services
from comptoir.core.decorators import buyer_required


def parse_quantity(raw: str) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value


def _back(request: HttpRequest, default: str = "carts:cart") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def render_cart(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    cart, priced = selectors.cart_view(request.buyer)
    template = "carts/cart.html#cart" if request.htmx else "carts/cart.html"
    return render(
        request,
        template,
        {"cart": cart, "priced": priced, "can_fill": services.can_fill_cart(request.buyer)},
        status=status,
    )


@buyer_required
def cart(request: HttpRequest) -> HttpResponse:
    return render_cart(request)


@buyer_required
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    sku = request.POST.get("sku", "")[:64]
    quantity = parse_quantity(request.POST.get("quantity", "1"))
    try:
        services.cart_add(buyer=request.buyer, sku=sku, quantity=quantity)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        status = 400
    except PermissionDenied:
        message, status = _("You may not order."), 403
    else:
        message, status = _("Added to your cart."), 200
    if request.htmx:
        return render(request, "carts/_added.html", {"message": message, "ok": status == 200}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return _back(request, "catalog:list")


@buyer_required
@require_POST
def line_update(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.access_cart_line(request.buyer, pk)
    quantity = parse_quantity(request.POST.get("quantity", ""))
    if request.POST.get("remove"):
        quantity = 0
    status = 200
    try:
        services.cart_line_set_quantity(buyer=request.buyer, line=line, quantity=quantity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        status = 400
    except PermissionDenied:
        messages.error(request, _("You may not order."))
        status = 403
    if request.htmx:
        return render_cart(request, status=status)
    return redirect("carts:cart")


@buyer_required
@require_POST
def cart_clear(request: HttpRequest) -> HttpResponse:
    services.cart_clear(buyer=request.buyer)
    messages.success(request, _("Your cart is empty."))
    return redirect("carts:cart")
