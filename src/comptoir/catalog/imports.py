"""Catalogue import (PRODUCT F6): products, prices and stock from CSV or XLSX files.

Every row is checked first; the rejected ones are reported with their line and
reason. By default an import is all-or-nothing: one rejected row and nothing is
written. With ``partial=True`` the good rows are written and the bad ones
reported. Writes are bulk upserts in one transaction, so a file of 100,000
products takes seconds, not minutes.

A column present in the file sets that field on every row (an empty cell
clears it or puts back the default); a column left out of the file keeps what
the shop has. So a file with only ``sku`` and ``name_fr`` adds French names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.catalog.models import Brand, Category, Product, Season, Tag
from comptoir.core.audit import AuditAction, audit
from comptoir.core.memo import reference_changed
from comptoir.core.money import UNIT_PRICE_PLACES
from comptoir.core.tabular import (
    Limits,
    Row,
    Table,
    TabularError,
    parse_bool,
    parse_decimal,
    parse_positive_int,
    read_table,
)
from comptoir.inventory.models import StockLevel, StockLocation
from comptoir.inventory.stock import stock_quantity_refusal
from comptoir.pricing.models import Price, PriceLevel

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)

CHUNK = 2000  # ids per IN (...) query and rows per INSERT: well under SQLite's variable limit
LANGUAGES = ("en", "fr", "nl", "sv")
KINDS = {
    "products": gettext_lazy("Products"),
    "prices": gettext_lazy("Prices"),
    "stock": gettext_lazy("Stock"),
}
IMPORTED = {
    "products": AuditAction.PRODUCTS_IMPORTED,
    "prices": AuditAction.PRICES_IMPORTED,
    "stock": AuditAction.STOCK_IMPORTED,
}
# Command-line imports read files from the seller's own disk: larger than web uploads.
COMMAND_LIMITS = Limits(max_bytes=500 * 1024 * 1024, max_rows=2_000_000, max_columns=100, max_cell_length=20_000)
UPLOAD_ROWS = 200_000
UPLOAD_CELL_LENGTH = 20_000

SKU = ["sku", "article", "artikel", "référence", "reference", "ref", "artikelnummer", "artikelnr", "item", "code"]
PRODUCT_ALIASES: dict[str, list[str]] = {
    "sku": SKU,
    "ean": ["ean", "ean13", "gtin", "barcode", "code-barres", "code EAN", "streepjescode", "streckkod"],
    **{f"name_{code}": [f"name {code}", f"nom {code}", f"naam {code}", f"namn {code}"] for code in LANGUAGES},
    **{
        f"description_{code}": [f"description {code}", f"omschrijving {code}", f"beskrivning {code}"]
        for code in LANGUAGES
    },
    "category": ["category", "category slug", "catégorie", "categorie", "kategori"],
    "parent_category": ["parent", "parent category", "catégorie parente", "hoofdcategorie", "överkategori"],
    "brand": ["brand", "marque", "merk", "varumärke"],
    "season": ["season", "saison", "seizoen", "säsong"],
    "tags": ["tags", "tag", "étiquettes", "labels", "etiketter"],
    "unit": ["unit", "unité", "eenheid", "enhet"],
    "min_order_quantity": ["min order quantity", "minimum order quantity", "moq", "quantité minimale", "minimum"],
    "order_multiple": ["order multiple", "order in multiples of", "multiple", "colisage", "veelvoud", "pack"],
    "active": ["active", "is active", "for sale", "actif", "actief", "aktiv"],
}
PRICE_ALIASES: dict[str, list[str]] = {
    "sku": SKU,
    "price_level": ["price level", "level", "price list", "niveau de prix", "liste de prix", "prijsniveau", "prisnivå"],
    "min_quantity": ["from quantity", "min quantity", "quantity", "qty", "à partir de", "vanaf", "från antal"],
    "amount": ["unit price", "price", "prix", "prix unitaire", "prijs", "pris", "amount"],
    "currency": ["currency", "devise", "valuta"],
}
STOCK_ALIASES: dict[str, list[str]] = {
    "sku": SKU,
    "location": ["location", "stock location", "warehouse", "entrepôt", "magazijn", "lager"],
    "quantity": ["quantity", "qty", "stock", "units", "quantité", "aantal", "antal"],
}
ANALYZE_FROM = 10_000  # rows written
ANALYZED_TABLES = {
    "products": ["catalog_product", "catalog_product_tags"],
    "prices": ["pricing_price"],
    "stock": ["inventory_stocklevel"],
}
MAX_PRICE = Decimal("99999999.9999")  # max_digits=12, decimal_places=4


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.reason}


@dataclass
class ImportReport:
    """What an import did, or would have done: counts, rejected rows, and whether anything was written."""

    kind: str
    partial: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    file_error: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.rejected

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append(Rejection(line, reason))

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        if not self.rows:
            return _("The file has no rows under its header line: nothing was imported.")
        if not self.written:
            return _(
                "Nothing was imported: %(rejected)d of %(rows)d rows were rejected. "
                "Correct them, or import the good rows only."
            ) % {"rejected": len(self.rejected), "rows": self.rows}
        return _(
            "%(rows)d rows read: %(created)d created, %(updated)d updated, %(deleted)d removed, %(rejected)d rejected."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "rejected": len(self.rejected),
        }


def catalogue_import(
    *,
    source: Any,
    kind: str,
    partial: bool = False,
    actor: Any = None,
    filename: str = "",
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import products, prices or stock (``kind``) from a CSV or XLSX file.

    All-or-nothing unless ``partial``; returns the report, never raises for a bad
    file or bad rows. ``limits`` default to the web upload limits.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    report = ImportReport(kind=kind, partial=partial)
    aliases, required = {
        "products": (_product_aliases(), ["sku"]),
        "prices": (PRICE_ALIASES, ["sku", "price_level", "amount"]),
        "stock": (STOCK_ALIASES, ["sku", "location", "quantity"]),
    }[kind]
    limits = limits or Limits.for_uploads(max_rows=UPLOAD_ROWS, max_cell_length=UPLOAD_CELL_LENGTH)
    try:
        table = read_table(source, aliases=aliases, required=required, filename=filename, limits=limits)
    except TabularError as error:
        report.file_error = str(error)
        return report
    report.rows = len(table.rows)
    report.ignored_columns = table.unknown_columns
    progress = progress or (lambda stage, done, total: None)
    importer = {"products": _import_products, "prices": _import_prices, "stock": _import_stock}[kind]
    with transaction.atomic():
        importer(table=table, report=report, progress=progress)
        if report.written:
            audit(
                actor=actor,
                action=IMPORTED[kind],
                rows=report.rows,
                created=report.created,
                updated=report.updated,
                deleted=report.deleted,
                rejected=len(report.rejected),
            )
    if report.written and kind == "products":
        reference_changed()
    if report.written and report.created + report.updated >= ANALYZE_FROM:
        refresh_statistics(ANALYZED_TABLES[kind])
    return report


def refresh_statistics(tables: list[str]) -> None:
    """Fresh planner statistics after a bulk load, rather than waiting for autovacuum: without
    them PostgreSQL guesses badly (and may JIT-compile a simple page query). Outside a
    transaction PostgreSQL also vacuums, which marks the pages all-visible so that listing
    pages read their ids from the index alone (``product_listing``)."""
    command = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def _product_aliases() -> dict[str, list[str]]:
    """Plain "name" and "description" columns are in the store's language."""
    aliases = {key: list(values) for key, values in PRODUCT_ALIASES.items()}
    store = settings.LANGUAGE_CODE[:2]
    if store in LANGUAGES:
        aliases[f"name_{store}"] += ["name", "nom", "naam", "namn", "product name", "désignation"]
        aliases[f"description_{store}"] += ["description", "omschrijving", "beskrivning"]
    return aliases


