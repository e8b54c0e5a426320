"""SECURITY checks 7 (settings), 13 (cookies), 39 (deploy check, error pages) and 40 (headers)."""

from __future__ import annotations

from importlib import import_module

import django
import pytest
from django.conf import settings
from django.contrib.sessions.backends import db as db_sessions
from django.test import Client

from tests.conftest import request_code
from tests.security.production import production_settings, run_manage

DISALLOWED_CACHES = {"django.core.cache.backends.dummy.DummyCache", "django.core.cache.backends.locmem.LocMemCache"}
SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def prod(var_dir):
    return production_settings(
        var_dir,
        "DEBUG",
        "SESSION_ENGINE",
        "CACHES",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_PATH",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "ACCOUNT_LOGIN_BY_CODE_TIMEOUT",
    )


# --- Check 7: sessions and cache ------------------------------------------------------------


def test_sessions_are_not_signed_cookies_here():
    assert settings.SESSION_ENGINE != SIGNED_COOKIES


def test_production_sessions_live_in_the_database_and_the_cache_is_shared(prod):
    assert prod["DEBUG"] is False
    assert prod["SESSION_ENGINE"] == "comptoir.core.sessions"
    assert issubclass(import_module(prod["SESSION_ENGINE"]).SessionStore, db_sessions.SessionStore)
    assert prod["CACHES"]["default"]["BACKEND"] not in DISALLOWED_CACHES


def test_production_with_redis_keeps_sessions_and_cache_in_redis(var_dir):
    redis = production_settings(var_dir, "SESSION_ENGINE", "CACHES", REDIS_URL="redis://127.0.0.1:6379/1")
    assert redis["SESSION_ENGINE"] != SIGNED_COOKIES
    assert redis["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_rate_limits_share_one_cache_between_processes():
    # Rate limits count in the "ratelimit" cache: a per-process cache would multiply every limit.
    assert settings.CACHES["ratelimit"]["BACKEND"] not in DISALLOWED_CACHES


def test_production_rate_limits_have_a_table_of_their_own_that_keeps_live_counters(prod):
    limits = prod["CACHES"]["ratelimit"]
    assert limits["BACKEND"] == "comptoir.core.ratelimits.RateLimitDatabaseCache"
    assert limits["LOCATION"] != prod["CACHES"]["default"]["LOCATION"]


def test_production_with_redis_counts_rate_limits_under_their_own_prefix(var_dir):
    redis = production_settings(var_dir, "CACHES", REDIS_URL="redis://127.0.0.1:6379/1")
    limits = redis["CACHES"]["ratelimit"]
    assert limits["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (limits["LOCATION"], limits["KEY_PREFIX"]) == ("redis://127.0.0.1:6379/1", "ratelimit")


def test_production_can_keep_rate_limits_on_a_redis_server_of_their_own(var_dir):
    redis = production_settings(
        var_dir, "CACHES", REDIS_URL="redis://127.0.0.1:6379/1", RATE_LIMIT_REDIS_URL="redis://limits:6379/0"
    )
    assert redis["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert redis["CACHES"]["ratelimit"]["LOCATION"] == "redis://limits:6379/0"


# --- Check 12/13: session lifetime and cookie flags in production -----------------------------


def test_session_cookie_age_is_lowered_from_two_weeks(prod):
    assert prod["SESSION_COOKIE_AGE"] <= 12 * 3600


def test_production_session_cookie_is_secure_httponly_lax_host_only(prod):
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert prod["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert prod["SESSION_COOKIE_DOMAIN"] is None
    assert prod["SESSION_COOKIE_PATH"] == "/"


def test_production_csrf_cookie_is_secure_and_host_only(prod):
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert prod["CSRF_COOKIE_DOMAIN"] is None
    assert prod["CSRF_COOKIE_PATH"] == "/"


def test_production_trusted_origins_are_exact_https_origins(prod):
    assert prod["CSRF_TRUSTED_ORIGINS"] == ["https://shop.example"]
    assert all(o.startswith("https://") and "*" not in o for o in prod["CSRF_TRUSTED_ORIGINS"])


def test_session_cookie_set_at_login_is_httponly_and_lax(client, member):
    code = request_code(client, member.user.email)
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Check 39: deploy check and error pages -----------------------------------------------------


def test_production_settings_pass_the_deploy_check(var_dir):
    result = run_manage(var_dir, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(var_dir):
    result = run_manage(var_dir, "check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_not_found_page_shows_no_traceback_or_versions(client, db):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Traceback" not in body
    assert "URLconf" not in body  # Django's debug 404 lists the URL patterns
    assert django.get_version() not in body


def test_server_error_page_shows_no_traceback_or_versions(db, settings):
    settings.ROOT_URLCONF = "tests.security.failing_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in body
    assert "secret-internal-detail" not in body
    assert "RuntimeError" not in body
    assert django.get_version() not in body


# --- Check 40: security headers -----------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/accounts/login/code/", "/healthz", "/no-such-page/"], ids=["html", "json", "404"])
def test_responses_carry_a_strict_content_security_policy(client, db, url):
    directives = csp_directives(client.get(url))
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    script_sources = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources


@pytest.mark.parametrize("url", ["/accounts/login/code/", "/healthz", "/no-such-page/"], ids=["html", "json", "404"])
def test_responses_carry_nosniff_referrer_policy_and_opener_policy(client, db, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_ignores_forwarded_proto_without_a_trusted_proxy(var_dir):
    assert production_settings(var_dir, "SECURE_PROXY_SSL_HEADER")["SECURE_PROXY_SSL_HEADER"] is None


def test_production_trusts_forwarded_proto_behind_a_trusted_proxy(var_dir):
    header = production_settings(var_dir, "SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1")
    assert header["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_behind_a_trusted_proxy_passes_the_deploy_check(var_dir):
    result = run_manage(var_dir, "check", "--deploy", "--fail-level", "WARNING", TRUSTED_PROXY_COUNT="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_hsts_for_a_year_with_subdomains(prod):
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_pages_use_no_inline_script(client, member):
    client.force_login(member.user)
    body = client.get("/").content.decode()
    assert "<script>" not in body
    assert " onclick=" not in body
