"""A6-A8, F1, G5: staff change members in the back office through the member services only.

The customer's page lists its members read only; the member's page has a "Change role and rights"
form (``member_update``) and a Deactivate/Reactivate button (``member_set_active``). Each decision is
recorded once, under the name the buyers' own member pages record it with.
"""

from __future__ import annotations

import pytest
from django.test import Client

from comptoir.companies.models import Membership
from comptoir.core.models import AuditEvent
from comptoir.core.permissions import Permission, Role
from tests.factories import CustomerNumberFactory, MembershipFactory, StaffFactory


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _rights(membership: Membership, **changes) -> dict:
    data = {
        "role": membership.role,
        "granted": membership.granted_permissions,
        "revoked": membership.revoked_permissions,
        "customer_numbers": [n.pk for n in membership.customer_numbers.all()],
    }
    if membership.orders_need_approval:
        data["orders_need_approval"] = "on"
    data.update(changes)
    return data


def test_customer_page_lists_members_read_only_with_a_link_to_each(staff_client, member):
    page = staff_client.get(f"/backoffice/companies/company/{member.company_id}/change/")
    body = page.content.decode()
    assert 'name="memberships-0-role"' not in body
    assert 'name="memberships-0-is_active"' not in body
    assert f"/backoffice/companies/membership/{member.pk}/change/" in body


def test_forged_member_rows_posted_with_the_customer_page_change_nothing(staff_client, member):
    """The member rows are no longer a form: posting them (the old inline) neither changes nor audits."""
    company = member.company
    response = staff_client.post(
        f"/backoffice/companies/company/{company.pk}/change/",
        {
            "name": company.name,
            "vat_number": company.vat_number,
            "language": "en",
            "validation_required": "unknown",
            "customer_numbers-TOTAL_FORMS": "0",
            "customer_numbers-INITIAL_FORMS": "0",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(member.pk),
            "memberships-0-company": str(company.pk),
            "memberships-0-role": Role.ADMINISTRATOR,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.is_active) == (Role.SEE_PRICES_AND_ORDER, True)
    assert not AuditEvent.objects.filter(action__in=["membership.changed", "member.updated"]).exists()


def test_member_page_is_read_only(staff_client, member):
    url = f"/backoffice/companies/membership/{member.pk}/change/"
    body = staff_client.get(url).content.decode()
    assert 'name="role"' not in body
    assert f'href="/backoffice/companies/membership/{member.pk}/rights/"' in body
    assert staff_client.post(url, {"role": Role.ADMINISTRATOR, "is_active": ""}).status_code == 403
    member.refresh_from_db()
    assert (member.role, member.is_active) == (Role.SEE_PRICES_AND_ORDER, True)


def test_staff_change_a_members_role_and_rights_through_the_member_service(staff_client, staff_user, member):
    number = CustomerNumberFactory(company=member.company, number="C100042")
    url = f"/backoffice/companies/membership/{member.pk}/rights/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        _rights(
            member,
            role=Role.SEE_PRICES,
            granted=[Permission.APPROVE_ORDERS],
            orders_need_approval="on",
            customer_numbers=[number.pk],
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.granted_permissions, member.orders_need_approval) == (
        Role.SEE_PRICES,
        [Permission.APPROVE_ORDERS],
        True,
    )
    assert list(member.customer_numbers.all()) == [number]
    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.company) == ("member.updated", staff_user, member.company)
    assert event.data["after"]["role"] == Role.SEE_PRICES


def test_staff_are_not_bound_by_the_members_own_rights_rule(staff_client, member):
    """No member of this customer manages users; the seller's staff may still make one an administrator."""
    response = staff_client.post(
        f"/backoffice/companies/membership/{member.pk}/rights/", _rights(member, role=Role.ADMINISTRATOR)
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.ADMINISTRATOR


def test_rights_form_refuses_another_customers_number(staff_client, member, other_company):
    foreign = CustomerNumberFactory(company=other_company, number="C900001")
    response = staff_client.post(
        f"/backoffice/companies/membership/{member.pk}/rights/", _rights(member, customer_numbers=[foreign.pk])
    )
    assert response.status_code == 200
    assert "customer_numbers" in response.context["form"].errors
    assert not member.customer_numbers.exists()
    assert not AuditEvent.objects.exists()


def test_rights_form_offers_only_the_customers_own_numbers(staff_client, member, other_company):
    CustomerNumberFactory(company=member.company, number="C100042")
    CustomerNumberFactory(company=other_company, number="C900001")
    body = staff_client.get(f"/backoffice/companies/membership/{member.pk}/rights/").content.decode()
    assert "C100042" in body
    assert "C900001" not in body


def test_staff_deactivate_then_reactivate_a_member_with_the_button(staff_client, staff_user, member):
    buyer = Client()
    buyer.force_login(member.user)
    assert buyer.get("/").status_code == 200
    url = f"/backoffice/companies/membership/{member.pk}/active/"

    assert staff_client.post(url, {"active": "0"}).status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert buyer.get("/")["Location"] == "/me/welcome/"

    assert staff_client.post(url, {"active": "1"}).status_code == 302
    member.refresh_from_db()
    assert member.is_active
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "target_id"))
    assert events == [
        ("member.deactivated", staff_user.pk, str(member.pk)),
        ("member.activated", staff_user.pk, str(member.pk)),
    ]


def test_deactivate_action_on_the_member_list(staff_client, staff_user, member):
    other = MembershipFactory(company=member.company)
    response = staff_client.post(
        "/backoffice/companies/membership/",
        {"action": "deactivate_selected", "_selected_action": [member.pk, other.pk]},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=[member.pk, other.pk], is_active=True).exists()
    assert AuditEvent.objects.filter(action="member.deactivated", actor=staff_user).count() == 2


def test_staff_without_the_right_to_change_members_cannot_press_the_buttons(client, member):
    viewer = StaffFactory(is_superuser=False)
    client.force_login(viewer)
    assert client.post(f"/backoffice/companies/membership/{member.pk}/active/", {"active": "0"}).status_code == 403
    assert client.get(f"/backoffice/companies/membership/{member.pk}/rights/").status_code == 403
    member.refresh_from_db()
    assert member.is_active
