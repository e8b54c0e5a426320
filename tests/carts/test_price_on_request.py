"""A product without a price for the customer is "price on request": it is shown as such and gets
into no cart, by any way in (add to cart, fast entry, import, share link, quick list, reorder)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.carts.models import CartLine, QuickList, QuickListLine
from comptoir.carts.services import (
    CartError,
    cart_add,
    cart_fast_entry,
    cart_import,
    cart_share_accept,
    cart_share_create,
    cart_share_get,
    quick_list_add_product,
    quick_list_to_cart,
)
from comptoir.catalog.models import Product
from comptoir.core.permissions import Role
from comptoir.pricing.models import Price
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory

ON_REQUEST = "price on request: contact us to order it"


@pytest.fixture
def vice(shop):
    """A Bosk product the company may see, with no price at any level."""
    return Product.objects.create(sku="VC-500", name_en="Bench vice", brand=shop.acme_brand, category=shop.tools)


def refusal(call) -> list[tuple[int | None, str, str]]:
    with pytest.raises(CartError) as error:
        call()
    return [(p.line_number, p.sku, p.message) for p in error.value.problems]


def test_add_to_cart_refuses_a_product_without_a_price(orderer_client, orderer, vice):
    response = orderer_client.post("/cart/add/", {"sku": "VC-500", "quantity": "1"}, HTTP_HX_REQUEST="true")
    assert ON_REQUEST in response.content.decode()
    assert cart_of(orderer) == {}


def test_fast_entry_names_the_line_without_a_price_and_adds_nothing(orderer, vice):
    assert refusal(lambda: cart_fast_entry(buyer=orderer, text="DR-100 1\nVC-500 2")) == [(2, "VC-500", ON_REQUEST)]
    assert cart_of(orderer) == {}


def test_import_names_the_line_without_a_price_and_changes_nothing(orderer, vice):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    upload = SimpleUploadedFile("cart.csv", b"sku;quantity\nVC-500;1\nGL-300;6\n", content_type="text/csv")
    assert refusal(lambda: cart_import(buyer=orderer, upload=upload)) == [(2, "VC-500", ON_REQUEST)]
    assert cart_of(orderer) == {"DR-100": 1}


def test_a_shared_line_whose_price_went_is_reported_not_added(orderer, shop, vice, company):
    price = Price.objects.create(price_level=shop.retail, product=vice, amount="10.00")
    cart_add(buyer=orderer, sku="VC-500", quantity=1)
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    share = cart_share_get(buyer=orderer, token=cart_share_create(buyer=orderer))
    price.delete()
    colleague = MembershipFactory(company=company)
    _cart, problems = cart_share_accept(buyer=buyer_for(colleague), share=share)
    assert [(p.sku, p.message) for p in problems] == [("VC-500", ON_REQUEST)]
    assert cart_of(colleague) == {"DR-100": 1}


def test_quick_list_takes_no_product_without_a_price(orderer, vice):
    quick_list = QuickList.objects.create(company_id=orderer.company_id, owner=orderer.user, name="Weekly")
    assert refusal(lambda: quick_list_add_product(buyer=orderer, quick_list=quick_list, sku="VC-500", quantity=1)) == [
        (None, "VC-500", ON_REQUEST)
    ]
    assert not QuickListLine.objects.exists()


def test_ordering_a_quick_list_refuses_a_line_whose_price_went(orderer, vice):
    quick_list = QuickList.objects.create(company_id=orderer.company_id, owner=orderer.user, name="Weekly")
    QuickListLine.objects.create(quick_list=quick_list, product=vice, quantity=1)  # priced when it was listed
    assert refusal(lambda: quick_list_to_cart(buyer=orderer, quick_list=quick_list)) == [(None, "VC-500", ON_REQUEST)]
    assert not CartLine.objects.exists()


def test_a_member_without_prices_cannot_add_it_either(company, vice):
    blind = buyer_for(MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES))
    assert refusal(lambda: cart_add(buyer=blind, sku="VC-500", quantity=1)) == [(None, "VC-500", ON_REQUEST)]


# --- Pages ---------------------------------------------------------------------------------------


def test_product_page_says_price_on_request_and_offers_no_add_to_cart(orderer_client, vice):
    page = orderer_client.get("/catalogue/p/VC-500/").content.decode()
    assert "Price on request" in page
    assert "0.00" not in page
    assert 'name="add_to_cart"' not in page
    assert 'name="add_to_list"' not in page
    assert "To order this product, contact us." in page
    assert 'name="add_to_cart"' in orderer_client.get("/catalogue/p/DR-100/").content.decode()


def test_catalogue_card_says_price_on_request_without_an_add_form(orderer_client, vice):
    page = orderer_client.get("/catalogue/", {"q": "vice"}).content.decode()
    assert '<span class="price on-request">Price on request</span>' in page
    assert 'name="add_to_cart"' not in page


def test_member_without_prices_sees_no_price_and_no_add_to_cart(client, company, vice):
    client.force_login(MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES).user)
    for url in ("/catalogue/p/VC-500/", "/catalogue/?q=vice"):
        page = client.get(url).content.decode()
        assert "VC-500" in page
        assert "Price on request" not in page
        assert 'name="add_to_cart"' not in page
    assert 'name="add_to_cart"' in client.get("/catalogue/p/DR-100/").content.decode()


def test_a_cart_line_that_lost_its_price_shows_on_request_and_a_subtotal_in_the_currency(
    orderer, orderer_client, shop, vice
):
    price = Price.objects.create(price_level=shop.retail, product=vice, amount="10.00")
    cart_add(buyer=orderer, sku="VC-500", quantity=1)
    price.delete()
    page = orderer_client.get("/cart/").content.decode()
    assert "on request" in page
    assert "0.00 EUR" in page
