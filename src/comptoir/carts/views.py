"""The cart page (C1, C2): add, change quantities inline (htmx) with live totals, remove, clear."""

from __future__ import annotations

from typing import Any

from allauth.core.ratelimit import consume_or_429
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptoir.carts import line_input, selectors, services
from comptoir.catalog.selectors import visible_products
from comptoir.core import tabular
from comptoir.core.access import not_found, security_log
from comptoir.core.buyer import Buyer
from comptoir.core.cachekeys import cache_key
from comptoir.core.decorators import buyer_permission_required, buyer_required
from comptoir.core.http import BuyerRequest, ComptoirRequest
from comptoir.core.next_url import safe_next
from comptoir.core.numbers import MAX_ID, NumberError, id_or_404, parse_int, parse_int_or_none
from comptoir.core.permissions import Permission
from comptoir.core.tokenlinks import fragment_link, token_from_post


def parse_quantity(raw: str) -> int:
    """A quantity typed in a form: 0 to the largest orderable one; ``NumberError`` says what is wrong."""
    return parse_int(raw, minimum=0, maximum=services.MAX_QUANTITY)


def _back(request: BuyerRequest, default: str = "carts:cart") -> HttpResponse:
    target = request.POST.get("next", "")
    if safe_next(request, target):
        return redirect(target)
    return redirect(default)