def _write_allowed(report: ImportReport) -> bool:
    """All-or-nothing: a single rejected row and nothing is written."""
    return report.partial or not report.rejected


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ids_by_sku(skus: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(skus))):
        found.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    return found


def _check_sku(row: Row, report: ImportReport) -> str | None:
    sku = row["sku"]
    if not sku:
        report.reject(row.line, _("The SKU is empty."))
        return None
    if len(sku) > 64 or not sku.isprintable():
        report.reject(row.line, _("“%(sku)s” is not a valid SKU (at most 64 characters).") % {"sku": sku[:70]})
        return None
    return sku


def _cell(column: str, parser: Callable[..., Any], text: str, **options: Any) -> Any:
    """``parser(text)``, with the column named in the error: "min_order_quantity: “-3”: must be 1 or more." """
    try:
        return parser(text, **options)
    except TabularError as error:
        raise TabularError(f"{column}: {error.message}") from error


def _ticker(progress: Progress, stage: str, total: int) -> Callable[[int], None]:
    step = max(1, total // 200)

    def tick(done: int) -> None:
        if done % step == 0 or done == total:
            progress(stage, done, total)

    return tick


# --- products -------------------------------------------------------------------------


@dataclass(slots=True)
class _ProductRow:
    line: int
    sku: str
    values: dict[str, Any]
    category: str = ""
    parent_category: str = ""
    brand: str = ""
    season: str = ""
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


TEXT_LIMITS = {
    "unit": 20,
    **{f"name_{code}": 200 for code in LANGUAGES},
    **{f"description_{code}": UPLOAD_CELL_LENGTH for code in LANGUAGES},
}
PRODUCT_DEFAULTS = {"unit": "pc", "min_order_quantity": 1, "order_multiple": 1, "is_active": True}


def ean_is_valid(ean: str) -> bool:
    """GTIN-8/12/13/14 with a correct check digit."""
    if not ean.isdigit() or len(ean) not in (8, 12, 13, 14):
        return False
    digits = [int(d) for d in ean]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _slug(text: str, max_length: int) -> str:
    return slugify(text)[:max_length].strip("-")


def _check_product(row: Row, table: Table, sku: str) -> _ProductRow:
    """One row → the product's values; raises TabularError with the reason."""
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if table.has(name):
            text = row[name]
            if len(text) > limit:
                raise TabularError(
                    _("%(column)s is longer than %(limit)d characters.") % {"column": name, "limit": limit}
                )
            values[name] = text or PRODUCT_DEFAULTS.get(name, "")
    if table.has("ean"):
        ean = row["ean"].replace(" ", "")
        if ean and not ean_is_valid(ean):
            raise TabularError(
                _("“%(ean)s” is not a valid EAN (8, 12, 13 or 14 digits, check digit).") % {"ean": ean[:20]}
            )
        values["ean"] = ean
    for name in ("min_order_quantity", "order_multiple"):
        if table.has(name):
            values[name] = _cell(name, parse_positive_int, row[name]) if row[name] else 1
    if table.has("active"):
        values["is_active"] = _cell("active", parse_bool, row["active"]) if row["active"] else True
    data = _ProductRow(line=row.line, sku=sku, values=values)
    if table.has("category"):
        data.category = _slug(row["category"], 120) if row["category"] else ""
        if row["category"] and not data.category:
            raise TabularError(_("“%(value)s” is not a valid category slug.") % {"value": row["category"][:40]})
        data.parent_category = _slug(row["parent_category"], 120) if row["parent_category"] else ""
        if data.parent_category and data.parent_category == data.category:
            raise TabularError(_("A category cannot be its own parent."))
    if table.has("brand"):
        data.brand = row["brand"]
        if len(data.brand) > 120:
            raise TabularError(_("The brand is longer than 120 characters."))
    if table.has("season"):
        data.season = _slug(row["season"], 40) if row["season"] else ""
        if row["season"] and not data.season:
            raise TabularError(_("“%(value)s” is not a valid season code.") % {"value": row["season"][:40]})
    if table.has("tags"):
        for name in (part.strip() for part in row["tags"].split("|")):
            if not name:
                continue
            slug = _slug(name, 120)
            if not slug:
                raise TabularError(_("“%(value)s” is not a valid tag.") % {"value": name[:40]})
            if slug not in {s for s, _n in data.tags}:
                data.tags.append((slug, name[:200]))
    return data


def _import_products(*, table: Table, report: ImportReport, progress: Progress) -> None:
    existing = _ids_by_sku(row["sku"] for row in table.rows)
    names = [f"name_{code}" for code in LANGUAGES if table.has(f"name_{code}")]
    good: list[_ProductRow] = []
    seen: dict[str, int] = {}
    tick = _ticker(progress, _("checking"), len(table.rows))
    for done, row in enumerate(table.rows, start=1):
        tick(done)
        sku = _check_sku(row, report)
        if sku is None:
            continue
        if sku in seen:
            report.reject(row.line, _("SKU %(sku)s is already on line %(line)d.") % {"sku": sku, "line": seen[sku]})
            continue
        seen[sku] = row.line
        try:
            data = _check_product(row, table, sku)
        except TabularError as error:
            report.reject(row.line, error.message)
            continue
        if sku not in existing and not any(data.values.get(name) for name in names):
            report.reject(row.line, _("A new product needs a name (name_en, name_fr, name_nl or name_sv)."))
            continue
        good.append(data)
    if not _write_allowed(report) or not good:
        return

    categories = _categories_for(good) if table.has("category") else {}
    brands = _brands_for(good) if table.has("brand") else {}
    seasons = _seasons_for(good) if table.has("season") else {}
    fields = sorted({name for data in good for name in data.values})
    fields += [name for name in ("category", "brand", "season") if table.has(name)]
    products = []
    for data in good:
        product = Product(sku=data.sku, **{**PRODUCT_DEFAULTS, **data.values})
        if table.has("category"):
            product.category = categories.get(data.category)
        if table.has("brand"):
            product.brand = brands.get(data.brand.casefold())
        if table.has("season"):
            product.season = seasons.get(data.season)
        products.append(product)
    tick = _ticker(progress, _("writing"), len(products))
    for start, chunk in enumerate(_chunks(products)):
        if fields:
            Product.objects.bulk_create(chunk, update_conflicts=True, unique_fields=["sku"], update_fields=fields)
        else:
            Product.objects.bulk_create(chunk, ignore_conflicts=True)
        tick(start * CHUNK + len(chunk))
    report.created = sum(1 for data in good if data.sku not in existing)
    report.updated = len(good) - report.created
    if table.has("tags"):
        _set_tags(good)
    report.written = True


def _categories_for(rows: list[_ProductRow]) -> dict[str, Category]:
    """Categories by slug; missing ones are created (with their parent, itself created if needed).

    An existing category keeps its place in the tree: an import never moves one.
    """
    wanted: dict[str, str] = {}
    for data in rows:
        if data.category:
            wanted.setdefault(data.category, data.parent_category)
            if data.parent_category:
                wanted.setdefault(data.parent_category, "")
    known = {c.slug: c for c in Category.objects.filter(slug__in=list(wanted))}
    missing = [slug for slug in wanted if slug not in known]
    # parents first: a missing parent has no parent of its own here
    for slug in sorted(missing, key=lambda s: bool(wanted[s])):
        parent = known.get(wanted[slug]) if wanted[slug] else None
        known[slug] = Category.objects.create(slug=slug, name_en=slug.replace("-", " ").capitalize(), parent=parent)
    return known


def _brands_for(rows: list[_ProductRow]) -> dict[str, Brand]:
    """Brands by name, ignoring case; missing ones are created with a free slug."""
    wanted: dict[str, str] = {}
    for data in rows:
        if data.brand:
            wanted.setdefault(data.brand.casefold(), data.brand)  # the first spelling names a new brand
    known = {b.name.casefold(): b for b in Brand.objects.all()}
    slugs = {b.slug for b in known.values()}
    for key, name in wanted.items():
        if key in known:
            continue
        base = _slug(name, 110) or "brand"
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        known[key] = Brand.objects.create(name=name, slug=slug)
    return known


def _seasons_for(rows: list[_ProductRow]) -> dict[str, Season]:
    wanted = {data.season for data in rows if data.season}
    known = {s.code: s for s in Season.objects.filter(code__in=wanted)}
    for code in sorted(wanted - set(known)):
        known[code] = Season.objects.create(code=code, name_en=code.replace("-", " ").capitalize())
    return known


def _set_tags(rows: list[_ProductRow]) -> None:
    """The file's tags replace each listed product's tags; missing tags are created."""
    names = {slug: name for data in rows for slug, name in data.tags}
    known = {t.slug: t.pk for t in Tag.objects.filter(slug__in=list(names))}
    missing = [Tag(slug=slug, name_en=names[slug]) for slug in names if slug not in known]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        known.update(Tag.objects.filter(slug__in=[t.slug for t in missing]).values_list("slug", "pk"))
    ids = _ids_by_sku(data.sku for data in rows)
    through = Product.tags.through
    for chunk in _chunks(rows):
        product_ids = [ids[data.sku] for data in chunk]
        through.objects.filter(product_id__in=product_ids).delete()
        through.objects.bulk_create(
            [through(product_id=ids[data.sku], tag_id=known[slug]) for data in chunk for slug, _n in data.tags]
        )


# --- prices ---------------------------------------------------------------------------


def _import_prices(*, table: Table, report: ImportReport, progress: Progress) -> None:
    """Each (SKU, price level) in the file gets exactly the tiers the file lists; other tiers of it go."""
    products = _ids_by_sku(row["sku"] for row in table.rows)
    levels = {level.code.casefold(): level for level in PriceLevel.objects.all()}
    seen: dict[tuple[str, int, int], int] = {}
    good: list[Price] = []
    tick = _ticker(progress, _("checking"), len(table.rows))
    for done, row in enumerate(table.rows, start=1):
        tick(done)
        sku = _check_sku(row, report)
        if sku is None:
            continue
        try:
            if sku not in products:
                raise TabularError(_("No product has the SKU “%(sku)s”.") % {"sku": sku})
            level = levels.get(row["price_level"].casefold())
            if level is None:
                raise TabularError(
                    _("“%(level)s” is not a price level (%(known)s).")
                    % {"level": row["price_level"][:40], "known": ", ".join(sorted(levels)) or "-"}
                )
            currency = row["currency"].upper()
            if currency and currency != level.currency:
                raise TabularError(
                    _("Price level %(level)s is in %(currency)s, not %(given)s.")
                    % {"level": level.code, "currency": level.currency, "given": currency[:10]}
                )
            min_quantity = _cell("min_quantity", parse_positive_int, row["min_quantity"]) if row["min_quantity"] else 1
            if not row["amount"]:
                raise TabularError(_("The price is empty."))
            amount = _cell("amount", parse_decimal, row["amount"])
            if amount < 0:
                raise TabularError(_("A price cannot be negative."))
            if amount > MAX_PRICE:
                raise TabularError(_("The price is too large."))
            if amount != amount.quantize(Decimal(1).scaleb(-UNIT_PRICE_PLACES)):
                raise TabularError(_("A price has at most 4 decimals."))
        except TabularError as error:
            report.reject(row.line, error.message)
            continue
        key = (sku, level.pk, min_quantity)
        if key in seen:
            report.reject(
                row.line,
                _("The same SKU, price level and quantity are already on line %(line)d.") % {"line": seen[key]},
            )
            continue
        seen[key] = row.line
        good.append(Price(product_id=products[sku], price_level=level, min_quantity=min_quantity, amount=amount))
    if not _write_allowed(report) or not good:
        return

    wanted = {(p.product_id, p.price_level_id, p.min_quantity) for p in good}
    pairs = {(p.product_id, p.price_level_id) for p in good}
    level_ids = sorted({p.price_level_id for p in good})
    stale: list[int] = []
    existing: set[tuple[int, int, int]] = set()
    for chunk in _chunks(sorted({p.product_id for p in good})):
        rows = Price.objects.filter(product_id__in=chunk, price_level_id__in=level_ids).values_list(
            "pk", "product_id", "price_level_id", "min_quantity"
        )
        for pk, product_id, level_id, min_quantity in rows:
            if (product_id, level_id) not in pairs:
                continue
            if (product_id, level_id, min_quantity) in wanted:
                existing.add((product_id, level_id, min_quantity))
            else:
                stale.append(pk)
    for chunk in _chunks(stale):
        Price.objects.filter(pk__in=chunk).delete()
    tick = _ticker(progress, _("writing"), len(good))
    for start, chunk in enumerate(_chunks(good)):
        Price.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=["price_level", "product", "min_quantity"],
            update_fields=["amount"],
        )
        tick(start * CHUNK + len(chunk))
    report.deleted = len(stale)
    report.updated = len(existing)
    report.created = len(good) - len(existing)
    report.written = True


