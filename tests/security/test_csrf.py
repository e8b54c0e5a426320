"""SECURITY check 25: no state change without a CSRF token or from another origin, and none by GET."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from comptoir.companies.models import Invitation, JoinRequest, Membership
from comptoir.core.buyer import SESSION_COMPANY_KEY
from comptoir.core.permissions import Role
from tests.factories import AdminMembershipFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.security.helpers import url_patterns

# Views that may take a POST without a CSRF token. Keep it empty unless a machine client needs it.
CSRF_EXEMPT_ALLOWED: set[str] = set()


@pytest.fixture
def strict_client(admin_membership) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_membership.user)
    return client


def csrf_token(client: Client) -> str:
    client.get("/company/members/")  # any page with a form sets the cookie
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_post_without_token_is_refused_and_changes_nothing(strict_client):
    response = strict_client.post("/company/members/invite/", {"email": "new@acme.test", "role": Role.SEE_PRICES})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_deactivation_without_token_is_refused(strict_client, member):
    assert strict_client.post(f"/company/members/{member.pk}/active/", {"active": "0"}).status_code == 403
    member.refresh_from_db()
    assert member.is_active


def test_post_with_a_valid_token_from_another_origin_is_refused(strict_client):
    token = csrf_token(strict_client)
    response = strict_client.post(
        "/company/members/invite/",
        {"email": "new@acme.test", "role": Role.SEE_PRICES, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_post_with_a_valid_token_from_our_origin_goes_through(strict_client, django_capture_on_commit_callbacks):
    token = csrf_token(strict_client)
    with django_capture_on_commit_callbacks(execute=True):
        response = strict_client.post(
            "/company/members/invite/",
            {"email": "new@acme.test", "role": Role.SEE_PRICES, "csrfmiddlewaretoken": token},
            HTTP_ORIGIN="http://testserver",
        )
    assert response.status_code == 302
    assert Invitation.objects.count() == 1


def test_logout_without_token_is_refused(strict_client):
    assert strict_client.post("/accounts/logout/").status_code == 403
    assert is_logged_in(strict_client)


def test_login_code_request_without_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/code/", {"email": member.user.email}).status_code == 403


# --- No state change by GET ---------------------------------------------------------------------


def test_get_logout_does_not_log_out(strict_client):
    assert strict_client.get("/accounts/logout/").status_code == 200
    assert is_logged_in(strict_client)


def test_get_switch_company_does_nothing(client, db):
    user = UserFactory(email="two@example.test")
    first = MembershipFactory(user=user, company__name="First")
    second = MembershipFactory(user=user, company__name="Second")
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    assert client.get(f"/company/switch/?company={second.company_id}").status_code == 405
    assert client.session[SESSION_COMPANY_KEY] == first.company_id


@pytest.fixture
def objects(company, admin_membership, member, django_capture_on_commit_callbacks):
    from comptoir.companies.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            company=company, email="invited@acme.test", role=Role.SEE_PRICES, actor=admin_membership.user
        )
    join_request = JoinRequest.objects.create(company=company, user=UserFactory(email="joiner@example.test"))
    return {"member": member, "invitation": invitation, "join_request": join_request}


def state(objects) -> tuple:
    return (
        Membership.objects.get(pk=objects["member"].pk).is_active,
        Invitation.objects.get(pk=objects["invitation"].pk).revoked_at,
        JoinRequest.objects.get(pk=objects["join_request"].pk).status,
        Invitation.objects.count(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/company/members/invite/?email=x@example.test&role=see_prices",
        "/company/members/{member}/active/?active=0",
        "/company/invitations/{invitation}/revoke/",
        "/company/join-requests/{join_request}/decide/?decision=approve&role=see_prices",
    ],
    ids=["invite", "deactivate", "withdraw", "approve"],
)
def test_actions_refuse_get(admin_client, objects, url):
    before = state(objects)
    response = admin_client.get(url.format(**{k: v.pk for k, v in objects.items()}))
    assert response.status_code == 405
    assert state(objects) == before


def test_no_view_is_csrf_exempt_outside_the_allow_list():
    exempt = {
        name or route
        for route, name, pattern in url_patterns()
        if getattr(pattern.callback, "csrf_exempt", False) and not route.startswith("^media/")
    }
    assert exempt <= CSRF_EXEMPT_ALLOWED


def test_switching_to_a_company_without_membership_is_404_even_with_a_token(db):
    member = AdminMembershipFactory(company=CompanyFactory(name="Mine"))
    foreign = CompanyFactory(name="Foreign")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    token = csrf_token(client)
    response = client.post("/company/switch/", {"company": foreign.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert client.session.get(SESSION_COMPANY_KEY) != foreign.pk
