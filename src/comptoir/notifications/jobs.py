"""Periodic jobs of the notifications app (registered on import)."""

from comptoir.notifications.services import queued_mail_flush

__all__ = ["queued_mail_flush"]
