"""SECURITY checks 10-12 and 14: sessions rotate at login, die at logout, expire, and follow
membership changes on the very next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from comptoir.companies.models import Company
from tests.conftest import login_by_code, request_code
from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import accept_invitation, invite, open_invitation

START = "2030-01-07 08:00 +0000"
PASSWORD = "correct horse battery staple"


def planted_session(client: Client) -> str:
    """A session the visitor already had before logging in (or that an attacker planted)."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def give_password(user) -> None:
    """A user who logged in by code before (address verified) and then chose a password."""
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.filter(user=user).update(verified=True)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Check 10: the session key changes at login ----------------------------------------------


def test_session_key_changes_at_login_by_code(client, member):
    before = planted_session(client)
    login_by_code(client, member.user.email)
    assert is_logged_in(client)
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()


def test_session_key_changes_at_password_login(client, member):
    give_password(member.user)
    before = planted_session(client)
    response = client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert session_key(client) != before


def test_session_key_changes_when_logging_in_from_an_invitation(
    client, admin_membership, django_capture_on_commit_callbacks
):
    path = invite(admin_membership, "new@acme.test", "see_prices", django_capture_on_commit_callbacks)
    before = planted_session(client)
    assert open_invitation(client, path).status_code == 200  # "log in to accept"
    login_by_code(client, "new@acme.test")
    assert session_key(client) != before
    accept_invitation(client, path)
    assert client.get("/").status_code == 200
    assert session_key(client) != before


# --- Check 11: logout -------------------------------------------------------------------------


def test_old_cookie_is_dead_after_post_logout(client, member):
    client.force_login(member.user)
    old_key = session_key(client)
    assert client.post("/accounts/logout/").status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    assert not Session.objects.filter(session_key=old_key).exists()


def test_get_logout_only_asks_for_confirmation(client, member):
    client.force_login(member.user)
    key = session_key(client)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert is_logged_in(client)
    assert session_key(client) == key
    assert client.get("/").status_code == 200


# --- Check 12: idle and absolute lifetime -------------------------------------------------------


def test_staff_idle_for_thirty_one_minutes_must_log_in_again(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(staff_user)
        assert client.get("/backoffice/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/backoffice/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/code/")
        assert not is_logged_in(client)


def test_staff_active_every_twenty_nine_minutes_stays_logged_in(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(staff_user)
        for _ in range(4):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/backoffice/").status_code == 200


def test_buyer_idle_for_thirty_one_minutes_stays_logged_in(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member.user)
        traveller.shift(timedelta(minutes=31))
        assert client.get("/").status_code == 200


def test_active_buyer_must_log_in_again_after_twelve_hours_and_a_minute(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member.user)
        for _ in range(12 * 2):  # busy all day, a page every half hour
            traveller.shift(timedelta(minutes=30))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/code/")
        assert not is_logged_in(client)


def test_active_staff_must_log_in_again_after_twelve_hours_and_a_minute(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(staff_user)
        for _ in range(12 * 2):
            traveller.shift(timedelta(minutes=30))
            client.get("/backoffice/")
        traveller.shift(timedelta(minutes=1))
        assert client.get("/backoffice/").status_code == 302
        assert not is_logged_in(client)


def test_buyer_who_keeps_me_signed_in_stays_past_twelve_hours_but_not_past_thirty_days(client, member):
    give_password(member.user)
    with time_machine.travel(START, tick=False) as traveller:
        client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD, "remember": "on"})
        traveller.shift(timedelta(hours=13))
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(days=30) - timedelta(hours=13) + timedelta(minutes=1))
        assert client.get("/").status_code == 302
        assert not is_logged_in(client)


def test_staff_cannot_keep_themselves_signed_in(client, staff_user):
    give_password(staff_user)
    with time_machine.travel(START, tick=False) as traveller:
        client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD, "remember": "on"})
        assert is_logged_in(client)
        for _ in range(12 * 2):
            traveller.shift(timedelta(minutes=30))
            client.get("/backoffice/")
        traveller.shift(timedelta(minutes=1))
        assert client.get("/backoffice/").status_code == 302


# --- Check 14: access follows the membership on the next request ----------------------------------


@pytest.fixture
def live_buyer(client, member):
    login_by_code(client, member.user.email)
    assert client.get("/").status_code == 200
    return client


def test_deactivated_membership_loses_access_on_the_next_request(live_buyer, member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = live_buyer.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/me/welcome/"
    assert live_buyer.get("/company/profile/").status_code == 302


def test_suspended_company_loses_access_on_the_next_request(live_buyer, member):
    member.company.status = Company.Status.SUSPENDED
    member.company.save(update_fields=["status"])
    assert live_buyer.get("/").status_code == 302
    assert live_buyer.get("/company/profile/").status_code == 302


def test_deactivated_user_is_logged_out_on_the_next_request(live_buyer, member):
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    response = live_buyer.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")


def test_member_of_two_companies_keeps_the_other_when_one_is_suspended(client, db):
    user = UserFactory(email="two@example.test")
    first = MembershipFactory(user=user, company__name="First")
    second = MembershipFactory(user=user, company__name="Second")
    client.force_login(user)
    client.post("/company/switch/", {"company": first.company_id})
    first.company.status = Company.Status.SUSPENDED
    first.company.save(update_fields=["status"])
    response = client.get("/company/profile/")
    assert response.status_code == 200
    assert response.context["company"] == second.company


def test_deactivated_user_cannot_request_a_code(db):
    user = UserFactory(email="gone@example.test", is_active=False)
    MembershipFactory(user=user)
    client = Client()
    client.post("/accounts/login/code/", {"email": user.email})
    with pytest.raises(AssertionError):
        request_code(Client(), user.email)
