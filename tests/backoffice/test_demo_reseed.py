"""Running ``seed_demo`` again (a second ``make run``) only adds what is missing: staff edits and sessions survive."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from comptoir.accounts.models import User
from comptoir.backoffice.demo import STAFF_EMAIL
from comptoir.backoffice.models import StoreSettings
from comptoir.catalog.models import Brand, Product
from comptoir.companies.models import Company, Membership
from comptoir.inventory.models import StockLevel, StockLocation
from comptoir.pricing.models import Price, PriceLevel

PASSWORD = "demo-staff-secret"


@pytest.fixture
def seeded(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", PASSWORD)
    call_command("seed_demo", "--products", "8")


def seed_again() -> None:
    call_command("seed_demo", "--products", "8")


def test_a_customers_price_level_and_private_message_survive_a_second_seed(seeded):
    acme = Company.objects.get(name="Acme Trading")
    acme.price_level = PriceLevel.objects.get(code="wholesale")
    acme.private_message = "Closed on Friday."
    acme.save()
    seed_again()
    acme.refresh_from_db()
    assert acme.price_level.code == "wholesale"
    assert acme.private_message == "Closed on Friday."


def test_a_customers_brand_selection_survives_a_second_seed(seeded):
    acme = Company.objects.get(name="Acme Trading")
    acme.visible_brands.set([Brand.objects.get(slug="nova")])
    acme.visible_tags.clear()
    seed_again()
    assert list(acme.visible_brands.values_list("slug", flat=True)) == ["nova"]
    assert not acme.visible_tags.exists()


def test_a_hidden_product_stays_hidden_and_keeps_its_edited_name(seeded):
    Product.objects.filter(sku="DEMO-000001").update(is_active=False, name_en="Renamed by staff")
    seed_again()
    product = Product.objects.get(sku="DEMO-000001")
    assert not product.is_active
    assert product.name_en == "Renamed by staff"


def test_an_edited_price_and_stock_level_survive_a_second_seed(seeded):
    price = Price.objects.filter(product__sku="DEMO-000002", price_level__code="trade", min_quantity=1).get()
    price.amount = Decimal("1.23")
    price.save()
    stock = StockLevel.objects.get(product__sku="DEMO-000002", location__code="brussels")
    stock.quantity = 777
    stock.save()
    seed_again()
    price.refresh_from_db()
    stock.refresh_from_db()
    assert price.amount == Decimal("1.23")
    assert stock.quantity == 777


def test_deleted_tags_and_prices_of_an_existing_product_are_not_put_back(seeded):
    product = Product.objects.get(sku="DEMO-000003")
    product.tags.clear()
    product.prices.filter(price_level__code="retail").delete()
    seed_again()
    assert not product.tags.exists()
    assert not product.prices.filter(price_level__code="retail").exists()


def test_reference_data_staff_changed_stays_changed(seeded):
    PriceLevel.objects.filter(code="trade").update(name="Trade 2026")
    StockLocation.objects.filter(code="lyon").update(default_shipping_cost=Decimal("25.00"))
    Brand.objects.filter(slug="nova").update(name="Nova Tools")
    store = StoreSettings.load()
    store.request_access_enabled = False
    store.default_price_level = PriceLevel.objects.get(code="trade")
    store.save()
    seed_again()
    assert PriceLevel.objects.get(code="trade").name == "Trade 2026"
    assert StockLocation.objects.get(code="lyon").default_shipping_cost == Decimal("25.00")
    assert Brand.objects.get(slug="nova").name == "Nova Tools"
    store = StoreSettings.load()
    assert not store.request_access_enabled
    assert store.default_price_level.code == "trade"


def test_a_members_role_approval_and_deactivation_survive_a_second_seed(seeded):
    from comptoir.core.permissions import Role

    bob = Membership.objects.get(user__email="bob@acme.example")
    bob.role = Role.SEE_PRICES
    bob.orders_need_approval = False
    bob.is_active = False
    bob.save()
    bob.customer_numbers.clear()
    seed_again()
    bob.refresh_from_db()
    assert (bob.role, bob.orders_need_approval, bob.is_active) == (Role.SEE_PRICES, False, False)
    assert not bob.customer_numbers.exists()


def test_a_second_seed_keeps_the_staff_password_and_session(seeded, client):
    staff = User.objects.get(email=STAFF_EMAIL)
    hashed = staff.password
    client.force_login(staff)
    assert client.get("/backoffice/").status_code == 200
    seed_again()
    staff.refresh_from_db()
    assert staff.password == hashed
    assert client.get("/backoffice/").status_code == 200


def test_a_staff_password_changed_since_is_not_reset_or_printed(seeded, capsys):
    staff = User.objects.get(email=STAFF_EMAIL)
    staff.set_password("chosen by staff")
    staff.save()
    seed_again()
    staff.refresh_from_db()
    assert staff.check_password("chosen by staff")
    out = capsys.readouterr().out
    assert PASSWORD not in out
    assert "password: (changed since the demo was created)" in out


def test_the_demo_logins_are_printed_on_every_run(seeded, capsys):
    seed_again()
    out = capsys.readouterr().out
    assert f"password: {PASSWORD}" in out
    assert "anna@acme.example" in out
