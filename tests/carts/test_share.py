"""C3 share-cart links and SECURITY 23: the link ADDS to the viewer's cart, priced for the viewer; a tampered,
expired or revoked link, or one from another company, is a 404."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comptoir.carts.models import CartShare
from comptoir.carts.services import cart_add, cart_share_accept, cart_share_create, cart_share_get
from comptoir.core.permissions import Role
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.conftest import login_by_code
from tests.factories import AdminMembershipFactory, CompanyFactory, MembershipFactory

SHARED_URL = re.compile(r'value="http://testserver(/cart/shared/#[A-Za-z0-9_\-]+)"')
SHARED_PAGE = "/cart/shared/"


@pytest.fixture
def colleague_membership(shop, company):
    return MembershipFactory(company=company, user__email="colleague@acme.test")


@pytest.fixture
def colleague(colleague_membership):
    return buyer_for(colleague_membership)


def open_link(client, link: str):
    """What the page at /cart/shared/ does with the link's fragment: post it."""
    return client.post(SHARED_PAGE, {"link": link.rpartition("#")[2]})


def accept_link(client, link: str):
    return client.post(SHARED_PAGE, {"link": link.rpartition("#")[2], "accept": ""})


def share_link(client) -> str:
    """Press "Share this cart" and read the link from the page it leads to."""
    response = client.post("/cart/share/", follow=True)
    assert response.status_code == 200
    found = SHARED_URL.search(response.content.decode())
    assert found, "no share link on the page"
    return found.group(1)