def render_cart(request: BuyerRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    buyer = request.buyer
    cart, priced = selectors.cart_view(buyer)
    template = "carts/cart.html#cart" if request.htmx else "carts/cart.html"
    context = {"cart": cart, "priced": priced, "can_fill": services.can_fill_cart(buyer)}
    if not request.htmx:
        context.update(_cart_tools(request))
    context.update(extra)
    return render(request, template, context, status=status)


@buyer_required
def cart(request: BuyerRequest) -> HttpResponse:
    return render_cart(request)


@buyer_permission_required(Permission.PLACE_ORDERS)
@require_POST
def cart_add(request: BuyerRequest) -> HttpResponse:
    sku = request.POST.get("sku", "")[:64]
    try:
        quantity = parse_quantity(request.POST.get("quantity", "1"))
        services.cart_add(buyer=request.buyer, sku=sku, quantity=quantity)
    except NumberError as exc:
        message, status = exc.message, 400
    except ValidationError as exc:
        message = " ".join(exc.messages)
        status = 400
    except PermissionDenied:
        message, status = _("You may not order."), 403
    else:
        message, status = _("Added to your cart."), 200
    if request.htmx:
        # htmx swaps only 2xx answers: a refused quantity is shown in the status span all the same.
        htmx_status = 200 if status == 400 else status
        return render(request, "carts/_added.html", {"message": message, "ok": status == 200}, status=htmx_status)
    (messages.success if status == 200 else messages.error)(request, message)
    return _back(request, "catalog:list")


@buyer_required
@require_POST
def line_update(request: BuyerRequest, pk: int) -> HttpResponse:
    line = selectors.access_cart_line(request.buyer, pk)
    status, errors = 200, []
    try:
        quantity = 0 if request.POST.get("remove") else parse_quantity(request.POST.get("quantity", ""))
        services.cart_line_set_quantity(buyer=request.buyer, line=line, quantity=quantity)
    except NumberError as exc:
        errors, status = [exc.message], 400
    except ValidationError as exc:
        errors, status = exc.messages, 400
    except PermissionDenied:
        errors, status = [_("You may not order.")], 403
    if request.htmx:
        # htmx swaps only 2xx answers: a refused quantity comes back as the cart with the reason shown.
        return render_cart(request, status=200 if status == 400 else status, line_errors=errors)
    for error in errors:
        messages.error(request, error)
    return redirect("carts:cart")


@buyer_required
@require_POST
def cart_clear(request: BuyerRequest) -> HttpResponse:
    services.cart_clear(buyer=request.buyer)
    messages.success(request, _("Your cart is empty."))
    return redirect("carts:cart")


# --- Cart tools: import (C4), fast entry (C6), share links (C3) -------------------------------

SHARE_SESSION_KEY = "comptoir_cart_share_token"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cart_tools(request: BuyerRequest) -> dict[str, Any]:
    """What the tools under the cart need: who may use which, the member's live share links."""
    buyer = request.buyer
    token = request.session.pop(SHARE_SESSION_KEY, None)
    can_share = services.can_fill_cart(buyer, from_quick_list=True)
    return {
        "can_add": buyer.can(Permission.PLACE_ORDERS),
        "can_share": can_share,
        "can_manage_lists": buyer.can(Permission.MANAGE_QUICK_LISTS),
        "can_use_lists": buyer.can(Permission.MANAGE_QUICK_LISTS) or buyer.can(Permission.ORDER_FROM_QUICK_LISTS),
        "shares": selectors.cart_shares_for(buyer) if can_share else [],
        # In the fragment, which browsers never send: no server, proxy or browser history logs the token.
        "share_url": fragment_link(request.build_absolute_uri(reverse("carts:shared")), token) if token else "",
        "max_upload": tabular.human_size(settings.COMPTOIR_MAX_UPLOAD_BYTES),
    }


def _template_example(buyer: Buyer) -> tuple[str, str]:
    """An example line with a product the buyer can order, in a quantity that is accepted."""
    product = visible_products(buyer).order_by("sku").only("sku", "min_order_quantity", "order_multiple").first()
    if product is None:
        return line_input.TEMPLATE_EXAMPLE
    from comptoir.carts.templatetags.carts import first_quantity

    return product.sku, str(first_quantity(product))


@buyer_required
@require_GET
def import_template_csv(request: BuyerRequest) -> HttpResponse:
    response = HttpResponse(
        line_input.template_csv(_template_example(request.buyer)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="cart-template.csv"'
    return response


@buyer_required
@require_GET
def import_template_xlsx(request: BuyerRequest) -> HttpResponse:
    response = HttpResponse(line_input.template_xlsx(_template_example(request.buyer)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="cart-template.xlsx"'
    return response


@buyer_permission_required(Permission.PLACE_ORDERS)
@require_POST
def cart_import(request: BuyerRequest) -> HttpResponse:
    """C4: the uploaded file REPLACES the cart, or nothing changes and every bad line is listed."""
    upload = request.FILES.get("file")
    if upload is None:
        return render_cart(request, status=400, import_error=_("Choose a CSV or Excel file to import."))
    limit = settings.COMPTOIR_MAX_UPLOAD_BYTES
    if (upload.size or 0) > limit:  # refused before anything is read
        message = _("The file is larger than %(limit)s; split it into smaller files.") % {
            "limit": tabular.human_size(limit)
        }
        return render_cart(request, status=413, import_error=message)
    try:
        services.cart_import(buyer=request.buyer, upload=upload, filename=upload.name or "")
    except services.CartError as exc:
        return render_cart(request, status=400, import_problems=exc.problems)
    except ValidationError as exc:
        return render_cart(request, status=400, import_error=" ".join(exc.messages))
    messages.success(request, _("Your cart was replaced by the lines of the file."))
    return redirect("carts:cart")


@buyer_permission_required(Permission.PLACE_ORDERS)
@require_POST
def cart_fast_entry(request: BuyerRequest) -> HttpResponse:
    """C6: "SKU quantity" lines are ADDED; unknown SKUs are flagged before anything is added."""
    text = request.POST.get("lines", "")
    try:
        services.cart_fast_entry(buyer=request.buyer, text=text)
    except services.CartError as exc:
        return render_cart(request, status=400, fast_entry_problems=exc.problems, fast_entry_text=text)
    messages.success(request, _("The products were added to your cart."))
    return redirect("carts:cart")


@buyer_required
@require_POST
def cart_share(request: BuyerRequest) -> HttpResponse:
    """C3: make a link to a copy of the cart. The token goes through the session, never a redirect URL."""
    buyer = request.buyer
    if not services.can_fill_cart(buyer, from_quick_list=True):
        raise PermissionDenied
    limited = consume_or_429(request, action="cart_share", key=cache_key("cart_share", buyer.company_id, buyer.user.pk))
    if limited:
        return limited
    try:
        token = services.cart_share_create(buyer=buyer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("carts:cart")
    request.session[SHARE_SESSION_KEY] = token
    return redirect(reverse("carts:cart") + "#share")


@buyer_required
@require_POST
def cart_share_revoke(request: BuyerRequest, pk: int) -> HttpResponse:
    if not services.cart_share_revoke(buyer=request.buyer, share_id=pk):
        raise not_found(request.buyer, "cart_share", pk)
    messages.success(request, _("The link no longer works."))
    return redirect(reverse("carts:cart") + "#share")


SHARE_PENDING_KEY = "comptoir_cart_share_pending"


@require_http_methods(["GET", "POST"])
def cart_shared(request: ComptoirRequest) -> HttpResponse:
    """C3: a share link is ``/cart/shared/#<token>``; the token never travels in a URL.

    GET: a page whose script posts the fragment's token back (or where the link can be pasted).
    POST ``link``: the read-only copy, priced for the viewer; with ``accept`` its lines are ADDED to
    the viewer's cart. A visitor who must log in first keeps the token in the session meanwhile,
    and the page shows the copy once they are back.
    """
    buyer = getattr(request, "buyer", None)
    if request.method == "POST":
        token = token_from_post(request)
        if buyer is None and token:
            # _cart_shared_for_buyer sends them to log in or choose a company, then back to this page.
            request.session[SHARE_PENDING_KEY] = token
        return _cart_shared_for_buyer(request, token)
    token = request.session.pop(SHARE_PENDING_KEY, "") if buyer is not None else ""
    if not token:
        return render(request, "carts/shared_open.html")
    return _cart_shared_for_buyer(request, token)


@buyer_required
def _cart_shared_for_buyer(request: BuyerRequest, token: str) -> HttpResponse:
    buyer = request.buyer
    share = services.cart_share_get(buyer=buyer, token=token)
    if share is None:
        security_log.info("cart_share_refused user=%s company=%s", request.user.pk, buyer.company_id)
        return render(request, "carts/share_invalid.html", status=404)
    can_add = buyer.can(Permission.PLACE_ORDERS)
    problems: list[services.LineProblem] = []
    status = 200
    if request.method == "POST" and "accept" in request.POST:
        if not can_add:
            raise PermissionDenied
        try:
            _cart, problems = services.cart_share_accept(buyer=buyer, share=share)
        except services.CartError as exc:
            problems, status = exc.problems, 400
        else:
            if problems:
                messages.warning(request, _("Some products were not added:"))
                for problem in problems:
                    messages.warning(request, str(problem))
            else:
                messages.success(request, _("The shared products were added to your cart."))
            return redirect("carts:cart")
    priced, gone = selectors.cart_share_preview(buyer, share)
    return render(
        request,
        "carts/shared.html",
        {"share": share, "priced": priced, "gone": gone, "can_add": can_add, "problems": problems, "token": token},
        status=status,
    )


# --- Quick lists (C5) ------------------------------------------------------------------------


def _require_lists(request: BuyerRequest) -> None:
    buyer = request.buyer
    if not (buyer.can(Permission.MANAGE_QUICK_LISTS) or buyer.can(Permission.ORDER_FROM_QUICK_LISTS)):
        security_log.info(
            "forbidden user=%s company=%s permission=quick_lists path=%s",
            request.user.pk,
            buyer.company_id,
            request.path,
        )
        raise PermissionDenied


@buyer_required
@require_GET
def quick_lists(request: BuyerRequest) -> HttpResponse:
    _require_lists(request)
    buyer = request.buyer
    return render(
        request,
        "carts/quick_lists.html",
        {"lists": selectors.quick_lists_for(buyer), "can_manage_lists": buyer.can(Permission.MANAGE_QUICK_LISTS)},
    )


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_create(request: BuyerRequest) -> HttpResponse:
    try:
        quick_list = services.quick_list_create(
            buyer=request.buyer, name=request.POST.get("name", "")[:200], shared=bool(request.POST.get("shared"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("carts:quick_lists")
    messages.success(request, _("The list “%(name)s” was created.") % {"name": quick_list.name})
    return redirect("carts:quick_list", pk=quick_list.pk)


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_from_cart(request: BuyerRequest) -> HttpResponse:
    try:
        quick_list = services.quick_list_from_cart(
            buyer=request.buyer, name=request.POST.get("name", "")[:200], shared=bool(request.POST.get("shared"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("carts:cart")
    messages.success(request, _("Your cart was saved as the list “%(name)s”.") % {"name": quick_list.name})
    return redirect("carts:quick_list", pk=quick_list.pk)


def render_quick_list(request: BuyerRequest, quick_list: Any, *, status: int = 200, **extra: Any) -> HttpResponse:
    buyer = request.buyer
    priced = selectors.quick_list_view(buyer, quick_list)
    can_edit = quick_list.owner_id == request.user.pk and buyer.can(Permission.MANAGE_QUICK_LISTS)
    context = {
        "quick_list": quick_list,
        "priced": priced,
        "can_edit": can_edit,
        "can_order": services.can_fill_cart(buyer, from_quick_list=True),
        "lines_text": "\n".join(f"{p.product.sku} {p.quantity}" for p in priced.lines),
        **extra,
    }
    return render(request, "carts/quick_list.html", context, status=status)


@buyer_required
@require_GET
def quick_list(request: BuyerRequest, pk: int) -> HttpResponse:
    _require_lists(request)
    return render_quick_list(request, selectors.access_quick_list(request.buyer, pk))


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_rename(request: BuyerRequest, pk: int) -> HttpResponse:
    quick_list = selectors.access_quick_list(request.buyer, pk, for_edit=True)
    try:
        services.quick_list_update(
            buyer=request.buyer,
            quick_list=quick_list,
            name=request.POST.get("name", "")[:200],
            shared=bool(request.POST.get("shared")),
        )
    except ValidationError as exc:
        return render_quick_list(request, quick_list, status=400, rename_errors=exc.messages)
    messages.success(request, _("The list was saved."))
    return redirect("carts:quick_list", pk=quick_list.pk)


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_lines(request: BuyerRequest, pk: int) -> HttpResponse:
    """Replace the list's lines by the "SKU quantity" lines typed (the fast entry format)."""
    quick_list = selectors.access_quick_list(request.buyer, pk, for_edit=True)
    text = request.POST.get("lines", "")
    try:
        services.quick_list_set_text(buyer=request.buyer, quick_list=quick_list, text=text)
    except services.CartError as exc:
        return render_quick_list(request, quick_list, status=400, lines_problems=exc.problems, lines_text=text)
    messages.success(request, _("The list was saved."))
    return redirect("carts:quick_list", pk=quick_list.pk)


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_quantities(request: BuyerRequest, pk: int) -> HttpResponse:
    """Per-line quantities (fields ``quantity-<line id>``); 0 removes a line."""
    quick_list = selectors.access_quick_list(request.buyer, pk, for_edit=True)
    quantities: dict[int, str] = {}
    for name, value in request.POST.items():
        if name.startswith("quantity-"):
            # Fields the page did not draw (a name that is no line id) are left out, as unknown ids are.
            line_id = parse_int_or_none(name[9:], minimum=1, maximum=MAX_ID)
            if line_id is not None:
                quantities[line_id] = str(value)[:20]
    try:
        services.quick_list_set_quantities(buyer=request.buyer, quick_list=quick_list, quantities=quantities)
    except services.CartError as exc:
        return render_quick_list(request, quick_list, status=400, quantity_problems=exc.problems)
    messages.success(request, _("The list was saved."))
    return redirect("carts:quick_list", pk=quick_list.pk)


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_delete(request: BuyerRequest, pk: int) -> HttpResponse:
    quick_list = selectors.access_quick_list(request.buyer, pk, for_edit=True)
    services.quick_list_delete(buyer=request.buyer, quick_list=quick_list)
    messages.success(request, _("The list “%(name)s” was deleted.") % {"name": quick_list.name})
    return redirect("carts:quick_lists")


@buyer_required
@require_POST
def quick_list_order(request: BuyerRequest, pk: int) -> HttpResponse:
    """Order this list: its lines are added to the cart, then on to checkout."""
    _require_lists(request)
    quick_list = selectors.access_quick_list(request.buyer, pk)
    try:
        services.quick_list_to_cart(buyer=request.buyer, quick_list=quick_list)
    except services.CartError as exc:
        return render_quick_list(request, quick_list, status=400, order_problems=exc.problems)
    messages.success(request, _("The products of “%(name)s” are in your cart.") % {"name": quick_list.name})
    return redirect("orders:checkout")


@buyer_permission_required(Permission.MANAGE_QUICK_LISTS)
@require_POST
def quick_list_add(request: BuyerRequest) -> HttpResponse:
    """From a product page: add the product to one of my lists."""
    buyer = request.buyer
    raw_pk = request.POST.get("quick_list", "")
    if not raw_pk.strip():
        message, status = _("Choose a list."), 400
    else:
        quick_list = selectors.access_quick_list(buyer, id_or_404(raw_pk), for_edit=True)
        try:
            services.quick_list_add_product(
                buyer=buyer,
                quick_list=quick_list,
                sku=request.POST.get("sku", "")[:64],
                quantity=parse_quantity(request.POST.get("quantity", "1")),
            )
        except NumberError as exc:
            message, status = exc.message, 400
        except ValidationError as exc:
            message, status = " ".join(exc.messages), 400
        else:
            message, status = _("Added to “%(name)s”.") % {"name": quick_list.name}, 200
    if request.htmx:
        return render(request, "carts/_added.html", {"message": message, "ok": status == 200})
    (messages.success if status == 200 else messages.error)(request, message)
    return _back(request, "carts:quick_lists")
