"""A10 and F1: the seller's staff add a member (a plus-address) directly, give access to many customers at once,
and suspend a customer."""

import pytest
from playwright.sync_api import expect

from comptoir.companies.models import Invitation
from comptoir.core.models import AuditEvent
from tests.e2e.conftest import login, shot
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff_page(site, real_mail, new_context):
    """A member of the seller's staff in the back office, logged in by code."""
    StaffFactory(email="clara@seller.test", full_name="Clara Seller")
    page = new_context().new_page()
    page.goto(f"{site.url}/backoffice/")
    login(page, site, real_mail, "clara@seller.test", navigate=False)
    expect(page.get_by_role("heading", name="Back office")).to_be_visible()
    return page


def open_customer(page, name):
    page.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_staff_add_a_plus_address_that_logs_in_to_its_own_company(site, real_mail, new_context, staff_page):
    MembershipFactory(company=CompanyFactory(name="Shop Antwerp"), user__email="buyer@dropship.test")
    CompanyFactory(name="Shop Ghent")

    open_customer(staff_page, "Shop Ghent")
    staff_page.get_by_role("link", name="Add member").click()
    staff_page.get_by_label("E-mail address").fill("buyer+ghent@dropship.test")
    staff_page.get_by_label("Full name").fill("Bo Janssens")
    staff_page.get_by_label("Role").select_option(label="See prices and order")
    shot(staff_page, "backoffice-add-member")
    staff_page.get_by_role("button", name="Add member").click()
    expect(staff_page.get_by_text("buyer+ghent@dropship.test was added.")).to_be_visible()

    # The plus-address is its own login: its code arrives (in the same mailbox) and it works for Shop Ghent only.
    ghent = new_context().new_page()
    login(ghent, site, real_mail, "buyer+ghent@dropship.test")
    expect(ghent.get_by_role("heading", name="Shop Ghent")).to_be_visible()
    expect(ghent.get_by_label("Working for")).to_have_count(0)

    antwerp = new_context().new_page()
    login(antwerp, site, real_mail, "buyer@dropship.test")
    expect(antwerp.get_by_role("heading", name="Shop Antwerp")).to_be_visible()


def test_suspended_customer_loses_access_on_the_next_request(site, real_mail, new_context, staff_page):
    company = CompanyFactory(name="Atelier Roux")
    MembershipFactory(company=company, user__email="jade@roux.test")
    jade = new_context().new_page()
    login(jade, site, real_mail, "jade@roux.test")
    expect(jade.get_by_role("heading", name="Atelier Roux")).to_be_visible()

    staff_page.get_by_role("link", name="Customers", exact=True).click()
    staff_page.get_by_role("checkbox", name="Select this object for an action - Atelier Roux").check()
    staff_page.get_by_role("combobox", name="Action").select_option(label="Suspend selected customers")
    staff_page.get_by_role("button", name="Go", exact=True).click()
    expect(staff_page.get_by_text("Customers suspended; their members lost access.")).to_be_visible()

    jade.reload()
    expect(jade).to_have_url(f"{site.url}/me/welcome/")
    expect(jade.get_by_role("heading", name="Atelier Roux")).to_have_count(0)


