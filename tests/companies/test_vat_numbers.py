"""VAT and company numbers are checked offline (format and check digits, per country) wherever they are typed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from comptoir.backoffice.demo import COMPANIES
from comptoir.companies.models import Company
from comptoir.companies.vat import EXAMPLES, same_vat_number, vat_number_check
from tests.factories import CompanyFactory


def refusal(value: str, country: str = "") -> str:
    with pytest.raises(ValidationError) as caught:
        vat_number_check(value, country=country)
    [message] = caught.value.messages
    return message


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("BE 0123.456.749", "", "BE0123456749"),
        ("be0123456749", "FR", "BE0123456749"),  # a foreign VAT number is checked as its own country's
        ("0123.456.749", "BE", "BE0123456749"),  # the country code of the billing address is added
        ("NL123456782B01", "", "NL123456782B01"),
        ("FR 12 345668909", "", "FR12345668909"),
        ("SE123456789701", "", "SE123456789701"),
        ("EL123456783", "", "EL123456783"),
        ("123456783", "GR", "EL123456783"),  # Greek VAT numbers start with EL
        ("556036-0793", "SE", "5560360793"),  # a Swedish organisation number, kept as a company number
        ("123 456 782", "FR", "123456782"),  # a French SIREN
    ],
)
def test_valid_numbers_are_stored_compact_and_upper_case(typed, country, stored):
    assert vat_number_check(typed, country=country) == stored


def test_a_single_letter_is_refused_saying_a_number_has_digits():
    assert refusal("x", "BE") == (
        "This is not a VAT or company number: it has no digits. Expected format: BE0123456749."
    )


def test_wrong_check_digits_are_named_with_the_country_and_its_format():
    assert refusal("BE0123456789") == (
        "This is not a valid VAT number for Belgium: the check digits do not match. "
        "Look for a typing error. Expected format: BE0123456749."
    )


def test_wrong_length_is_named():
    assert "it has too many or too few characters. Expected format: BE0123456749." in refusal("BE01234567490")


def test_letters_where_digits_belong_are_named():
    assert "holds characters that do not belong there. Expected format: DE123456788." in refusal("DE12345678A")


def test_the_billing_country_decides_how_a_number_without_country_code_is_checked():
    assert "valid VAT number for Belgium: the check digits do not match" in refusal("0123456789", "BE")


def test_an_unknown_country_code_is_named():
    assert refusal("QQ123456") == (
        "“QQ” is not a country code we can check VAT numbers for. "
        "Start with the country code, for example BE0123456749."
    )


def test_a_number_without_country_code_that_fits_no_country_asks_for_one():
    assert refusal("12") == (
        "We cannot tell which country this number is from: start it with the country code, for example BE0123456749."
    )


def test_digits_are_never_changed():
    # stdnum would pad this old nine-digit Belgian number with a zero; it is kept as typed.
    assert vat_number_check("BE 403.170.701") == "BE403170701"


def test_every_example_shown_in_a_message_is_itself_valid():
    for example in EXAMPLES.values():
        vat_number_check(example)


def test_demo_customers_and_test_factories_have_valid_vat_numbers(db):
    for name, vat_number, *_ in COMPANIES:
        assert vat_number_check(vat_number) == vat_number, name
    for company in CompanyFactory.create_batch(3):
        assert vat_number_check(company.vat_number) == company.vat_number


@pytest.mark.parametrize(
    ("stored", "typed", "same"),
    [
        ("BE0123456749", "be 0123.456.749", True),
        ("BE0123456749", "0123456749", True),
        ("BE0123456749", "NL0123456749", False),
        ("5560360793", "SE5560360793", False),
        ("BE0123456749", "", False),
    ],
)
def test_a_typed_number_is_the_stored_one_with_or_without_its_country_code(stored, typed, same):
    assert same_vat_number(stored, typed) is same


def test_company_model_records_whether_staff_checked_the_number(db):
    assert Company._meta.get_field("vat_number_checked_by_staff").default is False
