import dataclasses
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from comptoir.carts.services import cart_add
from comptoir.core.models import AuditEvent
from comptoir.inventory.models import StockLevel
from comptoir.orders.models import OrderStatus
from comptoir.orders.services import (
    OrderError,
    order_approve,
    order_cancel,
    order_decline,
    order_place,
    order_set_shipping_cost,
    order_validate,
)
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory
from tests.orders.conftest import ADDRESS


@pytest.fixture
def pending(orderer):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    return order_place(buyer=orderer, checkout_key="p1", delivery=ADDRESS, billing_number=None)


def test_order_of_member_needing_approval_waits_without_holding_stock(pending, catalogue):
    assert pending.status == OrderStatus.AWAITING_APPROVAL
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2


def test_approval_places_the_order_and_reserves_stock(pending, approver, catalogue):
    order = order_approve(buyer=approver, order=pending, version=pending.version)
    assert order.status == OrderStatus.CONFIRMED
    assert order.approved_by == approver.user
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 4
    assert AuditEvent.objects.filter(action="order.approved", actor=approver.user).exists()


def test_approving_twice_changes_nothing(pending, approver, catalogue):
    order_approve(buyer=approver, order=pending, version=pending.version)
    order_approve(buyer=approver, order=pending, version=pending.version)
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 4


def test_creator_cannot_approve_own_order(pending, orderer):
    orderer = dataclasses.replace(orderer, permissions=orderer.permissions | {"approve_orders"})
    with pytest.raises(OrderError):
        order_approve(buyer=orderer, order=pending, version=pending.version)


def test_admin_of_another_company_cannot_approve(pending, other_company):
    outsider = buyer_for(AdminMembershipFactory(company=other_company))
    with pytest.raises(PermissionDenied):
        order_approve(buyer=outsider, order=pending, version=pending.version)


def test_change_after_submit_voids_the_pending_approval(pending, approver, staff_user):
    seen_version = pending.version
    order_set_shipping_cost(actor=staff_user, order=pending, amount=Decimal("99.00"))
    with pytest.raises(OrderError):
        order_approve(buyer=approver, order=pending, version=seen_version)


def test_decline_needs_a_reason_and_returns_to_buyer(pending, approver):
    with pytest.raises(OrderError):
        order_decline(buyer=approver, order=pending, reason="  ")
    order = order_decline(buyer=approver, order=pending, reason="Too many drills")
    assert order.status == OrderStatus.DECLINED
    assert order.decided_reason == "Too many drills"


def test_declined_order_cannot_be_approved(pending, approver):
    order_decline(buyer=approver, order=pending, reason="No")
    with pytest.raises(OrderError):
        order_approve(buyer=approver, order=pending, version=pending.version)


def test_amount_rule_sends_big_orders_to_approval(orderer, company):
    company.approval_above_amount = Decimal("150.00")
    company.save()
    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    small = order_place(buyer=orderer, checkout_key="s", delivery=ADDRESS, billing_number=None)
    cart_add(buyer=orderer, sku="DR-100", quantity=2)
    big = order_place(buyer=orderer, checkout_key="b", delivery=ADDRESS, billing_number=None)
    assert small.status == OrderStatus.CONFIRMED
    assert big.status == OrderStatus.AWAITING_APPROVAL


def test_seller_validation_queue_holds_stock_until_validated(orderer, company, staff_user, catalogue):
    company.validation_required = True
    company.save()
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    order = order_place(buyer=orderer, checkout_key="v", delivery=ADDRESS, billing_number=None)
    assert order.status == OrderStatus.AWAITING_VALIDATION
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 3
    assert order_validate(actor=staff_user, order=order).status == OrderStatus.CONFIRMED


def test_cancelling_releases_stock(orderer, company, catalogue):
    company.validation_required = True
    company.save()
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    order = order_place(buyer=orderer, checkout_key="c", delivery=ADDRESS, billing_number=None)
    order_cancel(actor=orderer.user, order=order, buyer=orderer)
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2


def test_illegal_transition_is_refused(orderer, staff_user):
    from comptoir.orders.services import order_complete

    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    order = order_place(buyer=orderer, checkout_key="t", delivery=ADDRESS, billing_number=None)
    with pytest.raises(OrderError):
        order_complete(actor=staff_user, order=order)  # confirmed orders ship first


def test_cancelling_the_order_that_took_the_last_units_wakes_stock_alerts(
    orderer, company, catalogue, django_capture_on_commit_callbacks
):
    from comptoir.inventory.models import BackInStockAlert
    from comptoir.inventory.services import alert_subscribe

    company.validation_required = True
    company.save()
    cart_add(buyer=orderer, sku="SW-200", quantity=3)  # all three saws in Brussels
    order = order_place(buyer=orderer, checkout_key="last", delivery=ADDRESS, billing_number=None)
    waiting = buyer_for(AdminMembershipFactory(company=company))
    alert_subscribe(buyer=waiting, product=catalogue.saw)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(actor=orderer.user, order=order, buyer=orderer)
    assert BackInStockAlert.objects.get(user=waiting.user).notified_at is not None
