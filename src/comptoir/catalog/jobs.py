"""Periodic jobs of the catalog app (registered on import)."""

from comptoir.catalog.downloads import image_archives_purge

__all__ = ["image_archives_purge"]
