"""Rendering e-mails in the recipient's language and delivering them."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from comptoir.core.jobs import backoff_delay, retry_later
from comptoir.notifications.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20  # about a day of backoff capped at an hour
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)


def recipient_language(user: Any = None, company: Any = None) -> str:
    """The language of a mail to ``user``, or to an address of ``company`` with no person behind it.

    A person's language is their own (the one in their profile, else the store's), whichever
    company the mail is about; the company's language only serves mail to an address that is
    nobody's account (an invitation to someone new, the company's own address).
    """
    if user is not None:
        return user.language or settings.LANGUAGE_CODE
    return getattr(company, "language", "") or settings.LANGUAGE_CODE


def email_send(
    *, template: str, to: list[str], context: Mapping[str, Any], language: str, reply_to: list[str] | None = None
) -> None:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in ``language`` and queue the mail."""
    ctx = {"site_url": settings.COMPTOIR_SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        text = render_to_string(f"{template}_body.txt", ctx)
        html = render_to_string(f"{template}_body.html", ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    message.send()


def outgoing_email_deliver(*, outgoing_email_id: int) -> str:
    """Send one stored mail through the delivery backend; on a transient error, try again later."""
    from comptoir.notifications.backends import StoredMessage
    from comptoir.notifications.tasks import deliver_email

    with transaction.atomic():
        row = OutgoingEmail.objects.select_for_update().filter(pk=outgoing_email_id).first()
        if row is None or row.status != OutgoingEmail.Status.QUEUED:
            return "nothing to do"
        row.attempts += 1
        row.last_attempt_at = timezone.now()
        row.save(update_fields=["attempts", "last_attempt_at"])
    connection = get_connection(settings.COMPTOIR_DELIVERY_BACKEND, fail_silently=False)
    try:
        connection.send_messages([StoredMessage(bytes(row.message), row.to, settings.DEFAULT_FROM_EMAIL)])
    except TRANSIENT_ERRORS as exc:
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutgoingEmail.Status.FAILED
        row.save(update_fields=["last_error", "status"])
        logger.warning("Mail %s not delivered (attempt %d): %s", row.pk, row.attempts, row.last_error)
        if row.status == OutgoingEmail.Status.QUEUED:
            retry_later(deliver_email, row.pk, attempt=row.attempts)
        return "will retry"
    row.status = OutgoingEmail.Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"


def queued_mail_flush() -> int:
    """Deliver mail still queued past its backoff (covers lost tasks and backends that cannot defer)."""
    now = timezone.now()
    sent = 0
    for row in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).only(
        "pk", "attempts", "created_at", "last_attempt_at"
    ):
        # A fresh mail's own task is about to run; a failed one waits out its backoff.
        if (row.last_attempt_at or row.created_at) + backoff_delay(max(row.attempts, 1)) > now:
            continue
        if outgoing_email_deliver(outgoing_email_id=row.pk) == "sent":
            sent += 1
    return sent
