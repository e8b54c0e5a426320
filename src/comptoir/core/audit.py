from __future__ import annotations

from typing import Any

from django.db import models

from comptoir.core.models import AuditAction, AuditEvent

__all__ = ["AuditAction", "audit"]


def audit(
    *, actor: Any, action: AuditAction, company: Any = None, target: models.Model | None = None, **data: Any
) -> AuditEvent:
    """Record that ``actor`` did ``action`` (G5). Call inside the service's transaction.

    ``action`` is one of the declared ``AuditAction`` members: an undeclared string raises
    ValueError, so every decision in the trail has a label in the back office.
    """
    action = AuditAction(action)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        company=company,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data={k: v for k, v in data.items() if v is not None},
    )
