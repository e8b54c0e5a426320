"""The development outbox: every mail sent while DEBUG is on, readable in the browser."""

from __future__ import annotations

import email
import email.policy
import ipaddress
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[a-z0-9]{6}\.eml$")


def _from_this_machine(request: HttpRequest) -> bool:
    """The socket's peer is loopback (127.0.0.0/8 or ::1). Headers such as X-Forwarded-For are not read."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _outbox(request: HttpRequest) -> Path:
    """The mails hold login codes and invitation links: only for a developer on this machine, only with DEBUG."""
    if not settings.DEBUG or not _from_this_machine(request):
        raise Http404
    return Path(settings.COMPTOIR_OUTBOX_DIR)


def _read(path: Path) -> dict:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    return {
        "name": path.name,
        "subject": message["subject"],
        "to": message["to"],
        "date": message["date"],
        "body": body.get_content() if body else "",
    }


def outbox(request: HttpRequest) -> HttpResponse:
    folder = _outbox(request)
    files = sorted(folder.glob("*.eml"), reverse=True)[:100] if folder.exists() else []
    return render(request, "notifications/outbox.html", {"mails": [_read(p) for p in files]})


def outbox_mail(request: HttpRequest, name: str) -> HttpResponse:
    folder = _outbox(request)
    if not NAME.match(name) or not (folder / name).is_file():
        raise Http404
    return render(request, "notifications/outbox_mail.html", {"mail": _read(folder / name)})
