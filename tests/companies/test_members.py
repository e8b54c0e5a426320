"""A6-A7 and G5: administrators set roles and deactivate members; every decision is audited;
members are never deleted."""

from __future__ import annotations

import pytest
from django.test import Client

from comptoir.companies.models import Membership
from comptoir.core.models import AuditEvent
from comptoir.core.permissions import Permission, Role
from tests.factories import CustomerNumberFactory, MembershipFactory
from tests.security.helpers import url_patterns


@pytest.fixture
def target(company):
    return MembershipFactory(company=company, user__email="target@acme.test", role=Role.SEE_PRICES)


def test_role_change_is_audited_with_actor_action_and_time(admin_client, admin_membership, target):
    response = admin_client.post(f"/company/members/{target.pk}/", {"role": Role.SEE_PRICES_AND_ORDER})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.SEE_PRICES_AND_ORDER
    event = AuditEvent.objects.get(action="member.updated")
    assert event.actor == admin_membership.user
    assert event.company == target.company
    assert event.created_at is not None
    assert (event.target_type, event.target_id) == ("companies.membership", str(target.pk))
    assert event.data["before"]["role"] == Role.SEE_PRICES
    assert event.data["after"]["role"] == Role.SEE_PRICES_AND_ORDER


def test_saving_without_a_change_writes_no_audit_event(admin_client, target):
    admin_client.post(f"/company/members/{target.pk}/", {"role": Role.SEE_PRICES})
    assert not AuditEvent.objects.filter(action="member.updated").exists()


def test_administrator_adjusts_permissions_beyond_the_preset(admin_client, target):
    admin_client.post(
        f"/company/members/{target.pk}/",
        {"role": Role.SEE_PRICES, "granted": [Permission.PLACE_ORDERS], "revoked": [Permission.USE_CONVERSATIONS]},
    )
    target.refresh_from_db()
    assert Permission.PLACE_ORDERS in target.permissions
    assert Permission.USE_CONVERSATIONS not in target.permissions


def test_administrator_links_own_customer_numbers_only(admin_client, target, company, other_company):
    own = CustomerNumberFactory(company=company)
    foreign = CustomerNumberFactory(company=other_company)
    response = admin_client.post(
        f"/company/members/{target.pk}/", {"role": Role.SEE_PRICES, "customer_numbers": [own.pk, foreign.pk]}
    )
    assert response.status_code == 200  # the foreign number is not a valid choice
    assert list(target.customer_numbers.all()) == []
    admin_client.post(f"/company/members/{target.pk}/", {"role": Role.SEE_PRICES, "customer_numbers": [own.pk]})
    assert list(target.customer_numbers.all()) == [own]


def test_deactivation_and_reactivation_are_audited(admin_client, admin_membership, target):
    admin_client.post(f"/company/members/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    admin_client.post(f"/company/members/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    events = list(AuditEvent.objects.order_by("id").values_list("action", "actor", "company"))
    assert events == [
        ("member.deactivated", admin_membership.user.pk, target.company_id),
        ("member.activated", admin_membership.user.pk, target.company_id),
    ]


def test_deactivated_member_stays_listed(admin_client, target):
    admin_client.post(f"/company/members/{target.pk}/active/", {"active": "0"})
    body = admin_client.get("/company/members/").content.decode()
    assert "target@acme.test" in body
    assert "Reactivate target@acme.test" in body


def test_deactivated_member_cannot_work_for_the_company(admin_client, target):
    admin_client.post(f"/company/members/{target.pk}/active/", {"active": "0"})
    client = Client()
    client.force_login(target.user)
    assert client.get("/")["Location"] == "/me/welcome/"


def test_administrator_cannot_deactivate_themselves(admin_client, admin_membership):
    admin_client.post(f"/company/members/{admin_membership.pk}/active/", {"active": "0"})
    admin_membership.refresh_from_db()
    assert admin_membership.is_active


def test_there_is_no_way_to_delete_a_member():
    routes = [route for route, name, pattern in url_patterns() if route.startswith(("company/", "me/"))]
    assert not [r for r in routes if "delete" in r or "remove" in r]


@pytest.mark.parametrize("model", ["membership", "company", "user"])
def test_back_office_cannot_delete_members_companies_or_users(client, staff_user, target, model):
    client.force_login(staff_user)
    pk = {"membership": target.pk, "company": target.company_id, "user": target.user_id}[model]
    app = "accounts" if model == "user" else "companies"
    response = client.post(f"/backoffice/{app}/{model}/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()


def test_members_page_lists_the_company_members_with_a_fixed_number_of_queries(
    admin_client, company, django_assert_max_num_queries
):
    for n in range(15):
        MembershipFactory(company=company, user__email=f"m{n}@acme.test")
    with django_assert_max_num_queries(20):
        response = admin_client.get("/company/members/")
    assert response.content.decode().count("@acme.test</td>") == 16


# --- The seller's staff (buyer=None) ---------------------------------------------------------


def _update(membership, **kwargs):
    from comptoir.companies.services import member_update

    defaults = {
        "membership": membership,
        "role": membership.role,
        "granted": [],
        "revoked": [],
        "orders_need_approval": False,
        "customer_numbers": [],
    }
    return member_update(**{**defaults, **kwargs})


def test_staff_update_a_member_outside_any_members_rights(staff_user, target):
    _update(target, buyer=None, actor=staff_user, role=Role.ADMINISTRATOR)
    target.refresh_from_db()
    assert target.role == Role.ADMINISTRATOR
    event = AuditEvent.objects.get(action="member.updated")
    assert (event.actor, event.company) == (staff_user, target.company)


def test_staff_update_refuses_another_customers_number(staff_user, target, other_company):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _update(target, buyer=None, actor=staff_user, customer_numbers=[CustomerNumberFactory(company=other_company)])
    assert not target.customer_numbers.exists()


def test_member_update_without_a_buyer_needs_an_actor(target):
    with pytest.raises(ValueError, match="actor"):
        _update(target, buyer=None)
    assert not AuditEvent.objects.exists()
