"""SECURITY check 6: the request-code, password-reset and signup forms answer the same for a known
and an unknown address; no mail goes to unknown addresses from the login and reset forms."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

UNKNOWN = "nobody@unknown.test"
TOKEN_RE = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def normalised(body: bytes, email: str) -> str:
    """The page as a visitor compares it: the address they typed and the CSRF token put aside."""
    return TOKEN_RE.sub(r"\1…", body.decode()).replace(email, "<email>")


def answer(url: str, email: str) -> tuple[int, str, str]:
    client = Client()
    response = client.post(url, {"email": email})
    location = response.get("Location", "")
    page = client.get(location) if response.status_code == 302 else response
    return response.status_code, location, normalised(page.content, email)


def test_enumeration_protection_is_on():
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True
    assert settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is False


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/code/", "/accounts/password/reset/", "/accounts/signup/"],
    ids=["request-code", "password-reset", "signup"],
)
def test_known_and_unknown_address_get_the_same_answer(url, member):
    known = answer(url, member.user.email)
    unknown = answer(url, UNKNOWN)
    assert known[:2] == unknown[:2]
    assert known[0] == 302
    assert known[2] == unknown[2]


@pytest.mark.parametrize("url", ["/accounts/login/code/", "/accounts/password/reset/"], ids=["code", "reset"])
def test_unknown_address_receives_no_mail(url, db):
    Client().post(url, {"email": UNKNOWN})
    assert mail.outbox == []


def test_signup_with_a_known_address_tells_only_the_mailbox_owner(member):
    Client().post("/accounts/signup/", {"email": member.user.email})
    [message] = mail.outbox
    assert message.to == [member.user.email]
    assert "already" in message.subject.lower()
