"""A change to the catalogue shows on the next page of every process.

Catalogue reference data and listing pages are kept per process (``core/memo.py``).
A change forgets this process's copies at once, and, once committed, gives the
catalogue a new version in the shared cache: listing pages of every process are
kept under that version, so other processes stop using theirs on their next request.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from comptoir.catalog.models import Brand, Category, Product, ProductImage, Season, Tag
from comptoir.core.memo import reference_changed

CATALOGUE_MODELS = (Product, ProductImage, Category, Brand, Season, Tag)


def catalogue_changed() -> None:
    """Call after writing products, images, categories, brands, seasons or tags in bulk
    (bulk writes send no signals); saves and deletes call it by themselves."""
    reference_changed()


def _changed(**kwargs) -> None:
    catalogue_changed()


for model in CATALOGUE_MODELS:
    post_save.connect(_changed, sender=model, dispatch_uid=f"catalog-changed-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"catalog-changed-delete-{model.__name__}")
m2m_changed.connect(_changed, sender=Product.tags.through, dispatch_uid="catalog-changed-tags")
