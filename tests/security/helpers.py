"""Small helpers shared by the security tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver

from comptoir.companies.models import Membership
from comptoir.companies.services import invitation_create

INVITATION_PATH_RE = re.compile(r"(/company/invitation/#[A-Za-z0-9_\-]+)")
INVITATION_PAGE = "/company/invitation/"


def invite(inviter: Membership, email: str, role: str, capture) -> str:
    """Invite ``email`` as ``inviter`` and return the link path from the e-mail."""
    with capture(execute=True):
        invitation_create(company=inviter.company, email=email, role=role, actor=inviter.user, actor_membership=inviter)
    return invitation_path_for(email)


def invitation_path_for(email: str) -> str:
    sent = [m for m in mail.outbox if email in m.to and "/company/invitation/" in m.body]
    assert sent, f"no invitation mail to {email}"
    found = INVITATION_PATH_RE.search(sent[-1].body)
    assert found
    return found.group(1)


def open_invitation(client, link: str):
    """What the page at /company/invitation/ does with the link's fragment: post it."""
    return client.post(INVITATION_PAGE, {"link": link.rpartition("#")[2]})


def accept_invitation(client, link: str):
    return client.post(INVITATION_PAGE, {"link": link.rpartition("#")[2], "accept": ""})


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """Every URL pattern of the project: (route, namespaced name, pattern)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}", entry
