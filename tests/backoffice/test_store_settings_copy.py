"""Store settings are read on every page from a per-process copy: a change must still show on
the next request, in this process and in every other (the back office's pages call ``core.memo.reference_changed``)."""

from django.core.cache import cache
from django.test import Client

from comptoir.backoffice.models import StoreSettings
from comptoir.core.memo import REFERENCE_VERSION_KEY
from tests.admin_pages import change_page_data
from tests.factories import MembershipFactory


def header(client) -> str:
    response = client.get("/catalogue/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_saved_in_the_back_office_shows_on_the_next_page(client, company, staff_user):
    client.force_login(MembershipFactory(company=company).user)
    assert "Comptoir" in header(client)
    staff = Client()
    staff.force_login(staff_user)
    url = f"/backoffice/backoffice/storesettings/{StoreSettings.load().pk}/change/"
    data = change_page_data(staff, url) | {"store_name": "Quincaillerie Dupont"}
    assert staff.post(url, data).status_code == 302
    assert "Quincaillerie Dupont" in header(client)


def test_a_change_committed_by_another_process_shows_on_the_next_request(client, company):
    client.force_login(MembershipFactory(company=company).user)
    assert "Comptoir" in header(client)
    # Another process writes (this one hears nothing) and moves the shared version on.
    StoreSettings.objects.filter(pk=StoreSettings.load().pk).update(store_name="Quincaillerie Dupont")
    assert "Quincaillerie Dupont" not in header(client)  # the copy is in use until the version moves
    cache.set(REFERENCE_VERSION_KEY, "changed-elsewhere", timeout=None)
    assert "Quincaillerie Dupont" in header(client)
