"""The session and the signed-in user, read on every request in SQL written once (core/sessions.py,
accounts/backends.py), behave as Django's own reads: expired or unknown sessions and inactive
users are signed out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from comptoir.accounts.backends import AuthenticationBackend
from comptoir.core.sessions import SessionStore
from tests.conftest import login_by_code

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def test_login_by_code_signs_in_with_the_comptoir_backend(client, member):
    login_by_code(client, member.user.email)
    assert client.session[BACKEND_SESSION_KEY] == "comptoir.accounts.backends.AuthenticationBackend"
    assert _signed_in(client)


def test_expired_session_is_signed_out(client, member):
    login_by_code(client, member.user.email)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not _signed_in(client)


def test_unknown_session_key_is_signed_out(client, member):
    login_by_code(client, member.user.email)
    Session.objects.all().delete()
    assert not _signed_in(client)


def test_deactivated_user_is_signed_out_on_the_next_request(client, member):
    login_by_code(client, member.user.email)
    assert _signed_in(client)
    type(member.user).objects.filter(pk=member.user.pk).update(is_active=False)
    assert not _signed_in(client)


def test_session_store_reads_what_it_saved():
    store = SessionStore()
    store["basket"] = {"sku": "DR-100", "quantity": 3}
    store.create()
    again = SessionStore(session_key=store.session_key)
    assert again["basket"] == {"sku": "DR-100", "quantity": 3}
    assert SessionStore(session_key="x" * 32).load() == {}


def test_backend_returns_the_user_as_the_orm_does(member):
    user = AuthenticationBackend().get_user(member.user.pk)
    orm = type(member.user).objects.get(pk=member.user.pk)
    assert [getattr(user, f.attname) for f in orm._meta.concrete_fields] == [
        getattr(orm, f.attname) for f in orm._meta.concrete_fields
    ]
    assert AuthenticationBackend().get_user(10**9) is None
