"""Links that hold a secret token carry it in the URL fragment, ``/path/#<token>``.

Browsers never send a fragment, so the token is in no server, proxy or browser-history log. The
page at ``/path/`` posts it back (``static/comptoir/token-link.js``, or the person pastes the
link) in a field named ``link``; the view reads it with ``token_from_post``.
"""

from __future__ import annotations

from django.http import HttpRequest

MAX_TOKEN_LENGTH = 200


def fragment_link(page_url: str, token: str) -> str:
    return f"{page_url}#{token}"


def token_from_post(request: HttpRequest) -> str:
    """The token the form sent: a bare token, or a whole pasted link (the part after its "#")."""
    return request.POST.get("link", "").strip().rpartition("#")[2].strip()[:MAX_TOKEN_LENGTH]
