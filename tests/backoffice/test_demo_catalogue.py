"""``seed_demo --products N``: a deterministic demo catalogue that a second run does not duplicate."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from comptoir.backoffice.demo_catalogue import ean13, seed_catalogue
from comptoir.catalog.imports import ean_is_valid
from comptoir.catalog.models import Category, Product, ProductImage
from comptoir.companies.models import Company
from comptoir.inventory.models import StockLevel
from comptoir.pricing.models import Price


def counts() -> tuple[int, ...]:
    return (
        Product.objects.count(),
        Category.objects.count(),
        Price.objects.count(),
        StockLevel.objects.count(),
        ProductImage.objects.count(),
        Product.tags.through.objects.count(),
    )


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")  # the 200 demo images are drawn once for the module


@pytest.fixture
def media(settings, media_root):
    settings.MEDIA_ROOT = media_root
    return media_root


def test_seed_demo_twice_duplicates_nothing(db, media):
    call_command("seed_demo", "--products", "40")
    first = counts()
    call_command("seed_demo", "--products", "40")
    assert counts() == first
    assert first[0] == 40
    assert first[1] == 70  # 10 top categories, 60 children


def test_a_smaller_catalogue_is_the_start_of_a_larger_one(db, media):
    call_command("seed_demo", "--products", "5")
    small = list(Product.objects.order_by("sku").values_list("sku", "name_en", "ean"))
    call_command("seed_demo", "--products", "12")
    large = list(Product.objects.order_by("sku").values_list("sku", "name_en", "ean"))
    assert large[:5] == small
    assert len(large) == 12


def test_demo_products_have_names_prices_stock_and_images(db, media):
    call_command("seed_demo", "--products", "30")
    product = Product.objects.get(sku="DEMO-000001")
    assert all(getattr(product, f"name_{code}") for code in ("en", "fr", "nl", "sv"))
    assert ean_is_valid(product.ean)
    assert set(product.prices.values_list("price_level__code", flat=True)) == {"retail", "trade", "wholesale"}
    assert product.stock_levels.count() == 2
    assert 1 <= product.images.count() <= 2
    assert (media / product.images.first().image.name).exists()
    assert Price.objects.filter(min_quantity__gt=1).exists()
    assert StockLevel.objects.filter(quantity=0).exists()


def test_acme_sees_a_selection_and_globex_everything(db, media):
    call_command("seed_demo", "--products", "10")
    acme = Company.objects.get(name="Acme Trading")
    assert acme.visible_brands.count() == 12
    assert list(acme.visible_tags.values_list("slug", flat=True)) == ["trade-selection"]
    assert acme.price_level.code == "trade"
    globex = Company.objects.get(name="Globex Supplies")
    assert not globex.visible_brands.exists()
    assert globex.price_level is None


def test_seed_catalogue_reports_what_it_wrote(db, media):
    call_command("seed_demo", "--products", "0")
    result = seed_catalogue(products=20)
    assert (result.products, result.new_products) == (20, 20)
    assert result.stock_levels == 40
    again = seed_catalogue(products=20)
    assert (again.products, again.new_products, again.prices, again.stock_levels, again.images) == (20, 0, 0, 0, 0)


def test_demo_eans_are_valid_and_in_store_range():
    assert all(ean_is_valid(ean13(n)) for n in (1, 42, 99_999, 123_456))
    assert ean13(1).startswith("200")


def test_search_indexes_are_there_after_a_large_seed(db, media):
    """A large seed rebuilds PostgreSQL's trigram indexes at the end (elsewhere nothing to rebuild)."""
    from django.db import connection

    call_command("seed_demo", "--products", "0")
    seed_catalogue(products=15, rebuild_indexes_from=1)
    assert Product.objects.count() == 15
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_product'")
            names = {row[0] for row in cursor.fetchall()}
        assert {f"catalog_product_{c}_trgm" for c in ("sku", "name_en", "name_fr", "name_nl", "name_sv")} <= names
