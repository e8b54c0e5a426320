from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from comptoir.core.buyer import SESSION_COMPANY_KEY, active_memberships, resolve_buyer
from comptoir.core.http import ComptoirRequest

security_log = logging.getLogger("comptoir.security")

AUTH_AT_KEY = "comptoir_auth_at"
LAST_SEEN_KEY = "comptoir_last_seen"
REMEMBER_KEY = "comptoir_remember"


def session_start(request: HttpRequest, user: Any) -> None:
    """The request signed ``user`` in: start the absolute clock; "keep me signed in" (a buyer's
    choice, never staff's) stretches it from 12 hours to 30 days. Run after the login view, so
    the session's expiry set here is the last word (allauth's password form sets its own)."""
    now = int(time.time())
    session = request.session
    remember = request.method == "POST" and request.POST.get("remember") in {"on", "true", "1"}
    session[AUTH_AT_KEY] = now
    session[LAST_SEEN_KEY] = now
    session[REMEMBER_KEY] = bool(remember and not user.is_staff)
    if session[REMEMBER_KEY]:
        session.set_expiry(settings.COMPTOIR_REMEMBER_ME_AGE)
    elif not session.get_expire_at_browser_close():  # unticked on the password form: until the browser closes
        session.set_expiry(settings.SESSION_COOKIE_AGE)
    security_log.info("login user=%s", user.pk)


class SessionLifetimeMiddleware:
    """The one place for a session's lifetime (SECURITY check 12): started when a request signs
    someone in (``session_start``), ended after 12 hours (30 days when a buyer chose "keep me
    signed in") or after 30 idle minutes for staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in_before = user is not None and user.is_authenticated
        if user is not None and signed_in_before:
            now = int(time.time())
            session = request.session
            auth_at = session.get(AUTH_AT_KEY)
            if auth_at is None:  # signed in without a login page (``Client.force_login``): Django's login time
                auth_at = int(user.last_login.timestamp()) if user.last_login else now
            limit = settings.COMPTOIR_REMEMBER_ME_AGE if session.get(REMEMBER_KEY) else settings.SESSION_COOKIE_AGE
            last_seen = session.get(LAST_SEEN_KEY, auth_at)
            idle_expired = user.is_staff and now - last_seen > settings.COMPTOIR_STAFF_IDLE_TIMEOUT
            if now - auth_at > limit or idle_expired:
                security_log.info("session expired user=%s idle=%s", user.pk, idle_expired)
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
            if now - last_seen >= 30:
                session[LAST_SEEN_KEY] = now
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if not signed_in_before and user is not None and user.is_authenticated:
            session_start(request, user)
        return response


class BuyerContextMiddleware:
    """Sets ``request.buyer`` (or None) and ``request.memberships`` once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: ComptoirRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        memberships = active_memberships(user)
        request.memberships = memberships
        buyer = resolve_buyer(user, memberships, request.session.get(SESSION_COMPANY_KEY)) if memberships else None
        request.buyer = buyer
        return self.get_response(request)


class UserLanguageMiddleware:
    """Without an explicit choice (the language menu's cookie), use the language in the person's profile.

    The language belongs to the person: when their profile leaves it empty, LocaleMiddleware's
    choice stands (the browser's Accept-Language, else the store's default). The company they
    work for never changes it, so switching company keeps the interface's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            language = user.language if user is not None and user.is_authenticated else ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


# Content types that never hold prices or personal data (a product photo, a style sheet): a
# shared cache still may not keep them for a signed-in user, but the browser may.
_STORABLE_TYPES = ("image/", "font/", "text/css", "text/javascript", "application/javascript")


class PrivateResponseMiddleware:
    """A signed-in user's responses are theirs alone: ``private`` on all of them, and
    ``no-store`` on every page, export or document (prices, orders, addresses, names).

    A view that chose its own ``Cache-Control`` keeps it. Anonymous responses (the login
    page, static files served by WhiteNoise before this runs) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view: a response to the request that signed the user out still
        # carried their page.
        user = getattr(request, "user", None)
        was_signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if not (was_signed_in or (user is not None and user.is_authenticated)):
            return response
        if response.has_header("Cache-Control"):
            return response
        content_type = response.get("Content-Type", "").lower()
        if content_type.startswith(_STORABLE_TYPES):
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
