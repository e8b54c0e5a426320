"""The reference version (ADR 0004, 0005) moves on from every write path of the data kept under it,
by explicit calls (``core.memo.reference_changed``), once per transaction; no model signal does it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from comptoir.backoffice.admin import ReferenceDataAdmin, site
from comptoir.backoffice.demo import seed_people
from comptoir.backoffice.models import StoreSettings
from comptoir.catalog.imports import catalogue_import
from comptoir.catalog.models import Brand, Category, Product, ProductImage, Season, Tag
from comptoir.core.memo import _new_reference_version, reference_changed, reference_version
from comptoir.inventory.models import StockLocation
from comptoir.pricing.models import PriceLevel
from tests.admin_pages import change_page_data
from tests.factories import (
    BrandFactory,
    CategoryFactory,
    PriceLevelFactory,
    ProductFactory,
    SeasonFactory,
    StockLocationFactory,
    TagFactory,
)

# Every model whose rows are kept per process under the reference version: the store settings
# (with the default price level and stock location), price levels, stock locations
# (``Buyer.price_level``, ``Buyer.stock_location``) and the catalogue (``catalogue_reference``,
# listing pages, cards).
REFERENCE_MODELS = [StoreSettings, PriceLevel, StockLocation, Product, ProductImage, Category, Brand, Season, Tag]

FACTORIES = {
    PriceLevel: PriceLevelFactory,
    StockLocation: StockLocationFactory,
    Product: ProductFactory,
    Category: CategoryFactory,
    Brand: BrandFactory,
    Season: SeasonFactory,
    Tag: TagFactory,
}


def admin_url(model, action: str, pk: int | None = None) -> str:
    meta = model._meta
    middle = f"{pk}/" if pk is not None else ""
    return f"/backoffice/{meta.app_label}/{meta.model_name}/{middle}{action}/"


def setup_committed() -> None:
    """The test's rows are written as if their own transaction had committed before the write
    path under test: a test runs in one transaction that never commits, and a change is counted
    once per transaction, so the factories' changes would hide the one under test."""
    pending, connection.run_on_commit = connection.run_on_commit, []
    for _sids, callback, _robust in pending:
        callback()


def bumps(callbacks) -> int:
    return sum(1 for callback in callbacks if callback is _new_reference_version)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_no_model_signal_keeps_the_reference_version():
    for model in [*REFERENCE_MODELS, Product.tags.through]:
        for signal in (post_save, post_delete, m2m_changed):
            assert not signal.has_listeners(model), (model, signal)


def test_every_model_under_the_reference_version_is_edited_on_a_page_that_moves_it():
    for model in REFERENCE_MODELS:
        if model is ProductImage:
            assert any(inline.model is ProductImage for inline in (site._registry[Product].inlines))
            continue
        assert isinstance(site._registry[model], ReferenceDataAdmin), model
    others = [model for model, admin in site._registry.items() if isinstance(admin, ReferenceDataAdmin)]
    assert set(others) <= set(REFERENCE_MODELS)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_saving_a_row_in_the_back_office_moves_the_version_on_once(
    model, staff_client, django_capture_on_commit_callbacks
):
    obj = FACTORIES[model]()
    url = admin_url(model, "change", obj.pk)
    data = change_page_data(staff_client, url)
    setup_committed()
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert bumps(callbacks) == 1  # the row, then its many-to-many fields and inline rows: one transaction
    assert reference_version() != before


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_deleting_a_row_in_the_back_office_moves_the_version_on(
    model, staff_client, django_capture_on_commit_callbacks
):
    obj = FACTORIES[model]()
    setup_committed()
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    assert bumps(callbacks) == 1
    assert reference_version() != before


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_deleting_rows_from_the_list_moves_the_version_on_once(model, staff_client, django_capture_on_commit_callbacks):
    rows = [FACTORIES[model](), FACTORIES[model]()]
    setup_committed()
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(
            f"/backoffice/{model._meta.app_label}/{model._meta.model_name}/",
            {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
        )
    assert response.status_code == 302
    assert not model.objects.filter(pk__in=[r.pk for r in rows]).exists()
    assert bumps(callbacks) == 1
    assert reference_version() != before


def test_changing_the_store_settings_in_the_back_office_moves_the_version_on_once(
    staff_client, django_capture_on_commit_callbacks
):
    store = StoreSettings.load()
    tag = TagFactory()
    url = admin_url(StoreSettings, "change", store.pk)
    data = change_page_data(staff_client, url) | {
        "store_name": "Quincaillerie Dupont",
        "default_visible_tags": [tag.pk],
    }
    setup_committed()
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url, data)
    assert response.status_code == 302
    assert StoreSettings.load().store_name == "Quincaillerie Dupont"
    assert list(StoreSettings.load().default_visible_tags.all()) == [tag]
    assert bumps(callbacks) == 1
    assert reference_version() != before


def test_two_changes_in_one_transaction_move_the_version_on_once(db, django_capture_on_commit_callbacks):
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        reference_changed()
        with transaction.atomic():
            reference_changed()
        reference_changed()
    assert bumps(callbacks) == 1
    assert reference_version() != before


def test_a_change_rolled_back_does_not_stop_the_next_one(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                reference_changed()
                raise RuntimeError
        except RuntimeError:
            pass
        with transaction.atomic():
            reference_changed()
    assert bumps(callbacks) == 1


def test_the_version_moves_on_only_after_the_commit(db, django_capture_on_commit_callbacks):
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reference_changed()
    assert reference_version() == before
    for callback in callbacks:
        callback()
    assert reference_version() != before


def test_importing_products_moves_the_version_on(db, django_capture_on_commit_callbacks):
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = catalogue_import(
            source=b"sku;name_en;category;brand;tags\nH-1;Hammer;hammers;Stanley;new\n", kind="products"
        )
    assert report.written
    assert bumps(callbacks) == 1
    assert reference_version() != before


def test_seeding_the_demo_people_moves_the_version_on(db, django_capture_on_commit_callbacks):
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_people(staff_password="demo-password-1")
    assert PriceLevel.objects.exists()
    assert bumps(callbacks) == 1
    assert reference_version() != before
