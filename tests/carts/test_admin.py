"""Carts, share links and quick lists in the back office: staff can look, nobody changes them there."""

from __future__ import annotations

import pytest

from comptoir.carts.models import Cart, CartShare, QuickList
from comptoir.carts.services import cart_add, cart_share_create, quick_list_from_cart


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def filled(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    cart_share_create(buyer=orderer)
    quick_list_from_cart(buyer=orderer, name="Weekly")
    return orderer


@pytest.mark.parametrize(
    ("model", "path"),
    [(Cart, "carts/cart"), (CartShare, "carts/cartshare"), (QuickList, "carts/quicklist")],
)
def test_staff_see_lists_and_pages_read_only(staff_client, filled, model, path):
    obj = model.objects.get()
    assert staff_client.get(f"/backoffice/{path}/").status_code == 200
    page = staff_client.get(f"/backoffice/{path}/{obj.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert staff_client.get(f"/backoffice/{path}/add/").status_code == 403
    assert staff_client.post(f"/backoffice/{path}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_cart_page_shows_its_lines(staff_client, filled):
    page = staff_client.get(f"/backoffice/carts/cart/{Cart.objects.get().pk}/change/").content.decode()
    assert "DR-100" in page


def test_share_page_does_not_show_the_token_hash(staff_client, filled):
    share = CartShare.objects.get()
    page = staff_client.get(f"/backoffice/carts/cartshare/{share.pk}/change/").content.decode()
    assert share.token_hash not in page


def test_buyers_are_kept_out(orderer_client, filled):
    response = orderer_client.get("/backoffice/carts/cart/")
    assert response.status_code in (302, 403)
