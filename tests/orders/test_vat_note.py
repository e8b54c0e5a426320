"""B2B prices are without VAT: every page, document and mail with a total says so, never to a member without prices."""

import pytest
from django.test import override_settings

from comptoir.carts.services import cart_add_items
from comptoir.orders.documents import order_confirmation_html
from tests.conftest import body_of
from tests.orders.conftest import client_for, place
from tests.orders.test_documents import pdf_text

VAT_NOTE = '<span class="muted vat-note">excl. VAT</span>'


@pytest.mark.django_db
def test_cart_and_checkout_totals_say_excl_vat(client, orderer):
    cart_add_items(buyer=orderer, items=[(None, "DR-100", 2)])
    client_for(client, orderer)
    assert VAT_NOTE in client.get("/cart/").content.decode()
    assert VAT_NOTE in client.get("/orders/checkout/").content.decode()


@pytest.mark.django_db
def test_the_order_page_and_pdf_say_excl_vat_in_the_members_language(client, orderer, company):
    order = place(orderer)
    client_for(client, orderer)
    assert VAT_NOTE in client.get(f"/orders/{order.number}/").content.decode()
    assert "Total (excl. VAT)" in pdf_text(client.get(f"/orders/{order.number}/pdf/"))
    assert '<span class="vat-note">(HT)</span>' in order_confirmation_html(order, show_prices=True, language="fr")


@pytest.mark.django_db
def test_a_member_without_prices_is_told_nothing_about_vat(client, carl):
    cart_add_items(buyer=carl, items=[(None, "SW-200", 1)])
    client_for(client, carl)
    for path in ("/cart/", "/orders/checkout/", "/catalogue/p/DR-100/", "/catalogue/"):
        assert "VAT" not in client.get(path).content.decode(), path
    order = place(carl, key="k2")
    assert "VAT" not in client.get(f"/orders/{order.number}/").content.decode()
    assert "VAT" not in order_confirmation_html(order, show_prices=False, language="en")


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_mail_says_excl_vat_next_to_the_total(orderer, carl, real_mail):
    order = place(orderer)
    [message] = real_mail.messages_to(orderer.user.email)
    assert f"Total: {order.total} EUR excl. VAT" in body_of(message).replace("\xa0", " ")
    place(carl, key="k3", items=[("SW-200", 1)])
    [message] = real_mail.messages_to(carl.user.email)
    assert "VAT" not in body_of(message)


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_the_product_page_says_excl_vat_on_the_price_line(client, orderer):
    client_for(client, orderer)
    page = client.get("/catalogue/p/DR-100/").content.decode()
    assert VAT_NOTE in page
    page = client.get("/catalogue/p/DR-100/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<span class="muted vat-note">excl. btw</span>' in page
