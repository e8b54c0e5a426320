"""Catalogue reads for a buyer: only what the seller opened to its company (B1).

Every buyer-facing read of products goes through ``visible_products(buyer)``:
lists, search, product pages, and later carts, feeds and the API.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Exists, ManyToManyField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils import translation

from comptoir.catalog.models import (
    LANGUAGE_CODES,
    Brand,
    Category,
    Product,
    ProductImage,
    Season,
    Tag,
    localized,
)
from comptoir.core import rawsql
from comptoir.core.access import not_found
from comptoir.core.buyer import Buyer
from comptoir.core.cachekeys import cache_key
from comptoir.core.memo import reference_version, remembered

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


def selection_for(buyer: Buyer) -> Selection:
    """The tags, seasons and brands opened to the buyer's company, else the store's default selection.

    One query on every request (never kept: a change by staff applies on the next page); the
    customer's and the store's choices come back together.
    """
    return buyer.selection


def read_selection(company_id: int, store_settings_id: int) -> Selection:
    """``selection_for`` read from the database (``Buyer.selection`` keeps it for the request)."""
    rows = rawsql.fetch(_selection_sql(), [company_id] * 3 + [store_settings_id] * 3, ())
    found: dict[str, set[int]] = {}
    for kind, pk in rows:
        found.setdefault(kind, set()).add(pk)
    company = Selection(frozenset(found.get("ct", ())), frozenset(found.get("cs", ())), frozenset(found.get("cb", ())))
    store = Selection(frozenset(found.get("st", ())), frozenset(found.get("ss", ())), frozenset(found.get("sb", ())))
    return store if company.is_empty else company


@functools.cache
def _selection_sql() -> str:
    """Written once from the models' tables (core/rawsql.py): building it with the ORM cost more than running it."""
    from comptoir.backoffice.models import StoreSettings
    from comptoir.companies.models import Company

    parts = []
    for kind, model, relation in (
        ("ct", Company, "visible_tags"),
        ("cs", Company, "visible_seasons"),
        ("cb", Company, "visible_brands"),
        ("st", StoreSettings, "default_visible_tags"),
        ("ss", StoreSettings, "default_visible_seasons"),
        ("sb", StoreSettings, "default_visible_brands"),
    ):
        field = model._meta.get_field(relation)
        through = field.remote_field.through if isinstance(field, ManyToManyField) else None
        if not isinstance(field, ManyToManyField) or through is None:
            raise TypeError(f"{model.__name__}.{relation} is no many-to-many field")
        owner = rawsql.column(through, field.m2m_field_name())
        target = rawsql.column(through, field.m2m_reverse_field_name())
        # Only table and column names from the models go into the text; the ids are parameters.
        parts.append(f"SELECT '{kind}', {target} FROM {rawsql.table(through)} WHERE {owner} = %s")  # noqa: S608
    return " UNION ALL ".join(parts)


def visible_products(buyer: Buyer) -> QuerySet[Product]:
    """Active products the buyer's company may see."""
    return _visible(selection_for(buyer))


def _visible(selection: Selection) -> QuerySet[Product]:
    products = Product.objects.filter(is_active=True)
    if selection.is_empty:
        return products  # neither the customer nor the store restricts: the whole catalogue
    condition: Q | Combinable = Q(pk__in=[])
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

    @functools.cached_property
    def brand_names(self) -> dict[int, str]:
        return {b.pk: b.name for b in self.brands}

    def descendants(self, category: Category) -> list[int]:
        ids, stack = [], [category]
        while stack:
            node = stack.pop()
            ids.append(node.pk)
            stack.extend(self.children.get(node.pk, []))
        return ids

    def ancestors(self, category: Category) -> list[Category]:
        by_id = {c.pk: c for c in self.categories}
        chain: list[Category] = []
        node: Category | None = category
        while node is not None:
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id else None
        return list(reversed(chain))


def catalogue_reference(version: str | None = None) -> CatalogueReference:
    """Categories, brands, seasons and tags: small, read on every page, kept per process under the
    shared reference version (``version`` if the caller read it already), so a change made in any
    process shows on the next page, and at most a minute."""
    version = version or reference_version()
    return remembered(cache_key("catalog:reference", version), _load_reference, ttl=60)


