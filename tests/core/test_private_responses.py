"""Check 40 (and item 6 of the review): nothing a signed-in user is shown is kept by a shared cache,
and pages, exports and documents are not stored at all."""

from __future__ import annotations

from django.urls import reverse
from django.utils.cache import get_max_age

from tests.factories import ProductFactory, StaffFactory
from tests.security import test_tenancy
from tests.security.helpers import url_patterns

# A company's orders, carts and quick lists, reached by their owners (the tenancy fixture).
company_a = test_tenancy.company_a
OWN_OBJECT_URLS = ("orders:detail", "orders:csv", "orders:pdf", "carts:quick_list")


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def signed_in_get_urls(prefix_filter) -> list[str]:
    return [
        "/" + route
        for route, name, pattern in url_patterns()
        if not pattern.pattern.regex.groups and prefix_filter(route)
    ]


def expected_directives(response) -> set[str]:
    """A script or a picture holds nothing personal: the browser may keep it, a shared cache not."""
    if response.get("Content-Type", "").startswith(("text/javascript", "application/javascript", "image/")):
        return {"private"}
    return {"private", "no-store"}


def assert_private_and_not_stored(client, urls: list[str]) -> None:
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        elif not expected_directives(response) <= cache_control(response):
            failures.append(f"{url}: {response.status_code} Cache-Control={response.get('Cache-Control')!r}")
    assert not failures, failures


def test_every_buyer_page_is_private_and_not_stored(client, admin_membership):
    ProductFactory()
    client.force_login(admin_membership.user)
    urls = signed_in_get_urls(lambda route: not route.startswith(("backoffice/", "accounts/logout/")))
    assert len(urls) > 40
    assert_private_and_not_stored(client, urls)


def test_every_back_office_page_is_private_and_not_stored(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    urls = signed_in_get_urls(lambda route: route.startswith("backoffice/") and route != "backoffice/logout/")
    assert len(urls) > 20
    assert_private_and_not_stored(client, urls)


def test_orders_exports_and_lists_of_the_members_company_are_private_and_not_stored(client, company_a):
    client.force_login(company_a.admin.user)
    kwargs = {name: test_tenancy.TENANT_URLS[name](company_a) for name in OWN_OBJECT_URLS}
    urls = [reverse(name, kwargs=kwargs[name]) for name in OWN_OBJECT_URLS]
    responses = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in responses.items()} == dict.fromkeys(urls, 200)
    assert_private_and_not_stored(client, urls)


def test_a_share_link_opened_by_a_member_is_private_and_not_stored(client, member):
    client.force_login(member.user)
    response = client.post("/cart/shared/", {"link": "not-a-real-token"})
    assert response.status_code == 404
    assert {"private", "no-store"} <= cache_control(response)


def test_anonymous_pages_are_left_to_the_default(client, db):
    for url in (reverse("request_access"), reverse("health")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Cache-Control" not in response


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, member):
    client.force_login(member.user)
    response = client.post(reverse("images:download"), {"link": "unknown"})
    # never_cache on the archive download: max-age=0 is its own choice, kept as it was.
    assert get_max_age(response) == 0
    assert "private" in cache_control(response)
