"""Listing pages are kept per process under the catalogue version and the customer's selection:
what they show must still follow every change at once (ADR 0005)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.models import Category, Product
from comptoir.core.memo import REFERENCE_VERSION_KEY
from comptoir.inventory.models import StockLevel
from comptoir.pricing.models import Price
from tests.admin_pages import change_page_data
from tests.factories import MembershipFactory


@pytest.fixture
def buyer_client(client, catalogue, company):
    membership = MembershipFactory(company=company, user__email="buyer@acme.test")
    client.force_login(membership.user)
    return client


def page(client, **params) -> str:
    response = client.get("/catalogue/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_page_reads_no_product_rows(buyer_client):
    page(buyer_client, category="tools")
    with CaptureQueriesContext(connection) as queries:
        assert "DR-100" in page(buyer_client, category="tools")
    assert not [q for q in queries if 'FROM "catalog_product"' in q["sql"]]


def save_in_the_back_office(staff_user, product: Product, **changes: object) -> None:
    staff = Client()
    staff.force_login(staff_user)
    url = f"/backoffice/catalog/product/{product.pk}/change/"
    data = change_page_data(staff, url) | changes
    if changes.get("is_active") is False:
        del data["is_active"]  # an unticked box is not sent
    assert staff.post(url, data).status_code == 302


def test_a_product_change_saved_in_the_back_office_shows_on_the_next_page(buyer_client, catalogue, staff_user):
    assert "SW-200" in page(buyer_client, category="tools")
    save_in_the_back_office(staff_user, catalogue.saw, is_active=False)
    assert "SW-200" not in page(buyer_client, category="tools")
    save_in_the_back_office(staff_user, catalogue.drill, name_en="Hammer drill")
    assert "Hammer drill" in page(buyer_client, category="tools")


def test_a_change_of_what_the_customer_sees_applies_at_once(buyer_client, catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    assert "GL-300" not in page(buyer_client)
    company.visible_tags.add(catalogue.promo)
    assert "GL-300" in page(buyer_client)
    company.visible_tags.remove(catalogue.promo)
    assert "GL-300" not in page(buyer_client)


def test_a_change_committed_by_another_process_shows_on_the_next_request(buyer_client, catalogue):
    assert "Hand saw" in page(buyer_client, category="tools")
    # Another process writes without this one hearing of it, then moves the shared version on.
    Product.objects.filter(pk=catalogue.saw.pk).update(name_en="Pruning saw")
    cache.set(REFERENCE_VERSION_KEY, "changed-elsewhere", timeout=None)
    assert "Pruning saw" in page(buyer_client, category="tools")


def test_prices_and_stock_are_read_for_every_page(buyer_client, catalogue):
    assert "100.00" in page(buyer_client, category="tools")
    # Written without any signal: only a fresh read can see it.
    Price.objects.filter(product=catalogue.drill, price_level=catalogue.retail).update(amount=Decimal("123.45"))
    StockLevel.objects.filter(product=catalogue.drill, location=catalogue.brussels).update(quantity=2, allocated=2)
    html = page(buyer_client, category="tools")
    assert "123.45" in html
    assert "100.00" not in html
    assert "Out of stock" in html


def test_a_category_renamed_by_another_process_shows_on_the_next_request(buyer_client, catalogue):
    assert "Tools" in page(buyer_client, category="tools")
    Category.objects.filter(pk=catalogue.tools.pk).update(name_en="Hand tools")
    cache.set(REFERENCE_VERSION_KEY, "changed-elsewhere", timeout=None)
    html = page(buyer_client, category="tools")
    assert "Hand tools" in html  # the tree, the heading and the breadcrumbs


def test_searches_differing_only_in_case_are_kept_apart(buyer_client, catalogue):
    Product.objects.create(sku="EC-500", name_en="Échelle alu", brand=catalogue.acme_brand, category=catalogue.tools)
    # SQLite's LIKE ignores the case of ASCII letters only, PostgreSQL's UPPER() of all: whatever
    # the database made of the first search, the second must not be answered from it.
    buyer_client.get("/catalogue/search/", {"q": "échelle"})
    response = buyer_client.get("/catalogue/search/", {"q": "Échelle"})
    assert "EC-500" in response.content.decode()


def test_two_searches_that_joined_keys_confused_get_their_own_filter_bar(buyer_client):
    # "drill:bosk" with no brand and "drill" with the brand "bosk:" joined to the same text.
    first = buyer_client.get("/catalogue/search/", {"q": "drill:bosk"}).content.decode()
    assert 'name="q" value="drill:bosk"' in first
    second = buyer_client.get("/catalogue/search/", {"q": "drill", "brand": "bosk:"}).content.decode()
    assert 'name="q" value="drill"' in second