def _load_reference() -> CatalogueReference:
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


@dataclass(frozen=True)
class CatalogueChoices:
    """What the category tree and the filter bar offer a customer: only the categories, brands,
    seasons and tags of products it may see, so that it never reads the name of one it cannot buy."""

    key: str  # the selection and the catalogue version: pages and fragments built from this put it in their key
    children: dict[int | None, list[Category]]
    category_ids: frozenset[int]
    brands: list[Brand]
    seasons: list[Season]
    tags: list[Tag]


def catalogue_choices(buyer: Buyer, version: str | None = None) -> CatalogueChoices:
    """The customer's choices, kept per process under its selection (read on every request) and the
    catalogue version (``version`` if the caller read it already), like listing pages (ADR 0005)."""
    version = version or reference_version()
    selection = selection_for(buyer)
    key = cache_key("catalog:choices", version, selection.tags, selection.seasons, selection.brands)
    return remembered(key, lambda: _load_choices(selection, catalogue_reference(version), key), LISTING_TTL)


def _load_choices(selection: Selection, reference: CatalogueReference, key: str) -> CatalogueChoices:
    """One query: the brands, seasons, categories and tags that have at least one visible product.

    Each row of those small tables asks for one visible product that has it (answered by the product's
    brand, season and category indexes and ``catalog_product_tags (tag_id, product_id)``, stopping at
    the first one found), rather than reading every visible product to collect their values.
    """
    visible = _visible(selection).order_by()
    kinds = (
        _having(Brand, "b", visible.filter(brand_id=OuterRef("pk"))),
        _having(Season, "s", visible.filter(season_id=OuterRef("pk"))),
        _having(Category, "c", visible.filter(category_id=OuterRef("pk"))),
        _having(Tag, "t", visible.filter(tags=OuterRef("pk"))),
    )
    found: dict[str, set[int]] = {"b": set(), "s": set(), "c": set(), "t": set()}
    for kind, pk in kinds[0].union(*kinds[1:], all=True):
        found[kind].add(pk)
    by_id = {c.pk: c for c in reference.categories}
    category_ids: set[int] = set()
    for pk in found["c"]:  # a category is offered when it or one of its sub-categories has products
        node = by_id.get(pk)
        while node is not None and node.pk not in category_ids:
            category_ids.add(node.pk)
            node = by_id.get(node.parent_id) if node.parent_id else None
    return CatalogueChoices(
        key=key,
        children={
            parent: [c for c in nodes if c.pk in category_ids]
            for parent, nodes in reference.children.items()
            if parent is None or parent in category_ids
        },
        category_ids=frozenset(category_ids),
        brands=[b for b in reference.brands if b.pk in found["b"]],
        seasons=[s for s in reference.seasons if s.pk in found["s"]],
        tags=[t for t in reference.tags if t.pk in found["t"]],
    )


def _having(model: Any, kind: str, products: QuerySet[Product]) -> QuerySet[Any]:
    """The rows of ``model`` for which ``products`` has one: a scalar subquery with LIMIT 1 per row,
    which PostgreSQL runs as written (an ``EXISTS`` it may turn into a join of every visible product
    with its tags: half a second on 100,000 products)."""
    return (
        model.objects.alias(first=Subquery(products.values("pk")[:1]))
        .filter(first__isnull=False)
        .order_by()
        .annotate(kind=Value(kind))
        .values_list("kind", "pk")
    )


def _name_column() -> str:
    return f"name_{(translation.get_language() or 'en')[:2]}"


class ListedProduct(NamedTuple):
    """What a listing page needs of a product, in the active language; small enough to keep
    (a tuple of strings and numbers, which the garbage collector need not track)."""

    pk: int
    sku: str
    name: str
    brand_id: int | None
    first_image: str
    min_order_quantity: int
    order_multiple: int


@dataclass
class ProductPage:
    products: list[ListedProduct]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


LISTING_TTL = 60


