"""F1: the customer's page in the back office offers and accepts only that customer's own data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from comptoir.companies.models import CustomerNumber
from comptoir.core.models import AuditEvent
from tests.factories import AddressFactory, CompanyFactory, CustomerNumberFactory


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _change_form_data(page, company) -> dict:
    """The customer's page as the browser would post it back unchanged."""
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update({"name": company.name, "vat_number": company.vat_number, "language": company.language})
    data.pop("validation_required", None)
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update(
            {
                f"{fs.prefix}-TOTAL_FORMS": str(len(fs.forms)),
                f"{fs.prefix}-INITIAL_FORMS": str(len(fs.forms)),
                f"{fs.prefix}-MIN_NUM_FORMS": "0",
                f"{fs.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[f"{fs.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    return data


def _prefix(page, model_name: str) -> str:
    return next(
        f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == model_name
    )


def test_customer_number_address_choices_are_the_customers_own(staff_client):
    company = CompanyFactory(name="Acme")
    own = AddressFactory(company=company, street="1 Own Street")
    foreign = AddressFactory(company=CompanyFactory(name="Globex"), street="9 Foreign Road")
    CustomerNumberFactory(company=company, number="C100001")
    page = staff_client.get(f"/backoffice/companies/company/{company.pk}/change/")
    [inline] = [f for f in page.context["inline_admin_formsets"] if f.formset.model is CustomerNumber]
    for form in [*inline.formset.forms, inline.formset.empty_form]:
        assert list(form.fields["address"].queryset) == [own]
    assert "9 Foreign Road" not in page.content.decode()
    assert foreign.pk not in [a.pk for a in inline.formset.forms[0].fields["address"].queryset]


def test_forged_post_tying_a_number_to_another_customers_address_is_refused(staff_client):
    company = CompanyFactory(name="Acme")
    AddressFactory(company=company)
    foreign = AddressFactory(company=CompanyFactory(name="Globex"))
    number = CustomerNumberFactory(company=company, number="C100001")
    url = f"/backoffice/companies/company/{company.pk}/change/"
    page = staff_client.get(url)
    data = _change_form_data(page, company)
    data[f"{_prefix(page, 'CustomerNumber')}-0-address"] = foreign.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the page again, with the error
    errors = [e for form in response.context["inline_admin_formsets"][0].formset.forms for e in form.errors.values()]
    assert errors
    number.refresh_from_db()
    assert number.address_id is None
    assert not AuditEvent.objects.filter(action="customernumber.changed").exists()


def test_customer_number_validation_refuses_another_customers_address(db):
    company = CompanyFactory()
    foreign = AddressFactory(company=CompanyFactory())
    number = CustomerNumber(company=company, number="C100009", address=foreign)
    with pytest.raises(ValidationError) as caught:
        number.full_clean()
    assert "address" in caught.value.message_dict


def test_customer_number_validation_accepts_the_customers_own_address(db):
    company = CompanyFactory()
    number = CustomerNumber(company=company, number="C100009", address=AddressFactory(company=company))
    number.full_clean()


# --- VAT numbers ------------------------------------------------------------------------------------


def _post_vat_number(staff_client, company, vat_number: str, *, checked_by_staff: bool = False):
    url = f"/backoffice/companies/company/{company.pk}/change/"
    data = _change_form_data(staff_client.get(url), company)
    data["vat_number"] = vat_number
    data.pop("vat_number_checked_by_staff", None)
    if checked_by_staff:
        data["vat_number_checked_by_staff"] = "on"
    return staff_client.post(url, data)


def test_staff_typing_an_invalid_vat_number_get_the_reason_and_the_override(staff_client):
    company = CompanyFactory(name="Acme")
    AddressFactory(company=company, country="BE")
    before = company.vat_number
    response = _post_vat_number(staff_client, company, "0123.456.789")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["vat_number"]
    assert errors[0].startswith("This is not a valid VAT number for Belgium: the check digits do not match.")
    assert "tick “VAT number checked by staff”" in errors[1]
    company.refresh_from_db()
    assert company.vat_number == before


def test_staff_vat_number_without_country_code_is_checked_for_the_billing_country(staff_client):
    company = CompanyFactory(name="Acme")
    AddressFactory(company=company, country="BE")
    assert _post_vat_number(staff_client, company, "0123 456 749").status_code == 302
    company.refresh_from_db()
    assert company.vat_number == "BE0123456749"


def test_staff_can_store_a_number_the_check_refuses_once_they_say_they_checked_it(staff_client, staff_user):
    company = CompanyFactory(name="Acme")
    AddressFactory(company=company, country="BE")
    response = _post_vat_number(staff_client, company, "be 0123.456.789", checked_by_staff=True)
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.vat_number, company.vat_number_checked_by_staff) == ("BE0123456789", True)
    event = AuditEvent.objects.get(action="company.vat_number_checked_by_staff")
    assert (event.actor, event.company, event.data["vat_number"]) == (staff_user, company, "BE0123456789")
