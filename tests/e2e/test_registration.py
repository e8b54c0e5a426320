"""A4: a business registers, the seller's staff review and activate it, the registrant starts working."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from comptoir.companies.models import Company
from tests.conftest import body_of, code_in
from tests.e2e.conftest import login, shot, wait_for_mail
from tests.factories import StaffFactory

pytestmark = pytest.mark.e2e

STAFF_PASSWORD = "counter-staff-2026!"


def test_registration_is_reviewed_by_staff_and_the_registrant_reaches_the_home_page(site, real_mail, new_context):
    staff_user = StaffFactory(email="clara@seller.test", full_name="Clara Seller")
    staff_user.set_password(STAFF_PASSWORD)
    staff_user.save()

    # The registrant signs up with an e-mail address and confirms it with the mailed code.
    marc = new_context().new_page()
    marc.goto(f"{site.url}/accounts/signup/")
    marc.get_by_label("Email").fill("marc@menuiserie.test")
    marc.get_by_role("button", name="Sign Up").click()
    expect(marc.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    marc.get_by_label("Code").fill(code_in(wait_for_mail(real_mail, "marc@menuiserie.test")))
    marc.get_by_role("button", name="Confirm").click()

    # Logged in without a company: register one.
    expect(marc.get_by_role("heading", name="Welcome")).to_be_visible()
    marc.get_by_role("link", name="Register your company").click()
    marc.get_by_label("Company name").fill("Menuiserie Lambert")
    marc.get_by_label("VAT or company number").fill("BE 0123.456.749")
    marc.get_by_label("Your name").fill("Marc Lambert")
    billing = marc.get_by_role("group", name="Billing address")
    billing.get_by_label("Name").fill("Menuiserie Lambert SRL")
    billing.get_by_label("Street and number").fill("Rue du Bois 12")
    billing.get_by_label("Postcode").fill("5000")
    billing.get_by_label("City").fill("Namur")
    billing.get_by_label("Country").select_option(label="Belgium")
    expect(marc.get_by_label("Deliver to the billing address")).to_be_checked()
    shot(marc, "register-company", full_page=True)
    marc.get_by_role("button", name="Send my registration").click()

    expect(marc.get_by_role("status")).to_contain_text("We review your registration")
    expect(marc.get_by_role("heading", name="Registration under review")).to_be_visible()
    expect(marc.get_by_text("Menuiserie Lambert: we review your registration")).to_be_visible()
    shot(marc, "registration-under-review")

    # A fixed registration time keeps the guide's screenshot of the customer page the same on every run.
    Company.objects.filter(name="Menuiserie Lambert").update(
        created_at=datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    )

    # The seller's staff log in with a password and find the registration in the queues.
    clara = new_context().new_page()
    clara.goto(f"{site.url}/backoffice/")
    expect(clara).to_have_url(re.compile(r"/accounts/login/code/\?next=(/|%2F)backoffice(/|%2F)"))
    clara.get_by_role("link", name="Log in with a password instead").click()
    expect(clara).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)backoffice(/|%2F)"))
    clara.get_by_label("Email").fill("clara@seller.test")
    clara.get_by_label("Password").fill(STAFF_PASSWORD)
    clara.get_by_role("button", name="Sign In").click()
    # The first password login confirms the address once, with a mailed code.
    expect(clara.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    clara.get_by_label("Code").fill(code_in(wait_for_mail(real_mail, "clara@seller.test")))
    clara.get_by_role("button", name="Confirm").click()

    expect(clara.get_by_role("heading", name="Back office")).to_be_visible()
    queues = clara.get_by_role("table", name="Waiting for you")
    expect(queues.get_by_role("row", name="Registrations to review")).to_contain_text("1")
    shot(clara, "backoffice-queues")
    queues.get_by_role("link", name="Registrations to review").click()
    clara.get_by_role("link", name="Menuiserie Lambert").click()
    expect(clara.get_by_role("heading", name="Menuiserie Lambert")).to_be_visible()
    clara.get_by_label("Customer number (empty: next free)").fill("C204711")
    shot(clara, "backoffice-company")
    clara.get_by_role("button", name="Activate", exact=True).click()
    expect(clara.get_by_text("Menuiserie Lambert is active.")).to_be_visible()
    expect(clara.get_by_role("group", name="Customer numbers").get_by_role("textbox").first).to_have_value("C204711")
    expect(clara.get_by_role("button", name="Activate", exact=True)).to_have_count(0)

    # The registrant is told by mail, and logging in again reaches the company's home page.
    activated = wait_for_mail(real_mail, "marc@menuiserie.test", count=2)
    assert "Your account for Menuiserie Lambert is active" in activated["Subject"]
    assert "Your customer number is C204711." in body_of(activated)
    assert f"{site.url}/accounts/login/code/" in body_of(activated)

    marc_again = new_context().new_page()
    login(marc_again, site, real_mail, "marc@menuiserie.test")
    expect(marc_again.get_by_role("heading", name="Menuiserie Lambert")).to_be_visible()
    expect(marc_again.get_by_text("Welcome, Marc. Your role: Administrator.")).to_be_visible()
