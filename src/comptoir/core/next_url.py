"""``next``: where to go back to after a form, as sent by the page (or by anyone)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, target: str) -> str:
    """``target`` when it is a path on this site, else "".

    Only paths ("/…"): ``redirect()`` reads anything else as the name of a URL pattern, and a
    ``next`` of "12345" or "home" would then fail or go where the page did not mean.
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return ""
    return target
