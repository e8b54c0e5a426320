"""C11: order history: filters, and who sees which orders."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comptoir.core.permissions import Role
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.selectors import order_list
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory, MembershipFactory
from tests.orders.conftest import client_for, place

pytestmark = pytest.mark.django_db


def on(order, day: str, status=None):
    fields = {"created_at": timezone.make_aware(datetime.fromisoformat(f"{day}T10:00:00"))}
    if status:
        fields["status"] = status
    Order.objects.filter(pk=order.pk).update(**fields)
    return order


@pytest.fixture
def history(orderer):
    return {
        "march": on(place(orderer, key="a", reference="PO-MARCH"), "2025-03-10"),
        "april": on(place(orderer, key="b", reference="PO-APRIL"), "2025-04-15", OrderStatus.SHIPPED),
        "may": on(place(orderer, key="c", reference="Site Gent"), "2025-05-20", OrderStatus.CANCELLED),
    }


def numbers(orders):
    return {order.number for order in orders}


def test_filter_by_status(orderer, history):
    assert numbers(order_list(orderer, status=OrderStatus.SHIPPED)) == {history["april"].number}


def test_filter_by_date_range_includes_both_ends(orderer, history):
    found = order_list(orderer, date_from=date(2025, 3, 10), date_to=date(2025, 4, 15))
    assert numbers(found) == {history["march"].number, history["april"].number}


def test_filter_by_reference_or_number(orderer, history):
    assert numbers(order_list(orderer, reference="po-")) == {history["march"].number, history["april"].number}
    assert numbers(order_list(orderer, reference=history["may"].number)) == {history["may"].number}


def test_list_page_filters_from_the_query_string(client, orderer, history):
    client_for(client, orderer)
    body = client.get("/orders/", {"status": "cancelled"}).content.decode()
    assert history["may"].number in body
    assert history["march"].number not in body
    body = client.get("/orders/", {"date_from": "2025-04-01", "date_to": "2025-04-30", "reference": "APRIL"}).content
    assert history["april"].number in body.decode()
    assert history["march"].number not in body.decode()


def test_bad_filter_values_show_the_whole_list(client, orderer, history):
    response = client_for(client, orderer).get("/orders/", {"date_from": "yesterday", "status": "lost"})
    assert response.status_code == 200
    assert all(order.number in response.content.decode() for order in history.values())


def test_list_page_query_count_does_not_grow_with_orders(client, orderer, history):
    client_for(client, orderer)
    client.get("/orders/")  # warm the session and the store settings
    with CaptureQueriesContext(connection) as few:
        client.get("/orders/")
    for n in range(5):
        place(orderer, key=f"more-{n}")
    with CaptureQueriesContext(connection) as more:
        client.get("/orders/")
    assert len(more) == len(few)


def test_member_without_company_orders_right_sees_only_their_own(client, orderer, company, catalogue):
    mine = place(orderer, key="mine")
    colleague = buyer_for(MembershipFactory(company=company, user__email="colleague@acme.test"))
    theirs = place(colleague, key="theirs", items=[("SW-200", 1)])
    assert numbers(order_list(orderer)) == {mine.number}
    client_for(client, orderer)
    assert client.get(f"/orders/{theirs.number}/").status_code == 404
    assert client.get(f"/orders/{theirs.number}/csv/").status_code == 404


def test_member_with_company_orders_right_sees_everyones(orderer, company, catalogue):
    mine = place(orderer, key="mine")
    boss = buyer_for(AdminMembershipFactory(company=company, user__email="boss2@acme.test"))
    assert boss.can("see_company_orders")
    assert numbers(order_list(boss)) == {mine.number}


def test_granted_right_opens_the_company_history(orderer, company, catalogue):
    mine = place(orderer, key="mine")
    membership = MembershipFactory(
        company=company, role=Role.ORDER_WITHOUT_PRICES, granted_permissions=["see_company_orders"]
    )
    assert numbers(order_list(buyer_for(membership))) == {mine.number}


def test_another_companys_order_number_is_not_found(client, orderer, other_company):
    order = place(orderer)
    outsider = buyer_for(AdminMembershipFactory(company=other_company))
    client_for(client, outsider)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.get("/orders/CO-9999999/").status_code == 404
    assert order.number not in client.get("/orders/").content.decode()


def test_dates_are_days_in_the_shops_time_zone(orderer):
    order = place(orderer)
    today = timezone.localdate()
    assert numbers(order_list(orderer, date_from=today, date_to=today)) == {order.number}
    assert not order_list(orderer, date_from=today + timedelta(days=1)).exists()


def test_list_filtered_to_nothing_says_so_and_offers_to_clear_the_filters(client, orderer, history):
    client_for(client, orderer)
    body = client.get("/orders/", {"reference": "nothing-like-this"}).content.decode()
    assert "No order matches these filters." in body
    assert "No order yet." not in body
    assert 'href="/orders/">Show all orders</a>' in body


def test_list_without_any_order_says_no_order_yet(client, orderer):
    client_for(client, orderer)
    body = client.get("/orders/").content.decode()
    assert "No order yet." in body
    assert "No order matches these filters." not in body


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000, "²", "٣", "-1", "1e3"])
def test_page_numbers_beyond_64_bits_or_not_ascii_answer_without_error(client, orderer, history, page):
    response = client_for(client, orderer).get("/orders/", {"page": page})
    assert response.status_code == 200
