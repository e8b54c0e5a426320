"""Periodic jobs of the catalog app, registered when core's ``ready()`` imports this module."""

from __future__ import annotations

from datetime import timedelta

from comptoir.catalog.downloads import image_archives_purge
from comptoir.core.jobs import periodic


@periodic("purge_image_archives", every=timedelta(hours=1))
def purge_image_archives() -> int:
    return image_archives_purge()
