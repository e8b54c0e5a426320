"""Whole numbers taken from a request: query strings, form fields, field names that embed an id.

``int()`` reads far more than a person types in a form: "²" passes ``str.isdigit()`` and then
makes ``int()`` fail, Arabic-Indic and fullwidth threes (U+0663, U+FF13) become 3, "1_000" becomes
1000, and 5,000 digits raise past Python's digit limit; a 20-digit number overflows the
database's 64-bit integers. Every number from a request goes through :func:`parse_int` (or
:func:`id_or_404`, or :class:`WholeNumberField` in forms): ASCII digits only, an optional sign
only where the caller allows one, within explicit bounds, or :class:`NumberError` with a message
a person can act on. Decimal quantities from spreadsheets and fast entry are read by
``core.tabular.parse_decimal``, which holds to the same rules.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

# The largest id a database row can have (PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1
# Longer input is refused before it is looked at more closely; leading zeros included.
MAX_LENGTH = 40

_UNSIGNED = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")


class NumberError(ValueError):
    """The text is not a whole number within the bounds; ``message`` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(text: str) -> str:
    """The typed text, short and printable, for a message."""
    shown = "".join(c if c.isprintable() else "\ufffd" for c in text[:20])
    return shown + "…" if len(text) > 20 else shown


def parse_int(text: Any, *, minimum: int, maximum: int, signed: bool = False) -> int:
    """The whole number written in ``text`` with the ASCII digits 0-9, from ``minimum`` to ``maximum``.

    Spaces around it are ignored; a leading ``+`` or ``-`` only with ``signed``. Anything else
    (other scripts' digits, superscripts, decimals, exponents, ``_``, NUL, an empty string)
    raises :class:`NumberError`, and so does a number outside the bounds.
    """
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    value = raw.strip()
    if not value:
        raise NumberError(_("Enter a whole number."))
    # A "+" where no sign belongs is a typing matter; a "-" there, a number below the range.
    if len(value) > MAX_LENGTH or not _SIGNED.fullmatch(value) or (value[0] == "+" and not signed):
        raise NumberError(_("“%(value)s” is not a whole number: use the digits 0 to 9 only.") % {"value": shown(value)})
    number = int(value)  # at most MAX_LENGTH ASCII digits: far below the interpreter's digit limit
    if not minimum <= number <= maximum or (value[0] == "-" and not signed):
        raise NumberError(
            _("“%(value)s” is out of range: enter a whole number from %(min)s to %(max)s.")
            % {"value": shown(value), "min": minimum, "max": maximum}
        )
    return number


def parse_int_or_none(text: Any, *, minimum: int, maximum: int, signed: bool = False) -> int | None:
    """:func:`parse_int`, or None where the caller has its own answer to a bad number."""
    try:
        return parse_int(text, minimum=minimum, maximum=maximum, signed=signed)
    except NumberError:
        return None


def id_or_404(text: Any) -> int:
    """A database id from a form field, a field name or a URL part; anything else is a 404."""
    try:
        return parse_int(text, minimum=1, maximum=MAX_ID)
    except NumberError:
        raise Http404 from None


def page_number(text: Any, *, maximum: int) -> int:
    """``?page=``: 1 when absent or not a number, ``maximum`` past it (a listing stops there).

    A page number is a link the site drew, not an entry to correct: the listing always answers.
    """
    try:
        return parse_int(text, minimum=1, maximum=maximum)
    except NumberError:
        big = isinstance(text, str) and _UNSIGNED.fullmatch(text.strip()) and text.strip().lstrip("0")
        return maximum if big else 1


class WholeNumberField(forms.IntegerField):
    """``forms.IntegerField`` read with :func:`parse_int`: ASCII digits only, within ``min_value``/``max_value``."""

    def __init__(self, *, min_value: int, max_value: int, signed: bool = False, **kwargs: Any) -> None:
        self.signed = signed
        self.minimum, self.maximum = min_value, max_value
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        try:
            return parse_int(value, minimum=self.minimum, maximum=self.maximum, signed=self.signed)
        except NumberError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None


def is_database_id(text: Any) -> bool:
    """Whether ``text`` is an id a row can have (ASCII digits, 1 to ``MAX_ID``)."""
    return parse_int_or_none(text, minimum=1, maximum=MAX_ID) is not None


class ModelIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """``forms.ModelMultipleChoiceField`` that refuses what cannot be an id before any query.

    Django looks the chosen ids up with ``pk__in``, which turns a 20-digit number into a database
    error on SQLite and 5,000 digits into a ``ValueError`` anywhere (a 500 instead of a form error).
    """

    def _check_values(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk" and isinstance(value, list | tuple):
            for pk in value:
                if not is_database_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": shown(str(pk))},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private Django method, absent from django-stubs
