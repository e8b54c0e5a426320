"""C4, C7, C8, C10 and prices hidden by role: a buyer imports a file and checks out; an order waiting
for approval is approved (or declined) by the administrator and the buyer is e-mailed; a member
who orders without prices never sees one; an onboarding order carries the new employee's details,
which cannot be changed afterwards. No page breaks the content security policy (``new_context``)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from comptoir.companies.models import Address
from comptoir.core.permissions import Role
from comptoir.orders.models import Order
from tests.conftest import body_of
from tests.e2e.conftest import IMG_DIR, MAIL_WAIT_SECONDS, login, shot
from tests.factories import AddressFactory, AdminMembershipFactory, MembershipFactory

pytestmark = pytest.mark.e2e

# An amount as a page prints one (100.00, 1,250.00, 72,50 ...), and currency marks.
PRICE_FIGURE = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.\u00a0]\d{3})*[.,]\d{2}(?![\w.,])")
CURRENCY = re.compile(r"EUR|€")


@pytest.fixture
def shop(catalogue, company):
    """Acme Test sees the Bosk brand (DR-100) and the promo tag (GL-300); it has a delivery address."""
    company.visible_brands.add(catalogue.acme_brand)
    company.visible_tags.add(catalogue.promo)
    AddressFactory(company=company, kind=Address.Kind.DELIVERY, name="Acme Warehouse", street="1 Dock Road")
    AdminMembershipFactory(company=company, user__email="anna@acme.test", user__full_name="Anna Admin")
    return company


def wait_for_mail_with(smtp, address: str, subject: str, timeout: float = MAIL_WAIT_SECONDS):
    """The first mail to ``address`` whose subject contains ``subject``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in smtp.messages_to(address):
            if subject in str(message["Subject"]):
                return message
        time.sleep(0.05)
    raise AssertionError(f"no mail {subject!r} for {address}; got: {[str(m['Subject']) for m in smtp.messages]}")


def order_number(page) -> str:
    heading = page.get_by_role("heading", level=1, name=re.compile(r"^Order CO-\d+$"))
    expect(heading).to_be_visible()
    return heading.inner_text().removeprefix("Order ").strip()


def test_buyer_imports_a_file_then_checks_out(site, real_mail, new_context, shop):
    MembershipFactory(company=shop, user__email="nora@acme.test", user__full_name="Nora Buyer")
    nora = new_context().new_page()
    login(nora, site, real_mail, "nora@acme.test")

    nora.goto(f"{site.url}/cart/")
    nora.get_by_label("SKU and quantity, one product per line").fill("GL-300 6")
    nora.get_by_role("button", name="Add these products to my cart").click()
    expect(nora.get_by_role("status")).to_contain_text("The products were added to your cart.")
    spreadsheet = b"sku;quantity\r\nDR-100;2\r\n"  # replaces the glue
    nora.get_by_label("File to import (CSV or Excel)").set_input_files(
        files=[{"name": "order.csv", "mimeType": "text/csv", "buffer": spreadsheet}]
    )
    nora.get_by_role("button", name="Import and replace my cart").click()
    expect(nora.get_by_role("status")).to_contain_text("Your cart was replaced by the lines of the file.")

    nora.get_by_role("link", name="Go to checkout").click()
    expect(nora.get_by_role("heading", level=1, name="Checkout")).to_be_visible()
    saved = nora.get_by_role("radio", name=re.compile("Acme Warehouse, 1 Dock Road"))
    expect(saved).to_be_checked()  # the saved delivery address is offered first
    nora.get_by_role("radio", name="A one-time address (type it below)").check()
    saved.check()
    nora.get_by_label("Your reference (PO number)").fill("PO-4711")
    shot(nora, "checkout")
    nora.get_by_role("button", name="Place the order").click()

    number = order_number(nora)
    expect(nora.get_by_role("status").first).to_contain_text(f"we received your order {number}")
    expect(nora.get_by_text("Confirmed", exact=True)).to_be_visible()
    expect(nora.get_by_text("PO-4711")).to_be_visible()
    expect(nora.get_by_text("1 Dock Road")).to_be_visible()
    order = Order.objects.get(number=number)
    assert order.status == "confirmed"
    assert order.reference == "PO-4711"
    assert dict(order.lines.values_list("sku", "quantity")) == {"DR-100": 2}


