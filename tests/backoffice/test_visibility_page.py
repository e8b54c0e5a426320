"""B1, F1, G5: a customer's visible products change in the back office through the visibility service only."""

from __future__ import annotations

import re

import pytest

from comptoir.catalog.models import Brand, Tag
from comptoir.core.models import AuditEvent


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_customer_page_shows_the_selection_read_only(staff_client, company):
    company.visible_brands.set([Brand.objects.create(name="Bosk", slug="bosk")])
    response = staff_client.get(f"/backoffice/companies/company/{company.pk}/change/")
    body = response.content.decode()
    assert 'name="visible_brands"' not in body
    assert "visible_brands" not in response.context["adminform"].form.fields
    shown = body.split("field-visible_brands_display", 1)[1].split('<div class="readonly">', 1)[1].split("</div>", 1)
    assert shown[0] == "Bosk"


def test_change_visible_products_goes_through_the_service_and_is_audited_once(staff_client, staff_user, company):
    bosk = Brand.objects.create(name="Bosk", slug="bosk")
    promo = Tag.objects.create(slug="promo", name_en="Promo")
    url = f"/backoffice/companies/company/{company.pk}/visibility/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"visible_brands": [bosk.pk], "visible_tags": [promo.pk]})
    assert response.status_code == 302
    assert (list(company.visible_brands.all()), list(company.visible_tags.all())) == ([bosk], [promo])
    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.company) == ("company.visibility_changed", staff_user, company)
    assert event.data["after"]["brands"] == [bosk.pk]


def test_visibility_page_ticks_the_current_selection(staff_client, company):
    Brand.objects.create(name="Bosk", slug="bosk")
    kavel = Brand.objects.create(name="Kavel", slug="kavel")
    company.visible_brands.set([kavel])
    body = staff_client.get(f"/backoffice/companies/company/{company.pk}/visibility/").content.decode()
    ticked = re.findall(r'<input type="checkbox" name="(\w+)" value="(\d+)"[^>]*checked', body)
    assert ticked == [("visible_brands", str(kavel.pk))]


def test_visible_products_posted_with_the_customer_page_change_nothing(staff_client, company):
    bosk = Brand.objects.create(name="Bosk", slug="bosk")
    response = staff_client.post(
        f"/backoffice/companies/company/{company.pk}/change/",
        {
            "name": company.name,
            "vat_number": company.vat_number,
            "language": "en",
            "validation_required": "unknown",
            "visible_brands": [bosk.pk],
            "customer_numbers-TOTAL_FORMS": "0",
            "customer_numbers-INITIAL_FORMS": "0",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert not company.visible_brands.exists()
    assert not AuditEvent.objects.filter(action="company.visibility_changed").exists()