def test_bulk_give_access_without_a_selection_keeps_each_customers_selection(
    site, real_mail, new_context, staff_page, catalogue
):
    ghent = CompanyFactory(name="Shop Ghent", email="orders@ghent.test")
    ghent.visible_brands.set([catalogue.acme_brand])  # the drill only
    antwerp = CompanyFactory(name="Shop Antwerp", email="orders@antwerp.test")
    antwerp.visible_tags.set([catalogue.promo])  # the glue only
    MembershipFactory(company=ghent, user__email="nina@ghent.test")

    staff_page.get_by_role("link", name="Customers", exact=True).click()
    for name in ("Shop Ghent", "Shop Antwerp"):
        staff_page.get_by_role("checkbox", name=f"Select this object for an action - {name}").check()
    staff_page.get_by_role("combobox", name="Action").select_option(
        label="Give access: invite selected customers (e-mail of the customer record)"
    )
    staff_page.get_by_role("button", name="Go", exact=True).click()
    expect(staff_page.get_by_role("heading", name="Give access to several customers")).to_be_visible()
    expect(staff_page.get_by_text("each customer then keeps its current selection")).to_be_visible()
    expect(staff_page.locator("input[type=checkbox]:checked")).to_have_count(0)
    staff_page.get_by_role("button", name="Send the invitations").click()
    expect(staff_page.get_by_text("2 invitations sent.")).to_be_visible()
    assert set(Invitation.objects.values_list("email", flat=True)) == {"orders@ghent.test", "orders@antwerp.test"}

    # Each customer keeps its own selection, and the back office shows it on the customer's page.
    assert list(ghent.visible_brands.all()) == [catalogue.acme_brand]
    assert list(antwerp.visible_tags.all()) == [catalogue.promo]
    open_customer(staff_page, "Shop Ghent")
    expect(staff_page.locator(".field-visible_brands_display .readonly")).to_have_text("Bosk")
    staff_page.get_by_role("link", name="Change visible products").click()
    expect(staff_page.get_by_role("checkbox", name="Bosk")).to_be_checked()
    expect(staff_page.get_by_role("checkbox", name="Makit")).not_to_be_checked()
    staff_page.go_back()
    staff_page.get_by_role("link", name="Give access").click()
    expect(staff_page.get_by_role("checkbox", name="Bosk")).to_be_checked()
    expect(staff_page.get_by_role("checkbox", name="Makit")).not_to_be_checked()

    # The buyer still sees only the drill: the hidden hammer stays hidden.
    nina = new_context().new_page()
    login(nina, site, real_mail, "nina@ghent.test")
    nina.goto(f"{site.url}/catalogue/search/?q=hammer")
    expect(nina.get_by_text("No product found.")).to_be_visible()
    expect(nina.get_by_text("Hidden hammer")).to_have_count(0)
    assert nina.goto(f"{site.url}/catalogue/p/HD-400/").status == 404
    nina.goto(f"{site.url}/catalogue/search/?q=DR-100")
    expect(nina.get_by_role("link", name="Cordless drill")).to_be_visible()


def test_staff_change_a_members_rights_then_deactivate_them(site, real_mail, new_context, staff_page):
    """The member rows on the customer's page are read only; the member's page changes them through the services."""
    company = CompanyFactory(name="Atelier Roux")
    membership = MembershipFactory(company=company, user__email="jade@roux.test", role="see_prices")
    jade = new_context().new_page()
    login(jade, site, real_mail, "jade@roux.test")
    expect(jade.get_by_role("heading", name="Atelier Roux")).to_be_visible()

    open_customer(staff_page, "Atelier Roux")
    expect(staff_page.locator("select[name^=memberships]")).to_have_count(0)
    staff_page.locator("#memberships-group").get_by_role("link", name="View").click()
    staff_page.get_by_role("link", name="Change role and rights").click()
    staff_page.get_by_label("Role").select_option(label="See prices and order")
    staff_page.get_by_role("group", name="Extra permissions").get_by_label("Approve orders").check()
    staff_page.get_by_role("button", name="Save role and rights").click()
    expect(staff_page.get_by_text("jade@roux.test was updated.")).to_be_visible()
    expect(staff_page.locator(".field-role .readonly")).to_have_text("See prices and order")
    expect(staff_page.locator(".field-granted_display .readonly")).to_have_text("Approve orders")

    staff_page.get_by_role("button", name="Deactivate").click()
    expect(staff_page.get_by_text("jade@roux.test was deactivated.")).to_be_visible()
    jade.reload()
    expect(jade).to_have_url(f"{site.url}/me/welcome/")

    staff_page.get_by_role("button", name="Reactivate").click()
    expect(staff_page.get_by_text("jade@roux.test is active again.")).to_be_visible()
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("see_prices_and_order", True)
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "member.updated",
        "member.deactivated",
        "member.activated",
    ]

    staff_page.get_by_role("link", name="Audit events").click()
    expect(staff_page.locator("#result_list")).to_contain_text("Member's rights changed")
    expect(staff_page.locator("#result_list")).to_contain_text("Member deactivated")


def test_a_second_demo_seed_keeps_a_staff_edit_and_the_staff_session(site, real_mail, new_context, settings, tmp_path):
    """A second ``make run`` (the seed command) neither reverts what staff changed nor signs staff out."""
    from django.core.management import call_command

    from comptoir.backoffice.demo import STAFF_EMAIL

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--products", "3")
    page = new_context().new_page()
    page.goto(f"{site.url}/backoffice/")
    login(page, site, real_mail, STAFF_EMAIL, navigate=False)
    open_customer(page, "Acme Trading")
    page.get_by_label("Private message").fill("Closed on Friday 12 June.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    call_command("seed_demo", "--products", "3")

    open_customer(page, "Acme Trading")
    expect(page.get_by_label("Private message")).to_have_value("Closed on Friday 12 June.")
    page.reload()
    expect(page.get_by_role("heading", name="Acme Trading")).to_be_visible()
    expect(page.get_by_label("Private message")).to_have_value("Closed on Friday 12 June.")
