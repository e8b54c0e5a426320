"""Add-to-cart on catalogue cards and the product page (htmx, with a plain POST fallback), and what the
*quick lists only* role may not do (C5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.carts.models import QuickList
from comptoir.carts.services import cart_add, cart_add_items
from comptoir.core.permissions import Role
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


def test_catalogue_cards_have_an_add_form_with_min_and_step(orderer_client):
    page = orderer_client.get("/catalogue/").content.decode()
    assert 'hx-post="/cart/add/"' in page
    assert 'hx-target="#added-' in page
    # GL-300: minimum 6, by 6
    assert 'name="quantity" value="6" min="6" step="6"' in page
    assert 'name="quantity" value="1" min="1" step="1"' in page
    assert '<input type="hidden" name="next" value="/catalogue/">' in page


def test_product_page_has_an_add_form(orderer_client):
    page = orderer_client.get("/catalogue/p/GL-300/").content.decode()
    assert 'action="/cart/add/"' in page
    assert 'value="GL-300"' in page
    assert 'min="6" step="6"' in page
    assert '<label for="add-qty-' in page
    assert "Add to cart" in page


def test_minimum_is_rounded_up_to_the_multiple(orderer_client, shop):
    shop.glue.min_order_quantity = 10
    shop.glue.save(update_fields=["min_order_quantity"])
    page = orderer_client.get("/catalogue/p/GL-300/").content.decode()
    assert 'value="12" min="12" step="6"' in page


def test_htmx_add_answers_a_status_fragment(orderer, orderer_client):
    response = orderer_client.post("/cart/add/", {"sku": "DR-100", "quantity": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Added to your cart." in response.content
    assert b"<html" not in response.content
    assert cart_of(orderer) == {"DR-100": 2}


def test_htmx_add_refused_still_shows_why(orderer, orderer_client):
    """htmx swaps only 2xx answers: the refusal comes back as a 200 fragment, or the buyer sees nothing."""
    response = orderer_client.post("/cart/add/", {"sku": "GL-300", "quantity": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert b"minimum order is 6" in response.content
    assert cart_of(orderer) == {}


@pytest.mark.parametrize("quantity", ["٣", "\uff13", "1_0", "9" * 5000, "99999999999999999999"])
def test_add_in_other_digits_or_huge_is_refused_and_says_why(orderer, orderer_client, quantity):
    """int() reads Arabic-Indic and fullwidth digits: the cart must not fill with a number the buyer did not type."""
    response = orderer_client.post("/cart/add/", {"sku": "DR-100", "quantity": quantity}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert "enter a whole number from 0 to 100000" in response.content.decode() or (
        "use the digits 0 to 9 only" in response.content.decode()
    )
    assert cart_of(orderer) == {}


def test_plain_post_adds_and_goes_back(orderer, orderer_client):
    response = orderer_client.post("/cart/add/", {"sku": "DR-100", "quantity": "1", "next": "/catalogue/p/DR-100/"})
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/p/DR-100/"
    assert cart_of(orderer) == {"DR-100": 1}


def test_plain_post_never_goes_to_another_site(orderer_client):
    response = orderer_client.post("/cart/add/", {"sku": "DR-100", "quantity": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/catalogue/"


@pytest.mark.parametrize("target", ["12345", "home", "carts:cart", "//evil.example/", "/\\evil.example"])
def test_plain_post_with_a_next_that_is_no_path_of_this_site_goes_to_the_catalogue(orderer_client, target):
    """redirect() reads a bare word as a URL name: "12345" made a 500, "carts:cart" went there."""
    response = orderer_client.post("/cart/add/", {"sku": "DR-100", "quantity": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"


def test_members_who_cannot_order_see_no_add_form(client, shop, company):
    viewer = MembershipFactory(company=company, role=Role.SEE_PRICES)
    client.force_login(viewer.user)
    assert b"/cart/add/" not in client.get("/catalogue/").content
    assert b"/cart/add/" not in client.get("/catalogue/p/DR-100/").content


# --- Quick lists only -----------------------------------------------------------------------------


@pytest.fixture
def quick_lister_client(client, quick_lister_membership):
    client.force_login(quick_lister_membership.user)
    return client


def test_quick_lists_only_member_sees_no_add_form_fast_entry_or_import(quick_lister_client):
    for url in ("/catalogue/", "/catalogue/p/DR-100/", "/cart/"):
        page = quick_lister_client.get(url).content.decode()
        assert "/cart/add/" not in page, url
        assert "/cart/fast-entry/" not in page, url
        assert "/cart/import/" not in page, url
    assert "/cart/lists/" in quick_lister_client.get("/cart/").content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/cart/add/", {"sku": "DR-100", "quantity": "1"}),
        ("/cart/fast-entry/", {"lines": "DR-100 1"}),
        ("/cart/import/", {"file": "sku;quantity\nDR-100;1\n"}),
        ("/cart/lists/new/", {"name": "Mine"}),
        ("/cart/lists/from-cart/", {"name": "Mine"}),
    ],
    ids=["add", "fast-entry", "import", "new-list", "list-from-cart"],
)
def test_quick_lists_only_member_gets_403_and_nothing_changes(quick_lister_client, quick_lister_membership, url, data):
    if "file" in data:
        data = {"file": SimpleUploadedFile("cart.csv", data["file"].encode())}
    # What a quick list put in the cart stays as it is.
    cart_add_items(buyer=buyer_for(quick_lister_membership), items=[(None, "GL-300", 6)], from_quick_list=True)
    response = quick_lister_client.post(url, data)
    assert response.status_code == 403
    assert cart_of(quick_lister_membership) == {"GL-300": 6}
    assert not QuickList.objects.exists()


def test_cart_add_service_refuses_the_quick_lists_only_role(quick_lister_membership):
    with pytest.raises(PermissionDenied):
        cart_add(buyer=buyer_for(quick_lister_membership), sku="DR-100", quantity=1)
