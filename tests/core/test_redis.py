"""Scaled out, sessions and rate-limit counters live in Redis (DESIGN "Scale-out"): a real Redis here."""

import os

import pytest
import redis
from django.core import mail
from django.test import Client

from tests.conftest import login_by_code

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
