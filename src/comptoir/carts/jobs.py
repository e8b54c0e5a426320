"""Periodic jobs of the carts app, registered when core's ``ready()`` imports this module."""

from __future__ import annotations

from datetime import timedelta

from comptoir.carts.services import carts_purge
from comptoir.core.jobs import periodic


@periodic("purge_old_carts", every=timedelta(hours=6))
def purge_old_carts() -> int:
    return carts_purge()