# --- stock ----------------------------------------------------------------------------


def _import_stock(*, table: Table, report: ImportReport, progress: Progress) -> None:
    """Units in stock per SKU and location. Rows being changed are locked (in id order) against orders."""
    products = _ids_by_sku(row["sku"] for row in table.rows)
    locations = {location.code.casefold(): location for location in StockLocation.objects.all()}
    seen: dict[tuple[str, int], int] = {}
    checked: list[tuple[int, int, int, int]] = []  # line, product id, location id, quantity
    tick = _ticker(progress, _("checking"), len(table.rows))
    for done, row in enumerate(table.rows, start=1):
        tick(done)
        sku = _check_sku(row, report)
        if sku is None:
            continue
        try:
            if sku not in products:
                raise TabularError(_("No product has the SKU “%(sku)s”.") % {"sku": sku})
            location = locations.get(row["location"].casefold())
            if location is None:
                raise TabularError(
                    _("“%(location)s” is not a stock location (%(known)s).")
                    % {"location": row["location"][:40], "known": ", ".join(sorted(locations)) or "-"}
                )
            if not row["quantity"]:
                raise TabularError(_("The quantity is empty."))
            if row["quantity"].lstrip().startswith("-"):
                raise TabularError(_("Stock cannot be negative."))
            quantity = _cell("quantity", parse_positive_int, row["quantity"], allow_zero=True)
        except TabularError as error:
            report.reject(row.line, error.message)
            continue
        key = (sku, location.pk)
        if key in seen:
            report.reject(row.line, _("The same SKU and location are already on line %(line)d.") % {"line": seen[key]})
            continue
        seen[key] = row.line
        checked.append((row.line, products[sku], location.pk, quantity))
    if not _write_allowed(report) or not checked:
        return

    current: dict[tuple[int, int], tuple[int, int]] = {}  # (product, location) → (quantity, allocated)
    location_ids = sorted({location_id for _l, _p, location_id, _q in checked})
    for chunk in _chunks(sorted({product_id for _l, product_id, _loc, _q in checked})):
        rows = (
            StockLevel.objects.select_for_update(of=("self",))
            .filter(product_id__in=chunk, location_id__in=location_ids)
            .order_by("pk")
            .values_list("product_id", "location_id", "quantity", "allocated")
        )
        for product_id, location_id, quantity, allocated in rows:
            current[(product_id, location_id)] = (quantity, allocated)
    levels: list[StockLevel] = []
    back: dict[int, list[int]] = {}
    for line, product_id, location_id, quantity in checked:
        before, allocated = current.get((product_id, location_id), (0, 0))
        refusal = stock_quantity_refusal(quantity=quantity, allocated=allocated)
        if refusal:
            report.reject(line, refusal)
            continue
        if before - allocated <= 0 < quantity - allocated:
            back.setdefault(location_id, []).append(product_id)
        levels.append(StockLevel(product_id=product_id, location_id=location_id, quantity=quantity))
    if not _write_allowed(report) or not levels:
        return
    tick = _ticker(progress, _("writing"), len(levels))
    for start, chunk in enumerate(_chunks(levels)):
        StockLevel.objects.bulk_create(
            chunk, update_conflicts=True, unique_fields=["location", "product"], update_fields=["quantity"]
        )
        tick(start * CHUNK + len(chunk))
    report.updated = sum(1 for level in levels if (level.product_id, level.location_id) in current)
    report.created = len(levels) - report.updated
    report.written = True
    for location_id, product_ids in back.items():
        notify_stock_became_available(product_ids=product_ids, location_id=location_id)


def notify_stock_became_available(*, product_ids: list[int], location_id: int) -> None:
    """Tell the back-in-stock alerts (B5) that products are available again at a location.

    Called inside the writing transaction; the alert service queues its mails after commit.
    """
    try:
        from comptoir.inventory import services as inventory_services
    except ImportError:  # the alerts are not installed
        return
    if hasattr(inventory_services, "stock_became_available"):
        inventory_services.stock_became_available(product_ids=product_ids, location=location_id)