def place_order_as_bob(site, real_mail, new_context, shop):
    MembershipFactory(company=shop, user__email="bob@acme.test", user__full_name="Bob Baker", orders_need_approval=True)
    bob = new_context().new_page()
    login(bob, site, real_mail, "bob@acme.test")
    bob.goto(f"{site.url}/catalogue/")
    bob.get_by_label("Quantity of DR-100").fill("1")
    bob.get_by_role("button", name="Add DR-100 to cart").click()
    expect(bob.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    bob.goto(f"{site.url}/orders/checkout/")
    expect(bob.get_by_text("this order will wait for an administrator's approval")).to_be_visible()
    # A one-time address this time.
    bob.get_by_role("radio", name="A one-time address (type it below)").check()
    bob.get_by_label(re.compile(r"^Name:?$")).fill("Bob Baker")
    bob.get_by_label("Street and number").fill("5 Quay Street")
    bob.get_by_label("Postcode").fill("2000")
    bob.get_by_label("City").fill("Antwerp")
    bob.get_by_label("Country").select_option("BE")
    bob.get_by_role("button", name="Place the order").click()
    number = order_number(bob)
    expect(bob.get_by_text("Awaiting approval", exact=True)).to_be_visible()
    expect(bob.get_by_text("5 Quay Street")).to_be_visible()
    return bob, number


def open_as_anna(site, real_mail, new_context, number):
    anna = new_context().new_page()
    login(anna, site, real_mail, "anna@acme.test")
    anna.get_by_role("link", name=re.compile("^To approve")).click()
    expect(anna.get_by_role("heading", level=1, name="Orders to approve")).to_be_visible()
    anna.get_by_role("link", name=number).click()
    expect(anna.get_by_role("heading", level=1, name=f"Order {number}")).to_be_visible()
    return anna


def test_bobs_order_is_approved_by_anna(site, real_mail, new_context, shop):
    bob, number = place_order_as_bob(site, real_mail, new_context, shop)

    anna = open_as_anna(site, real_mail, new_context, number)
    decision = anna.get_by_role("region", name="Your decision")
    expect(decision).to_be_visible()
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    decision.screenshot(path=str(IMG_DIR / "order-approval.png"), animations="disabled", caret="hide")
    anna.get_by_role("button", name="Approve the order").click()
    expect(anna.get_by_role("status").first).to_contain_text(f"Order {number} is approved.")
    expect(anna.get_by_text("Confirmed", exact=True)).to_be_visible()
    expect(anna.get_by_role("button", name="Approve the order")).to_have_count(0)

    mail = wait_for_mail_with(real_mail, "bob@acme.test", f"Order {number} was approved")
    assert f"Your order {number} was approved and placed." in body_of(mail)
    assert f"/orders/{number}/" in body_of(mail)
    bob.reload()
    expect(bob.get_by_text("Confirmed", exact=True)).to_be_visible()
    expect(bob.get_by_text("Anna Admin", exact=False)).to_be_visible()  # approved by


def test_declined_order_goes_back_to_the_buyer_with_the_reason(site, real_mail, new_context, shop):
    bob, number = place_order_as_bob(site, real_mail, new_context, shop)

    anna = open_as_anna(site, real_mail, new_context, number)
    anna.get_by_label("Reason").fill("We buy drills centrally this quarter.")
    anna.get_by_role("button", name="Decline the order").click()
    expect(anna.get_by_role("status").first).to_contain_text(f"Order {number} is declined.")
    expect(anna.get_by_text("Declined", exact=True)).to_be_visible()

    mail = wait_for_mail_with(real_mail, "bob@acme.test", f"Order {number} was declined")
    assert "Reason: We buy drills centrally this quarter." in body_of(mail)
    bob.reload()
    expect(bob.get_by_text("Declined", exact=True)).to_be_visible()
    expect(bob.get_by_text("We buy drills centrally this quarter.")).to_be_visible()


def test_carl_orders_without_ever_seeing_a_price(site, real_mail, new_context, shop):
    MembershipFactory(
        company=shop, user__email="carl@acme.test", user__full_name="Carl Carlsson", role=Role.ORDER_WITHOUT_PRICES
    )
    carl = new_context().new_page()
    pages: dict[str, str] = {}

    def seen():
        carl.wait_for_load_state()
        pages[carl.url] = carl.content()

    login(carl, site, real_mail, "carl@acme.test")
    seen()
    carl.goto(f"{site.url}/catalogue/")
    seen()
    carl.get_by_role("link", name=re.compile("Cordless drill")).first.click()
    seen()
    carl.goto(f"{site.url}/catalogue/")
    carl.get_by_label("Quantity of DR-100").fill("3")
    carl.get_by_role("button", name="Add DR-100 to cart").click()
    expect(carl.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    seen()
    carl.goto(f"{site.url}/cart/")
    seen()
    carl.get_by_role("link", name="Go to checkout").click()
    seen()
    carl.get_by_role("button", name="Place the order").click()
    number = order_number(carl)
    expect(carl.get_by_text("Confirmed", exact=True)).to_be_visible()
    seen()
    carl.goto(f"{site.url}/orders/")
    seen()

    assert len(pages) >= 6, list(pages)
    assert any(number in html for html in pages.values())
    for url, html in pages.items():
        assert not CURRENCY.search(html), f"{url} shows a currency: {CURRENCY.search(html).group()}"
        found = PRICE_FIGURE.search(html)
        assert not found, f"{url} shows a price: {found.group()!r}"


def test_onboarding_order_carries_details_that_cannot_be_changed(site, real_mail, new_context, shop):
    MembershipFactory(company=shop, user__email="nora@acme.test", user__full_name="Nora Buyer")
    nora = new_context().new_page()
    login(nora, site, real_mail, "nora@acme.test")

    nora.goto(f"{site.url}/orders/onboarding/")
    expect(nora.get_by_role("heading", level=1, name="Onboarding order")).to_be_visible()
    nora.get_by_label("Full name").fill("Olivia Newhire")
    nora.get_by_label("Start date").fill("2031-09-01")
    nora.get_by_label("Job title or role").fill("Site technician")
    nora.get_by_label("Location").fill("Antwerp depot")
    nora.get_by_label("Notes").fill("Gloves size L")
    shot(nora, "onboarding")
    nora.get_by_role("button", name="Add the details to the order").click()

    expect(nora.get_by_role("heading", name="Equipment")).to_be_visible()
    nora.get_by_label(re.compile(r"^SKU:?$")).fill("DR-100")
    nora.get_by_label(re.compile(r"^Quantity:?$")).fill("1")
    nora.get_by_role("button", name="Add", exact=True).click()
    expect(nora.get_by_role("button", name="Remove DR-100")).to_be_visible()
    nora.get_by_role("link", name="Go to checkout").click()
    expect(nora.get_by_role("region", name="New employee")).to_contain_text("Olivia Newhire")
    nora.get_by_role("button", name="Place the order").click()

    number = order_number(nora)
    employee = nora.get_by_role("region", name="New employee")
    for text in ("Olivia Newhire", "Site technician", "Antwerp depot", "Gloves size L"):
        expect(employee).to_contain_text(text)
    expect(employee).to_contain_text("These details cannot be changed here.")
    # Nothing on the order page edits them: no field, no button, no link in that section ...
    expect(employee.get_by_role("textbox")).to_have_count(0)
    expect(employee.get_by_role("button")).to_have_count(0)
    expect(employee.get_by_role("link")).to_have_count(0)
    expect(nora.get_by_role("link", name=re.compile("edit|change", re.IGNORECASE))).to_have_count(0)
    # ... and the onboarding form now starts a new order, leaving this one as it was.
    nora.goto(f"{site.url}/orders/onboarding/")
    expect(nora.get_by_label("Full name")).to_have_value("")
    details = Order.objects.get(number=number).onboarding
    assert "Olivia Newhire" in str(details)
    assert "Site technician" in str(details)
