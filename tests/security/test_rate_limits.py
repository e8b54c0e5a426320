"""SECURITY checks 5 and 8: code requests and guesses are capped per address and per client IP,
and a forged X-Forwarded-For header does not get around the caps."""

from __future__ import annotations

import logging

import time_machine
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core import mail
from django.test import Client

REQUEST_URL = "/accounts/login/code/"
CONFIRM_URL = "/accounts/login/code/confirm/"


def codes_sent_to(email: str) -> int:
    return sum(1 for message in mail.outbox if email in message.to)


def test_request_login_code_has_an_hourly_cap_per_address():
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["request_login_code"])
    hourly_per_address = [r for r in rates if r.per == "key" and r.duration == 3600]
    assert hourly_per_address, "an /h/key limit is needed to cap guesses an hour"
    guesses_per_hour = hourly_per_address[0].amount * settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
    assert guesses_per_hour < 100


def test_scripted_hour_against_one_address_gets_at_most_ten_codes_and_thirty_guesses(member, caplog):
    """Every minute for an hour, from a new IP each time: ask for five codes, guess each three times."""
    caplog.set_level(logging.INFO, logger="comptoir.security")
    email = member.user.email
    ip = 0
    with time_machine.travel("2030-01-07 09:00 +0000", tick=False) as traveller:
        for _minute in range(60):
            for _request in range(5):
                ip += 1
                attacker = Client(REMOTE_ADDR=f"198.51.{ip // 250}.{ip % 250 + 1}")
                attacker.post(REQUEST_URL, {"email": email})
                for _guess in range(3):
                    attacker.post(CONFIRM_URL, {"code": "BBBB-BBBB"})
            traveller.shift(60)
    guesses = [r for r in caplog.records if "login_code_rejected" in r.getMessage()]
    assert codes_sent_to(email) == 10
    assert len(guesses) <= 30 < 100


def test_per_address_limit_lifts_after_the_hour(member):
    email = member.user.email
    with time_machine.travel("2030-01-07 09:00 +0000", tick=False) as traveller:
        for minute in range(20):
            Client(REMOTE_ADDR=f"203.0.113.{minute + 1}").post(REQUEST_URL, {"email": email})
            traveller.shift(60)
        assert codes_sent_to(email) == 10
        traveller.shift(3600)
        Client(REMOTE_ADDR="203.0.113.200").post(REQUEST_URL, {"email": email})
    assert codes_sent_to(email) == 11


def test_limited_request_looks_like_an_error_not_a_sent_code(member):
    email = member.user.email
    responses = [Client(REMOTE_ADDR=f"203.0.113.{n}").post(REQUEST_URL, {"email": email}) for n in range(1, 5)]
    assert [r.status_code for r in responses] == [302, 302, 302, 200]  # 3 a minute per address
    assert codes_sent_to(email) == 3


def test_trusted_proxy_count_defaults_to_zero():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0


def test_forged_forwarded_for_does_not_evade_the_per_ip_limit(db):
    """One machine, a forged X-Forwarded-For and another address on each request: 20 a minute, then refused."""
    statuses = [
        Client(REMOTE_ADDR="192.0.2.10")
        .post(
            REQUEST_URL,
            {"email": f"probe{n}@example.test"},
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
        )
        .status_code
        for n in range(25)
    ]
    assert statuses.count(302) == 20
    assert statuses[20:] == [200] * 5


def test_forged_forwarded_for_does_not_reset_the_per_address_limit(member):
    statuses = [
        Client(REMOTE_ADDR="192.0.2.10")
        .post(REQUEST_URL, {"email": member.user.email}, HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")
        .status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 200, 200]
    assert codes_sent_to(member.user.email) == 3


def test_behind_one_trusted_proxy_only_the_address_it_appended_counts(db, settings):
    """The proxy appends the real client address; what the client put in front of it is ignored."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    statuses = [
        Client(REMOTE_ADDR="10.0.0.2")
        .post(
            REQUEST_URL,
            {"email": f"probe{n}@example.test"},
            HTTP_X_FORWARDED_FOR=f"172.16.{n}.1, 192.0.2.77",
        )
        .status_code
        for n in range(22)
    ]
    assert statuses.count(302) == 20
    # Another real client behind the same proxy is not affected.
    other = Client(REMOTE_ADDR="10.0.0.2").post(
        REQUEST_URL, {"email": "someone@example.test"}, HTTP_X_FORWARDED_FOR="192.0.2.78"
    )
    assert other.status_code == 302


def test_checkouts_are_capped_per_company(client, catalogue, company, settings):
    """SECURITY check 38: orders a minute per company (`place_order`); the one over the cap places nothing."""
    from comptoir.carts.services import cart_add
    from comptoir.orders.models import Order
    from tests.catalogue_data import buyer_for
    from tests.factories import MembershipFactory

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "place_order": "1/m/key"}
    buyer = buyer_for(MembershipFactory(company=company, user__email="orderer@acme.test"))
    client.force_login(buyer.user)
    address = {"delivery": "one-time", "name": "Acme", "street": "1 Dock Road", "postcode": "1000", "city": "Brussels"}
    statuses = []
    for key in ("first", "second"):
        cart_add(buyer=buyer, sku="DR-100", quantity=1)
        statuses.append(client.post("/orders/checkout/", {"checkout_key": key, "country": "BE", **address}).status_code)
    assert statuses == [302, 429]
    assert Order.objects.count() == 1


def test_invitations_are_capped_per_company(admin_client, settings, django_capture_on_commit_callbacks):
    """SECURITY check 38: invitations an hour per company (`invite`)."""
    from comptoir.companies.models import Invitation
    from comptoir.core.permissions import Role

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite": "2/h/key"}
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = admin_client.post(
                "/company/members/invite/", {"email": f"new{n}@acme.test", "role": Role.SEE_PRICES}
            )
            statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert Invitation.objects.count() == 2
