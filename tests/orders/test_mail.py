"""G1, G2, A6, SECURITY 35: order mails through the real mail path (stored, queued, SMTP).

Mails leave only after the order is committed: a failure after stock was allocated rolls the
order and the stock back, and nobody gets a mail about an order that does not exist.
"""

import pytest

from comptoir.carts.models import CartLine
from comptoir.inventory.models import StockLevel
from comptoir.notifications.models import OutgoingEmail
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.services import order_approve, order_decline
from tests.conftest import body_of
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db(transaction=True)


def html_of(message) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part else ""


def test_confirmation_reaches_the_buyer_in_their_language(orderer, real_mail):
    orderer.user.language = "fr"
    orderer.user.save(update_fields=["language"])
    order = place(orderer, items=[("DR-100", 2)], reference="PO-9")
    [message] = real_mail.messages_to(orderer.user.email)
    assert str(message["Subject"]) == f"Nous avons bien reçu votre commande {order.number}"
    body = body_of(message)
    assert f"Commande {order.number} pour Acme Test" in body
    assert "Livrer à\u00a0:" in body  # French puts a space before the colon
    assert "Belgique" in body  # the country's name in French, not its code
    assert "200,00 EUR" in body  # French number format
    assert f"/orders/{order.number}/" in body


def test_a_swedish_companys_member_gets_mail_in_their_own_language(orderer, company, real_mail):
    company.language = "sv"
    company.save(update_fields=["language"])
    orderer.user.language = "nl"
    orderer.user.save(update_fields=["language"])
    order = place(orderer)
    [message] = real_mail.messages_to(orderer.user.email)
    assert str(message["Subject"]) == f"We hebben uw bestelling {order.number} ontvangen"


def test_member_without_prices_gets_a_mail_without_any_amount(carl, real_mail):
    order = place(carl, items=[("SW-200", 2)])
    [message] = real_mail.messages_to(carl.user.email)
    for text in (body_of(message), html_of(message)):
        assert "Hand saw" in text
        assert "EUR" not in text
        assert "40" not in text.replace(order.number, "")
        assert "Total" not in text
        assert "Shipping" not in text


def test_approvers_get_the_approval_request_and_the_buyer_the_decision(orderer, approver, real_mail):
    approver.user.language = "fr"
    approver.user.save(update_fields=["language"])
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    order = place(orderer)
    [request] = real_mail.messages_to(approver.user.email)
    assert (
        str(request["Subject"]).strip()
        == f"{orderer.user.get_full_name()} vous demande d\u2019approuver la commande {order.number}"
    )
    assert f"/orders/{order.number}/" in body_of(request)
    [received] = real_mail.messages_to(orderer.user.email)
    assert order.number in str(received["Subject"])

    order_approve(buyer=approver, order=order, version=order.version)
    decided = real_mail.messages_to(orderer.user.email)[-1]
    assert str(decided["Subject"]) == f"Order {order.number} was approved"


def test_decline_mail_carries_the_reason(orderer, approver, real_mail):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    order = place(orderer)
    order_decline(buyer=approver, order=order, reason="Budget frozen until March")
    decided = real_mail.messages_to(orderer.user.email)[-1]
    assert "was declined" in str(decided["Subject"])
    assert "Budget frozen until March" in body_of(decided)


def test_failure_after_allocation_rolls_back_order_and_stock_and_sends_no_mail(
    orderer, catalogue, real_mail, monkeypatch
):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(OrderLine.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        place(orderer, items=[("DR-100", 3)])
    assert not Order.objects.exists()
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2
    assert CartLine.objects.filter(cart__user=orderer.user).count() == 1  # the cart is still there
    assert OutgoingEmail.objects.count() == 0
    assert real_mail.messages == []


# --- What the confirmation says (C7, C12) -----------------------------------------------------------


def test_confirmation_carries_the_requested_date_the_remarks_and_the_customer_numbers(orderer, company, real_mail):
    from datetime import date

    from tests.factories import CustomerNumberFactory

    billing = CustomerNumberFactory(company=company, number="B-100", kind="billing")
    delivery = CustomerNumberFactory(company=company, number="D-200", kind="delivery")
    order = place(
        orderer,
        remarks="Ring twice at the back door",
        requested_delivery_date=date(2031, 3, 14),
        billing_number=billing,
        delivery_number=delivery,
    )
    [message] = real_mail.messages_to(orderer.user.email)
    text, html = body_of(message), html_of(message)
    assert "Requested delivery date: March 14, 2031" in text
    assert "Remarks: Ring twice at the back door" in text
    assert "Billing customer number: B-100" in text
    assert "Delivery customer number: D-200" in text
    for expected in ("March 14, 2031", "Ring twice at the back door", "B-100", "D-200"):
        assert expected in html
    assert order.number in text


def validated_after_a_shipping_change(buyer, company, staff_user):
    from decimal import Decimal

    from comptoir.orders.services import order_set_shipping_cost, order_validate

    company.validation_required = True
    company.save(update_fields=["validation_required"])
    order = place(buyer, items=[("SW-200", 2)])
    order_set_shipping_cost(actor=staff_user, order=order, amount=Decimal("12.34"))
    order_validate(actor=staff_user, order=order)
    return order


def test_mail_after_staff_changed_the_shipping_cost_shows_the_current_cost(orderer, company, staff_user, real_mail):
    order = validated_after_a_shipping_change(orderer, company, staff_user)
    received, confirmed = real_mail.messages_to(orderer.user.email)
    assert "Shipping: 0.00 EUR" in body_of(received)
    assert str(confirmed["Subject"]) == f"Order {order.number}: Confirmed"
    for text in (body_of(confirmed), html_of(confirmed)):
        assert "Shipping: 12.34 EUR" in text
        assert "Total: 52.34 EUR" in text  # 2 saws at 20.00 and the new shipping cost


def test_mail_after_a_shipping_change_has_no_amount_for_a_member_without_prices(carl, company, staff_user, real_mail):
    order = validated_after_a_shipping_change(carl, company, staff_user)
    confirmed = real_mail.messages_to(carl.user.email)[-1]
    for text in (body_of(confirmed), html_of(confirmed)):
        assert "Hand saw" in text
        assert "EUR" not in text
        assert "12.34" not in text
        assert "12,34" not in text
        assert "Shipping" not in text
        assert order.number in text


def test_approval_mail_shows_the_order_as_approved(orderer, approver, real_mail):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    order = place(orderer, remarks="Urgent for the new site")
    order_approve(buyer=approver, order=order, version=order.version)
    decided = real_mail.messages_to(orderer.user.email)[-1]
    assert "Remarks: Urgent for the new site" in body_of(decided)
    assert "Total: 100.00 EUR" in body_of(decided)


def test_an_approver_whose_account_is_deactivated_is_not_asked_to_approve(orderer, approver, real_mail):
    approver.user.is_active = False
    approver.user.save(update_fields=["is_active"])
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    place(orderer)
    assert real_mail.messages_to(approver.user.email) == []
