"""C3, C4, C6: a buyer fills the cart from the catalogue (htmx), by fast entry and by importing a file,
then shares it with a colleague, whose cart receives the products. No page breaks the content security
policy (checked by the ``new_context`` fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comptoir.carts.models import CartLine
from comptoir.catalog.models import Product
from tests.e2e.conftest import IMG_DIR, login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def hardware(catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    company.visible_tags.add(catalogue.promo)
    Product.objects.filter(pk=catalogue.glue.pk).update(min_order_quantity=6, order_multiple=6)
    MembershipFactory(company=company, user__email="nora@acme.test", user__full_name="Nora Buyer")
    MembershipFactory(company=company, user__email="sam@acme.test", user__full_name="Sam Colleague")
    return company


def section_shot(page, selector: str, name: str) -> None:
    """A screenshot of one section of the page for the buyer guide (docs/img/<name>.png)."""
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(IMG_DIR / f"{name}.png"), animations="disabled", caret="hide")


def cart_of(email: str) -> dict[str, int]:
    return dict(CartLine.objects.filter(cart__user__email=email).values_list("product__sku", "quantity"))


def test_buyer_fills_the_cart_three_ways_and_shares_it(site, real_mail, new_context, hardware):
    nora = new_context().new_page()
    login(nora, site, real_mail, "nora@acme.test")

    # From a catalogue card, without leaving the page.
    nora.goto(f"{site.url}/catalogue/")
    nora.get_by_label("Quantity of DR-100").fill("2")
    nora.get_by_role("button", name="Add DR-100 to cart").click()
    expect(nora.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    assert nora.url == f"{site.url}/catalogue/"
    assert cart_of("nora@acme.test") == {"DR-100": 2}

    # Fast entry: a bad line stops everything and is pointed at.
    nora.goto(f"{site.url}/cart/")
    entry = nora.get_by_label("SKU and quantity, one product per line")
    entry.fill("GL-300 6\nNOPE 1")
    nora.get_by_role("button", name="Add these products to my cart").click()
    expect(nora.get_by_role("alert")).to_contain_text("NOPE")
    assert cart_of("nora@acme.test") == {"DR-100": 2}
    section_shot(nora, "#fast-entry", "cart-fast-entry")
    nora.get_by_label("SKU and quantity, one product per line").fill("GL-300 6")
    nora.get_by_role("button", name="Add these products to my cart").click()
    expect(nora.get_by_role("status")).to_contain_text("The products were added to your cart.")
    assert cart_of("nora@acme.test") == {"DR-100": 2, "GL-300": 6}

    # Import: the file replaces the cart.
    expect(nora.get_by_text("Importing a file REPLACES your current cart")).to_be_visible()
    section_shot(nora, "#import", "cart-import")
    windows_file = "Référence;Quantité\nDR-100;3\n".encode("cp1252")  # as Excel saves a CSV in Europe
    nora.get_by_label("File to import (CSV or Excel)").set_input_files(
        files=[{"name": "cart.csv", "mimeType": "text/csv", "buffer": windows_file}]
    )
    nora.get_by_role("button", name="Import and replace my cart").click()
    expect(nora.get_by_role("status")).to_contain_text("Your cart was replaced by the lines of the file.")
    assert cart_of("nora@acme.test") == {"DR-100": 3}

    # Share: the link goes to Sam, whose cart keeps what it had.
    nora.get_by_role("button", name="Share this cart").click()
    link = nora.get_by_label("Link to this cart").input_value()
    assert "/cart/shared/" in link

    sam = new_context().new_page()
    login(sam, site, real_mail, "sam@acme.test")
    sam.goto(f"{site.url}/cart/")
    sam.get_by_label("SKU and quantity, one product per line").fill("DR-100 1")
    sam.get_by_role("button", name="Add these products to my cart").click()
    path, _, token = link.partition("#")
    assert path.endswith("/cart/shared/")  # the token only in the fragment, never sent in a URL
    assert token
    sam.goto(link)
    expect(sam.get_by_role("heading", name="A cart shared with you")).to_be_visible()
    expect(sam.get_by_text("Nora Buyer shared these products with you.")).to_be_visible()
    assert token not in sam.url  # taken out of the address bar and the history
    sam.get_by_role("button", name="Add these products to my cart").click()
    expect(sam.get_by_role("status")).to_contain_text("The shared products were added to your cart.")
    assert cart_of("sam@acme.test") == {"DR-100": 4}
