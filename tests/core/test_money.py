"""core/money.py: one rounding rule and one way of showing amounts and unit prices."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.core.money import (
    format_money,
    format_unit_price,
    line_total,
    minor_unit,
    order_total,
    round_money,
    unit_price_figure,
)

D = Decimal


def test_a_line_total_rounds_half_up_once():
    assert line_total(D("2.345"), 1, "EUR") == D("2.35")
    assert line_total(D("0.1250"), 3, "EUR") == D("0.38")  # 0.375
    assert line_total(D("0.0049"), 1, "EUR") == D("0.00")
    assert line_total(D("2.3450"), 2, "EUR") == D("4.69")  # not 2 x 2.35


def test_an_amount_is_shown_rounded_as_line_totals_are():
    """The money tag rounded half to even: a 2.345 line showed 2.34 beside a stored 2.35."""
    with translation.override("en"):
        assert format_money(D("2.345"), "EUR") == "2.35 EUR"
        assert format_money(D("2.355"), "EUR") == "2.36 EUR"
        assert format_money(D("1234.5"), "EUR") == "1,234.50 EUR"


def test_a_unit_price_is_shown_with_its_decimals():
    with translation.override("en"):
        assert format_unit_price(D("2.3450"), "EUR") == "2.345 EUR"
        assert format_unit_price(D("0.1250"), "EUR") == "0.125 EUR"
        assert format_unit_price(D("1234.5678"), "EUR") == "1,234.5678 EUR"
        assert format_unit_price(D("100.0000"), "EUR") == "100.00 EUR"
        assert format_unit_price(D("2.3000"), "EUR") == "2.30 EUR"


def test_figures_follow_the_active_language():
    with translation.override("fr"):
        assert format_unit_price(D("1234.5678"), "EUR") == "1\xa0234,5678 EUR"
        assert format_money(D("1234.5"), "EUR") == "1\xa0234,50 EUR"
    with translation.override("nl"):
        assert format_money(D("1234.5"), "EUR") == "1.234,50 EUR"


def test_the_same_value_as_an_amount_and_as_a_unit_price_keeps_its_own_decimals():
    """2.35 and 2.350 are equal Decimals: the kept formatting must still tell them apart."""
    with translation.override("en"):
        assert format_unit_price(D("2.355"), "EUR") == "2.355 EUR"
        assert format_money(D("2.355"), "EUR") == "2.36 EUR"
        assert format_unit_price(D("2.3550"), "EUR") == "2.355 EUR"


def test_a_currency_without_decimals_is_counted_in_whole_units():
    assert minor_unit("JPY") == 0
    assert minor_unit("EUR") == minor_unit("SEK") == 2
    assert round_money(D("1234.50"), "JPY") == D("1235")
    assert line_total(D("99.5000"), 3, "JPY") == D("299")  # 298.5
    with translation.override("en"):
        assert format_money(D("1234.5"), "JPY") == "1,235 JPY"
        assert format_unit_price(D("99.5000"), "JPY") == "99.5 JPY"
        assert format_unit_price(D("99.0000"), "JPY") == "99 JPY"


def test_the_order_total_adds_the_rounded_shipping():
    assert order_total(subtotal=D("10.01"), shipping=D("4.995"), currency="EUR") == D("15.01")
    assert order_total(subtotal=D("10.01"), shipping=D("0"), currency="EUR") == D("10.01")


def test_the_template_tags_follow_the_rule():
    template = Template(
        "{% load comptoir %}{% unit_price price 'EUR' %}|{% money total 'EUR' %}|{% money none 'EUR' %}"
    )
    with translation.override("en"):
        assert (
            template.render(Context({"price": D("2.3450"), "total": D("2.345"), "none": None})) == "2.345 EUR|2.35 EUR|"
        )


unit_prices = st.integers(0, 10**12 - 1).map(lambda n: Decimal(n).scaleb(-4))


@settings(max_examples=300, derandomize=True, database=None)
@given(price=unit_prices, quantity=st.integers(1, 10_000))
def test_a_shown_unit_price_is_the_stored_one_and_its_line_can_be_redone_from_it(price, quantity):
    shown = unit_price_figure(price, "EUR")
    assert shown == price
    assert 2 <= -shown.as_tuple().exponent <= 4
    assert line_total(price, quantity, "EUR") == (shown * quantity).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    with translation.override("en"):
        assert Decimal(format_unit_price(price, "EUR").removesuffix(" EUR").replace(",", "")) == price


@pytest.mark.parametrize(
    ("value", "shown"), [(D("2.345"), "2.35 EUR"), (2, "2.00 EUR"), ("2.345", "2.35 EUR"), (2.345, "2.35 EUR")]
)
def test_amounts_from_templates_may_be_numbers_or_text(value, shown):
    with translation.override("en"):
        assert format_money(value, "EUR") == shown
