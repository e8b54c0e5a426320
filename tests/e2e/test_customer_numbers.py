"""A8, C7: a member limited to some customer numbers checks out on them, billing and delivery apart,
and finds the delivery number on the order page; the order is offered as CSV and as XLSX."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from comptoir.companies.models import Address, CustomerNumber
from comptoir.orders.models import Order
from tests.e2e.conftest import login
from tests.factories import AddressFactory, CustomerNumberFactory, MembershipFactory

pytestmark = pytest.mark.e2e
# Set to a directory to keep screenshots of the pages at desktop and phone widths.
SHOTS = os.environ.get("COMPTOIR_SHOTS_DIR", "")


def look(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True, animations="disabled")
    page.set_viewport_size({"width": 1200, "height": 800})


def test_a_limited_member_chooses_among_their_delivery_numbers_only(site, real_mail, new_context, catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    AddressFactory(company=company, kind=Address.Kind.DELIVERY, name="Acme Warehouse", street="1 Dock Road")
    billing = CustomerNumberFactory(company=company, number="C100001", kind=CustomerNumber.Kind.BOTH)
    CustomerNumberFactory(company=company, number="C100009", kind=CustomerNumber.Kind.BILLING)  # not hers
    CustomerNumberFactory(company=company, number="D200001", kind=CustomerNumber.Kind.DELIVERY)
    site_b = CustomerNumberFactory(company=company, number="D200002", kind=CustomerNumber.Kind.DELIVERY)
    membership = MembershipFactory(company=company, user__email="nora@acme.test", user__full_name="Nora Buyer")
    membership.customer_numbers.set([billing, site_b])

    nora = new_context().new_page()
    login(nora, site, real_mail, "nora@acme.test")
    nora.goto(f"{site.url}/catalogue/")
    nora.get_by_label("Quantity of DR-100").fill("1")
    nora.get_by_role("button", name="Add DR-100 to cart").click()
    expect(nora.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    nora.goto(f"{site.url}/orders/checkout/")

    billing_select = nora.get_by_label("Billing customer number")
    expect(billing_select).to_have_value(str(billing.pk))  # her only billing number is chosen for her
    expect(billing_select.locator("option")).to_have_text(["C100001 (Billing and delivery)"])
    delivery_select = nora.get_by_label("Delivery customer number")
    expect(delivery_select.locator("option")).to_have_text(
        ["Choose a customer number", "C100001 (Billing and delivery)", "D200002 (Delivery)"]
    )
    look(nora, "checkout")
    nora.get_by_role("button", name="Place the order").click()  # the browser asks for the delivery number first
    expect(nora.get_by_role("heading", level=1, name="Checkout")).to_be_visible()
    assert delivery_select.evaluate("select => select.validity.valueMissing")
    assert not Order.objects.exists()

    nora.get_by_label("Delivery customer number").select_option("D200002 (Delivery)")
    nora.get_by_role("button", name="Place the order").click()
    heading = nora.get_by_role("heading", level=1, name=re.compile(r"^Order CO-\d+$"))
    expect(heading).to_be_visible()
    facts = nora.locator("dl.facts")
    expect(facts).to_contain_text("Delivery customer number")
    expect(facts).to_contain_text("D200002")
    expect(nora.get_by_role("link", name="Download as Excel (XLSX)")).to_be_visible()
    look(nora, "order")
    order = Order.objects.get()
    assert (order.billing_number.number, order.delivery_number.number) == ("C100001", "D200002")
