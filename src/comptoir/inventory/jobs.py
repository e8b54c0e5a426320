"""Periodic jobs of the inventory app, registered when core's ``ready()`` imports this module."""

from __future__ import annotations

from datetime import timedelta

from comptoir.core.jobs import periodic
from comptoir.inventory.services import stock_alerts_purge


@periodic("purge_stock_alerts", every=timedelta(hours=24))
def purge_stock_alerts() -> int:
    return stock_alerts_purge()
