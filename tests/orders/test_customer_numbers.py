"""A8, C7: a member orders on their own customer numbers, billing and delivery, which can differ.

A member linked to some of the company's numbers is offered only those; a member linked to none
is offered all of them. The delivery number is stored on the order and shown wherever it is.
"""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from comptoir.carts.services import cart_add_items
from comptoir.companies.models import CustomerNumber
from comptoir.orders.models import Order
from comptoir.orders.services import OrderError, order_place
from tests.factories import CustomerNumberFactory
from tests.orders.conftest import ADDRESS, client_for, place

pytestmark = pytest.mark.django_db
Kind = CustomerNumber.Kind
ONE_TIME = {"delivery": "one-time", "name": "Acme", "street": "1 Dock Road", "postcode": "1000", "city": "Brussels"}


@pytest.fixture
def numbers(company):
    """Acme bills on C1 and C2 (C2 also delivers) and delivers to D1 and D2."""
    return {
        "C1": CustomerNumberFactory(company=company, number="C1", kind=Kind.BILLING),
        "C2": CustomerNumberFactory(company=company, number="C2", kind=Kind.BOTH),
        "D1": CustomerNumberFactory(company=company, number="D1", kind=Kind.DELIVERY),
        "D2": CustomerNumberFactory(company=company, number="D2", kind=Kind.DELIVERY),
    }


@pytest.fixture
def limited(orderer, numbers):
    """The orderer may bill on C1 only and deliver to D2 only."""
    orderer.membership.customer_numbers.set([numbers["C1"], numbers["D2"]])
    return orderer


def offered(response, field: str) -> list[str]:
    return [label for value, label in response.context["form"].fields[field].choices if value]


def checkout(client, buyer, **data):
    cart_add_items(buyer=buyer, items=[(None, "DR-100", 1)])
    return client.post("/orders/checkout/", {"checkout_key": "key-1", "country": "BE", **ONE_TIME, **data})


def test_checkout_offers_a_limited_member_only_their_own_numbers(client, limited):
    cart_add_items(buyer=limited, items=[(None, "DR-100", 1)])
    response = client_for(client, limited).get("/orders/checkout/")
    assert offered(response, "billing_number") == ["C1 (Billing)"]
    assert offered(response, "delivery_number") == ["D2 (Delivery)"]


def test_checkout_offers_a_member_linked_to_no_number_all_the_companys_of_each_kind(client, orderer, numbers):
    cart_add_items(buyer=orderer, items=[(None, "DR-100", 1)])
    response = client_for(client, orderer).get("/orders/checkout/")
    assert offered(response, "billing_number") == ["C1 (Billing)", "C2 (Billing and delivery)"]
    assert offered(response, "delivery_number") == ["C2 (Billing and delivery)", "D1 (Delivery)", "D2 (Delivery)"]


def test_a_single_choice_is_preselected(client, limited, numbers):
    cart_add_items(buyer=limited, items=[(None, "DR-100", 1)])
    form = client_for(client, limited).get("/orders/checkout/").context["form"]
    assert form["billing_number"].value() == str(numbers["C1"].pk)
    assert form["delivery_number"].value() == str(numbers["D2"].pk)


def test_among_several_numbers_the_member_must_choose(client, orderer, numbers):
    client_for(client, orderer)
    response = checkout(client, orderer, billing_number=numbers["C1"].pk)
    assert response.status_code == 200
    assert response.context["form"].errors["delivery_number"] == ["This field is required."]
    assert not Order.objects.exists()


def test_a_forged_number_outside_the_members_is_a_form_error_and_no_order(client, limited, numbers):
    client_for(client, limited)
    response = checkout(client, limited, billing_number=numbers["C1"].pk, delivery_number=numbers["D1"].pk)
    assert response.status_code == 200
    assert "delivery_number" in response.context["form"].errors
    response = checkout(client, limited, billing_number=numbers["C2"].pk, delivery_number=numbers["D2"].pk)
    assert "billing_number" in response.context["form"].errors
    assert not Order.objects.exists()


