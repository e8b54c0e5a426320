"""C9 (seed 001 "listes de scannage"): scanned codes become an order that always waits for the seller."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comptoir.inventory.models import StockLevel
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.scan_lists import scan_list_parse
from comptoir.orders.services import OrderError, order_approve, order_place_scan_list
from tests.orders.conftest import ADDRESS, client_for

pytestmark = pytest.mark.django_db

ONE_TIME = {
    "delivery": "one-time",
    "name": "Acme",
    "street": "1 Dock Road",
    "postcode": "1000",
    "city": "Brussels",
    "country": "BE",
}


def send(buyer, text, key="scan"):
    return order_place_scan_list(buyer=buyer, checkout_key=key, text=text, delivery=ADDRESS, billing_number=None)


def test_lines_are_codes_with_an_optional_quantity():
    lines, problems = scan_list_parse("5400000000011\n\n  SW-200;3 \nSW-200,2\nDR-100\t4\nX;zero\nY;0\n")
    assert [(line.number, line.code, line.quantity) for line in lines] == [
        (1, "5400000000011", 1),
        (3, "SW-200", 3),
        (4, "SW-200", 2),
        (5, "DR-100", 4),
    ]
    assert len(problems) == 2
    assert problems[0].startswith("Line 6:")
    assert problems[1].startswith("Line 7:")


def test_ean_and_sku_codes_make_an_order_waiting_for_validation(orderer, catalogue):
    order = send(orderer, "5400000000011\n5400000000011\nSW-200;2\n")
    assert order.source == Order.Source.SCAN_LIST
    assert order.status == OrderStatus.AWAITING_VALIDATION  # although the store does not require validation
    assert sorted(order.lines.values_list("sku", "quantity")) == [("DR-100", 2), ("SW-200", 2)]
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2 + 2


def test_an_ean_scanned_with_its_leading_zero_is_found(orderer, catalogue):
    assert send(orderer, "05400000000011").lines.get().sku == "DR-100"


def test_unknown_codes_are_reported_with_line_numbers_and_nothing_is_created(orderer, catalogue):
    with pytest.raises(OrderError) as error:
        send(orderer, "DR-100\nNOPE-1\nHD-400\n9999999999999;2\n")
    messages = error.value.messages
    assert messages == [
        "Line 2: NOPE-1: unknown code, or not available to you",
        "Line 4: 9999999999999: unknown code, or not available to you",
    ]
    assert not Order.objects.exists()
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2


def test_a_product_the_customer_cannot_see_is_unknown(orderer, company, catalogue):
    company.visible_brands.add(catalogue.acme_brand)
    with pytest.raises(OrderError) as error:
        send(orderer, "DR-100\nSW-200\n")
    assert error.value.messages == ["Line 2: SW-200: unknown code, or not available to you"]


def test_an_empty_list_is_refused(orderer):
    with pytest.raises(OrderError):
        send(orderer, "\n \n")


def test_sending_twice_gives_one_order(orderer, catalogue):
    assert send(orderer, "DR-100", key="same").pk == send(orderer, "DR-100", key="same").pk
    assert Order.objects.count() == 1


def test_after_company_approval_a_scan_list_still_waits_for_the_seller(orderer, approver, catalogue):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    order = send(orderer, "DR-100")
    assert order.status == OrderStatus.AWAITING_APPROVAL
    order = order_approve(buyer=approver, order=order, version=order.version)
    assert order.status == OrderStatus.AWAITING_VALIDATION


def test_page_takes_pasted_codes(client, orderer, catalogue):
    client_for(client, orderer)
    key = client.get("/orders/scan-list/").context["form"]["checkout_key"].value()
    response = client.post("/orders/scan-list/", {"checkout_key": key, "codes": "DR-100;2", **ONE_TIME})
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    assert order.status == OrderStatus.AWAITING_VALIDATION


def test_page_takes_a_scanner_file(client, orderer, catalogue):
    upload = SimpleUploadedFile("scan.txt", "\ufeffSW-200;1\r\n5400000000011\r\n".encode(), content_type="text/plain")
    response = client_for(client, orderer).post(
        "/orders/scan-list/", {"checkout_key": "file-1", "file": upload, **ONE_TIME}
    )
    assert response.status_code == 302
    assert sorted(Order.objects.get().lines.values_list("sku", flat=True)) == ["DR-100", "SW-200"]


def test_page_lists_every_bad_line_and_orders_nothing(client, orderer, catalogue):
    response = client_for(client, orderer).post(
        "/orders/scan-list/", {"checkout_key": "bad", "codes": "DR-100\nWHAT\n", **ONE_TIME}
    )
    assert response.status_code == 200
    assert "Line 2: WHAT: unknown code" in response.content.decode()
    assert not Order.objects.exists()


def test_a_file_over_the_limit_is_refused_before_reading(client, orderer, catalogue):
    upload = SimpleUploadedFile("scan.txt", b"DR-100\n" * 100_000)
    response = client_for(client, orderer).post(
        "/orders/scan-list/", {"checkout_key": "big", "file": upload, **ONE_TIME}
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Order.objects.exists()


def test_a_member_who_may_not_order_cannot_send_a_scan_list(client, company, catalogue):
    from comptoir.core.permissions import Role
    from tests.catalogue_data import buyer_for
    from tests.factories import MembershipFactory

    viewer = buyer_for(MembershipFactory(company=company, role=Role.SEE_PRICES))
    assert client_for(client, viewer).get("/orders/scan-list/").status_code == 403


@pytest.mark.parametrize(
    "quantity",
    [
        "²",  # str.isdigit() says yes, int() fails
        "٣",  # int() reads 3
        "\uff13",  # fullwidth: int() reads 3
        "9" * 5000,  # past Python's int-from-string digit limit
        "100001",
        "1.5",
        "-2",
    ],
)
def test_a_bad_quantity_is_reported_as_such_with_its_line(orderer, catalogue, quantity):
    with pytest.raises(OrderError) as error:
        send(orderer, f"SW-200\nDR-100;{quantity}\n")
    [message] = error.value.messages
    assert message.startswith("Line 2: DR-100: bad quantity “")
    assert "unknown code" not in message
    assert len(message) < 200
    assert not Order.objects.exists()


@pytest.mark.parametrize("line", ["DR-100 ²", "DR-100 3", "5400000000011 x2", "DR-100 " + "9" * 5000])
def test_a_quantity_after_a_space_is_reported_as_a_bad_quantity_not_an_unknown_code(orderer, catalogue, line):
    with pytest.raises(OrderError) as error:
        send(orderer, f"SW-200\n{line}\n")
    [message] = error.value.messages
    assert message.startswith("Line 2: ")
    assert "bad quantity “" in message
    assert "write the code, a “;” and a whole number from 1 to 100000" in message
    assert "unknown code" not in message
    assert not Order.objects.exists()


def test_an_unknown_code_followed_by_a_quantity_is_still_unknown(orderer, catalogue):
    with pytest.raises(OrderError) as error:
        send(orderer, "NOPE 3\n")
    assert error.value.messages == ["Line 1: NOPE 3: unknown code, or not available to you"]


def test_page_reports_a_superscript_quantity_instead_of_failing(client, orderer, catalogue):
    response = client_for(client, orderer).post(
        "/orders/scan-list/", {"checkout_key": "sup", "codes": "DR-100;²\n", **ONE_TIME}
    )
    assert response.status_code == 200
    assert "Line 1: DR-100: bad quantity “²”" in response.content.decode()
    assert not Order.objects.exists()


def test_problems_are_listed_in_line_order(orderer, catalogue):
    with pytest.raises(OrderError) as error:
        send(orderer, "DR-100;²\nSW-200 3\nNOPE\nGL-300;x\n")
    assert [message.split(":")[0] for message in error.value.messages] == ["Line 1", "Line 2", "Line 3", "Line 4"]
