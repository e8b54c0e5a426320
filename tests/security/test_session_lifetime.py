"""SECURITY check 12 in one place: the session's lifetime is set by ``SessionLifetimeMiddleware``
after the request that signs someone in, whatever login form they used; no login receiver sets it."""

from __future__ import annotations

import weakref

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.test import Client

from tests.conftest import login_by_code

PASSWORD = "correct horse battery staple"
TWELVE_HOURS = 12 * 3600
THIRTY_DAYS = 30 * 24 * 3600


def give_password(user) -> None:
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.filter(user=user).update(verified=True)


def cookie_age(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]


def password_login(client: Client, user, **extra: str) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_no_login_receiver_of_the_project_touches_the_session():
    receivers = [ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref, *_ in user_logged_in.receivers]
    assert not [r for r in receivers if r is not None and r.__module__.startswith("comptoir")]


def test_a_buyer_signed_in_by_code_keeps_the_session_twelve_hours(client, member):
    login_by_code(client, member.user.email)
    assert cookie_age(client) == TWELVE_HOURS
    assert client.session.get_expiry_age() == TWELVE_HOURS


def test_staff_signed_in_by_code_keep_the_session_twelve_hours(client, staff_user):
    login_by_code(client, staff_user.email)
    assert cookie_age(client) == TWELVE_HOURS


def test_a_buyer_who_keeps_me_signed_in_keeps_the_session_thirty_days(client, member):
    give_password(member.user)
    password_login(client, member.user, remember="on")
    assert cookie_age(client) == THIRTY_DAYS
    assert client.session.get_expiry_age() == THIRTY_DAYS


def test_staff_who_tick_keep_me_signed_in_still_keep_it_twelve_hours(client, staff_user):
    give_password(staff_user)
    password_login(client, staff_user, remember="on")
    assert cookie_age(client) == TWELVE_HOURS


def test_a_buyer_who_does_not_tick_it_keeps_the_session_until_the_browser_closes(client, member):
    give_password(member.user)
    password_login(client, member.user)
    assert cookie_age(client) == ""  # a browser-session cookie; the 12 hours still apply on the server
    assert client.session.get_expire_at_browser_close()


def test_a_remembered_session_keeps_thirty_days_on_later_pages(client, member):
    give_password(member.user)
    password_login(client, member.user, remember="on")
    assert client.get("/").status_code == 200
    assert client.session.get_expiry_age() == THIRTY_DAYS