def test_the_service_refuses_a_delivery_number_the_member_may_not_use(limited, numbers, other_company):
    foreign = CustomerNumberFactory(company=other_company, number="X9", kind=Kind.DELIVERY)
    for number in (numbers["D1"], foreign):
        with pytest.raises(OrderError, match=r"Choose one of your delivery customer numbers\."):
            place(limited, key=f"k-{number.number}", delivery_number=number)
    assert not Order.objects.exists()


def test_the_service_refuses_a_billing_number_the_member_may_not_use(limited, numbers):
    cart_add_items(buyer=limited, items=[(None, "DR-100", 1)])
    with pytest.raises(OrderError, match=r"Choose one of your billing customer numbers\."):
        order_place(buyer=limited, checkout_key="kb", delivery=ADDRESS, billing_number=numbers["C2"])
    assert not Order.objects.exists()


@pytest.fixture
def placed(client, limited, numbers):
    client_for(client, limited)
    response = checkout(client, limited, billing_number=numbers["C1"].pk, delivery_number=numbers["D2"].pk)
    assert response.status_code == 302, response.context["form"].errors
    return Order.objects.get()


def test_the_delivery_number_is_stored_on_the_order(placed, numbers):
    assert placed.billing_number == numbers["C1"]
    assert placed.delivery_number == numbers["D2"]


def test_the_order_page_shows_both_numbers(client, placed):
    body = client.get(f"/orders/{placed.number}/").content.decode()
    assert "<dt>Billing customer number</dt><dd>C1</dd>" in body
    assert "<dt>Delivery customer number</dt><dd>D2</dd>" in body


def test_the_pdf_shows_both_numbers(client, placed):
    response = client.get(f"/orders/{placed.number}/pdf/")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Billing customer number" in text
    assert "Delivery customer number" in text
    assert "C1" in text
    assert "D2" in text


def test_the_csv_carries_both_numbers_on_every_row(client, placed):
    content = client.get(f"/orders/{placed.number}/csv/").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content, newline="")))
    assert dict(zip(header, row, strict=True))["Billing customer number"] == "C1"
    assert dict(zip(header, row, strict=True))["Delivery customer number"] == "D2"


def test_the_back_office_order_page_shows_the_delivery_number(client, placed, staff_user):
    client.force_login(staff_user)
    body = client.get(reverse("backoffice:orders_order_change", args=[placed.pk])).content.decode()
    assert "Delivery customer number" in body
    assert "D2 (Delivery)" in body


def test_a_scan_list_offers_and_keeps_the_members_delivery_number(client, limited, numbers):
    client_for(client, limited)
    form = client.get("/orders/scan-list/").context["form"]
    assert [label for value, label in form.fields["delivery_number"].choices if value] == ["D2 (Delivery)"]
    data = {"checkout_key": "scan-1", "codes": "DR-100;1", "country": "BE", **ONE_TIME}
    forged = client.post("/orders/scan-list/", {**data, "delivery_number": numbers["D1"].pk})
    assert "delivery_number" in forged.context["form"].errors
    assert not Order.objects.exists()
    response = client.post(
        "/orders/scan-list/", {**data, "billing_number": numbers["C1"].pk, "delivery_number": numbers["D2"].pk}
    )
    assert response.status_code == 302
    assert Order.objects.get().delivery_number == numbers["D2"]


def test_a_member_limited_to_a_delivery_number_still_bills_on_the_companys_billing_numbers(client, orderer, numbers):
    """Being limited to some delivery numbers says nothing about billing: no billing number is lost."""
    orderer.membership.customer_numbers.set([numbers["D2"]])
    cart_add_items(buyer=orderer, items=[(None, "DR-100", 1)])
    response = client_for(client, orderer).get("/orders/checkout/")
    assert offered(response, "billing_number") == ["C1 (Billing)", "C2 (Billing and delivery)"]
    assert offered(response, "delivery_number") == ["D2 (Delivery)"]