def product_list(
    buyer: Buyer,
    *,
    category: Category | None = None,
    brand: str = "",
    season: str = "",
    tag: str = "",
    query: str = "",
    sort: str = "name",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    version: str | None = None,
) -> ProductPage:
    """One page of the buyer's visible products, filtered and sorted; no COUNT over the catalogue.

    The page is kept a minute per process (``core/memo.py``) under a key made of everything it
    depends on: the customer's selection (read fresh on every request, so a change of what a
    customer may see applies at once), the filters, sort, language, page and the catalogue
    version (so a change to any product applies at once too; ``version`` if the caller read it
    already). Prices and stock are never kept: ``prices_for`` and ``availability_for`` read them
    for every page.
    """
    page = max(1, page)
    selection = selection_for(buyer)
    key_version = version or reference_version()
    language = translation.get_language() or settings.LANGUAGE_CODE
    query = query.strip()[:100]
    key = cache_key(
        "catalog:page",
        key_version,
        selection.tags,
        selection.seasons,
        selection.brands,
        category.pk if category is not None else None,
        brand,
        season,
        tag,
        query,  # as typed: the database's case rules are not Python's casefold()
        sort,
        language,
        page,
        page_size,
    )

    def load() -> tuple[list[ListedProduct], bool]:
        ids = _page_ids(selection, category, brand, season, tag, query, sort, page, page_size, key_version)
        rows = (
            Product.objects.filter(pk__in=ids[:page_size])
            .annotate(
                first_image=Subquery(
                    ProductImage.objects.filter(product_id=OuterRef("pk"))
                    .order_by("position", "pk")
                    .values("image")[:1]
                )
            )
            .only("sku", "brand_id", "min_order_quantity", "order_multiple", *[f"name_{c}" for c in LANGUAGE_CODES])
            .order_by()
        )
        by_id = {
            p.pk: ListedProduct(
                pk=p.pk,
                sku=p.sku,
                name=localized(p, "name", language),
                brand_id=p.brand_id,
                first_image=p.first_image or "",
                min_order_quantity=p.min_order_quantity,
                order_multiple=p.order_multiple,
            )
            for p in rows
        }
        return [by_id[pk] for pk in ids[:page_size] if pk in by_id], len(ids) > page_size

    products, has_next = remembered(key, load, LISTING_TTL)
    return ProductPage(products=products, number=page, has_next=has_next)


def _page_ids(
    selection: Selection,
    category: Category | None,
    brand: str,
    season: str,
    tag: str,
    query: str,
    sort: str,
    page: int,
    page_size: int,
    version: str | None = None,
) -> list[int]:
    """The ids of one page of products, plus the first of the next page (it tells whether there is one).

    Only ids: on PostgreSQL the ``product_listing`` index answers a category page without
    reading the table.
    """
    reference = catalogue_reference(version)
    products = _visible(selection)
    filtered = False
    if category is not None:
        products = products.filter(category_id__in=reference.descendants(category))
        filtered = True
    if brand:
        products = products.filter(brand__slug=brand)
        filtered = True
    if season:
        products = products.filter(season__code=season)
        filtered = True
    if tag:
        products = products.filter(tags__slug=tag)
        filtered = True
    if query:
        products = products.filter(search_condition(query, reference))
        filtered = True
    order: Any = SORTS.get(sort) or _name_column()
    if order == _name_column() and filtered:
        # A filtered page (or a search) reads its matching rows by index and sorts them; walking
        # the name index instead can pass most of the catalogue before it finds one matching row.
        order = Coalesce(order, Value(""))
    start = (page - 1) * page_size
    return list(products.order_by(order, "pk").values_list("pk", flat=True)[start : start + page_size + 1])


def search_condition(query: str, reference: CatalogueReference | None = None) -> Q:
    """SKU, EAN, name (active and store language) and brand (B4); trigram-indexed on PostgreSQL."""
    text = query.strip()[:100]
    condition = Q(sku__iexact=text) | Q(sku__istartswith=text)
    # Brands come from the cached reference data: no join, so every branch of the OR can use an index.
    brands = (reference or catalogue_reference()).brands
    brand_ids = [b.pk for b in brands if b.name.casefold() == text.casefold()]
    if brand_ids:
        condition |= Q(brand_id__in=brand_ids)
    if text.isascii() and text.isdigit() and 8 <= len(text) <= 14:
        condition |= Q(ean=text)
    for column in {_name_column(), f"name_{settings.LANGUAGE_CODE[:2]}"}:
        condition |= Q(**{f"{column}__icontains": text})
    return condition


def access_product(buyer: Buyer, sku: str) -> Product:
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
