"""core/money.py, C7, C11, E2, G1, G4: an order's figures are the same on the checkout page, the
order page, the confirmation PDF, the CSV and XLSX files and the confirmation mail (sent by real
SMTP), and on each of them the lines add up to the total.

The rule they follow, written here on its own as the test's oracle: a unit price is shown as
stored (up to four decimals, at least two); a line total is quantity times unit price rounded
half up to the cent; the subtotal is the sum of the line totals; the total adds the shipping.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from comptoir.carts.services import cart_add_items
from comptoir.catalog.models import Product
from comptoir.companies.models import Company, Membership
from comptoir.inventory.models import StockLevel, StockLocation
from comptoir.orders.models import Order
from comptoir.orders.services import order_place
from comptoir.pricing.models import Price
from tests.catalogue_data import buyer_for
from tests.conftest import body_of
from tests.orders.conftest import ADDRESS

pytestmark = pytest.mark.django_db(transaction=True)

CENT = Decimal("0.01")
NAMES = "ABCDEFGH"
AMOUNT = r"(\d{1,3}(?:,\d{3})*\.\d+) EUR"  # English format: "16,049.38 EUR"
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A unit price with up to four decimals, often exactly half a cent (2.345) where roundings part ways.
unit_prices = st.one_of(
    st.integers(1, 99_999_999).map(lambda n: Decimal(n).scaleb(-4)),
    st.integers(0, 99_999).map(lambda n: Decimal(n * 10 + 5).scaleb(-3)),
)
order_lines = st.lists(st.tuples(unit_prices, st.integers(1, 250)), min_size=1, max_size=len(NAMES))
shipping_costs = st.integers(0, 99_999).map(lambda n: Decimal(n).scaleb(-2))


@dataclass
class Figures:
    """What one document shows: per SKU (quantity, unit price or None, line total); the sums."""

    lines: dict[str, tuple[int, Decimal | None, Decimal]] = field(default_factory=dict)
    subtotal: Decimal | None = None
    shipping: Decimal | None = None
    total: Decimal | None = None


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def amount(text: str) -> Decimal:
    """An amount as shown: exactly two decimals."""
    found = re.fullmatch(AMOUNT, text.strip())
    assert found, text
    assert re.search(r"\.\d\d$", found.group(1)), text
    return number(found.group(1))


def unit_price(text: str) -> Decimal:
    """A unit price as shown: two to four decimals."""
    found = re.fullmatch(AMOUNT, text.strip())
    assert found, text
    assert re.search(r"\.\d{2,4}$", found.group(1)), text
    return number(found.group(1))


class _Rows(HTMLParser):
    """The text of each ``th``/``td`` cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def footer(figures: Figures, label: str, text: str) -> None:
    value = amount(re.match(AMOUNT, text).group(0))
    setattr(figures, {"Subtotal": "subtotal", "Shipping": "shipping", "Total": "total"}[label], value)


def checkout_figures(html: str) -> Figures:
    figures = Figures()
    for row in table_rows(html):
        if row[0] in ("Subtotal", "Shipping", "Total"):
            footer(figures, row[0], row[1])
        elif row[0].startswith("M") and len(row) == 3:
            figures.lines[row[0].split()[0]] = (int(row[1]), None, amount(row[2]))
    return figures


def page_figures(html: str) -> Figures:
    figures = Figures()
    for row in table_rows(html):
        if row[0] in ("Subtotal", "Shipping", "Total"):
            footer(figures, row[0], row[1])
        elif len(row) == 5 and row[0].startswith("M"):
            figures.lines[row[0]] = (int(row[2]), unit_price(row[3]), amount(row[4]))
    return figures


def pdf_figures(data: bytes) -> Figures:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    figures = Figures()
    for line in text.splitlines():
        if found := re.fullmatch(rf"(M\d+-\d) Item [A-H] (\d+) {AMOUNT} {AMOUNT}", line.strip()):
            sku, quantity, price, total = found.groups()
            figures.lines[sku] = (int(quantity), unit_price(f"{price} EUR"), amount(f"{total} EUR"))
        elif found := re.fullmatch(rf"(Subtotal|Shipping|Total) (?:\(excl\. VAT\) )?({AMOUNT})", line.strip()):
            footer(figures, found.group(1), found.group(2))
    return figures


def mail_text_figures(text: str) -> Figures:
    figures = Figures()
    for line in text.splitlines():
        if found := re.fullmatch(rf"(\d+) x (M\d+-\d) Item [A-H]\s+({AMOUNT})", line.strip()):
            figures.lines[found.group(2)] = (int(found.group(1)), None, amount(found.group(3)))
        elif found := re.match(rf"(Shipping|Total): ({AMOUNT})", line.strip()):
            footer(figures, found.group(1), found.group(2))
    return figures


def mail_html_figures(html: str) -> Figures:
    figures = Figures()
    for row in table_rows(html):
        if len(row) == 4 and row[1].startswith("M"):
            figures.lines[row[1]] = (int(row[0]), None, amount(row[3]))
    for found in re.finditer(rf"(Shipping|Total): ({AMOUNT})", html):
        footer(figures, found.group(1), found.group(2))
    return figures


def csv_figures(content: bytes) -> Figures:
    import csv

    figures = Figures()
    for row in list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))[1:]:
        assert re.fullmatch(r"\d+\.\d{2,4}", row[9]), row
        assert re.fullmatch(r"\d+\.\d\d", row[10]), row
        assert row[11] == "EUR"
        figures.lines[row[6]] = (int(row[8]), Decimal(row[9]), Decimal(row[10]))
    return figures


