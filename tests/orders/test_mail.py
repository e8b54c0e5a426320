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
