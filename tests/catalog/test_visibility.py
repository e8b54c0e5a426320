"""B1: each customer sees only what the seller opened to it, on every surface."""

import pytest

from comptoir.backoffice.models import StoreSettings
from comptoir.catalog.selectors import visible_products
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


def skus(buyer):
    return set(visible_products(buyer).values_list("sku", flat=True))


def test_nothing_opened_anywhere_shows_the_whole_catalogue(catalogue, company):
    assert skus(buyer_for(MembershipFactory(company=company))) == {"DR-100", "SW-200", "GL-300", "HD-400"}


def test_opened_brand_season_and_tag_each_show_their_products(catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    company.visible_seasons.add(catalogue.summer)
    company.visible_tags.add(catalogue.promo)
    assert skus(buyer_for(MembershipFactory(company=company))) == {"DR-100", "SW-200", "GL-300"}


def test_customer_without_selection_gets_the_store_default_selection(catalogue, company):
    StoreSettings.load().default_visible_tags.add(catalogue.promo)
    assert skus(buyer_for(MembershipFactory(company=company))) == {"GL-300"}


def test_customer_selection_replaces_the_store_default(catalogue, company):
    StoreSettings.load().default_visible_tags.add(catalogue.promo)
    company.visible_brands.add(catalogue.acme_brand)
    assert skus(buyer_for(MembershipFactory(company=company))) == {"DR-100"}


def test_inactive_product_is_never_visible(catalogue, company):
    catalogue.drill.is_active = False
    catalogue.drill.save()
    assert "DR-100" not in skus(buyer_for(MembershipFactory(company=company)))


@pytest.fixture
def restricted_client(client, catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    membership = MembershipFactory(company=company)
    client.force_login(membership.user)
    return client


def test_list_page_shows_only_visible_products(restricted_client):
    page = restricted_client.get("/catalogue/").content.decode()
    assert "DR-100" in page
    assert "HD-400" not in page


def test_invisible_product_page_is_404(restricted_client):
    assert restricted_client.get("/catalogue/p/HD-400/").status_code == 404
    assert restricted_client.get("/catalogue/p/DR-100/").status_code == 200


def test_search_never_finds_invisible_products(restricted_client):
    page = restricted_client.get("/catalogue/search/", {"q": "hammer"}).content.decode()
    assert "HD-400" not in page
    assert "No product found" in page


def test_unknown_product_is_404(restricted_client):
    assert restricted_client.get("/catalogue/p/NOPE/").status_code == 404


def test_unknown_category_is_404(restricted_client):
    assert restricted_client.get("/catalogue/", {"category": "nope"}).status_code == 404
