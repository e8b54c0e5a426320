"""Catalogue import (F6): products, prices and stock from CSV/XLSX; all-or-nothing or partial; the back-office page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from comptoir.catalog import imports
from comptoir.catalog.imports import catalogue_import, ean_is_valid
from comptoir.catalog.models import Brand, Category, Product, Tag
from comptoir.core.models import AuditEvent
from comptoir.inventory.models import StockLevel
from comptoir.pricing.models import Price
from tests.factories import (
    PriceFactory,
    PriceLevelFactory,
    ProductFactory,
    StockLevelFactory,
    StockLocationFactory,
    TagFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def csv(text: str) -> bytes:
    return text.strip().encode() + b"\n"


def run(data: bytes, kind: str = "products", **kwargs):
    return catalogue_import(source=data, kind=kind, **kwargs)


# --- products ---------------------------------------------------------------------------

PRODUCTS = csv(
    """
sku;ean;name_en;name_fr;category;parent_category;brand;season;tags;unit;min_order_quantity;order_multiple;active
H-1;5400000000010;Hammer;Marteau;hammers;tools;Stanley;ss25;new|Best seller;pc;1;1;yes
H-2;;Claw hammer;Marteau arrache-clou;hammers;tools;stanley;;;box;2;6;no
"""
)


def test_products_are_created_with_their_reference_data(db):
    report = run(PRODUCTS)
    assert report.ok
    assert report.written
    assert (report.created, report.updated) == (2, 0)
    hammer = Product.objects.get(sku="H-1")
    assert (hammer.name_en, hammer.name_fr, hammer.ean) == ("Hammer", "Marteau", "5400000000010")
    assert hammer.category.slug == "hammers"
    assert hammer.category.parent.slug == "tools"
    assert hammer.brand.name == "Stanley"
    assert hammer.season.code == "ss25"
    assert sorted(hammer.tags.values_list("slug", flat=True)) == ["best-seller", "new"]
    claw = Product.objects.get(sku="H-2")
    assert (claw.unit, claw.min_order_quantity, claw.order_multiple, claw.is_active) == ("box", 2, 6, False)
    assert claw.brand == hammer.brand  # brand names match whatever their case
    assert Brand.objects.count() == 1


def test_import_twice_updates_and_duplicates_nothing(db):
    run(PRODUCTS)
    report = run(PRODUCTS)
    assert (report.created, report.updated) == (0, 2)
    assert Product.objects.count() == 2
    assert Category.objects.count() == 2
    assert Tag.objects.count() == 2


def test_columns_left_out_keep_their_values(db):
    run(PRODUCTS)
    report = run(csv("sku;name_nl\nH-1;Hamer"))
    assert report.updated == 1
    hammer = Product.objects.get(sku="H-1")
    assert (hammer.name_nl, hammer.name_en, hammer.brand.name) == ("Hamer", "Hammer", "Stanley")
    assert hammer.tags.count() == 2


def test_tags_in_the_file_replace_the_product_tags(db):
    run(PRODUCTS)
    run(csv("sku;tags\nH-1;sale"))
    assert list(Product.objects.get(sku="H-1").tags.values_list("slug", flat=True)) == ["sale"]


def test_existing_category_is_not_moved_by_an_import(db):
    kitchen = Category.objects.create(slug="kitchen", name_en="Kitchen")
    Category.objects.create(slug="hammers", name_en="Hammers", parent=kitchen)
    run(PRODUCTS)
    assert Category.objects.get(slug="hammers").parent == kitchen


def test_plain_name_column_is_the_store_language(db):
    run(csv("Référence;Name;Marque\nX-1;Saw;Bahco"))
    product = Product.objects.get(sku="X-1")
    assert (product.name_en, product.brand.name) == ("Saw", "Bahco")


def test_duplicate_sku_in_a_file_is_a_rejected_line(db):
    report = run(csv("sku;name_en\nA;One\nB;Two\nA;Again"))
    assert [(r.line, r.reason) for r in report.rejected] == [(4, "SKU A is already on line 2.")]


def test_one_bad_row_and_nothing_is_written(db):
    report = run(csv("sku;name_en;min_order_quantity\nA;One;1\nB;Two;-3\nC;Three;x"))
    assert not report.written
    assert [r.line for r in report.rejected] == [3, 4]
    assert Product.objects.count() == 0
    assert "Nothing was imported" in report.summary()


def test_partial_import_writes_the_good_rows(db):
    report = run(csv("sku;name_en;min_order_quantity\nA;One;1\nB;Two;0\nC;Three;2"), partial=True)
    assert report.written
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["A", "C"]
    assert [r.line for r in report.rejected] == [3]


def test_new_product_without_a_name_is_rejected(db):
    report = run(csv("sku;brand\nA;Bahco"))
    assert report.rejected[0].reason.startswith("A new product needs a name")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (";Nameless sku", "The SKU is empty."),
        ("A;x;12345", "not a valid EAN"),
        ("A;x;5400000000012", "not a valid EAN"),
    ],
)
def test_bad_product_rows_say_why(db, row, reason):
    report = run(csv(f"sku;name_en;ean\n{row}"))
    assert reason in report.rejected[0].reason


def test_ean_check_digit():
    assert ean_is_valid("5400000000010")
    assert ean_is_valid("96385074")
    assert not ean_is_valid("5400000000012")
    assert not ean_is_valid("12ab")


def test_excel_file_is_imported(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["SKU", "Name EN", "Min order quantity"])
    sheet.append(["XL-1", "From Excel", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue())
    assert report.written
    assert Product.objects.get(sku="XL-1").min_order_quantity == 3


def test_windows_1252_file_with_semicolons_is_imported(db):
    run("sku;name_fr\nC-1;Café crème\n".encode("cp1252"))
    assert Product.objects.get(sku="C-1").name_fr == "Café crème"


def test_unreadable_file_is_a_report_not_an_exception(db):
    report = run(b"sku;name\nA\x00;x\n")
    assert report.file_error
    assert not report.written


def test_missing_required_column_is_a_file_error(db):
    report = run(csv("price;name\n1;x"), kind="prices")
    assert "Missing column" in report.file_error


def test_written_import_is_audited(db, staff_user):
    run(PRODUCTS, actor=staff_user)
    event = AuditEvent.objects.get(action="catalogue.products_imported")
    assert event.actor == staff_user
    assert event.data["created"] == 2


def test_many_products_import_in_bulk(db, django_assert_max_num_queries):
    rows = "\n".join(f"SKU-{i:05d};Product {i};cat-{i % 7};tag-{i % 3}|tag-{i % 5}" for i in range(3000))
    data = csv("sku;name_en;category;tags\n" + rows)
    # far fewer queries than rows (SQLite caps an INSERT at 999 parameters, so products go ~58 a statement)
    with django_assert_max_num_queries(200):
        report = run(data, limits=imports.COMMAND_LIMITS)
    assert report.created == 3000
    assert Product.objects.filter(tags__slug="tag-1").count() == 1000 + 600 - 200  # i%3==1 or i%5==1


# --- prices -----------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    trade = PriceLevelFactory(code="trade", currency="EUR")
    lyon = StockLocationFactory(code="lyon")
    product = ProductFactory(sku="P-1")
    return trade, lyon, product


def test_prices_with_tiers_and_decimal_commas(catalogue):
    trade, _lyon, product = catalogue
    report = run(csv("sku;price level;from quantity;unit price\nP-1;trade;1;12,50\nP-1;TRADE;10;11.25"), kind="prices")
    assert report.written
    assert report.created == 2
    tiers = list(Price.objects.filter(product=product, price_level=trade).values_list("min_quantity", "amount"))
    assert tiers == [(1, Decimal("12.5000")), (10, Decimal("11.2500"))]


def test_price_file_replaces_the_tiers_of_the_pairs_it_lists(catalogue):
    trade, _lyon, product = catalogue
    PriceFactory(product=product, price_level=trade, min_quantity=1, amount=Decimal("9"))
    PriceFactory(product=product, price_level=trade, min_quantity=50, amount=Decimal("7"))
    other = PriceFactory(product=ProductFactory(sku="P-2"), price_level=trade, min_quantity=50)
    report = run(csv("sku;price_level;amount\nP-1;trade;10"), kind="prices")
    assert (report.updated, report.deleted) == (1, 1)
    assert list(Price.objects.filter(product=product).values_list("min_quantity", "amount")) == [(1, Decimal("10"))]
    assert Price.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("P-1;trade;-1", "cannot be negative"),
        ("P-1;trade;abc", "is not a number"),
        ("P-1;trade;1.23456", "at most 4 decimals"),
        ("NOPE;trade;1", "No product has the SKU"),
        ("P-1;gold;1", "is not a price level"),
        ("P-1;trade;", "The price is empty"),
    ],
)
def test_bad_price_rows_are_rejected(catalogue, row, reason):
    report = run(csv(f"sku;price_level;amount\n{row}"), kind="prices")
    assert reason in report.rejected[0].reason
    assert Price.objects.count() == 0


def test_duplicate_price_tier_in_a_file_is_rejected(catalogue):
    report = run(csv("sku;price_level;amount\nP-1;trade;1\nP-1;trade;2"), kind="prices")
    assert report.rejected[0].line == 3


def test_currency_must_match_the_price_level(catalogue):
    report = run(csv("sku;price_level;amount;currency\nP-1;trade;1;SEK"), kind="prices")
    assert "EUR" in report.rejected[0].reason


# --- stock ------------------------------------------------------------------------------


def test_stock_is_created_and_updated(catalogue):
    _trade, lyon, product = catalogue
    report = run(csv("sku;location;quantity\nP-1;lyon;5"), kind="stock")
    assert report.created == 1
    report = run(csv("sku;warehouse;stock\nP-1;LYON;7"), kind="stock")
    assert report.updated == 1
    assert StockLevel.objects.get(product=product, location=lyon).quantity == 7


@pytest.mark.parametrize(
    ("quantity", "reason"), [("-2", "cannot be negative"), ("x", "not a number"), ("1,5", "whole number")]
)
def test_bad_stock_quantities_are_rejected(catalogue, quantity, reason):
    report = run(csv(f"sku;location;quantity\nP-1;lyon;{quantity}"), kind="stock")
    assert reason in report.rejected[0].reason
    assert not StockLevel.objects.exists()


def test_stock_below_allocated_units_is_rejected(catalogue):
    _trade, lyon, product = catalogue
    StockLevelFactory(product=product, location=lyon, quantity=10, allocated=4)
    report = run(csv("sku;location;quantity\nP-1;lyon;3"), kind="stock")
    assert "promised to orders" in report.rejected[0].reason
    assert StockLevel.objects.get(product=product).quantity == 10


def test_stock_back_from_zero_tells_the_alerts(catalogue, monkeypatch):
    _trade, lyon, product = catalogue
    kept = ProductFactory(sku="P-2")
    StockLevelFactory(product=product, location=lyon, quantity=2, allocated=2)
    StockLevelFactory(product=kept, location=lyon, quantity=3)
    calls = []
    from comptoir.inventory import services

    monkeypatch.setattr(services, "stock_became_available", lambda **kw: calls.append(kw), raising=False)
    run(csv("sku;location;quantity\nP-1;lyon;5\nP-2;lyon;9"), kind="stock")
    assert calls == [{"product_ids": [product.pk], "location": lyon.pk}]


# --- command ----------------------------------------------------------------------------


def test_command_imports_and_prints_a_summary(db, tmp_path, capsys):
    path = tmp_path / "products.csv"
    path.write_bytes(PRODUCTS)
    call_command("import_catalogue", str(path), "--kind", "products")
    out, err = capsys.readouterr()
    assert "2 created" in out
    assert "100%" in err  # the progress bar


def test_command_prints_rejected_rows_and_fails_without_writing(db, tmp_path, capsys):
    path = tmp_path / "products.csv"
    path.write_bytes(csv("sku;name_en;order_multiple\nA;One;1\nB;Two;zero"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(path), "--kind", "products", "--no-progress")
    assert "Line 3:" in capsys.readouterr().out
    assert not Product.objects.exists()


def test_command_partial_writes_good_rows(db, tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(csv("sku;name_en;order_multiple\nA;One;1\nB;Two;zero"))
    call_command("import_catalogue", str(path), "--kind", "products", "--partial", "--no-progress")
    assert list(Product.objects.values_list("sku", flat=True)) == ["A"]


# --- back office ------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_import_page_shows_the_report_of_rejected_rows(staff_client):
    upload = SimpleUploadedFile("p.csv", csv("sku;name_en;active\nA;One;yes\nB;Two;perhaps"))
    response = staff_client.post("/backoffice/catalog/product/import/", {"file": upload, "kind": "products"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "perhaps" in body
    assert "Nothing was imported" in body
    assert not Product.objects.exists()


def test_import_page_partial_import(staff_client):
    upload = SimpleUploadedFile("p.csv", csv("sku;name_en;active\nA;One;yes\nB;Two;perhaps"))
    staff_client.post("/backoffice/catalog/product/import/", {"file": upload, "kind": "products", "partial": "on"})
    assert list(Product.objects.values_list("sku", flat=True)) == ["A"]


def test_oversize_upload_is_a_message_not_a_server_error(staff_client, settings):
    settings.COMPTOIR_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("p.csv", b"sku;name_en\n" + b"A;x\n" * 1000)
    response = staff_client.post("/backoffice/catalog/product/import/", {"file": upload, "kind": "products"})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Product.objects.exists()


def test_product_list_links_to_the_import(staff_client):
    response = staff_client.get("/backoffice/catalog/product/")
    assert "/backoffice/catalog/product/import/" in response.content.decode()


def test_buyer_cannot_reach_the_import(admin_client):
    response = admin_client.get("/backoffice/catalog/product/import/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/backoffice/catalog/product/",
        "/backoffice/catalog/product/add/",
        "/backoffice/catalog/category/",
        "/backoffice/catalog/brand/",
        "/backoffice/catalog/season/",
        "/backoffice/catalog/tag/",
        "/backoffice/catalog/productrequest/",
        "/backoffice/pricing/price/",
        "/backoffice/inventory/stocklevel/",
        "/backoffice/catalog/product/import/",
    ],
)
def test_catalogue_admin_pages_open(staff_client, url):
    ProductFactory()
    TagFactory()
    assert staff_client.get(url).status_code == 200


def test_stock_saved_in_the_back_office_from_zero_tells_the_alerts(staff_client, catalogue, monkeypatch):
    _trade, lyon, product = catalogue
    level = StockLevelFactory(product=product, location=lyon, quantity=0)
    calls = []
    from comptoir.inventory import services

    monkeypatch.setattr(services, "stock_became_available", lambda **kw: calls.append(kw))
    response = staff_client.post(f"/backoffice/inventory/stocklevel/{level.pk}/change/", {"quantity": "4"})
    assert response.status_code == 302
    assert StockLevel.objects.get(pk=level.pk).quantity == 4
    assert calls == [{"product_ids": [product.pk], "location": lyon}]


def test_stock_below_allocated_in_the_back_office_is_a_form_error(staff_client, catalogue):
    _trade, lyon, product = catalogue
    level = StockLevelFactory(product=product, location=lyon, quantity=5, allocated=3)
    response = staff_client.post(f"/backoffice/inventory/stocklevel/{level.pk}/change/", {"quantity": "2"})
    assert response.status_code == 200
    assert "promised to orders" in response.content.decode()
    assert StockLevel.objects.get(pk=level.pk).quantity == 5


def test_large_import_refreshes_planner_statistics(db, monkeypatch):
    monkeypatch.setattr(imports, "ANALYZE_FROM", 1)
    report = run(PRODUCTS)
    assert report.written


def test_rejection_names_the_column(db):
    report = run(csv("sku;name_en;min_order_quantity\nA;One;-3"))
    assert report.rejected[0].reason == "min_order_quantity: “-3”: must be 1 or more."


def test_stock_saved_in_the_back_office_goes_through_the_stock_service(staff_client, catalogue):
    _trade, lyon, product = catalogue
    level = StockLevelFactory(product=product, location=lyon, quantity=1)
    response = staff_client.post(f"/backoffice/inventory/stocklevel/{level.pk}/change/", {"quantity": "6"})
    assert response.status_code == 302
    assert StockLevel.objects.get(pk=level.pk).quantity == 6
    assert AuditEvent.objects.filter(action="stock.set", data__after=6).exists()


def test_stock_added_in_the_back_office_records_one_stock_set_event(staff_client, staff_user, catalogue):
    """One decision, one name: the stock page records "stock.set" only, never a generic "stocklevel.*"."""
    _trade, lyon, product = catalogue
    response = staff_client.post(
        "/backoffice/inventory/stocklevel/add/", {"product": product.pk, "location": lyon.pk, "quantity": "7"}
    )
    assert response.status_code == 302
    assert StockLevel.objects.get(product=product, location=lyon).quantity == 7
    assert list(AuditEvent.objects.values_list("action", "actor")) == [("stock.set", staff_user.pk)]
