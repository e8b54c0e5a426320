"""The interface's language belongs to the person, never to the company they work for."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture
def max_(db):
    """Max works for Acme (English) and Globex (French) and chose no language of his own."""
    user = UserFactory(email="max@multi.test", language="")
    acme = MembershipFactory(user=user, company=CompanyFactory(name="Acme", language="en")).company
    globex = MembershipFactory(user=user, company=CompanyFactory(name="Globex", language="fr")).company
    return user, acme, globex


def page_language(client, path: str = "/company/profile/", **headers) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response["Content-Language"]


def test_switching_company_keeps_the_interface_language(client, max_):
    user, acme, globex = max_
    client.force_login(user)
    client.post("/company/switch/", {"company": acme.pk})
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="en") == "en"
    client.post("/company/switch/", {"company": globex.pk})
    response = client.get("/company/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["buyer"].company == globex
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_without_a_language_of_their_own_the_browser_decides(client, max_):
    user, _acme, globex = max_
    client.force_login(user)
    client.post("/company/switch/", {"company": globex.pk})
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="sv") == "sv"
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="de") == settings.LANGUAGE_CODE


def test_the_profile_language_wins_over_the_browser_in_every_company(client, max_):
    user, acme, globex = max_
    user.language = "nl"
    user.save(update_fields=["language"])
    client.force_login(user)
    for company in (acme, globex):
        client.post("/company/switch/", {"company": company.pk})
        assert page_language(client, HTTP_ACCEPT_LANGUAGE="fr") == "nl"


def test_emptying_the_profile_language_gives_the_choice_back_to_the_browser(client, max_):
    user, acme, _globex = max_
    client.force_login(user)
    client.post("/company/switch/", {"company": acme.pk})
    client.post("/me/", {"full_name": "Max Multi", "language": "sv"})
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="en") == "sv"
    client.post("/me/", {"full_name": "Max Multi", "language": ""})
    assert page_language(client, HTTP_ACCEPT_LANGUAGE="en") == "en"
