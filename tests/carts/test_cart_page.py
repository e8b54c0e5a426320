"""The cart page: a fixed number of queries whatever the number of lines, inline quantity changes with
htmx, and the purge of carts left for more than 30 days (C1, SECURITY 37)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comptoir.carts.models import Cart, CartLine, CartShare
from comptoir.carts.services import cart_add, cart_share_create, cart_share_get
from comptoir.catalog.models import Product
from comptoir.core.jobs import run_periodic_jobs
from comptoir.inventory.models import StockLevel
from comptoir.pricing.models import Price
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory

# Measured: 11 (session, user, memberships, cart, lines, store settings, prices, stock, selection,
# visible products, live share links), for 20 lines as for 200.
MAX_CART_PAGE_QUERIES = 12


def fill_cart(buyer, shop, count: int) -> None:
    products = Product.objects.bulk_create(
        Product(sku=f"BULK-{n:04d}", name_en=f"Bulk {n}", brand=shop.acme_brand) for n in range(count)
    )
    Price.objects.bulk_create(Price(price_level=shop.retail, product=p, amount=Decimal("2.50")) for p in products)
    StockLevel.objects.bulk_create(StockLevel(location=shop.brussels, product=p, quantity=5) for p in products)
    cart = Cart.objects.create(company_id=buyer.company_id, user=buyer.user)
    CartLine.objects.bulk_create(CartLine(cart=cart, product=p, quantity=1) for p in products)


@pytest.mark.parametrize("lines", [20, 200])
def test_cart_page_runs_a_fixed_number_of_queries(orderer, orderer_client, shop, lines):
    fill_cart(orderer, shop, lines)
    cart_share_create(buyer=orderer)  # the live links are listed too
    orderer_client.get("/cart/")  # warm per-process caches (store settings, catalogue reference)
    with CaptureQueriesContext(connection) as queries:
        response = orderer_client.get("/cart/")
    assert response.status_code == 200
    assert response.content.decode().count('class="qty"') == lines
    assert len(queries) <= MAX_CART_PAGE_QUERIES, [q["sql"][:150] for q in queries]


def test_cart_page_query_count_does_not_grow_with_lines(orderer, orderer_client, shop):
    counts = {}
    for lines in (20, 200):
        Cart.objects.all().delete()
        Product.objects.filter(sku__startswith="BULK-").delete()
        fill_cart(orderer, shop, lines)
        orderer_client.get("/cart/")
        with CaptureQueriesContext(connection) as queries:
            orderer_client.get("/cart/")
        counts[lines] = len(queries)
    assert counts[20] == counts[200]


def test_htmx_quantity_change_returns_the_cart_fragment(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    line = CartLine.objects.get()
    response = orderer_client.post(f"/cart/lines/{line.pk}/", {"quantity": "3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'<div id="cart">' in response.content
    assert b"<html" not in response.content
    assert cart_of(orderer) == {"DR-100": 3}


def test_htmx_refused_quantity_shows_why_in_the_fragment(orderer, orderer_client):
    """htmx swaps only 2xx answers: a 400 would leave the refused number in the box, looking accepted."""
    cart_add(buyer=orderer, sku="GL-300", quantity=6)
    line = CartLine.objects.get()
    response = orderer_client.post(f"/cart/lines/{line.pk}/", {"quantity": "7"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"order in multiples of 6" in response.content
    assert b'value="6"' in response.content  # the box shows what the cart holds
    assert cart_of(orderer) == {"GL-300": 6}


@pytest.mark.parametrize("quantity", ["٣", "\uff13", "9" * 5000])
def test_quantity_change_in_other_digits_is_refused_and_says_why(orderer, orderer_client, quantity):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    line = CartLine.objects.get()
    response = orderer_client.post(f"/cart/lines/{line.pk}/", {"quantity": quantity}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "use the digits 0 to 9 only" in response.content.decode()
    assert cart_of(orderer) == {"DR-100": 1}


# --- C1: kept 30 days after the last change --------------------------------------------------------


def test_cart_untouched_for_more_than_30_days_is_purged_and_29_days_is_kept(orderer, shop, company):
    keeper = buyer_for(MembershipFactory(company=company))
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=31)):
        cart_add(buyer=orderer, sku="DR-100", quantity=1)
    with time_machine.travel(now - timedelta(days=29)):
        cart_add(buyer=keeper, sku="DR-100", quantity=1)
    results = run_periodic_jobs(["purge_old_carts"])
    assert results["purge_old_carts"] >= 1
    assert not Cart.objects.filter(user=orderer.user).exists()
    assert cart_of(keeper) == {"DR-100": 1}


def test_a_change_restarts_the_30_days(orderer):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=40)):
        cart_add(buyer=orderer, sku="DR-100", quantity=1)
    with time_machine.travel(now - timedelta(days=10)):
        cart_add(buyer=orderer, sku="DR-100", quantity=1)
    run_periodic_jobs(["purge_old_carts"])
    assert cart_of(orderer) == {"DR-100": 2}


def test_expired_share_link_cannot_be_used_and_is_purged_later(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    token = cart_share_create(buyer=orderer)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert cart_share_get(buyer=orderer, token=token) is None
    with time_machine.travel(timezone.now() + timedelta(days=7 + 31)):
        run_periodic_jobs(["purge_old_carts"])
    assert not CartShare.objects.exists()


def test_a_cart_holds_at_most_the_configured_lines(orderer, shop, settings):
    """SECURITY 38: past the limit, fast entry and import are refused as a whole."""
    from comptoir.carts.services import CartError, cart_fast_entry

    settings.COMPTOIR_MAX_CART_LINES = 120
    fill_cart(orderer, shop, 120)
    with pytest.raises(CartError) as error:
        cart_fast_entry(buyer=orderer, text="DR-100 1")
    assert "at most 120 lines" in str(error.value)
    assert len(cart_of(orderer)) == 120


def test_the_default_cart_limit_admits_a_5000_line_import():
    from django.conf import settings

    assert settings.COMPTOIR_MAX_CART_LINES == 5000
