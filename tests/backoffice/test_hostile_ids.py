"""Ids no row can have, sent to back-office pages: a form error or an empty field, never a 500 (core.numbers)."""

import pytest

from comptoir.catalog.models import Brand
from comptoir.core.numbers import ModelIdMultipleChoiceField
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

HOSTILE_IDS = ["99999999999999999999", "9" * 5000, "٣", "²", "-1", "1.5"]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_an_add_page_ignores_a_related_id_no_row_can_have(client, staff_user, value):
    client.force_login(staff_user)
    response = client.get("/backoffice/catalog/product/add/", {"brand": value, "tags": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.initial.get("brand") is None


def test_an_add_page_keeps_a_real_related_id(client, staff_user):
    brand = Brand.objects.create(name="Bosk")
    client.force_login(staff_user)
    response = client.get("/backoffice/catalog/product/add/", {"brand": str(brand.pk)})
    assert response.context["adminform"].form.initial["brand"] == str(brand.pk)


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_the_visibility_page_refuses_an_id_no_row_can_have_and_changes_nothing(client, staff_user, value):
    brand = Brand.objects.create(name="Bosk")
    company = CompanyFactory()
    company.visible_brands.set([brand])
    client.force_login(staff_user)
    response = client.post(f"/backoffice/companies/company/{company.pk}/visibility/", {"visible_brands": [value]})
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    assert list(company.visible_brands.all()) == [brand]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_many_to_many_field_refuses_other_digits_and_huge_ids_before_any_query(value, django_assert_num_queries):
    field = ModelIdMultipleChoiceField(queryset=Brand.objects.all(), required=False)
    with django_assert_num_queries(0), pytest.raises(Exception, match="is not a valid value"):
        field.clean([value])
