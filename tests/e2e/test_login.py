"""A1: logging in with a code read from the real mail."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import request_code, shot, type_code
from tests.factories import AdminMembershipFactory, CompanyFactory

pytestmark = pytest.mark.e2e


def test_administrator_logs_in_with_the_emailed_code_and_sees_her_company(site, real_mail, page):
    company = CompanyFactory(name="Brasserie Dupont")
    AdminMembershipFactory(company=company, user__email="anna@dupont.test", user__full_name="Anna Dupont")

    page.goto(f"{site.url}/")
    expect(page.get_by_role("heading", name="Log in with a code")).to_be_visible()
    page.get_by_label("Email").fill("anna@dupont.test")
    shot(page, "login-email")

    code = request_code(page, site, real_mail, "anna@dupont.test")
    expect(page.get_by_role("status")).to_contain_text("A sign-in code has been sent to anna@dupont.test.")
    page.get_by_label("Code").fill("ABCD-EFGH")  # an example code keeps the guide's screenshot the same on every run
    shot(page, "login-code")

    type_code(page, code)
    expect(page.get_by_role("heading", name="Brasserie Dupont")).to_be_visible()
    expect(page.get_by_text("Welcome, Anna. Your role: Administrator.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Members")).to_be_visible()
    shot(page, "home")