def test_sharing_shows_a_link_once_in_a_copy_field(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    response = orderer_client.post("/cart/share/")
    assert response.status_code == 302
    assert "/shared/" not in response["Location"]  # the token never travels in a redirect
    page = orderer_client.get(response["Location"]).content.decode()
    assert SHARED_URL.search(page)
    assert "readonly" in page
    assert not SHARED_URL.search(orderer_client.get("/cart/").content.decode())  # shown once


def test_token_is_stored_hashed(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    token = cart_share_create(buyer=orderer)
    assert len(token) >= 32  # 192 bits, URL-safe
    share = CartShare.objects.get()
    assert token not in share.token_hash
    assert share.lines == [[orderer_product_pk(orderer), 2]]


def orderer_product_pk(buyer) -> int:
    from comptoir.catalog.models import Product

    return Product.objects.get(sku="DR-100").pk


def test_empty_cart_cannot_be_shared(orderer_client):
    response = orderer_client.post("/cart/share/", follow=True)
    assert "nothing to share" in response.content.decode()
    assert not CartShare.objects.exists()


def test_colleague_sees_a_read_only_copy_and_adds_it_to_their_cart(
    orderer, orderer_client, colleague, colleague_membership, client
):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    cart_add(buyer=orderer, sku="GL-300", quantity=6)
    link = share_link(orderer_client)
    cart_add(buyer=colleague, sku="DR-100", quantity=1)
    cart_add(buyer=colleague, sku="GL-300", quantity=12)

    client.force_login(colleague_membership.user)
    preview = open_link(client, link)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Cordless drill" in page
    assert 'name="quantity"' not in page  # read-only
    assert cart_of(colleague) == {"DR-100": 1, "GL-300": 12}  # opening changes nothing

    response = accept_link(client, link)
    assert response.status_code == 302
    assert cart_of(colleague) == {"DR-100": 3, "GL-300": 18}  # added, never replaced
    assert cart_of(orderer) == {"DR-100": 2, "GL-300": 6}


def test_preview_is_priced_for_the_viewer_not_the_sharer(shop, company, client):
    """Same company, but the preview must use the viewer's rights: no prices for a member without them."""
    company.price_level = shop.trade
    company.save(update_fields=["price_level"])
    sharer = buyer_for(MembershipFactory(company=company, role=Role.SEE_PRICES_AND_ORDER))
    cart_add(buyer=sharer, sku="DR-100", quantity=10)
    token = cart_share_create(buyer=sharer)
    blind = MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES)
    client.force_login(blind.user)
    page = open_link(client, token).content.decode()
    assert "DR-100" in page
    assert "EUR" not in page
    # And a member who sees prices sees their company's tier price for the quantity (10 x 72.50).
    seer = MembershipFactory(company=company, role=Role.SEE_PRICES_AND_ORDER)
    client.force_login(seer.user)
    page = open_link(client, token).content.decode()
    assert "725.00 EUR" in page


def test_lines_the_viewer_may_not_order_are_reported_not_added(orderer, colleague, shop, company):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    cart_add(buyer=orderer, sku="GL-300", quantity=6)
    share = cart_share_get(buyer=orderer, token=cart_share_create(buyer=orderer))
    shop.drill.is_active = False  # no longer sold since the link was made
    shop.drill.save(update_fields=["is_active"])
    _cart, problems = cart_share_accept(buyer=buyer_for(colleague.membership), share=share)
    assert [p.sku for p in problems] == ["DR-100"]
    assert cart_of(colleague) == {"GL-300": 6}


def test_member_who_cannot_order_sees_the_copy_but_cannot_add(orderer, orderer_client, shop, company, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    viewer = MembershipFactory(company=company, role=Role.SEE_PRICES)
    client.force_login(viewer.user)
    page = open_link(client, link).content.decode()
    assert "Add these products to my cart" not in page
    assert accept_link(client, link).status_code == 403
    assert cart_of(viewer) == {}


# --- Refused links: 404, logged without the token ------------------------------------------------


def test_tampered_token_is_404(orderer, orderer_client, colleague_membership, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    client.force_login(colleague_membership.user)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert open_link(client, tampered).status_code == 404
    assert accept_link(client, tampered).status_code == 404
    assert open_link(client, "x" * 5000).status_code == 404
    assert client.post(SHARED_PAGE, {}).status_code == 404
    assert cart_of(colleague_membership) == {}


def test_expired_link_is_404_and_adds_nothing(orderer, orderer_client, colleague_membership, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        client.force_login(colleague_membership.user)
        assert open_link(client, link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        client.force_login(colleague_membership.user)
        assert open_link(client, link).status_code == 404
        assert accept_link(client, link).status_code == 404
    assert cart_of(colleague_membership) == {}


def test_revoked_link_is_404(orderer, orderer_client, colleague_membership, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    share = CartShare.objects.get()
    assert orderer_client.post(f"/cart/share/{share.pk}/revoke/").status_code == 302
    client.force_login(colleague_membership.user)
    assert open_link(client, link).status_code == 404
    assert accept_link(client, link).status_code == 404
    assert cart_of(colleague_membership) == {}


def test_only_the_maker_can_revoke(orderer, colleague_membership, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    cart_share_create(buyer=orderer)
    share = CartShare.objects.get()
    client.force_login(colleague_membership.user)
    assert client.post(f"/cart/share/{share.pk}/revoke/").status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_member_of_another_company_gets_404(orderer, orderer_client, shop, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    outsider = AdminMembershipFactory(company=CompanyFactory(name="Other"))
    client.force_login(outsider.user)
    assert open_link(client, link).status_code == 404
    assert accept_link(client, link).status_code == 404
    assert cart_of(outsider) == {}


def test_refused_link_is_logged_without_its_token(orderer, orderer_client, colleague_membership, client, caplog):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    CartShare.objects.update(revoked_at=timezone.now())
    client.force_login(colleague_membership.user)
    caplog.set_level(logging.INFO)
    assert open_link(client, link).status_code == 404
    token = link.rpartition("#")[2]
    assert all(token not in record.getMessage() for record in caplog.records)
    assert any("cart_share_refused" in record.getMessage() for record in caplog.records)


def test_link_creation_is_rate_limited(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    statuses = [orderer_client.post("/cart/share/").status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert CartShare.objects.count() == 20


def test_live_links_are_listed_and_can_be_stopped(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    cart_share_create(buyer=orderer)
    page = orderer_client.get("/cart/").content.decode()
    assert "Stop this link" in page
    CartShare.objects.update(revoked_at=timezone.now())
    assert "Stop this link" not in orderer_client.get("/cart/").content.decode()


# --- The token never travels in a URL (SECURITY check 7) -------------------------------------------


def test_the_link_carries_its_token_in_the_fragment_only(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    path, _, token = link.partition("#")
    assert path == SHARED_PAGE
    assert len(token) >= 32
    assert reverse("carts:shared") == SHARED_PAGE  # no URL takes a token


def test_the_shared_page_posts_the_fragment_with_a_static_script(client, colleague_membership):
    client.force_login(colleague_membership.user)
    page = client.get(SHARED_PAGE).content.decode()
    assert 'id="open-shared-cart"' in page
    assert 'method="post"' in page
    assert 'name="link"' in page
    assert "data-token-from-fragment" in page
    assert "/static/comptoir/token-link.js" in page
    assert "<script>" not in page


def test_a_pasted_whole_link_opens_the_copy(orderer, orderer_client, colleague_membership, client):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    client.force_login(colleague_membership.user)
    response = client.post(SHARED_PAGE, {"link": f"  https://shop.example{link}  "})
    assert response.status_code == 200
    assert "Cordless drill" in response.content.decode()


def test_a_visitor_who_logs_in_first_sees_the_copy_afterwards(orderer, orderer_client, colleague_membership):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    link = share_link(orderer_client)
    visitor = Client()
    assert visitor.get(SHARED_PAGE).status_code == 200  # the page that reads the fragment: no login yet
    response = open_link(visitor, link)
    assert response.status_code == 302
    login_url = response["Location"]
    assert link.rpartition("#")[2] not in login_url
    assert "next=/cart/shared/" in unquote(login_url)
    login_by_code(visitor, colleague_membership.user.email)
    page = visitor.get(SHARED_PAGE)
    assert page.status_code == 200
    assert "Cordless drill" in page.content.decode()
    assert cart_of(colleague_membership) == {}


def test_share_pages_never_log_the_token(orderer, orderer_client, colleague_membership, client, caplog):
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    caplog.set_level(logging.DEBUG)
    link = share_link(orderer_client)
    client.force_login(colleague_membership.user)
    open_link(client, link)
    accept_link(client, link)
    open_link(client, link[:-2] + "xx")
    token = link.rpartition("#")[2]
    assert all(token not in record.getMessage() for record in caplog.records)
    assert all(token[:-2] not in record.getMessage() for record in caplog.records)
