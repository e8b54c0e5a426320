"""The 400, 403, 404 and form-expired (CSRF) pages: the site's layout, a sentence and a way home,
in the member's language, for members and anonymous visitors alike; nothing about the server."""

from __future__ import annotations

import django
import pytest
from django.test import Client

from comptoir.core.permissions import Role
from tests.factories import MembershipFactory

FAILING_URLS = "tests.security.failing_urls"

# URL → (status, English sentence, French sentence)
ERROR_PAGES = {
    "/no-such-page/": (404, "Page not found", "Page introuvable"),
    "/forbidden/": (403, "You cannot open this page", "Vous ne pouvez pas ouvrir cette page"),
    "/bad/": (400, "Request not understood", "Demande incomprise"),
}


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = FAILING_URLS


@pytest.fixture
def french_member(company):
    return MembershipFactory(company=company, user__email="marie@acme.test", user__language="fr")


def assert_error_page(response, status: int, sentence: str) -> None:
    body = response.content.decode()
    assert response.status_code == status
    assert 'class="site-header"' in body  # the site's layout
    assert 'class="site-footer"' in body
    assert sentence in body
    assert 'href="/"' in body  # the way home
    assert "secret-internal-detail" not in body
    assert "Traceback" not in body
    assert django.get_version() not in body


@pytest.mark.parametrize("url", sorted(ERROR_PAGES))
def test_error_page_has_the_layout_for_an_anonymous_visitor(client, db, failing_urls, url):
    status, english, _ = ERROR_PAGES[url]
    assert_error_page(client.get(url), status, english)


@pytest.mark.parametrize("url", sorted(ERROR_PAGES))
def test_error_page_speaks_the_members_language(client, french_member, failing_urls, url):
    client.force_login(french_member.user)
    status, _, french = ERROR_PAGES[url]
    response = client.get(url)
    assert_error_page(response, status, french)
    assert '<html lang="fr">' in response.content.decode()


def test_error_page_keeps_the_members_menu(client, french_member, failing_urls):
    client.force_login(french_member.user)
    body = client.get("/no-such-page/").content.decode()
    assert "Se déconnecter" in body or 'action="/accounts/logout/"' in body
    assert french_member.company.name in body


def test_a_right_the_member_lacks_gives_the_forbidden_page_in_their_language(client, company):
    membership = MembershipFactory(company=company, role=Role.SEE_PRICES, user__language="fr")
    client.force_login(membership.user)
    assert_error_page(client.get("/cart/lists/"), 403, "Vous ne pouvez pas ouvrir cette page")


def test_refused_form_gives_the_expired_form_page_in_the_members_language(french_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(french_member.user)
    response = client.post("/accounts/logout/")
    assert_error_page(response, 403, "Ce formulaire a expiré")
    assert "Rien n\u2019a été modifié" in response.content.decode()
    # Still signed in: the refused form changed nothing.
    assert client.get("/me/").status_code == 200


def test_refused_form_gives_the_expired_form_page_to_an_anonymous_visitor(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/code/", {"email": "someone@example.com"})
    assert_error_page(response, 403, "This form has expired")
