"""A3: one person, several companies; the active company is chosen and can be switched."""

from __future__ import annotations

import pytest

from comptoir.core.buyer import SESSION_COMPANY_KEY
from tests.conftest import login_by_code
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture
def two_companies(db):
    user = UserFactory(email="buyer@two.test")
    first = MembershipFactory(user=user, company__name="Alpha Stores")
    second = MembershipFactory(user=user, company__name="Beta Trading")
    return user, first, second


def test_member_of_two_companies_must_choose_after_login(client, two_companies):
    user, _first, _second = two_companies
    login_by_code(client, user.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/company/choose/")
    page = client.get(response["Location"]).content.decode()
    assert "Alpha Stores" in page
    assert "Beta Trading" in page


def test_choosing_a_company_sets_the_buyer(client, two_companies):
    user, _first, second = two_companies
    client.force_login(user)
    response = client.post("/company/switch/", {"company": second.company_id, "next": "/company/profile/"})
    assert response["Location"] == "/company/profile/"
    assert client.get("/company/profile/").context["buyer"].company == second.company


@pytest.mark.parametrize("target", ["12345", "accounts:profile", "//evil.example/"])
def test_a_next_that_is_no_path_of_this_site_goes_home(client, two_companies, target):
    user, _first, second = two_companies
    client.force_login(user)
    response = client.post("/company/switch/", {"company": second.company_id, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("company", ["²", "٣", "99999999999999999999", "9" * 5000, "", "-1"])
def test_switching_to_a_company_that_is_no_id_is_not_found(client, two_companies, company):
    user, first, _second = two_companies
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    assert client.post("/company/switch/", {"company": company}).status_code == 404
    assert client.session[SESSION_COMPANY_KEY] == first.company_id


def test_switching_changes_the_buyer_on_the_next_request(client, two_companies):
    user, first, second = two_companies
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    assert client.get("/").context["buyer"].company == first.company
    client.post("/company/switch/", {"company": second.company_id})
    response = client.get("/")
    assert response.context["buyer"].company == second.company
    assert response.context["buyer"].membership == second
    assert client.session[SESSION_COMPANY_KEY] == second.company_id


def test_switcher_is_in_the_header_for_members_of_several_companies(client, two_companies):
    user, first, second = two_companies
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    body = client.get("/").content.decode()
    assert 'action="/company/switch/"' in body
    assert f'value="{second.company_id}"' in body


def test_foreign_company_in_the_switch_form_is_404(client, two_companies):
    user, first, _second = two_companies
    foreign = CompanyFactory(name="Gamma")
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    assert client.post("/company/switch/", {"company": foreign.pk}).status_code == 404
    assert client.post("/company/switch/", {"company": "not-a-number"}).status_code == 404
    assert client.get("/").context["buyer"].company == first.company


def test_switch_to_an_offsite_next_stays_on_site(client, two_companies):
    user, first, _second = two_companies
    client.force_login(user)
    response = client.post("/company/switch/", {"company": first.company_id, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_single_membership_is_chosen_by_itself(client, member):
    client.force_login(member.user)
    assert client.get("/").context["buyer"].company == member.company


def test_inactive_membership_is_not_offered(client, two_companies):
    user, first, second = two_companies
    first.is_active = False
    first.save(update_fields=["is_active"])
    client.force_login(user)
    assert client.get("/").context["buyer"].company == second.company
    assert client.post("/company/switch/", {"company": first.company_id}).status_code == 404
