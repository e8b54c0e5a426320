"""Catalogue reads for a buyer: only what the seller opened to its company (B1).

Every buyer-facing read of products goes through ``visible_products(buyer)``:
lists, search, product pages, and later carts, feeds and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from comptoir.catalog.models import Brand, Category, Product, ProductImage, Season, Tag
from comptoir.core.access import not_found
from comptoir.core.memo import memoized

PAGE_SIZE = 48
SORTS = {
    "name": None,  # set per language in product_list
    "sku": "sku",
    "newest": "-created_at",
}


@dataclass(frozen=True)
class Selection:
    tags: frozenset[int] = field(default_factory=frozenset)
    seasons: frozenset[int] = field(default_factory=frozenset)
    brands: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.tags or self.seasons or self.brands)


def selection_for(buyer: Any) -> Selection:
    """The tags, seasons and brands opened to the buyer's company, else the store's default selection.

    One query: the customer's and the store's choices come back together.
    """
    cached = getattr(buyer, "_selection", None)
    if cached is not None:
        return cached
    from comptoir.backoffice.models import StoreSettings
    from comptoir.companies.models import Company

    company_id = buyer.company_id
    store_id = buyer.store_settings.pk
    parts = [
        Company.visible_tags.through.objects.filter(company_id=company_id)
        .annotate(k=Value("ct"))
        .values_list("k", "tag_id"),
        Company.visible_seasons.through.objects.filter(company_id=company_id)
        .annotate(k=Value("cs"))
        .values_list("k", "season_id"),
        Company.visible_brands.through.objects.filter(company_id=company_id)
        .annotate(k=Value("cb"))
        .values_list("k", "brand_id"),
        StoreSettings.default_visible_tags.through.objects.filter(storesettings_id=store_id)
        .annotate(k=Value("st"))
        .values_list("k", "tag_id"),
        StoreSettings.default_visible_seasons.through.objects.filter(storesettings_id=store_id)
        .annotate(k=Value("ss"))
        .values_list("k", "season_id"),
        StoreSettings.default_visible_brands.through.objects.filter(storesettings_id=store_id)
        .annotate(k=Value("sb"))
        .values_list("k", "brand_id"),
    ]
    rows = list(parts[0].union(*parts[1:], all=True))
    found: dict[str, set[int]] = {}
    for kind, pk in rows:
        found.setdefault(kind, set()).add(pk)
    company = Selection(frozenset(found.get("ct", ())), frozenset(found.get("cs", ())), frozenset(found.get("cb", ())))
    store = Selection(frozenset(found.get("st", ())), frozenset(found.get("ss", ())), frozenset(found.get("sb", ())))
    selection = store if company.is_empty else company
    buyer._selection = selection
    return selection


def visible_products(buyer: Any) -> QuerySet[Product]:
    """Active products the buyer's company may see."""
    products = Product.objects.filter(is_active=True)
    selection = selection_for(buyer)
    if selection.is_empty:
        return products  # neither the customer nor the store restricts: the whole catalogue
    condition = Q(pk__in=[])
    if selection.brands:
        condition |= Q(brand_id__in=selection.brands)
    if selection.seasons:
        condition |= Q(season_id__in=selection.seasons)
    if selection.tags:
        condition |= Exists(Product.tags.through.objects.filter(product_id=OuterRef("pk"), tag_id__in=selection.tags))
    return products.filter(condition)


@dataclass(frozen=True)
class CatalogueReference:
    categories: list[Category]
    children: dict[int | None, list[Category]]
    by_slug: dict[str, Category]
    brands: list[Brand]
    seasons: list[Season]
    tags: list[Tag]

    def descendants(self, category: Category) -> list[int]:
        ids, stack = [], [category]
        while stack:
            node = stack.pop()
            ids.append(node.pk)
            stack.extend(self.children.get(node.pk, []))
        return ids

    def ancestors(self, category: Category) -> list[Category]:
        by_id = {c.pk: c for c in self.categories}
        chain, node = [], category
        while node is not None:
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id else None
        return list(reversed(chain))


@memoized("catalog:reference", ttl=60)
def catalogue_reference() -> CatalogueReference:
    """Categories, brands, seasons and tags: small, read on every page, cached per process for a minute."""
    categories = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    return CatalogueReference(
        categories=categories,
        children=children,
        by_slug={c.slug: c for c in categories},
        brands=list(Brand.objects.all()),
        seasons=list(Season.objects.all()),
        tags=list(Tag.objects.all()),
    )


def _name_column() -> str:
    return f"name_{(translation.get_language() or 'en')[:2]}"


@dataclass
class ProductPage:
    products: list[Product]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def product_list(
    buyer: Any,
    *,
    category: Category | None = None,
    brand: str = "",
    season: str = "",
    tag: str = "",
    query: str = "",
    sort: str = "name",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> ProductPage:
    """One page of the buyer's visible products, filtered and sorted; no COUNT over the catalogue."""
    reference = catalogue_reference()
    products = visible_products(buyer).select_related("brand")
    if category is not None:
        products = products.filter(category_id__in=reference.descendants(category))
    if brand:
        products = products.filter(brand__slug=brand)
    if season:
        products = products.filter(season__code=season)
    if tag:
        products = products.filter(tags__slug=tag)
    if query:
        products = products.filter(search_condition(query))
    order: Any = SORTS.get(sort) or _name_column()
    if order == _name_column() and (category is not None or brand or season or tag):
        # A filtered page reads its few thousand rows by index and sorts them; walking the name
        # index instead can pass most of the catalogue before it finds one matching row.
        order = Coalesce(order, Value(""))
    products = (
        products.order_by(order, "pk")
        .annotate(
            first_image=Subquery(
                ProductImage.objects.filter(product_id=OuterRef("pk")).order_by("position", "pk").values("image")[:1]
            )
        )
        .defer(*[f"description_{code}" for code in ("en", "fr", "nl", "sv")])
    )
    page = max(1, page)
    start = (page - 1) * page_size
    rows = list(products[start : start + page_size + 1])
    return ProductPage(products=rows[:page_size], number=page, has_next=len(rows) > page_size)


def search_condition(query: str) -> Q:
    """SKU, EAN, name (active and store language) and brand (B4); trigram-indexed on PostgreSQL."""
    from django.conf import settings

    text = query.strip()[:100]
    condition = Q(sku__iexact=text) | Q(sku__istartswith=text)
    # Brands come from the cached reference data: no join, so every branch of the OR can use an index.
    brand_ids = [b.pk for b in catalogue_reference().brands if b.name.casefold() == text.casefold()]
    if brand_ids:
        condition |= Q(brand_id__in=brand_ids)
    if text.isdigit() and 8 <= len(text) <= 14:
        condition |= Q(ean=text)
    for column in {_name_column(), f"name_{settings.LANGUAGE_CODE[:2]}"}:
        condition |= Q(**{f"{column}__icontains": text})
    return condition


def access_product(buyer: Any, sku: str) -> Product:
    """A product page: 404 unless the buyer may see the product."""
    product = (
        visible_products(buyer)
        .select_related("brand", "season", "category")
        .prefetch_related("images", "tags")
        .filter(sku=sku)
        .first()
    )
    if product is None:
        raise not_found(buyer, "product", sku)
    return product
