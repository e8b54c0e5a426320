"""SECURITY checks 1-4 and 7 (logs): login codes are strong, short-lived, single-use and bound to one user."""

from __future__ import annotations

import logging
import math
import random
import re
from collections import Counter

import pytest
import time_machine
from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.conftest import code_in, login_by_code, request_code
from tests.factories import MembershipFactory

CONFIRM_URL = "/accounts/login/code/confirm/"
REQUEST_URL = "/accounts/login/code/"
# allauth's default login-code alphabet: no vowels, no look-alike characters (RFC 8628 6.1).
ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
CODE_FORMAT = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Check 1: format and entropy ---------------------------------------------------------


@pytest.fixture(scope="module")
def ten_thousand_codes() -> list[str]:
    adapter = get_adapter()
    return [adapter.generate_login_code() for _ in range(10_000)]


def test_generated_codes_match_the_configured_format(ten_thousand_codes):
    assert account_settings.LOGIN_BY_CODE_FORMAT == {}  # allauth's default: 8 letters, dashed
    assert all(CODE_FORMAT.match(code) for code in ten_thousand_codes)


def test_code_space_holds_at_least_twenty_bits():
    bits = 8 * math.log2(len(ALPHABET))
    assert bits >= 20
    assert round(bits, 1) == 34.6


def test_generated_codes_are_practically_unique(ten_thousand_codes):
    # 10k draws from 20**8 codes: a repeat has a probability of about 0.2 %.
    assert len(set(ten_thousand_codes)) >= len(ten_thousand_codes) - 1


def test_every_character_of_the_alphabet_is_used_evenly(ten_thousand_codes):
    counts = Counter("".join(ten_thousand_codes).replace("-", ""))
    assert set(counts) == set(ALPHABET)
    expected = 80_000 / len(ALPHABET)
    # A loose bound (about 7 standard deviations): a biased generator fails it, chance does not.
    assert all(abs(n - expected) < 0.1 * expected for n in counts.values())


def test_codes_do_not_come_from_the_seedable_random_module():
    adapter = get_adapter()
    random.seed(42)
    first = [adapter.generate_login_code() for _ in range(5)]
    random.seed(42)
    second = [adapter.generate_login_code() for _ in range(5)]
    assert first != second  # drawn from the OS (secrets), not from Python's Mersenne Twister


def test_mailed_code_has_the_configured_format(client, member):
    client.post(REQUEST_URL, {"email": member.user.email})
    assert CODE_FORMAT.match(code_in(mail.outbox[-1]))


# --- Check 2: expiry ----------------------------------------------------------------------


def test_code_timeout_is_at_most_ten_minutes():
    assert 0 < settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT <= 600
    assert 0 < settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS <= 5


def test_code_still_works_just_before_the_timeout(client, member):
    with time_machine.travel("2030-01-07 09:00 +0000", tick=False) as traveller:
        code = request_code(client, member.user.email)
        traveller.shift(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT - 1)
        client.post(CONFIRM_URL, {"code": code})
        assert is_logged_in(client)


def test_code_is_rejected_after_the_timeout_and_the_flow_restarts(client, member):
    with time_machine.travel("2030-01-07 09:00 +0000", tick=False) as traveller:
        code = request_code(client, member.user.email)
        traveller.shift(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 1)
        response = client.post(CONFIRM_URL, {"code": code})
        assert not is_logged_in(client)
        assert response.status_code == 302
        assert response["Location"].startswith(REQUEST_URL)
        # The expired flow is gone: the same code does not work a moment later either.
        client.post(CONFIRM_URL, {"code": code})
        assert not is_logged_in(client)


# --- Check 3: single use, bound to one user ----------------------------------------------


def test_used_code_is_rejected_in_the_same_session_after_logout(client, member):
    code = request_code(client, member.user.email)
    client.post(CONFIRM_URL, {"code": code})
    assert is_logged_in(client)
    client.post("/accounts/logout/")
    response = client.post(CONFIRM_URL, {"code": code})
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_used_code_is_rejected_in_a_new_flow_for_the_same_user(client, member):
    code = request_code(client, member.user.email)
    client.post(CONFIRM_URL, {"code": code})
    client.post("/accounts/logout/")
    client.post(REQUEST_URL, {"email": member.user.email})  # a fresh flow with a fresh code
    client.post(CONFIRM_URL, {"code": code})
    assert not is_logged_in(client)


def test_code_for_one_user_does_not_log_in_another_in_another_session(member):
    other = MembershipFactory(company=member.company, user__email="colleague@acme.test")
    victim_client, attacker_client = Client(), Client()
    victims_code = request_code(victim_client, member.user.email)
    request_code(attacker_client, other.user.email)
    attacker_client.post(CONFIRM_URL, {"code": victims_code})
    assert not is_logged_in(attacker_client)


def test_code_logs_in_exactly_the_user_it_was_sent_to(client, member):
    MembershipFactory(company=member.company, user__email="colleague@acme.test")
    login_by_code(client, "colleague@acme.test")
    assert client.session["_auth_user_id"] != str(member.user.pk)


# --- Check 4: a few wrong tries void the code ----------------------------------------------


def test_three_wrong_codes_abort_the_flow_and_the_right_code_is_then_rejected(client, member, caplog):
    caplog.set_level(logging.INFO, logger="comptoir.security")
    code = request_code(client, member.user.email)
    wrong = "BBBB-BBBB" if code != "BBBB-BBBB" else "CCCC-CCCC"
    responses = [client.post(CONFIRM_URL, {"code": wrong}) for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS)]
    assert [r.status_code for r in responses] == [200, 200, 302]  # the third try ends the flow
    response = client.post(CONFIRM_URL, {"code": code})
    assert response.status_code == 302
    assert response["Location"].startswith(REQUEST_URL)
    assert not is_logged_in(client)
    rejected = [r for r in caplog.records if r.name == "comptoir.security" and "login_code_rejected" in r.message]
    assert len(rejected) == 3
    assert rejected[-1].levelno == logging.WARNING
    assert "last_attempt=True" in rejected[-1].message
    assert f"user={member.user.pk}" in rejected[-1].message


# --- Check 7 (logs): the code never reaches a log ------------------------------------------


def test_login_code_never_appears_in_logs(client, member, real_mail, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST_URL, {"email": member.user.email})
    assert real_mail.messages_to(member.user.email), "the code mail went through the production path"
    code = code_in(real_mail.messages_to(member.user.email)[-1])
    client.post(CONFIRM_URL, {"code": "BBBB-BBBB" if code != "BBBB-BBBB" else "CCCC-CCCC"})
    client.post(CONFIRM_URL, {"code": code})
    assert is_logged_in(client)
    # "mail.log" is the test SMTP server (aiosmtpd) echoing what it received: not ours.
    logged = "\n".join(record.getMessage() for record in caplog.records if not record.name.startswith("mail.log"))
    assert "login user=" in logged  # the success was logged ...
    assert code not in logged  # ... the code was not, dashed
    assert code.replace("-", "") not in logged  # nor undashed


def test_password_login_logs_failure_and_success_but_never_the_password(client, member, caplog):
    caplog.set_level(logging.DEBUG)
    password, wrong = "correct horse battery staple", "wrong horse battery staple"
    member.user.set_password(password)
    member.user.save()
    EmailAddress.objects.filter(user=member.user).update(verified=True)
    client.post("/accounts/login/", {"login": member.user.email, "password": wrong})
    client.post("/accounts/login/", {"login": member.user.email, "password": password})
    assert is_logged_in(client)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "login_failed" in logged
    assert f"login user={member.user.pk}" in logged
    assert password not in logged
    assert wrong not in logged