def xlsx_figures(content: bytes) -> Figures:
    from openpyxl import load_workbook

    figures = Figures()
    for row in list(load_workbook(io.BytesIO(content)).active.iter_rows())[1:]:
        price, total = row[9], row[10]
        # What the spreadsheet shows: the number in its cell's format.
        assert re.fullmatch(r"0\.0{2,4}", price.number_format), row
        assert total.number_format == "0.00", row
        shown_price = Decimal(f"{price.value:.{len(price.number_format) - 2}f}")
        figures.lines[row[6].value] = (row[8].value, shown_price, Decimal(f"{total.value:.2f}"))
    return figures


def expected_figures(prices: dict[str, Decimal], quantities: dict[str, int], shipping: Decimal) -> Figures:
    lines = {
        sku: (quantities[sku], price, (price * quantities[sku]).quantize(CENT, rounding=ROUND_HALF_UP))
        for sku, price in prices.items()
    }
    subtotal = sum((total for _, _, total in lines.values()), Decimal(0))
    return Figures(lines=lines, subtotal=subtotal, shipping=shipping, total=subtotal + shipping)


def without_unit_prices(figures: Figures) -> dict[str, tuple[int, None, Decimal]]:
    return {sku: (quantity, None, total) for sku, (quantity, _, total) in figures.lines.items()}


def assert_adds_up(name: str, shown: Figures, expected: Figures) -> None:
    """The document shows the expected figures, and its own line totals add up to its own total."""
    if all(price is None for _, price, _ in shown.lines.values()):
        assert shown.lines == without_unit_prices(expected), name
    else:
        assert shown.lines == expected.lines, name
    line_sum = sum((total for _, _, total in shown.lines.values()), Decimal(0))
    assert line_sum == expected.subtotal, name
    if shown.subtotal is not None:
        assert shown.subtotal == line_sum == expected.subtotal, name
    if shown.shipping is not None:
        assert shown.shipping == expected.shipping, name
    if shown.total is not None:
        assert shown.total == line_sum + shown.shipping == expected.total, name


@pytest.fixture
def setting_up(orderer, catalogue, client, real_mail, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "order_pdf": "1000/m/key"}
    client.force_login(orderer.user)
    return orderer, catalogue, client, real_mail, itertools.count(1)


@EXAMPLES
@given(lines=order_lines, shipping=shipping_costs)
@example(lines=[(Decimal("2.345"), 1)], shipping=Decimal("0.00"))  # the case: 2.345 a unit, 2.35 the line
@example(lines=[(Decimal("0.1250"), 3), (Decimal("1234.5678"), 13), (Decimal("0.0049"), 1)], shipping=Decimal("9.95"))
def test_every_document_shows_the_same_lines_adding_up_to_the_same_total(setting_up, lines, shipping):
    orderer, catalogue, client, real_mail, examples = setting_up
    n = next(examples)
    # A stock location of its own gives this order its shipping cost.
    location = StockLocation.objects.create(code=f"money-{n}", name=f"Money {n}", default_shipping_cost=shipping)
    Company.objects.filter(pk=orderer.company_id).update(stock_location=location)
    prices, quantities = {}, {}
    for i, (price, quantity) in enumerate(lines):
        product = Product.objects.create(sku=f"M{n}-{i}", name_en=f"Item {NAMES[i]}")
        Price.objects.create(price_level=catalogue.retail, product=product, amount=price)
        StockLevel.objects.create(location=location, product=product, quantity=quantity)
        prices[product.sku], quantities[product.sku] = price, quantity
    buyer = buyer_for(Membership.objects.select_related("company", "user").get(pk=orderer.membership.pk))
    cart_add_items(buyer=buyer, items=[(None, sku, quantity) for sku, quantity in quantities.items()])
    expected = expected_figures(prices, quantities, shipping)

    assert_adds_up("checkout page", checkout_figures(client.get("/orders/checkout/").content.decode()), expected)
    order = order_place(buyer=buyer, checkout_key=f"money-{n}", delivery=ADDRESS, billing_number=None)

    order = Order.objects.get(pk=order.pk)
    stored = Figures(
        lines={
            line.sku: (line.quantity, line.unit_price, line.line_total)
            for line in order.lines.all()  # the unit prices as stored, the line totals as computed once
        },
        subtotal=order.subtotal,
        shipping=order.shipping_cost,
        total=order.total,
    )
    assert_adds_up("order", stored, expected)
    assert_adds_up("order page", page_figures(client.get(f"/orders/{order.number}/").content.decode()), expected)
    assert_adds_up("PDF", pdf_figures(client.get(f"/orders/{order.number}/pdf/").content), expected)
    assert_adds_up("CSV", csv_figures(client.get(f"/orders/{order.number}/csv/").content), expected)
    assert_adds_up("XLSX", xlsx_figures(client.get(f"/orders/{order.number}/xlsx/").content), expected)
    message = real_mail.messages_to(orderer.user.email)[-1]
    assert order.number in str(message["Subject"])
    assert_adds_up("mail", mail_text_figures(body_of(message)), expected)
    assert_adds_up("mail (HTML)", mail_html_figures(message.get_body(preferencelist=("html",)).get_content()), expected)
