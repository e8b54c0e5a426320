"""The main menu is kept per process by language and rights (templates/_base.html): each member
still sees exactly the links their rights give, whoever loaded a page before them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from comptoir.core.permissions import Role
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

NAV_RE = re.compile(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', re.DOTALL)
LINK_RE = re.compile(r'<a href="([^"]+)"')


def _menu(client, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    return set(LINK_RE.findall(NAV_RE.search(page).group(1)))


def _expected(permissions: frozenset[str], *, staff: bool = False) -> set[str]:
    links = {reverse(name) for name in ("home", "catalog:list", "orders:list", "inventory:alerts")}
    links |= {reverse("companies:profile"), reverse("accounts:profile")}
    if "place_orders" in permissions or "order_from_quick_lists" in permissions:
        links.add(reverse("carts:cart"))
    if "approve_orders" in permissions:
        links.add(reverse("orders:approvals"))
    if "manage_users" in permissions:
        links.add(reverse("companies:members"))
    if staff:
        links.add(reverse("backoffice:index"))
    return links


def test_each_role_sees_its_own_links_whoever_came_first(client, company):
    # Most rights first, so that a menu kept for one role would show up in the next one's page.
    roles = [Role.ADMINISTRATOR, Role.SEE_PRICES_AND_ORDER, Role.QUICK_LISTS_ONLY, Role.SEE_PRICES]
    for role in roles + roles[::-1]:
        membership = MembershipFactory(company=company, role=role)
        assert _menu(client, membership.user) == _expected(membership.permissions), role


def test_staff_link_only_for_staff(client, company):
    staff = StaffFactory()
    MembershipFactory(company=company, user=staff, role=Role.SEE_PRICES)
    buyer = MembershipFactory(company=company, role=Role.SEE_PRICES)
    assert reverse("backoffice:index") in _menu(client, staff)
    assert reverse("backoffice:index") not in _menu(client, buyer.user)


def test_menu_follows_the_language(client, company):
    french = MembershipFactory(company=company, user__language="fr")
    english = MembershipFactory(company=company, user__language="en")
    client.force_login(french.user)
    assert ">Commandes<" in client.get(reverse("accounts:profile")).content.decode()
    client.force_login(english.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert ">Orders<" in page
    assert "Commandes" not in page
