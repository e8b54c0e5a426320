"""SECURITY checks 5 and 8: rate-limit counters live in a cache of their own that never evicts a
live counter, so an attacker who fills a cache cannot reset a victim's login-failure counter."""

from __future__ import annotations

import time

import time_machine
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from comptoir.core.permissions import Role

LOGIN_URL = "/accounts/login/"
PASSWORD = "correct horse battery staple"
WRONG = "wrong horse battery staple"


def failures_allowed_per_address() -> int:
    (per_address,) = [r for r in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"]) if r.per == "key"]
    return per_address.amount


def fail_to_sign_in(email: str, times: int) -> None:
    """Wrong passwords from a new address each time: only the per-address counter adds up."""
    for n in range(times):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(LOGIN_URL, {"login": email, "password": WRONG})


def signs_in(email: str) -> bool:
    visitor = Client(REMOTE_ADDR="198.51.100.7")
    visitor.post(LOGIN_URL, {"login": email, "password": PASSWORD})
    return "_auth_user_id" in visitor.session


def victim_locked_out(member) -> str:
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=member.user).update(verified=True)
    email = member.user.email
    fail_to_sign_in(email, failures_allowed_per_address())
    return email


def rows_in(alias: str) -> int:
    table = connection.ops.quote_name(settings.CACHES[alias]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - the table name comes from settings
        return cursor.fetchone()[0]


def test_the_right_password_signs_in_before_too_many_failures(member):
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=member.user).update(verified=True)
    fail_to_sign_in(member.user.email, failures_allowed_per_address() - 1)
    assert signs_in(member.user.email) is True


def test_the_victim_is_refused_even_the_right_password_after_too_many_failures(member):
    assert signs_in(victim_locked_out(member)) is False


def test_rate_limit_counters_are_kept_in_the_rate_limit_cache(member):
    email = victim_locked_out(member)
    caches["default"].clear()
    assert signs_in(email) is False
    caches["ratelimit"].clear()
    assert signs_in(email) is True


def test_filling_the_shared_cache_does_not_reset_a_login_failure_counter(member):
    email = victim_locked_out(member)
    flood_the_shared_cache()
    assert signs_in(email) is False


def test_filling_the_rate_limit_cache_with_live_counters_does_not_reset_another(member):
    """Counters that sort before the victim's and outnumber the cache's MAX_ENTRIES, as an attacker
    asking for codes for many addresses from many machines would leave."""
    email = victim_locked_out(member)
    limits = caches["ratelimit"]
    flood = settings.CACHES["ratelimit"]["OPTIONS"]["MAX_ENTRIES"] + 500
    for n in range(flood):
        limits.set(f"allauth:rl:allauth.account:a:{n:06}", [0.0], timeout=3600)
    assert signs_in(email) is False
    assert all(limits.has_key(f"allauth:rl:allauth.account:a:{n:06}") for n in (0, flood // 2, flood - 1))


def test_expired_counters_are_swept_once_the_rate_limit_cache_is_full(db):
    if settings.CACHES["ratelimit"]["BACKEND"].endswith("RedisCache"):
        return  # Redis drops an entry when its timeout passes
    limits = caches["ratelimit"]
    max_entries = settings.CACHES["ratelimit"]["OPTIONS"]["MAX_ENTRIES"]
    with time_machine.travel("2030-01-07 09:00 +0000", tick=False) as traveller:
        limits.set_many({f"old:{n}": [0.0] for n in range(max_entries + 10)}, timeout=60)
        limits.set("live", [0.0], timeout=3600)
        traveller.shift(120)
        limits.set("new", [0.0], timeout=60)  # over MAX_ENTRIES: expired rows make room
        assert rows_in("ratelimit") == 2
        assert limits.get("live") == [0.0]


def flood_the_shared_cache(keys: int = 3_000) -> None:
    assert keys > settings.CACHES["default"].get("OPTIONS", {}).get("MAX_ENTRIES", 300)
    general = caches["default"]
    for n in range(keys):
        general.set(f"flood:{n}", n, timeout=3600)


def test_filling_the_shared_cache_does_not_reset_a_limit_of_comptoirs_own(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """SECURITY check 38: Comptoir's limits (here invitations an hour per company) count there too."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite": "2/h/key"}
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            if n == 2:
                flood_the_shared_cache()
            response = admin_client.post(
                "/company/members/invite/", {"email": f"new{n}@acme.test", "role": Role.SEE_PRICES}
            )
            statuses.append(response.status_code)
    assert statuses == [302, 302, 429]


def test_a_used_authenticator_code_stays_used_when_the_shared_cache_is_filled(staff_user):
    """An authenticator-app code is accepted once: allauth marks it used in the rate-limit cache."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    secret = "JBSWY3DPEHPK3PXP"
    totp = TOTP(Authenticator.objects.create(user=staff_user, type=Authenticator.Type.TOTP, data={"secret": secret}))
    with time_machine.travel("2030-01-07 09:00:05 +0000", tick=False):
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        assert totp.validate_code(code) is True
        flood_the_shared_cache()
        assert totp.validate_code(code) is False
