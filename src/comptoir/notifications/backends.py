"""Mail backends.

``QueuedEmailBackend`` is Django's EMAIL_BACKEND: it stores each message and
queues its delivery as a task after the transaction commits, so a page never
waits for, nor fails because of, the mail server. The delivery task hands the
stored bytes to ``COMPTOIR_DELIVERY_BACKEND``: SMTP in production, or
``OutboxEmailBackend`` in development, which prints each mail and keeps it as
an ``.eml`` file under ``var/outbox/`` (listed at ``/dev/outbox/``).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from comptoir.notifications.models import OutgoingEmail
        from comptoir.notifications.tasks import deliver_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            row = OutgoingEmail.objects.create(
                subject=str(message.subject)[:255],
                to=list(message.recipients()),
                message=message.message().as_bytes(),
            )
            transaction.on_commit(functools.partial(deliver_email.enqueue, row.pk))
            count += 1
        return count


class StoredMessage(EmailMessage):
    """An already-rendered message, sent byte for byte."""

    def __init__(self, raw: bytes, recipients: list[str], from_email: str) -> None:
        super().__init__(from_email=from_email, to=recipients)
        self.raw = raw

    def message(self, *, policy: Any = None) -> Any:
        raw = self.raw

        class _Raw:
            def as_bytes(self, linesep: str = "\n", **_kwargs: Any) -> bytes:
                return raw.replace(b"\r\n", b"\n").replace(b"\n", linesep.encode())

            def as_string(self, **_kwargs: Any) -> str:
                return raw.decode("utf-8", "replace")

        return _Raw()


class OutboxEmailBackend(BaseEmailBackend):
    """Development delivery: print every mail and keep it under ``var/outbox/``."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        outbox = Path(settings.COMPTOIR_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            raw = message.message().as_bytes()
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{get_random_string(6).lower()}.eml"
            (outbox / name).write_bytes(raw)
            if not self.fail_silently:
                stream = sys.stdout
                stream.write(raw.decode("utf-8", "replace") + "\n" + "-" * 79 + "\n")
                stream.flush()
        return len(email_messages)
