"""The development outbox: every mail sent while DEBUG is on, readable in the browser."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[a-z0-9]{6}\.eml$")


def _outbox() -> Path:
    if not settings.DEBUG:
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
    folder = _outbox()
    files = sorted(folder.glob("*.eml"), reverse=True)[:100] if folder.exists() else []
    return render(request, "notifications/outbox.html", {"mails": [_read(p) for p in files]})


def outbox_mail(request: HttpRequest, name: str) -> HttpResponse:
    folder = _outbox()
    if not NAME.match(name) or not (folder / name).is_file():
        raise Http404
    return render(request, "notifications/outbox_mail.html", {"mail": _read(folder / name)})
