"""Store settings are read on every page from a per-process copy (``StoreSettings.current``):
a change forgets this process's copy at once and, once committed, every other process's."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from comptoir.backoffice.models import StoreSettings
from comptoir.core.memo import reference_changed
from comptoir.inventory.models import StockLocation
from comptoir.pricing.models import PriceLevel


def store_settings_changed(**kwargs) -> None:
    reference_changed()


# The copy holds the default price level and stock location too.
for model in (StoreSettings, PriceLevel, StockLocation):
    post_save.connect(store_settings_changed, sender=model, dispatch_uid=f"store-changed-save-{model.__name__}")
    post_delete.connect(store_settings_changed, sender=model, dispatch_uid=f"store-changed-delete-{model.__name__}")
for field in ("default_visible_tags", "default_visible_seasons", "default_visible_brands"):
    m2m_changed.connect(
        store_settings_changed,
        sender=getattr(StoreSettings, field).through,
        dispatch_uid=f"store-changed-{field}",
    )
