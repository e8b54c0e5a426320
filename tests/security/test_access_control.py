"""SECURITY checks 9, 18 and 19: the back office is for staff through allauth; a buyer without the
right gets 403; fields a form does not offer are ignored, and nobody hands out more than they hold."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from comptoir.companies.models import Company, Invitation, JoinRequest, Membership
from comptoir.core.permissions import Permission, Role
from tests.conftest import login_by_code
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"


# --- Check 9: the back office logs in through allauth -------------------------------------------


def test_backoffice_login_redirects_to_the_allauth_login(client, db):
    response = client.get("/backoffice/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/?next=")


def test_backoffice_password_form_cannot_be_used_directly(client, staff_user):
    staff_user.set_password(PASSWORD)
    staff_user.save()
    EmailAddress.objects.filter(user=staff_user).update(verified=True)
    response = client.post("/backoffice/login/", {"username": staff_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    assert "_auth_user_id" not in client.session


def test_staff_reach_the_backoffice_after_logging_in_by_code(client, staff_user):
    login_by_code(client, staff_user.email)
    assert client.get("/backoffice/").status_code == 200


def test_backoffice_login_is_rate_limited_like_every_login(client, staff_user):
    """Its login is allauth's: the per-address code limit applies to staff too."""
    statuses = [Client().post("/accounts/login/code/", {"email": staff_user.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 200]


# --- Check 18: buyers are kept out ---------------------------------------------------------------


def test_buyer_on_the_backoffice_never_sees_it(client, admin_membership):
    client.force_login(admin_membership.user)
    response = client.get("/backoffice/", follow=True)
    assert response.status_code == 403
    assert b"Comptoir back office" not in response.content


@pytest.mark.parametrize(
    "path", ["/backoffice/companies/company/", "/backoffice/accounts/user/", "/backoffice/core/auditevent/"]
)
def test_buyer_gets_no_backoffice_list(client, admin_membership, path):
    client.force_login(admin_membership.user)
    response = client.get(path)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403


def test_there_is_no_django_admin_at_the_usual_address(client, admin_membership):
    client.force_login(admin_membership.user)
    assert client.get("/admin/").status_code == 404


@pytest.fixture
def buyer_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def target(company):
    return MembershipFactory(company=company, user__email="target@acme.test", role=Role.SEE_PRICES)


@pytest.fixture
def pending_join(company):
    return JoinRequest.objects.create(company=company, user=UserFactory(email="joiner@example.test"))


@pytest.fixture
def open_invitation(company, admin_membership):
    from comptoir.companies.services import invitation_create

    return invitation_create(
        company=company, email="invited@example.test", role=Role.SEE_PRICES, actor=admin_membership.user
    )


def test_buyer_without_manage_users_gets_403_on_members(buyer_client):
    assert buyer_client.get("/company/members/").status_code == 403


def test_buyer_without_manage_users_gets_403_on_invite(buyer_client):
    response = buyer_client.post("/company/members/invite/", {"email": "x@example.test", "role": Role.SEE_PRICES})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_buyer_without_manage_users_gets_403_on_change_role(buyer_client, target):
    assert buyer_client.get(f"/company/members/{target.pk}/").status_code == 403
    response = buyer_client.post(f"/company/members/{target.pk}/", {"role": Role.ADMINISTRATOR})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.SEE_PRICES


def test_buyer_without_manage_users_gets_403_on_deactivate(buyer_client, target):
    assert buyer_client.post(f"/company/members/{target.pk}/active/", {"active": "0"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_buyer_without_manage_users_gets_403_on_approve(buyer_client, pending_join):
    response = buyer_client.post(
        f"/company/join-requests/{pending_join.pk}/decide/", {"decision": "approve", "role": Role.SEE_PRICES}
    )
    assert response.status_code == 403
    pending_join.refresh_from_db()
    assert pending_join.status == JoinRequest.Status.PENDING


def test_buyer_without_manage_users_gets_403_on_withdrawing_an_invitation(buyer_client, open_invitation):
    assert buyer_client.post(f"/company/invitations/{open_invitation.pk}/revoke/").status_code == 403
    open_invitation.refresh_from_db()
    assert open_invitation.revoked_at is None


def test_forbidden_attempt_is_logged_with_user_and_company(buyer_client, member, caplog):
    caplog.set_level("INFO", logger="comptoir.security")
    buyer_client.get("/company/members/")
    assert any(
        f"user={member.user.pk}" in r.getMessage() and f"company={member.company_id}" in r.getMessage()
        for r in caplog.records
        if r.name == "comptoir.security"
    )


# --- Check 19: extra fields are ignored; no more than one holds ----------------------------------


@pytest.fixture
def manager(company):
    """Orders and sees prices, and was given the right to manage users on top."""
    return MembershipFactory(
        company=company,
        user__email="manager@acme.test",
        role=Role.SEE_PRICES_AND_ORDER,
        granted_permissions=[Permission.MANAGE_USERS],
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager.user)
    return client


def member_form(role: str, **extra) -> dict:
    return {"role": role, **extra}


def test_member_edit_ignores_company_user_and_staff_fields(admin_client, target, other_company):
    other_user = UserFactory(email="other@example.test")
    response = admin_client.post(
        f"/company/members/{target.pk}/",
        member_form(
            Role.QUICK_LISTS_ONLY,
            company=other_company.pk,
            user=other_user.pk,
            is_staff="on",
            is_superuser="on",
            is_active="0",
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    target.user.refresh_from_db()
    assert target.role == Role.QUICK_LISTS_ONLY
    assert (target.company_id, target.user.email, target.is_active) == (target.company_id, "target@acme.test", True)
    assert target.company.name == "Acme Test"
    assert not target.user.is_staff
    assert not target.user.is_superuser


def test_manager_cannot_give_a_role_above_their_own(manager_client, target):
    manager_client.post(f"/company/members/{target.pk}/", member_form(Role.ADMINISTRATOR))
    target.refresh_from_db()
    assert target.role == Role.SEE_PRICES


def test_manager_cannot_grant_a_permission_they_do_not_hold(manager_client, target):
    manager_client.post(f"/company/members/{target.pk}/", member_form(Role.SEE_PRICES, granted=["approve_orders"]))
    target.refresh_from_db()
    assert target.granted_permissions == []
    assert Permission.APPROVE_ORDERS not in target.permissions


def test_manager_cannot_grant_themselves_more(manager_client, manager):
    manager_client.post(
        f"/company/members/{manager.pk}/",
        member_form(Role.SEE_PRICES_AND_ORDER, granted=["manage_users", "approve_orders", "see_company_orders"]),
    )
    manager.refresh_from_db()
    assert Permission.APPROVE_ORDERS not in manager.permissions
    assert Permission.SEE_COMPANY_ORDERS not in manager.permissions


def test_manager_cannot_demote_an_administrator(manager_client, admin_membership):
    manager_client.post(f"/company/members/{admin_membership.pk}/", member_form(Role.QUICK_LISTS_ONLY))
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMINISTRATOR


def test_manager_cannot_deactivate_an_administrator(manager_client, admin_membership):
    manager_client.post(f"/company/members/{admin_membership.pk}/active/", {"active": "0"})
    admin_membership.refresh_from_db()
    assert admin_membership.is_active


def test_manager_cannot_approve_a_join_request_above_their_own_role(manager_client, pending_join):
    manager_client.post(
        f"/company/join-requests/{pending_join.pk}/decide/", {"decision": "approve", "role": Role.ADMINISTRATOR}
    )
    pending_join.refresh_from_db()
    assert pending_join.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(user=pending_join.user).exists()


def test_administrator_cannot_remove_their_own_right_to_manage_users(admin_client, admin_membership):
    admin_client.post(f"/company/members/{admin_membership.pk}/", member_form(Role.SEE_PRICES))
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMINISTRATOR


def test_registration_ignores_status_and_staff_fields(client, db):
    user = UserFactory(email="founder@newco.test")
    client.force_login(user)
    client.post(
        "/company/register/",
        {
            "name": "NewCo",
            "vat_number": "BE0123456749",
            "language": "en",
            "full_name": "Founder",
            "billing-name": "NewCo",
            "billing-street": "1 Road",
            "billing-postcode": "1000",
            "billing-city": "Brussels",
            "billing-country": "BE",
            "delivery_same": "on",
            "status": "active",
            "is_staff": "on",
            "role": "administrator",
            "vat_number_checked_by_staff": "on",
        },
    )
    company = Company.objects.get(name="NewCo")
    user.refresh_from_db()
    assert company.status == Company.Status.PENDING
    assert not company.vat_number_checked_by_staff
    assert not user.is_staff


def test_own_profile_ignores_email_and_staff_fields(client, member):
    client.force_login(member.user)
    client.post("/me/", {"full_name": "New Name", "language": "fr", "email": "hijack@example.test", "is_staff": "on"})
    member.user.refresh_from_db()
    assert member.user.full_name == "New Name"
    assert member.user.email == "member@acme.test"
    assert not member.user.is_staff
