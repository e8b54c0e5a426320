"""C11, E2, G4: an order as CSV and as a confirmation PDF, prices only for those who see them."""

import csv
import io
import re

import pytest
from pypdf import PdfReader

from comptoir.orders.documents import document_language, order_confirmation_html
from comptoir.orders.models import OrderLine
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory
from tests.orders.conftest import client_for, place

pytestmark = pytest.mark.django_db
HEADER = [
    "Order",
    "Date",
    "Your reference",
    "Billing customer number",
    "Delivery customer number",
    "Status",
    "SKU",
    "Product",
    "Quantity",
]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def order(orderer):
    return place(orderer, items=[("DR-100", 2), ("SW-200", 1)], reference='=HYPERLINK("http://evil")')


def test_csv_is_an_attachment_with_a_server_made_name(client, orderer, order):
    response = client_for(client, orderer).get(f"/orders/{order.number}/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.number}.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_csv_round_trip_with_prices_and_defused_cells(client, orderer, order):
    OrderLine.objects.filter(order=order, sku="SW-200").update(name='@SUM(1+1) "saw", sharp')
    rows = read_csv(client_for(client, orderer).get(f"/orders/{order.number}/csv/"))
    assert rows[0] == [*HEADER, "Unit price", "Line total", "Currency"]
    drill, saw = rows[1:]
    assert drill[0] == order.number
    assert drill[2] == '\'=HYPERLINK("http://evil")'
    assert drill[6:] == ["DR-100", "Cordless drill", "2", "100.00", "200.00", "EUR"]
    assert saw[7] == '\'@SUM(1+1) "saw", sharp'
    assert saw[6:9] == ["SW-200", '\'@SUM(1+1) "saw", sharp', "1"]


def test_csv_for_a_member_without_prices_has_no_price_column(client, carl):
    order = place(carl, items=[("SW-200", 2)])
    rows = read_csv(client_for(client, carl).get(f"/orders/{order.number}/csv/"))
    assert rows[0] == HEADER
    assert rows[1][6:] == ["SW-200", "Hand saw", "2"]
    assert "40" not in "".join(rows[1])


def test_csv_and_pdf_of_another_company_are_not_found(client, order, other_company, catalogue):
    outsider = buyer_for(AdminMembershipFactory(company=other_company))
    client_for(client, outsider)
    assert client.get(f"/orders/{order.number}/csv/").status_code == 404
    assert client.get(f"/orders/{order.number}/pdf/").status_code == 404


def test_pdf_is_a_pdf_attachment_holding_the_order(client, orderer, order):
    response = client_for(client, orderer).get(f"/orders/{order.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.number}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert f"Order confirmation {order.number}" in text
    assert "Cordless drill" in text
    assert "200.00 EUR" in text


def test_pdf_is_in_the_customers_language(client, orderer, order, company):
    company.language = "fr"
    company.save(update_fields=["language"])
    text = pdf_text(client_for(client, orderer).get(f"/orders/{order.number}/pdf/"))
    assert f"Confirmation de commande {order.number}" in text
    assert "Quantité" in text
    assert "Commandé par" in text
    assert "Ordered by" not in text
    html = order_confirmation_html(order, show_prices=True, language="fr")
    assert '<html lang="fr">' in html
    assert "Livrer à" in html


def test_pdf_language_is_the_companys_then_the_members(order, orderer):
    assert document_language(order, orderer.user) == "en"
    order.company.language = "sv"
    assert document_language(order, orderer.user) == "sv"
    order.company.language = ""
    orderer.user.language = "nl"
    assert document_language(order, orderer.user) == "nl"


def test_pdf_for_a_member_without_prices_shows_no_amount(client, carl):
    order = place(carl, items=[("SW-200", 2)])
    response = client_for(client, carl).get(f"/orders/{order.number}/pdf/")
    text = pdf_text(response)
    assert "Hand saw" in text
    assert "EUR" not in text
    # No amount in any format (20.00 a unit, 40.00 in all); the time it was placed may hold "40".
    assert re.findall(r"\d+[.,]\d\d(?!\d)", text.replace(order.number, "")) == []
    html = order_confirmation_html(order, show_prices=False, language="en")
    assert "Unit price" not in html
    assert "Total" not in html


def test_order_page_offers_the_documents(client, orderer, order):
    body = client_for(client, orderer).get(f"/orders/{order.number}/").content.decode()
    assert f"/orders/{order.number}/csv/" in body
    assert f"/orders/{order.number}/pdf/" in body


def test_pdf_rendering_fetches_nothing(order, tmp_path, monkeypatch):
    from comptoir.orders import documents

    css = tmp_path / "leak.css"
    css.write_text('p::after { content: "LEAKED"; }')
    monkeypatch.setattr(
        documents,
        "order_confirmation_html",
        lambda *args, **kwargs: f'<link rel="stylesheet" href="{css.as_uri()}"><p>Order</p>',
    )
    pdf = documents.order_confirmation_pdf(order, show_prices=True, language="en")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Order" in text
    assert "LEAKED" not in text


def test_pdfs_are_rate_limited_per_member(client, orderer, order, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "order_pdf": "2/m/key"}
    buyer = client_for(client, orderer)
    statuses = [buyer.get(f"/orders/{order.number}/pdf/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("language", ["en", "fr", "nl", "sv"])
def test_pdf_labels_never_wrap_into_the_next_line(orderer, company, language):
    """A long label ("Billing customer number") stays on its line, beside its value, in every language."""
    from datetime import date

    from django.utils import translation

    from comptoir.orders.documents import order_confirmation_pdf
    from comptoir.orders.models import Order
    from tests.factories import CustomerNumberFactory

    order = place(orderer, requested_delivery_date=date(2031, 3, 14), reference="PO-1")
    billing = CustomerNumberFactory(company=company, number="B-77", kind="billing")
    delivery = CustomerNumberFactory(company=company, number="D-88", kind="delivery")
    Order.objects.filter(pk=order.pk).update(billing_number=billing, delivery_number=delivery)
    order.refresh_from_db()
    pdf = order_confirmation_pdf(order, show_prices=True, language=language)
    lines = [line.strip() for line in pdf_text_of(pdf).splitlines()]
    with translation.override(language):
        from django.utils.translation import gettext

        labels = [gettext(label) for label in ("Billing customer number", "Delivery customer number")]
        date_label = gettext("Requested delivery date")
    for label, value in zip(labels, ("B-77", "D-88"), strict=True):
        assert f"{label} {value}" in lines, lines
    assert any(line.startswith(date_label) for line in lines), lines


def pdf_text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- Spreadsheets in the member's language (E2) -----------------------------------------------------


def xlsx_rows(response) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("language", "order_header"), [("fr", "Commande"), ("nl", "Bestelling"), ("sv", "Beställning")]
)
def test_csv_for_a_french_dutch_or_swedish_member_uses_semicolons_and_decimal_commas(
    client, orderer, order, language, order_header
):
    orderer.user.language = language
    orderer.user.save(update_fields=["language"])
    content = client_for(client, orderer).get(f"/orders/{order.number}/csv/").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert rows[0][0] == order_header
    assert len(rows[0]) == len(HEADER) + 3
    drill = rows[1]
    assert (drill[6], drill[8]) == ("DR-100", "2")
    assert drill[9:11] == ["100,00", "200,00"]
    assert drill[2] == '\'=HYPERLINK("http://evil")'


def test_csv_for_an_english_member_keeps_commas_and_decimal_points(client, orderer, order):
    orderer.user.language = "en"
    orderer.user.save(update_fields=["language"])
    content = client_for(client, orderer).get(f"/orders/{order.number}/csv/").content.decode("utf-8-sig")
    assert ";" not in content.splitlines()[0]
    drill = list(csv.reader(io.StringIO(content, newline="")))[1]
    assert drill[9:11] == ["100.00", "200.00"]


def test_xlsx_holds_numbers_as_numbers_and_text_never_as_a_formula(client, orderer, order):
    response = client_for(client, orderer).get(f"/orders/{order.number}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.number}.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    header, drill, _saw = xlsx_rows(response)
    assert [cell.value for cell in header] == [*HEADER, "Unit price", "Line total", "Currency"]
    assert drill[2].value == '\'=HYPERLINK("http://evil")'
    assert drill[2].data_type == "s"
    assert [cell.value for cell in drill[6:9]] == ["DR-100", "Cordless drill", 2]
    assert drill[8].data_type == "n"
    assert (drill[9].value, drill[10].value) == (100, 200)
    assert drill[10].data_type == "n"
    assert drill[1].is_date


def test_xlsx_for_a_member_without_prices_has_no_amount(client, carl):
    order = place(carl, items=[("SW-200", 2)])
    header, row = xlsx_rows(client_for(client, carl).get(f"/orders/{order.number}/xlsx/"))
    assert [cell.value for cell in header] == HEADER
    assert [cell.value for cell in row[6:]] == ["SW-200", "Hand saw", 2]


def test_xlsx_of_another_company_is_not_found(client, order, other_company, catalogue):
    client_for(client, buyer_for(AdminMembershipFactory(company=other_company)))
    assert client.get(f"/orders/{order.number}/xlsx/").status_code == 404


def test_order_page_offers_the_xlsx_beside_the_csv(client, orderer, order):
    body = client_for(client, orderer).get(f"/orders/{order.number}/").content.decode()
    assert f'href="/orders/{order.number}/xlsx/"' in body
