"""A3: one person working for several companies picks one, then switches from the header."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, shot
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.e2e


def test_member_of_two_companies_chooses_one_then_switches_in_the_header(site, real_mail, page):
    north = CompanyFactory(name="Garage du Nord")
    south = CompanyFactory(name="Garage du Sud")
    MembershipFactory(company=north, user__email="sam@garages.test", user__full_name="Sam Peeters")
    MembershipFactory(company=south, user__email="sam@garages.test", role="administrator")

    login(page, site, real_mail, "sam@garages.test")

    expect(page.get_by_role("heading", name="Which company do you work for now?")).to_be_visible()
    shot(page, "choose-company")
    page.get_by_role("button", name="Work for Garage du Nord").click()
    expect(page.get_by_role("heading", name="Garage du Nord")).to_be_visible()
    expect(page.get_by_text("Your role: See prices and order.")).to_be_visible()

    switcher = page.get_by_label("Working for")
    expect(switcher).to_have_value(str(north.pk))
    switcher.select_option(label="Garage du Sud")
    shot(page, "company-switcher")
    page.get_by_role("button", name="Switch company").click()

    expect(page.get_by_role("heading", name="Garage du Sud")).to_be_visible()
    expect(page.get_by_text("Your role: Administrator.")).to_be_visible()
    expect(page.get_by_label("Working for")).to_have_value(str(south.pk))
