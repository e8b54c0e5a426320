"""Buyer catalogue pages: list, category, search and product (B1-B4, B7)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.catalog import selectors
from comptoir.catalog.forms import ProductRequestForm
from comptoir.catalog.selectors import ListedProduct
from comptoir.catalog.services import product_request_create
from comptoir.core.decorators import buyer_required
from comptoir.inventory.selectors import availability_for, products_with_open_alert
from comptoir.pricing.selectors import prices_for


@dataclass(frozen=True)
class ProductCard:
    """What a catalogue card shows, worked out once in Python: a page has 48 cards, and Django's
    template engine costs far more per tag, include or translation than Python does."""

    ref: str  # the product id, as text for element ids (numbers would go through localisation)
    sku: str
    name: str
    brand_name: str
    url: str
    image_url: str
    first_quantity: str
    order_multiple: str
    price: str  # formatted; empty when the member may not see prices or there is none
    has_tiers: bool
    availability: Any  # inventory Availability, or None when the store hides stock
    quantity_label: str
    add_label: str


def product_cards(
    products: list[Any], prices: dict[int, Any], availability: dict[int, Any], brand_names: dict[int, str]
) -> list[ProductCard]:
    from comptoir.core.templatetags.comptoir import money

    language = get_language()
    cards = []
    for p in products:
        price = prices.get(p.pk)
        url, image_url, first_quantity, quantity_label, add_label = _card_texts(p, language)
        cards.append(
            ProductCard(
                ref=str(p.pk),
                sku=p.sku,
                name=p.name,
                brand_name=brand_names.get(p.brand_id, "") if p.brand_id else "",
                url=url,
                image_url=image_url,
                first_quantity=first_quantity,
                order_multiple=str(p.order_multiple),
                price=money(price.unit_price, price.currency) if price else "",
                has_tiers=price.has_tiers if price else False,
                availability=availability.get(p.pk),
                quantity_label=quantity_label,
                add_label=add_label,
            )
        )
    return cards


@functools.lru_cache(maxsize=20_000)
def _card_texts(product: ListedProduct, language: str) -> tuple[str, str, str, str, str]:
    """The parts of a card that depend on the product alone (and the language): worked out once
    per process. The key is the whole listed product, so a changed product gets new texts."""
    from django.core.files.storage import default_storage

    from comptoir.carts.templatetags.carts import first_quantity

    prefix = reverse("catalog:product", args=["SKU"]).removesuffix("SKU/")
    return (
        f"{prefix}{quote(product.sku, safe='')}/",
        default_storage.url(product.first_image) if product.first_image else "",
        str(first_quantity(product)),
        _("Quantity of %(sku)s") % {"sku": product.sku},
        _("Add %(sku)s to cart") % {"sku": product.sku},
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _listing(request: HttpRequest, *, search: bool) -> HttpResponse:
    buyer = request.buyer
    reference = selectors.catalogue_reference()
    category = None
    slug = request.GET.get("category", "")
    if slug:
        category = reference.by_slug.get(slug)
        if category is None:
            raise Http404
    query = request.GET.get("q", "").strip()[:100] if search else ""
    sort = request.GET.get("sort", "name")
    if sort not in selectors.SORTS:
        sort = "name"
    filters = {key: request.GET.get(key, "")[:120] for key in ("brand", "season", "tag")}
    version = selectors.catalogue_version()
    page = None
    if not search or query:
        page = selectors.product_list(
            buyer, category=category, query=query, sort=sort, page=_page_number(request), version=version, **filters
        )
    products = page.products if page else []
    prices = prices_for(buyer, products)
    availability = availability_for(buyer, products)
    context = {
        "reference": reference,
        "catalogue_version": version,
        "category": category,
        "breadcrumbs": reference.ancestors(category) if category else [],
        "subcategories": reference.children.get(category.pk if category else None, []),
        "page": page,
        "products": products,
        "cards": product_cards(products, prices, availability, reference.brand_names),
        "can_order": buyer.can("place_orders"),
        "query": query,
        "sort": sort,
        "filters": filters,
        "search": search,
        "request_form": ProductRequestForm(initial={"query": query}),
        "querystring": request.GET.copy(),
    }
    template = "catalog/list.html#results" if request.htmx else "catalog/list.html"
    return render(request, template, context)


@buyer_required
def catalogue(request: HttpRequest) -> HttpResponse:
    return _listing(request, search=False)


@buyer_required
def search(request: HttpRequest) -> HttpResponse:
    return _listing(request, search=True)


@buyer_required
def product_detail(request: HttpRequest, sku: str) -> HttpResponse:
    buyer = request.buyer
    product = selectors.access_product(buyer, sku)
    reference = selectors.catalogue_reference()
    return render(
        request,
        "catalog/product.html",
        {
            "product": product,
            "price": prices_for(buyer, [product]).get(product.pk),
            "availability": availability_for(buyer, [product]).get(product.pk),
            "alert_open": product.pk in products_with_open_alert(buyer, [product]),
            "breadcrumbs": reference.ancestors(product.category) if product.category else [],
        },
    )


@buyer_required
@require_POST
def product_request(request: HttpRequest) -> HttpResponse:
    form = ProductRequestForm(request.POST)
    if form.is_valid():
        product_request_create(buyer=request.buyer, **form.cleaned_data)
        messages.success(request, _("Thank you. We will look for this product and get back to you."))
    else:
        messages.error(request, _("Tell us what you are looking for."))
    return redirect("catalog:list")
