"""Checking a VAT or company number offline: its format and check digits, per country (python-stdnum).

Nothing here asks a tax authority (no VIES call): a number that passes is well formed, not
proven to be registered. Staff can store a number this check refuses (see the back office).
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as NumberError

if TYPE_CHECKING:
    from stdnum.util import NumberValidationModule

# What each country's VAT number looks like (well formed, check digits right), shown when one is refused.
EXAMPLES = {
    "AT": "ATU12345675",
    "BE": "BE0123456749",
    "BG": "BG123456786",
    "CH": "CHE-123.456.788 MWST",
    "CY": "CY10123456G",
    "CZ": "CZ12345679",
    "DE": "DE123456788",
    "DK": "DK12345674",
    "EE": "EE123456780",
    "EL": "EL123456783",
    "ES": "ESX1234567L",
    "FI": "FI12345671",
    "FR": "FR12345668909",
    "GB": "GB123456782",
    "HR": "HR12345678903",
    "HU": "HU12345676",
    "IE": "IE1234567T",
    "IT": "IT12345670900",
    "LT": "LT123456715",
    "LU": "LU12345613",
    "LV": "LV41234567800",
    "MT": "MT12345671",
    "NL": "NL123456782B01",
    "NO": "NO123456785MVA",
    "PL": "PL1234567860",
    "PT": "PT123456789",
    "RO": "RO1234567897",
    "SE": "SE123456789701",
    "SI": "SI12345679",
    "SK": "SK1234567895",
    "XI": "XI123456782",
}
GENERIC_EXAMPLE = EXAMPLES["BE"]

# Company register numbers that are not VAT numbers but identify a business as well,
# accepted without a country code when the country is known (the billing address).
COMPANY_NUMBER_MODULES = {
    "CH": ["stdnum.ch.uid"],
    "FI": ["stdnum.fi.ytunnus"],
    "FR": ["stdnum.fr.siren", "stdnum.fr.siret"],
    "NO": ["stdnum.no.orgnr"],
    "SE": ["stdnum.se.orgnr"],
}

SEPARATORS = re.compile(r"[\s.\-/,]+")
VAT_PREFIXES = {"EL": "GR", "XI": "GB"}  # VAT prefixes that are not the ISO country code


def compact(value: str) -> str:
    """The number as stored: separators and spaces dropped, upper case. Digits are never changed."""
    return SEPARATORS.sub("", value).upper()


def _vat_module(prefix: str) -> NumberValidationModule | None:
    if prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL":
        return eu_vat
    try:
        return get_cc_module(prefix.lower(), "vat")
    except ImportError:
        return None


def _country_name(prefix: str) -> str:
    return str(countries.name(VAT_PREFIXES.get(prefix, prefix)) or prefix)


def _vat_prefix(country: str) -> str:
    return {"GR": "EL"}.get(country, country)


def _refusal(error: NumberError, prefix: str) -> ValidationError:
    values = {"country": _country_name(prefix), "example": EXAMPLES.get(prefix, f"{prefix}…")}
    if isinstance(error, InvalidChecksum):
        message = _(
            "This is not a valid VAT number for %(country)s: the check digits do not match. "
            "Look for a typing error. Expected format: %(example)s."
        )
    elif isinstance(error, InvalidLength):
        message = _(
            "This is not a valid VAT number for %(country)s: it has too many or too few characters. "
            "Expected format: %(example)s."
        )
    elif isinstance(error, InvalidFormat):
        message = _(
            "This is not a valid VAT number for %(country)s: it holds characters that do not belong there. "
            "Expected format: %(example)s."
        )
    else:  # InvalidComponent and any other refusal
        message = _(
            "This is not a valid VAT number for %(country)s: a part of it cannot exist. Expected format: %(example)s."
        )
    return ValidationError(message % values, code="invalid_vat_number")


def _valid(module: NumberValidationModule, number: str) -> bool:
    try:
        module.validate(number)
    except NumberError:
        return False
    return True


def vat_number_check(value: str, *, country: str = "") -> str:
    """The number in its stored form, or a ValidationError that says what is wrong and the expected format.

    A number starting with a country code is checked as that country's VAT number. Without one, it is
    checked as a VAT number, or a company register number, of ``country`` (the billing address's);
    a VAT number typed without its country code is then stored with it. With no country known, it
    must fit the VAT number of some European country, or one of the company numbers above, and is
    kept as typed.
    """
    number = compact(value)
    if not number:
        raise ValidationError(_("We only work with businesses: enter your VAT or company number."), code="required")
    country = (country or "").upper()
    if not any(ch.isdigit() for ch in number):
        raise ValidationError(
            _("This is not a VAT or company number: it has no digits. Expected format: %(example)s.")
            % {"example": EXAMPLES.get(_vat_prefix(country), GENERIC_EXAMPLE)},
            code="invalid_vat_number",
        )
    if number[:2].isalpha():
        prefix = number[:2]
        module = _vat_module(prefix)
        if module is None:
            raise ValidationError(
                _(
                    "“%(prefix)s” is not a country code we can check VAT numbers for. "
                    "Start with the country code, for example %(example)s."
                )
                % {"prefix": prefix, "example": GENERIC_EXAMPLE},
                code="unknown_country",
            )
        try:
            module.validate(number)
        except NumberError as error:
            raise _refusal(error, prefix) from None
        return number
    if not country:
        if eu_vat.guess_country(number) or any(
            _valid(import_module(name), number) for names in COMPANY_NUMBER_MODULES.values() for name in names
        ):
            return number  # fits at least one country's VAT or company number; which one is not guessed
        raise ValidationError(
            _(
                "We cannot tell which country this number is from: start it with the country code, "
                "for example %(example)s."
            )
            % {"example": GENERIC_EXAMPLE},
            code="no_country",
        )
    prefix = _vat_prefix(country)
    module = _vat_module(prefix)
    if module is not None and _valid(module, prefix + number):
        return prefix + number
    for name in COMPANY_NUMBER_MODULES.get(country, []):
        if _valid(import_module(name), number):
            return number
    if module is None:
        raise ValidationError(
            _(
                "We cannot check VAT numbers for %(country)s. Enter a VAT number with its country code, "
                "for example %(example)s, or contact us."
            )
            % {"country": _country_name(country), "example": GENERIC_EXAMPLE},
            code="unknown_country",
        )
    try:
        module.validate(prefix + number)
    except NumberError as error:
        raise _refusal(error, prefix) from None
    raise _refusal(InvalidComponent(), prefix)  # pragma: no cover - validate() refused above


def same_vat_number(stored: str, typed: str) -> bool:
    """Whether a typed number is the stored one, with or without its country code."""
    stored, typed = compact(stored), compact(typed)
    if not stored or not typed:
        return False
    return stored == typed or (stored[:2].isalpha() and not typed[:2].isalpha() and stored[2:] == typed)
