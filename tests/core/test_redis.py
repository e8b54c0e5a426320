"""Scaled out, sessions and rate-limit counters live in Redis (DESIGN "Scale-out"): a real Redis here."""

import os

import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.test import Client

from tests.conftest import login_by_code
from tests.security.test_rate_limit_store import signs_in, victim_locked_out

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_backed(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ratelimit",
        },
        "fragments": settings.CACHES["fragments"],  # per process in every setup (settings.py)
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    yield client
    client.flushdb()


def test_a_login_session_lives_in_redis(client, member, redis_backed):
    login_by_code(client, member.user.email)
    session_key = client.cookies["sessionid"].value
    assert any(session_key.encode() in key for key in redis_backed.keys("*"))
    assert client.get("/").status_code == 200


def test_login_code_limits_count_in_redis_across_clients(member, redis_backed):
    for _ in range(3):
        Client().post("/accounts/login/code/", {"email": member.user.email})
    assert len(mail.outbox) == 3
    Client().post("/accounts/login/code/", {"email": member.user.email})
    assert len(mail.outbox) == 3  # the fourth within a minute is refused (3/m per address)
    assert any(b"request_login_code" in key for key in redis_backed.keys("*"))


def test_rate_limit_counters_live_under_their_own_prefix_in_redis(member, redis_backed):
    Client().post("/accounts/login/code/", {"email": member.user.email})
    counters = [key for key in redis_backed.keys("*") if b"allauth:rl:" in key]
    assert counters
    assert all(key.startswith(b"ratelimit:") for key in counters)


def test_filling_the_redis_cache_does_not_reset_a_login_failure_counter(member, redis_backed):
    email = victim_locked_out(member)
    general = caches["default"]
    general.set_many({f"flood:{n}": n for n in range(3_000)}, timeout=3600)
    assert signs_in(email) is False
