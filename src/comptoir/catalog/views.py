"""Buyer catalogue pages: list, category, search and product (B1-B4, B7)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.catalog import selectors
from comptoir.catalog.cards import product_grid
from comptoir.catalog.forms import ProductRequestForm
from comptoir.catalog.services import product_request_create
from comptoir.core.cachekeys import cache_key
from comptoir.core.decorators import buyer_required
from comptoir.core.http import BuyerRequest
from comptoir.core.numbers import page_number
from comptoir.inventory.selectors import availability_for, products_with_open_alert
from comptoir.pricing.selectors import prices_and_priced


def _page_number(request: BuyerRequest) -> int:
    return page_number(request.GET.get("page"), maximum=10_000)


def _listing(request: BuyerRequest, *, search: bool) -> HttpResponse:
    buyer = request.buyer
    version = buyer.reference_version
    reference = selectors.catalogue_reference(version)
    choices = selectors.catalogue_choices(buyer, version)
    category = None
    slug = request.GET.get("category", "")
    if slug:
        category = reference.by_slug.get(slug)
        if category is None or category.pk not in choices.category_ids:
            raise Http404  # its name would show, and the customer has no product in it
    query = request.GET.get("q", "").strip()[:100]  # the catalogue page's search box too, with its filters
    sort = request.GET.get("sort", "name")
    if sort not in selectors.SORTS:
        sort = "name"
    filters = {key: request.GET.get(key, "")[:120] for key in ("brand", "season", "tag")}
    language = get_language()
    page = None
    if not search or query:
        page = selectors.product_list(
            buyer,
            category=category,
            query=query,
            sort=sort,
            page=_page_number(request),
            version=version,
            brand=filters["brand"],
            season=filters["season"],
            tag=filters["tag"],
        )
    products = page.products if page else []
    prices, priced = prices_and_priced(buyer, products)
    availability = availability_for(buyer, products)
    context = {
        "choices": choices,
        # The fragments' keys: the customer's selection and the catalogue version (in choices.key), and
        # everything else the fragment shows, hashed whole (core/cachekeys.py).
        "tree_key": cache_key("catalogue-tree", choices.key, language, category.pk if category else None),
        "filters_key": cache_key(
            "catalogue-filters", choices.key, language, search, slug, query, *filters.values(), sort
        ),
        "category": category,
        "breadcrumbs": reference.ancestors(category) if category else [],
        "subcategories": choices.children.get(category.pk if category else None, []),
        "page": page,
        "products": products,
        "grid": product_grid(
            products,
            prices,
            availability,
            reference.brand_names,
            priced=priced,
            sees_prices=buyer.sees_prices,
            can_order=buyer.can("place_orders"),
            csrf_token=get_token(request),
            next_url=request.get_full_path(),
            add_url=reverse("carts:add"),
        ),
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
def catalogue(request: BuyerRequest) -> HttpResponse:
    return _listing(request, search=False)


@buyer_required
def search(request: BuyerRequest) -> HttpResponse:
    return _listing(request, search=True)


@buyer_required
def product_detail(request: BuyerRequest, sku: str) -> HttpResponse:
    buyer = request.buyer
    product = selectors.access_product(buyer, sku)
    reference = selectors.catalogue_reference(buyer.reference_version)
    prices, priced = prices_and_priced(buyer, [product])
    return render(
        request,
        "catalog/product.html",
        {
            "product": product,
            "price": prices.get(product.pk),
            "orderable": product.pk in priced,  # without a price: "Price on request", no add-to-cart
            "price_on_request": buyer.sees_prices and product.pk not in priced,
            "can_order": buyer.can("place_orders"),
            "availability": availability_for(buyer, [product]).get(product.pk),
            "alert_open": product.pk in products_with_open_alert(buyer, [product]),
            "breadcrumbs": reference.ancestors(product.category) if product.category else [],
        },
    )


@buyer_required
@require_POST
def product_request(request: BuyerRequest) -> HttpResponse:
    form = ProductRequestForm(request.POST)
    if form.is_valid():
        product_request_create(buyer=request.buyer, **form.cleaned_data)
        messages.success(request, _("Thank you. We will look for this product and get back to you."))
    else:
        messages.error(request, _("Tell us what you are looking for."))
    return redirect("catalog:list")
