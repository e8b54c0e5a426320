"""The category tree and the filter bar offer only what occurs among the products the customer may
see: a customer never reads the name of a brand, season, tag or category it cannot buy from."""

import re

import pytest

from comptoir.catalog.models import Category, Product
from tests.factories import CompanyFactory, MembershipFactory


def client_for(client, company):
    client.force_login(MembershipFactory(company=company).user)
    return client


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', page, re.S)
    assert select, f"no {name} filter"
    return re.findall(r'<option value="([^"]*)"', select.group(1))[1:]  # after "All …"


@pytest.fixture
def bosk_only(catalogue, company):
    """The customer may buy the Bosk brand only: the drill, in drills, under tools."""
    company.visible_brands.add(catalogue.acme_brand)
    return company


def test_filter_bar_offers_only_the_selections_brands_seasons_and_tags(client, bosk_only):
    page = client_for(client, bosk_only).get("/catalogue/").content.decode()
    assert options(page, "brand") == ["bosk"]
    assert options(page, "season") == []  # only the saw is of the summer season
    assert options(page, "tag") == []  # only the glue has the promo tag
    assert "Makit" not in page
    assert "Summer" not in page
    assert "Promo" not in page


def test_category_tree_offers_only_categories_with_visible_products(client, catalogue, bosk_only):
    secret = Category.objects.create(slug="secret", name_en="Secret garden")
    Product.objects.create(sku="SG-1", name_en="Rake", brand=catalogue.other_brand, category=secret)
    buyer = client_for(client, bosk_only)
    page = buyer.get("/catalogue/").content.decode()
    assert "Secret garden" not in page
    assert "?category=tools" in page  # the drill's category is a sub-category of tools
    assert buyer.get("/catalogue/", {"category": "secret"}).status_code == 404
    assert "Drills" in buyer.get("/catalogue/", {"category": "tools"}).content.decode()


def test_inactive_products_offer_nothing(client, catalogue, company):
    Product.objects.exclude(pk=catalogue.drill.pk).update(is_active=False)
    page = client_for(client, company).get("/catalogue/").content.decode()
    assert options(page, "brand") == ["bosk"]


def test_each_customer_gets_its_own_filter_bar_and_tree(client, catalogue, bosk_only):
    garden = Category.objects.create(slug="garden", name_en="Garden")
    Product.objects.create(sku="RK-1", name_en="Rake", brand=catalogue.other_brand, category=garden)
    everything = CompanyFactory(name="Sees all")  # no selection, nor one in the store: the whole catalogue
    page = client_for(client, bosk_only).get("/catalogue/").content.decode()
    assert options(page, "brand") == ["bosk"]
    assert "Garden" not in page
    page = client_for(client, everything).get("/catalogue/").content.decode()
    assert options(page, "brand") == ["bosk", "makit"]
    assert options(page, "season") == ["summer"]
    assert options(page, "tag") == ["promo"]
    assert "Garden" in page
    page = client_for(client, bosk_only).get("/catalogue/").content.decode()
    assert options(page, "brand") == ["bosk"]
    assert "Garden" not in page


def test_a_change_of_selection_changes_the_filter_bar_at_once(client, catalogue, bosk_only):
    buyer = client_for(client, bosk_only)
    assert options(buyer.get("/catalogue/").content.decode(), "tag") == []
    bosk_only.visible_tags.add(catalogue.promo)
    page = buyer.get("/catalogue/").content.decode()
    assert options(page, "tag") == ["promo"]
    assert options(page, "brand") == ["bosk", "makit"]  # the glue is a Makit product


def test_search_page_offers_the_same_choices(client, bosk_only):
    page = client_for(client, bosk_only).get("/catalogue/search/", {"q": "drill"}).content.decode()
    assert options(page, "brand") == ["bosk"]
    assert "Makit" not in page
