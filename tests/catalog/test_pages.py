from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.models import Product, ProductRequest
from comptoir.core.permissions import Role
from comptoir.pricing.models import Price
from tests.factories import MembershipFactory


@pytest.fixture
def buyer_client(client, catalogue, company):
    membership = MembershipFactory(company=company, user__email="buyer@acme.test")
    client.force_login(membership.user)
    return client


def test_category_page_includes_subcategory_products(buyer_client):
    page = buyer_client.get("/catalogue/", {"category": "tools"}).content.decode()
    assert "DR-100" in page  # in drills, a child of tools
    assert "SW-200" in page
    assert "GL-300" not in page


def test_filters_by_brand_season_and_tag(buyer_client):
    assert "GL-300" in buyer_client.get("/catalogue/", {"tag": "promo"}).content.decode()
    assert "DR-100" not in buyer_client.get("/catalogue/", {"brand": "makit"}).content.decode()
    assert "SW-200" in buyer_client.get("/catalogue/", {"season": "summer"}).content.decode()


@pytest.mark.parametrize("query", ["DR-100", "dr-1", "5400000000011", "cordless", "Bosk"])
def test_search_by_sku_ean_name_and_brand(buyer_client, query):
    assert "DR-100" in buyer_client.get("/catalogue/search/", {"q": query}).content.decode()


def test_search_in_the_buyers_language(client, catalogue, company):
    membership = MembershipFactory(company=company, user__language="fr")
    client.force_login(membership.user)
    page = client.get("/catalogue/search/", {"q": "perceuse"}).content.decode()
    assert "DR-100" in page
    assert "Perceuse sans fil" in page


def test_product_page_shows_price_tiers_and_stock(buyer_client, catalogue, company):
    company.price_level = catalogue.trade
    company.save()
    page = buyer_client.get("/catalogue/p/DR-100/").content.decode()
    assert "80.00 EUR" in page
    assert "72.50 EUR" in page
    assert "10 available" in page


def test_member_without_price_right_sees_no_figure(client, catalogue, company):
    membership = MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES)
    client.force_login(membership.user)
    for url in ("/catalogue/", "/catalogue/p/DR-100/", "/catalogue/search/?q=drill"):
        page = client.get(url).content.decode()
        assert "EUR" not in page
        assert "100.00" not in page


def test_htmx_request_gets_the_results_fragment_only(buyer_client):
    response = buyer_client.get("/catalogue/", {"brand": "bosk"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body


def test_not_found_request_reaches_the_back_office(buyer_client, company):
    response = buyer_client.post("/catalogue/ask/", {"query": "blue widget", "message": "Blue widget 3 mm"})
    assert response.status_code == 302
    assert ProductRequest.objects.get().company == company


def test_empty_product_request_changes_nothing(buyer_client):
    buyer_client.post("/catalogue/ask/", {"query": "x", "message": ""})
    assert not ProductRequest.objects.exists()


def test_bad_page_numbers_do_not_fail(buyer_client):
    assert buyer_client.get("/catalogue/", {"page": "abc"}).status_code == 200
    assert buyer_client.get("/catalogue/", {"page": "999999999"}).status_code == 200


@pytest.mark.parametrize("extra_products", [0, 60])
def test_catalogue_page_runs_a_fixed_number_of_queries(buyer_client, catalogue, company, extra_products):
    company.visible_brands.add(catalogue.acme_brand, catalogue.other_brand)
    company.price_level = catalogue.trade
    company.save()
    for n in range(extra_products):
        product = Product.objects.create(sku=f"X-{n:03d}", name_en=f"Extra {n}", brand=catalogue.acme_brand)
        Price.objects.create(price_level=catalogue.retail, product=product, amount=Decimal("1.00"))
    buyer_client.get("/catalogue/")  # warm the per-process reference cache
    for url in ("/catalogue/?category=tools", "/catalogue/search/?q=drill"):
        with CaptureQueriesContext(connection) as first:
            assert buyer_client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as again:  # the page's products are remembered (ADR 0005)
            assert buyer_client.get(url).status_code == 200
        assert len(first) <= 10, [q["sql"][:120] for q in first]
        assert len(again) <= 7, [q["sql"][:120] for q in again]


def test_out_of_stock_product_offers_a_stock_alert(buyer_client):
    # GL-300 is stocked in Lyon only; the buyer is served from Brussels.
    assert "Notify me when available" in buyer_client.get("/catalogue/p/GL-300/").content.decode()
    assert "Notify me when available" not in buyer_client.get("/catalogue/p/DR-100/").content.decode()


def test_staff_closing_a_product_request_is_audited(client, staff_user, buyer_client):
    from comptoir.core.models import AuditEvent

    buyer_client.post("/catalogue/ask/", {"query": "widget", "message": "Blue widget"})
    item = ProductRequest.objects.get()
    client.force_login(staff_user)
    client.post("/backoffice/catalog/productrequest/", {"action": "mark_handled", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status == ProductRequest.Status.HANDLED
    assert AuditEvent.objects.filter(action="product_request.handled", actor=staff_user).exists()


def test_catalogue_page_honours_the_search_box(buyer_client):
    page = buyer_client.get("/catalogue/", {"q": "drill"}).content.decode()
    assert "DR-100" in page
    assert "SW-200" not in page
    assert "GL-300" not in page


def test_catalogue_search_combines_with_the_filters(buyer_client):
    page = buyer_client.get("/catalogue/", {"q": "saw", "category": "tools"}).content.decode()
    assert "SW-200" in page
    assert "DR-100" not in page  # in tools too, but not a saw
    assert "SW-200" not in buyer_client.get("/catalogue/", {"q": "saw", "brand": "bosk"}).content.decode()


def test_catalogue_page_of_a_member_without_prices_runs_as_many_queries(client, catalogue, company):
    # Without the right, the page still reads which products have a price (no add-to-cart without one).
    client.force_login(MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES).user)
    client.get("/catalogue/?category=tools")
    with CaptureQueriesContext(connection) as again:
        assert client.get("/catalogue/?category=tools").status_code == 200
    assert len(again) <= 7, [q["sql"][:120] for q in again]
