"""A person who logs in by code sets a first password without a current one; a password can only be changed with it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from comptoir.accounts.models import User
from tests.factories import MembershipFactory

NEW = "a-long-new-passphrase-42"


@pytest.fixture
def code_only(db):
    """A member whose account row has an empty password field, as the demo seed used to leave it."""
    membership = MembershipFactory(user__email="dora@acme.test")
    User.objects.filter(pk=membership.user.pk).update(password="")
    return User.objects.get(pk=membership.user.pk)


def test_an_empty_password_field_is_no_password(code_only):
    assert not code_only.has_usable_password()
    assert not code_only.check_password("")


def test_a_person_without_a_password_sets_one_without_a_current_password(client, code_only):
    client.force_login(code_only)
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/set/"
    page = client.get("/accounts/password/set/").content.decode()
    assert 'name="oldpassword"' not in page
    client.post("/accounts/password/set/", {"password1": NEW, "password2": NEW})
    code_only.refresh_from_db()
    assert code_only.check_password(NEW)


def test_a_person_with_a_password_must_give_the_current_one(client, code_only):
    code_only.set_password("the-current-passphrase-7")
    code_only.save()
    client.force_login(code_only)
    assert client.get("/accounts/password/set/")["Location"] == "/accounts/password/change/"
    response = client.post(
        "/accounts/password/change/", {"oldpassword": "wrong-guess-123", "password1": NEW, "password2": NEW}
    )
    assert response.status_code == 200
    code_only.refresh_from_db()
    assert not code_only.check_password(NEW)
    client.post(
        "/accounts/password/change/", {"oldpassword": "the-current-passphrase-7", "password1": NEW, "password2": NEW}
    )
    code_only.refresh_from_db()
    assert code_only.check_password(NEW)


def test_demo_people_have_no_password_to_give(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DEMO_STAFF_PASSWORD", "demo-staff-secret")
    call_command("seed_demo", "--products", "0")
    dora = User.objects.get(email="dora@acme.example")
    assert not dora.has_usable_password()
    assert User.objects.get(email="staff@comptoir.example").has_usable_password()
