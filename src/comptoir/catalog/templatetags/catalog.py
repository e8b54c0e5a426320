"""The product card's pieces in templates: the same builder as the listing's cards (catalog/cards.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString

from comptoir.catalog import cards

register = template.Library()


@register.simple_tag
def product_price(price: Any, on_request: bool = False) -> SafeString:
    """The price, "excl. VAT" and the volume prices note; "Price on request" when ``on_request``."""
    return cards.price_html(price, on_request=bool(on_request))


@register.simple_tag
def stock_badge(availability: Any) -> SafeString:
    """The stock badge of an ``Availability`` (nothing without one)."""
    return cards.stock_html(availability)


@register.simple_tag(takes_context=True)
def add_to_cart_form(context: template.Context, product: Any) -> SafeString:
    """The add-to-cart form of a product page, which comes back to the same page."""
    request = context["request"]
    return cards.add_form_html(
        product, csrf_token=get_token(request), next_url=request.get_full_path(), add_url=reverse("carts:add")
    )
