"""A product's card: its name, image, price, stock and add-to-cart form, as HTML built in Python.

The one builder of these pieces: the listing's cards (``product_grid``) and the product page's
price, stock and add-to-cart form (the ``catalog`` template tags, ``price_html``, ``stock_html``
and ``add_form_html``) come from here, as do the stock badges of the cart and quick-list tables.

A listing page shows 48 cards. Through Django's template engine they cost more than the
rest of the page together (about 2 ms of the 10 ms of CPU a page took; see
docs/decisions/0005-catalogue-listing-speed.md). Like Django's admin, which builds its
change-list rows with ``format_html`` (``items_for_result``), the cards are built here,
and what depends on the product alone is worked out once per process.

Every fragment is made by ``format_html``, which escapes each value it is given unless that value
is itself a fragment made by ``format_html`` (a ``SafeString``): no value reaches the HTML without
passing through ``conditional_escape``, whatever placeholder is added to the templates below.
``str.format`` and ``%`` are never applied to HTML here. ``mark_safe`` marks constants, and joins
the pieces of a page's cards after checking that each is exactly a ``SafeString`` (``_join``: a
plain string there is a ``TypeError``, not a hole). Fragments that are the same for
every card of a page are made once per page; those that depend on a product alone, on a price text
or on a stock status are kept per process and language (``_product_parts``, ``_price_html``,
``_stock_html``).
"""

from __future__ import annotations

import functools
from collections.abc import Container
from typing import Any, Protocol
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comptoir.catalog.selectors import ListedProduct
from comptoir.core.money import format_unit_price

CARD_OPEN = mark_safe('<li class="product-card">')  # a constant, no value in it
CARD_CLOSE = mark_safe("</li>")  # a constant, no value in it
HEAD = '<a href="{url}">{image}<span class="product-name">{name}</span></a><span class="sku">{sku}{brand}</span>'
IMAGE = '<img src="{}" alt="" loading="lazy" width="160" height="160">'
NO_IMAGE = mark_safe('<span class="no-image" aria-hidden="true"></span>')  # a constant, no value in it
PRICE = '<span class="price">{}</span> <span class="muted vat-note">{}</span>'
PRICE_ON_REQUEST = '<span class="price on-request">{}</span>'
TIERS = ' <span class="muted">{}</span>'
STOCK = '<span class="stock stock-{}">{}</span>'
# The add-to-cart form, in four pieces: what is the same for every card of a page (the URLs, the
# CSRF token) is made once per page, what depends on the product alone is kept with the product.
FORM_OPEN = '<form method="post" action="{0}" hx-post="{0}" hx-swap="innerHTML" class="add-to-cart"'  # page
FORM_TARGET = ' hx-target="#added-{}">'  # product
FORM_PAGE_INPUTS = (  # page
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="next" value="{}">'
)
FORM_PRODUCT_INPUTS = (  # product; a card's label is hidden (the card shows the product) and names it
    '<input type="hidden" name="sku" value="{sku}">'
    "{label_open}{label}</label>{gap}"
    '<input type="number" id="add-qty-{ref}" name="quantity" value="{first}" min="{first}" step="{step}" class="qty"'
    " required>{gap}"
    '<button type="submit" name="add_to_cart" class="primary"{add_label}>{add_text}</button>{gap}'
    '<span id="added-{ref}" class="added" aria-live="polite"></span>'
    "</form>"
)
CARD_FORM_INPUTS = (
    FORM_PRODUCT_INPUTS.replace("{label_open}", '<label for="add-qty-{ref}" class="visually-hidden">')
    .replace("{add_label}", ' aria-label="{add_label}"')
    .replace("{gap}", "")
)
# On the page, label, field, button and message sit on one line, a space apart.
PAGE_FORM_INPUTS = (
    FORM_PRODUCT_INPUTS.replace("{label_open}", '<label for="add-qty-{ref}">')
    .replace("{add_label}", "")
    .replace("{gap}", " ")
)
EMPTY = format_html("{}", "")


class Orderable(Protocol):
    """What the add-to-cart form needs of a product (a ``Product`` or a ``ListedProduct``)."""

    @property
    def pk(self) -> Any: ...
    @property
    def sku(self) -> str: ...
    @property
    def min_order_quantity(self) -> int: ...
    @property
    def order_multiple(self) -> int: ...


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
    form_open, page_inputs = _page_pieces(csrf_token=csrf_token, next_url=next_url, add_url=add_url)
    pieces: list[SafeString] = []  # fragments made by format_html (or constants), joined by _join
    for product in products:
        head, form_target, form_inputs = _product_parts(
            product, brand_names.get(product.brand_id, "") if product.brand_id else "", language
        )
        price = _price(prices.get(product.pk), sees_prices and product.pk not in priced, language)
        stock = _stock_html(stock, language) if (stock := availability.get(product.pk)) else EMPTY
        if can_order and product.pk in priced:
            pieces += (CARD_OPEN, head, price, stock, form_open, form_target, page_inputs, form_inputs, CARD_CLOSE)
        else:
            pieces += (CARD_OPEN, head, price, stock, CARD_CLOSE)
    return _join(pieces)


