"""The catalogue's product cards, as HTML built in Python.

A listing page shows 48 cards. Through Django's template engine they cost more than the
rest of the page together (about 2 ms of the 10 ms of CPU a page took; see
docs/decisions/0005-catalogue-listing-speed.md). Like Django's admin, which builds its
change-list rows with ``format_html`` (``items_for_result``), the cards are built here,
and what depends on the product alone is worked out once per process. Every value is
escaped: ``format_html`` escapes its arguments, and the pieces put together with
``str.format`` are escaped before they are kept.
"""

from __future__ import annotations

import functools
from collections.abc import Container
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comptoir.catalog.selectors import ListedProduct
from comptoir.core.money import format_unit_price

HEAD = '<a href="{url}">{image}<span class="product-name">{name}</span></a><span class="sku">{sku}{brand}</span>'
IMAGE = '<img src="{}" alt="" loading="lazy" width="160" height="160">'
NO_IMAGE = mark_safe('<span class="no-image" aria-hidden="true"></span>')  # a constant
PRICE = '<span class="price">{}</span> <span class="muted vat-note">{}</span>'
PRICE_ON_REQUEST = '<span class="price on-request">{}</span>'
TIERS = ' <span class="muted">{}</span>'
STOCK = '<span class="stock stock-{}">{}</span>'
# Filled with str.format from escaped values only (see _product_parts and product_grid).
ADD_FORM = (
    '<form method="post" action="{add_url}" hx-post="{add_url}" hx-target="#added-{ref}" hx-swap="innerHTML"'
    ' class="add-to-cart">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" name="sku" value="{sku}">'
    '<input type="hidden" name="next" value="{next}">'
    '<label for="add-qty-{ref}" class="visually-hidden">{quantity_label}</label>'
    '<input type="number" id="add-qty-{ref}" name="quantity" value="{first}" min="{first}" step="{step}" class="qty"'
    " required>"
    '<button type="submit" name="add_to_cart" class="primary" aria-label="{add_label}">{add_text}</button>'
    '<span id="added-{ref}" class="added" aria-live="polite"></span>'
    "</form>"
)


def product_grid(
    products: list[ListedProduct],
    prices: dict[int, Any],
    availability: dict[int, Any],
    brand_names: dict[int, str],
    *,
    priced: Container[int],
    sees_prices: bool,
    can_order: bool,
    csrf_token: str,
    next_url: str,
    add_url: str,
) -> SafeString:
    """The ``<li>`` of each card: name, image, SKU and brand; the price if ``prices`` has one (it has
    none for a member without the right), or "Price on request" for a member who sees prices when
    the product has none (not in ``priced``); stock if ``availability`` has it; the add-to-cart form
    if the member may order and the product has a price."""
    language = get_language()
    page = {
        "csrf": escape(csrf_token),
        "next": escape(next_url),
        "add_url": escape(add_url),
        "add_text": escape(_("Add to cart")),
    }
    tiers_note = format_html(TIERS, _("volume prices"))
    on_request = format_html(PRICE_ON_REQUEST, _("Price on request")) if sees_prices else ""
    items = []
    for product in products:
        head, form = _product_parts(
            product, brand_names.get(product.brand_id, "") if product.brand_id else "", language
        )
        price = prices.get(product.pk)
        stock = availability.get(product.pk)
        items.append(
            "".join(
                (
                    '<li class="product-card">',
                    head,
                    _price_html(format_unit_price(price.unit_price, price.currency), language)
                    if price
                    else (on_request if product.pk not in priced else ""),
                    tiers_note if price and price.has_tiers else "",
                    _stock_html(stock, language) if stock else "",
                    ADD_FORM.format(**page, **form) if can_order and product.pk in priced else "",
                    "</li>",
                )
            )
        )
    return mark_safe("".join(items))  # built from escaped pieces above


@functools.lru_cache(maxsize=1024)
def _price_html(text: str, language: str | None) -> str:
    """The price and its "excl. VAT" (B2B prices are without VAT), kept per text and language."""
    return format_html(PRICE, text, _("excl. VAT"))


@functools.lru_cache(maxsize=1024)
def _stock_html(stock: Any, language: str | None) -> str:
    """``stock`` is an inventory ``Availability`` (a frozen dataclass: its values are the key)."""
    return format_html(STOCK, stock.status, stock.label)


@functools.lru_cache(maxsize=10_000)  # about 1.5 KB each
def _product_parts(product: ListedProduct, brand_name: str, language: str | None) -> tuple[str, dict[str, str]]:
    """What a card shows of the product alone: kept per process, keyed by the whole listed
    product (a changed product is a new key) and the language of its labels."""
    from django.core.files.storage import default_storage

    from comptoir.carts.templatetags.carts import first_quantity

    head = format_html(
        HEAD,
        url=f"{_product_url_prefix()}{quote(product.sku, safe='')}/",
        image=format_html(IMAGE, default_storage.url(product.first_image)) if product.first_image else NO_IMAGE,
        name=product.name,
        sku=product.sku,
        brand=format_html(" · {}", brand_name) if brand_name else "",
    )
    form = {
        "ref": str(product.pk),
        "sku": escape(product.sku),
        "quantity_label": escape(_("Quantity of %(sku)s") % {"sku": product.sku}),
        "first": str(first_quantity(product)),
        "step": str(product.order_multiple),
        "add_label": escape(_("Add %(sku)s to cart") % {"sku": product.sku}),
    }
    return head, form


@functools.cache
def _product_url_prefix() -> str:
    return reverse("catalog:product", args=["SKU"]).removesuffix("SKU/")
