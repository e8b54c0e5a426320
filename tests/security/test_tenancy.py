"""SECURITY checks 16, 17 and 42: company B's administrator reaches none of company A's objects.

One matrix, over every URL that takes an argument. The first test walks the URLconf and fails
when a URL with an argument is in neither table below: a new view must say how to fill its
argument with one of company A's objects (``TENANT_URLS``), or why it holds none
(``NOT_COMPANY_OBJECTS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils import timezone

from comptoir.carts.models import Cart, CartLine, CartShare, QuickList, QuickListLine
from comptoir.companies.models import Invitation, JoinRequest, Membership
from comptoir.companies.services import invitation_create
from comptoir.core.permissions import Role
from comptoir.inventory.models import BackInStockAlert
from comptoir.orders.models import Order, OrderStatus
from tests.factories import (
    AdminMembershipFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    StockLocationFactory,
    UserFactory,
)
from tests.security.helpers import url_patterns


@dataclass
class CompanyA:
    admin: Membership
    member: Membership
    invitation: Invitation
    join_request: JoinRequest
    alert: BackInStockAlert
    cart_line: CartLine
    order: Order
    quick_list: QuickList
    share: CartShare


# URL name → the arguments that point at one of company A's objects.
TENANT_URLS: dict[str, Callable[[CompanyA], dict[str, Any]]] = {
    "companies:member_edit": lambda a: {"pk": a.member.pk},
    "companies:member_set_active": lambda a: {"pk": a.member.pk},
    "companies:invitation_revoke": lambda a: {"pk": a.invitation.pk},
    "companies:join_request_decide": lambda a: {"pk": a.join_request.pk},
    "inventory:alert_cancel": lambda a: {"pk": a.alert.pk},
    "carts:line_update": lambda a: {"pk": a.cart_line.pk},
    "orders:detail": lambda a: {"number": a.order.number},
    "orders:approve": lambda a: {"number": a.order.number},
    "orders:decline": lambda a: {"number": a.order.number},
    "orders:cancel": lambda a: {"number": a.order.number},
    "orders:csv": lambda a: {"number": a.order.number},
    "orders:xlsx": lambda a: {"number": a.order.number},
    "orders:pdf": lambda a: {"number": a.order.number},
    "orders:reorder": lambda a: {"number": a.order.number},
    "carts:share_revoke": lambda a: {"pk": a.share.pk},
    "carts:quick_list": lambda a: {"pk": a.quick_list.pk},
    "carts:quick_list_rename": lambda a: {"pk": a.quick_list.pk},
    "carts:quick_list_lines": lambda a: {"pk": a.quick_list.pk},
    "carts:quick_list_quantities": lambda a: {"pk": a.quick_list.pk},
    "carts:quick_list_delete": lambda a: {"pk": a.quick_list.pk},
    "carts:quick_list_order": lambda a: {"pk": a.quick_list.pk},
}

# URL name → why its argument is not one of a company's objects, and where it is tested.
NOT_COMPANY_OBJECTS: dict[str, str] = {
    "catalog:product": "the shared catalogue, filtered per customer: tests/catalog/test_visibility.py",
    "inventory:alert_subscribe": "a product SKU, filtered per customer like catalog:product",
    "dev_outbox_mail": "development mail viewer, 404 unless DEBUG",
}

# Whole areas without company objects: allauth's pages, the staff back office
# (buyers are kept out: tests/security/test_access_control.py), development media.
OUTSIDE_TENANCY = ("accounts/", "backoffice/", "^media/")


def takes_arguments(pattern: URLPattern) -> bool:
    return bool(pattern.pattern.regex.groups)


def test_every_url_with_arguments_is_in_the_tenancy_matrix():
    missing = [
        f"{route} ({name or 'unnamed'})"
        for route, name, pattern in url_patterns()
        if takes_arguments(pattern)
        and not route.startswith(OUTSIDE_TENANCY)
        and name not in TENANT_URLS
        and name not in NOT_COMPANY_OBJECTS
    ]
    assert not missing, (
        "Add these URLs to TENANT_URLS (with one of company A's objects) or to NOT_COMPANY_OBJECTS "
        f"(with the reason): {missing}"
    )


def test_the_matrix_covers_the_company_and_me_areas():
    routes = {name: route for route, name, pattern in url_patterns() if takes_arguments(pattern)}
    company_and_me = {name for name, route in routes.items() if route.startswith(("company/", "me/"))}
    assert company_and_me
    assert company_and_me <= set(TENANT_URLS) | set(NOT_COMPANY_OBJECTS)


@pytest.fixture
def company_a(db, django_capture_on_commit_callbacks) -> CompanyA:
    company = CompanyFactory(name="Company A")
    admin = AdminMembershipFactory(company=company, user__email="admin@a.test")
    member = MembershipFactory(company=company, user__email="member@a.test", role=Role.SEE_PRICES)
    invitation = invitation_create(
        company=company, email="invited@a.test", role=Role.SEE_PRICES, actor=admin.user, actor_membership=admin
    )
    join_request = JoinRequest.objects.create(company=company, user=UserFactory(email="joiner@a.test"))
    location = StockLocationFactory()
    product = ProductFactory()
    alert = BackInStockAlert.objects.create(user=member.user, company=company, product=product, location=location)
    cart = Cart.objects.create(company=company, user=member.user)
    cart_line = CartLine.objects.create(cart=cart, product=product, quantity=3)
    order = Order.objects.create(
        number="A-000001",
        company=company,
        created_by=member.user,
        status=OrderStatus.AWAITING_APPROVAL,
        checkout_key="company-a-checkout",
        delivery_name="Company A",
        delivery_street="1 Main Street",
        delivery_postcode="1000",
        delivery_city="Brussels",
        delivery_country="BE",
        stock_location=location,
    )
    quick_list = QuickList.objects.create(company=company, owner=member.user, name="Weekly", shared=True)
    QuickListLine.objects.create(quick_list=quick_list, product=product, quantity=4)
    share = CartShare.objects.create(
        company=company,
        created_by=member.user,
        token_hash="0" * 64,
        lines=[[product.pk, 3]],
        expires_at=timezone.now() + timedelta(days=7),
    )
    return CompanyA(
        admin=admin,
        member=member,
        invitation=invitation,
        join_request=join_request,
        alert=alert,
        cart_line=cart_line,
        order=order,
        quick_list=quick_list,
        share=share,
    )


@pytest.fixture
def company_b_admin(client, db):
    admin = AdminMembershipFactory(company=CompanyFactory(name="Company B"), user__email="admin@b.test")
    client.force_login(admin.user)
    return admin


def snapshot(a: CompanyA) -> dict[str, Any]:
    """What company B must not be able to change, or learn."""
    member = Membership.objects.get(pk=a.member.pk)
    invitation = Invitation.objects.get(pk=a.invitation.pk)
    join_request = JoinRequest.objects.get(pk=a.join_request.pk)
    return {
        "member": (member.role, member.is_active, member.granted_permissions, member.company_id),
        "invitation": (invitation.revoked_at, invitation.accepted_at),
        "join_request": (join_request.status, join_request.decided_by_id),
        "alert": BackInStockAlert.objects.filter(pk=a.alert.pk).exists(),
        "cart_line": CartLine.objects.filter(pk=a.cart_line.pk).values_list("quantity", flat=True).first(),
        "order": Order.objects.filter(pk=a.order.pk).values_list("status", "version", "approved_by_id").first(),
        "orders": Order.objects.count(),
        "cart_lines": sorted(CartLine.objects.values_list("cart_id", "product_id", "quantity")),
        "quick_list": QuickList.objects.filter(pk=a.quick_list.pk).values_list("name", "shared").first(),
        "quick_list_lines": sorted(
            QuickListLine.objects.filter(quick_list_id=a.quick_list.pk).values_list("product_id", "quantity")
        ),
        "share": CartShare.objects.filter(pk=a.share.pk).values_list("revoked_at", flat=True).first(),
        "memberships": Membership.objects.count(),
        "b_memberships": sorted(Membership.objects.filter(company__name="Company B").values_list("user_id", flat=True)),
    }


HOSTILE_POST = {
    "role": Role.ADMINISTRATOR,
    "granted": ["manage_users"],
    "active": "0",
    "decision": "approve",
    "company": "",
    "quantity": "0",
    "remove": "1",
    "version": "1",
    "reason": "hostile",
    "name": "Renamed by B",
    "sku": "SKU-00000",
}


def tenant_url(name: str, a: CompanyA) -> str:
    try:
        return reverse(name, kwargs=TENANT_URLS[name](a))
    except NoReverseMatch:
        pytest.skip(f"{name} is not routed in this build")


def send(client, method: str, url: str):
    return getattr(client, method)(url, HOSTILE_POST if method == "post" else None)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(TENANT_URLS))
def test_company_b_admin_gets_404_on_company_a_objects(name, method, company_a, company_b_admin, client):
    url = tenant_url(name, company_a)
    before = snapshot(company_a)
    response = send(client, method, url)
    # 405: the view does not take this method, so nothing was looked up (the other method gets 404).
    assert response.status_code in {404, 405}
    assert snapshot(company_a) == before
    # No existence leak: an object that does not exist at all gets the very same answer.
    kwargs = TENANT_URLS[name](company_a)
    missing = reverse(name, kwargs={k: 999_999 if isinstance(v, int) else "Z-999999" for k, v in kwargs.items()})
    assert send(client, method, missing).status_code == response.status_code


@pytest.mark.parametrize("name", sorted(TENANT_URLS))
def test_cross_tenant_404_is_logged_with_user_and_company(name, company_a, company_b_admin, client, caplog):
    """Check 42: who asked, working for which company."""
    url = tenant_url(name, company_a)
    caplog.set_level(logging.INFO, logger="comptoir.security")
    statuses = {send(client, method, url).status_code for method in ("get", "post")}
    assert 404 in statuses
    logged = [r.getMessage() for r in caplog.records if r.name == "comptoir.security"]
    user, company = f"user={company_b_admin.user.pk}", f"company={company_b_admin.company_id}"
    assert any(user in line and company in line for line in logged), logged


def test_company_b_page_lists_nothing_of_company_a(company_a, company_b_admin, client):
    body = client.get("/company/members/").content.decode()
    for email in ("admin@a.test", "member@a.test", "invited@a.test", "joiner@a.test"):
        assert email not in body


def test_former_member_of_a_reaches_nothing_of_a_while_working_for_b(company_a, client):
    """Deactivated in A, active in B: A's objects stay out of reach, and A cannot be switched to."""
    user = company_a.member.user
    company_a.member.is_active = False
    company_a.member.save(update_fields=["is_active"])
    AdminMembershipFactory(user=user, company=CompanyFactory(name="Company B"))
    client.force_login(user)
    assert client.post("/company/switch/", {"company": company_a.admin.company_id}).status_code == 404
    url = reverse("companies:member_edit", kwargs={"pk": company_a.admin.pk})
    assert client.get(url).status_code == 404
