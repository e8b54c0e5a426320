"""Amounts of money: how they are rounded and how they are shown, written once for the whole shop.

The rule (also in docs/dangerous-constructs.md, "Amounts of money"):

- A **unit price** is kept as stored, with up to four decimals (``UNIT_PRICE_PLACES``): small parts
  sold by the thousand need them (0.1250 EUR). It is never rounded before it is multiplied.
- A **line total** is quantity times unit price, rounded once, half up, to the currency's minor unit
  (cents; whole units for a currency without decimals, such as JPY): one unit at 2.345 EUR makes 2.35 EUR.
  Half up is how people round by hand, so a buyer who checks a line with a calculator finds it.
- **Shipping** is an amount of the currency's minor unit, rounded the same way when it is set.
- The **subtotal** is the sum of the rounded line totals; the **total** is the subtotal plus the
  shipping. Nothing else is rounded: the lines of every page and document add up to its total.
- **Shown** the same way on pages, in mails, in the PDF and in the CSV and XLSX files: an amount
  with exactly the currency's decimals (``format_money``, ``round_money``); a unit price with the
  currency's decimals, or up to four when it has more (2.345 shows as 2.345, 2.3400 as 2.34:
  ``format_unit_price``, ``unit_price_figure``). Every printed line can be redone from what it
  prints, and a CSV holds the figures of the PDF.

Amounts are ``Decimal`` with an ISO 4217 currency code, never ``float``.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

# The decimals a unit price may have (pricing.Price.amount, orders.OrderLine.unit_price).
UNIT_PRICE_PLACES = 4
DEFAULT_PLACES = 2
# ISO 4217 currencies without a minor unit. Currencies with three decimals (BHD, KWD, ...) are
# counted in cents like the others: the order's amounts are stored with two decimals.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
ROUNDING = ROUND_HALF_UP


def minor_unit(currency: str) -> int:
    """The decimals of the currency's smallest coin: 2 for EUR, 0 for JPY."""
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else DEFAULT_PLACES


def _exponent(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """The amount rounded half up to the currency's minor unit: the only rounding of an amount."""
    return amount.quantize(_exponent(minor_unit(currency)), rounding=ROUNDING)


def line_total(unit_price: Decimal, quantity: int, currency: str) -> Decimal:
    """Quantity times unit price (as stored, up to four decimals), rounded once."""
    return round_money(unit_price * quantity, currency)


def order_total(*, subtotal: Decimal, shipping: Decimal, currency: str) -> Decimal:
    """The sum of the rounded line totals plus the shipping."""
    return round_money(subtotal, currency) + round_money(shipping, currency)


def unit_price_places(unit_price: Decimal, currency: str) -> int:
    """The decimals a unit price is shown with: the currency's, or up to four when it has more."""
    minor = minor_unit(currency)
    exponent = unit_price.normalize().as_tuple().exponent
    significant = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(minor, min(significant, UNIT_PRICE_PLACES))


def unit_price_figure(unit_price: Decimal, currency: str) -> Decimal:
    """The unit price as shown (2.3450 → 2.345, 100.0000 → 100.00), for exports."""
    return unit_price.quantize(_exponent(unit_price_places(unit_price, currency)), rounding=ROUNDING)


def as_decimal(value: Decimal | int | str | float) -> Decimal:
    """A value from a template or a form as a ``Decimal`` (a float through its shortest text)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def format_money(amount: Decimal | int | str | float, currency: str = "") -> str:
    """An amount in the active language's number format with the currency's decimals: "1,234.50 EUR"."""
    value = round_money(as_decimal(amount), currency)
    return _formatted(value, minor_unit(currency), currency, get_language())


def format_unit_price(amount: Decimal | int | str | float, currency: str = "") -> str:
    """A unit price in the active language's number format: "2.345 EUR", "100.00 EUR"."""
    value = unit_price_figure(as_decimal(amount), currency)
    return _formatted(value, unit_price_places(value, currency), currency, get_language())


@functools.lru_cache(maxsize=4096)
def _formatted(amount: Decimal, places: int, currency: str, language: str | None) -> str:
    # A catalogue page formats 48 prices, often the same few: the formats of a language are fixed.
    # ``places`` is part of the key: 2.35 and 2.350 are equal Decimals, and so one key without it.
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()
