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
HEADER = ["Order", "Date", "Your reference", "Status", "SKU", "Product", "Quantity"]


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
    assert drill[4:] == ["DR-100", "Cordless drill", "2", "100.00", "200.00", "EUR"]
    assert saw[5] == '\'@SUM(1+1) "saw", sharp'
    assert saw[4:7] == ["SW-200", '\'@SUM(1+1) "saw", sharp', "1"]


def test_csv_for_a_member_without_prices_has_no_price_column(client, carl):
    order = place(carl, items=[("SW-200", 2)])
    rows = read_csv(client_for(client, carl).get(f"/orders/{order.number}/csv/"))
    assert rows[0] == HEADER
    assert rows[1][4:] == ["SW-200", "Hand saw", "2"]
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
