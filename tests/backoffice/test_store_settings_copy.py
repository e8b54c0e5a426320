"""Store settings are read on every page from a per-process copy: a change must still show on
the next request, in this process and in every other (backoffice/signals.py)."""

from django.core.cache import cache

from comptoir.backoffice.models import StoreSettings
from comptoir.core.memo import REFERENCE_VERSION_KEY, reference_version
from tests.factories import MembershipFactory


def header(client) -> str:
    response = client.get("/catalogue/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_saved_change_shows_on_the_next_page(client, company):
    client.force_login(MembershipFactory(company=company).user)
    assert "Comptoir" in header(client)
    store = StoreSettings.load()
    store.store_name = "Quincaillerie Dupont"
    store.save()
    assert "Quincaillerie Dupont" in header(client)


def test_a_change_committed_by_another_process_shows_on_the_next_request(client, company):
    client.force_login(MembershipFactory(company=company).user)
    assert "Comptoir" in header(client)
    # Another process writes (this one hears nothing) and moves the shared version on.
    StoreSettings.objects.filter(pk=StoreSettings.load().pk).update(store_name="Quincaillerie Dupont")
    assert "Quincaillerie Dupont" not in header(client)  # the copy is in use until the version moves
    cache.set(REFERENCE_VERSION_KEY, "changed-elsewhere", timeout=None)
    assert "Quincaillerie Dupont" in header(client)


def test_the_copy_moves_on_only_after_the_commit(db, django_capture_on_commit_callbacks):
    before = reference_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        StoreSettings.load().save()
    assert reference_version() == before
    for callback in callbacks:
        callback()
    assert reference_version() != before
