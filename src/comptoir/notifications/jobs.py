"""Periodic jobs of the notifications app, registered when core's ``ready()`` imports this module."""

from __future__ import annotations

from datetime import timedelta

from comptoir.core.jobs import periodic
from comptoir.notifications.services import queued_mail_flush


@periodic("send_queued_mail", every=timedelta(minutes=1))
def send_queued_mail() -> int:
    return queued_mail_flush()
