"""core/numbers.py: every number from a request is ASCII digits, within bounds, or a clear refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.core.numbers import MAX_ID, NumberError, WholeNumberField, id_or_404, page_number, parse_int


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("7", 7), (" 12 ", 12), ("007", 7), ("100000", 100_000)])
def test_ascii_digits_within_bounds_are_read(text, number):
    assert parse_int(text, minimum=0, maximum=100_000) == number


@pytest.mark.parametrize(
    "text",
    [
        "²",  # superscript two: str.isdigit() says yes, int() fails
        "٣",  # Arabic-Indic three: int() reads 3
        "۳",  # Extended Arabic-Indic three
        "\uff13",  # fullwidth three
        "३",  # Devanagari three
        "1_000",  # int() reads 1000
        "1.0",
        "1e3",
        "0x10",
        "1,5",
        "1\x00",
        "١٢",
        "",
        "   ",
        "9" * 5000,  # past Python's int-from-string digit limit
        "-",
        "+",
    ],
)
def test_anything_but_ascii_digits_is_refused(text):
    with pytest.raises(NumberError) as error:
        parse_int(text, minimum=0, maximum=100_000)
    assert error.value.message


def test_the_message_shows_what_was_typed_printably_and_shortly():
    with pytest.raises(NumberError) as error:
        parse_int("2\x00" + "9" * 300, minimum=1, maximum=10)
    message = error.value.message
    assert "\x00" not in message
    assert len(message) < 120
    assert message.startswith("“2\ufffd99")


@pytest.mark.parametrize("text", ["0", "100001", "99999999999999999999", str(2**64)])
def test_numbers_out_of_bounds_are_refused_with_the_bounds(text):
    with pytest.raises(NumberError) as error:
        parse_int(text, minimum=1, maximum=100_000)
    assert "from 1 to 100000" in error.value.message


def test_a_sign_only_where_the_caller_allows_one():
    with pytest.raises(NumberError) as error:
        parse_int("-3", minimum=0, maximum=10)
    assert "from 0 to 10" in error.value.message
    with pytest.raises(NumberError):
        parse_int("+3", minimum=0, maximum=10)
    assert parse_int("-3", minimum=-10, maximum=10, signed=True) == -3
    assert parse_int("+3", minimum=-10, maximum=10, signed=True) == 3


def test_messages_are_translated():
    with translation.override("fr"), pytest.raises(NumberError) as error:
        parse_int("²", minimum=0, maximum=10)
    assert "whole number" not in error.value.message


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_whatever_the_text_the_answer_is_a_bounded_int_or_number_error(text):
    try:
        number = parse_int(text, minimum=-5, maximum=MAX_ID, signed=True)
    except NumberError:
        return
    assert -5 <= number <= MAX_ID
    assert text.strip().lstrip("+-").isascii()


def test_ids_beyond_64_bits_or_in_other_digits_are_404():
    assert id_or_404("42") == 42
    for text in ("0", "²", "٣", str(MAX_ID + 1), "9" * 5000, "", None, "-1"):
        with pytest.raises(Http404):
            id_or_404(text)


@pytest.mark.parametrize(
    ("text", "page"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        ("abc", 1),
        ("²", 1),
        ("٣", 1),
        ("0", 1),
        ("-2", 1),
        ("500", 100),
        ("9" * 5000, 100),
    ],
)
def test_page_numbers_never_fail(text, page):
    assert page_number(text, maximum=100) == page


def test_whole_number_field_refuses_unicode_digits_that_django_reads():
    field = WholeNumberField(min_value=1, max_value=100_000)
    assert field.clean("12") == 12
    for text in ("٣", "\uff13", "1_000", "9" * 5000, "0", "100001"):
        with pytest.raises(ValidationError):
            field.clean(text)


def test_a_plus_where_no_sign_belongs_is_not_called_out_of_range():
    with pytest.raises(NumberError) as error:
        parse_int("+5", minimum=0, maximum=10)
    assert "digits 0 to 9" in error.value.message
