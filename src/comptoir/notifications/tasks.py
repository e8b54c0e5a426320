from __future__ import annotations

import logging

from django_tasks import task

from comptoir.notifications import services

logger = logging.getLogger(__name__)


@task()
def deliver_email(outgoing_email_id: int) -> str:
    """Deliver one stored e-mail; safe to run twice (a sent mail is not sent again)."""
    return services.outgoing_email_deliver(outgoing_email_id=outgoing_email_id)
