"""SECURITY check 15: the login address is the identity. A session cannot swap it for another address
(which would take the account over); a new address is a new identity that staff or an invitation add."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail

NEW_ADDRESS = "attacker@evil.example"


def test_a_second_address_cannot_be_added_to_an_account(client, member):
    client.force_login(member.user)
    client.post("/accounts/email/", {"action_add": "", "email": NEW_ADDRESS})
    assert list(EmailAddress.objects.filter(user=member.user).values_list("email", flat=True)) == [member.user.email]
    assert mail.outbox == []


def test_the_login_address_cannot_be_made_another_one(client, member):
    client.force_login(member.user)
    client.post("/accounts/email/", {"action_add": "", "email": NEW_ADDRESS})
    client.post("/accounts/email/", {"action_primary": "", "email": NEW_ADDRESS})
    member.user.refresh_from_db()
    assert member.user.email == "member@acme.test"
    client.post("/accounts/logout/")
    client.post("/accounts/login/code/", {"email": NEW_ADDRESS})
    assert all(NEW_ADDRESS not in m.to for m in mail.outbox)