def price_html(price: Any, *, on_request: bool) -> SafeString:
    """A product's price, "excl. VAT" and the note that volume prices exist; or "Price on request"
    when ``on_request`` (a member who sees prices, for a product without one); else nothing. ``price``
    is a pricing ``PriceInfo``, or None (always None for a member without the right to see prices)."""
    return _price(price, on_request, get_language())


def stock_html(availability: Any) -> SafeString:
    """The stock badge of an inventory ``Availability``, or nothing without one."""
    return _stock_html(availability, get_language()) if availability else EMPTY


def add_form_html(product: Orderable, *, csrf_token: str, next_url: str, add_url: str) -> SafeString:
    """The product page's add-to-cart form: a card's form, with a visible label."""
    form_open, page_inputs = _page_pieces(csrf_token=csrf_token, next_url=next_url, add_url=add_url)
    form_target, form_inputs = _form_pieces(product, card=False)
    return format_html("{}{}{}{}", form_open, form_target, page_inputs, form_inputs)


def _join(fragments: list[SafeString]) -> SafeString:
    if not set(map(type, fragments)) <= {SafeString}:  # not isinstance: a subclass could change __str__
        raise TypeError("only fragments made by format_html may be joined")
    return mark_safe("".join(fragments))  # noqa: S308 each fragment is a SafeString made by format_html (checked above)


def _price(price: Any, on_request: bool, language: str | None) -> SafeString:
    if price:
        return _price_html(format_unit_price(price.unit_price, price.currency), price.has_tiers, language)
    return _price_on_request(language) if on_request else EMPTY


def _page_pieces(*, csrf_token: str, next_url: str, add_url: str) -> tuple[SafeString, SafeString]:
    """The form's pieces that are the same for every card of a page."""
    return format_html(FORM_OPEN, add_url), format_html(FORM_PAGE_INPUTS, csrf_token, next_url)


@functools.lru_cache(maxsize=1024)
def _price_html(text: str, has_tiers: bool, language: str | None) -> SafeString:
    """The price and its "excl. VAT" (B2B prices are without VAT), and the note that volume prices
    exist; kept per text and language."""
    if has_tiers:
        return format_html(PRICE + TIERS, text, _("excl. VAT"), _("volume prices"))
    return format_html(PRICE, text, _("excl. VAT"))


@functools.lru_cache(maxsize=16)
def _price_on_request(language: str | None) -> SafeString:
    return format_html(PRICE_ON_REQUEST, _("Price on request"))


@functools.lru_cache(maxsize=1024)
def _stock_html(stock: Any, language: str | None) -> SafeString:
    """``stock`` is an inventory ``Availability`` (a frozen dataclass: its values are the key)."""
    return format_html(STOCK, stock.status, stock.label)


@functools.lru_cache(maxsize=10_000)  # about 1.5 KB each
def _product_parts(product: ListedProduct, brand_name: str, language: str | None) -> tuple[SafeString, ...]:
    """What a card shows of the product alone: its head and the product's pieces of its form; kept
    per process, keyed by the whole listed product (a changed product is a new key) and the language
    of its labels."""
    from django.core.files.storage import default_storage

    head = format_html(
        HEAD,
        url=f"{_product_url_prefix()}{quote(product.sku, safe='')}/",
        image=format_html(IMAGE, default_storage.url(product.first_image)) if product.first_image else NO_IMAGE,
        name=product.name,
        sku=product.sku,
        brand=format_html(" · {}", brand_name) if brand_name else "",
    )
    return head, *_form_pieces(product, card=True)


def _form_pieces(product: Orderable, *, card: bool) -> tuple[SafeString, SafeString]:
    """The add-to-cart form's pieces that depend on the product (and the language)."""
    from comptoir.carts.templatetags.carts import first_quantity

    ref = conditional_escape(product.pk)
    inputs = format_html(
        CARD_FORM_INPUTS if card else PAGE_FORM_INPUTS,
        sku=product.sku,
        label=_("Quantity of %(sku)s") % {"sku": product.sku} if card else _("Quantity"),
        ref=ref,
        first=first_quantity(product),
        step=product.order_multiple,
        add_label=_("Add %(sku)s to cart") % {"sku": product.sku} if card else "",
        add_text=_("Add to cart"),
    )
    return format_html(FORM_TARGET, ref), inputs


@functools.cache
def _product_url_prefix() -> str:
    return reverse("catalog:product", args=["SKU"]).removesuffix("SKU/")
