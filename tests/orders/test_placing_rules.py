"""The rules every way of placing an order shares (one checkout key, one order; who may order), and
those every approver's decision shares (their company, their right, never their own order)."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from comptoir.carts.services import cart_add
from comptoir.core.permissions import Role
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.services import OrderError, order_approve, order_decline, order_place, order_place_scan_list
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory, MembershipFactory
from tests.orders.conftest import ADDRESS


def from_cart(buyer, key):
    cart_add(buyer=buyer, sku="DR-100", quantity=1)
    return order_place(buyer=buyer, checkout_key=key, delivery=ADDRESS, billing_number=None)


def from_scan_list(buyer, key):
    return order_place_scan_list(buyer=buyer, checkout_key=key, text="DR-100;1", delivery=ADDRESS, billing_number=None)


WAYS = [pytest.param(from_cart, id="cart"), pytest.param(from_scan_list, id="scan list")]


@pytest.mark.parametrize(("first", "second"), [(from_cart, from_scan_list), (from_scan_list, from_cart)])
def test_one_checkout_key_gives_one_order_whichever_way_it_is_sent(orderer, first, second):
    order = first(orderer, "same")
    assert second(orderer, "same").pk == order.pk
    assert Order.objects.count() == 1


@pytest.mark.parametrize("way", WAYS)
def test_a_missing_checkout_key_has_expired(orderer, way):
    with pytest.raises(OrderError, match="expired"):
        way(orderer, "")
    assert not Order.objects.exists()


@pytest.mark.parametrize("way", WAYS)
def test_a_member_who_may_not_order_is_refused(company, catalogue, way):
    viewer = buyer_for(MembershipFactory(company=company, role=Role.SEE_PRICES))
    with pytest.raises(PermissionDenied):
        way(viewer, "k")
    assert not Order.objects.exists()


@pytest.fixture
def pending(orderer):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    return from_cart(orderer, "p1")


def approve(buyer, order):
    return order_approve(buyer=buyer, order=order, version=order.version)


def decline(buyer, order):
    return order_decline(buyer=buyer, order=order, reason="Not this month")


DECISIONS = [pytest.param(approve, id="approve"), pytest.param(decline, id="decline")]


@pytest.mark.parametrize("decide", DECISIONS)
def test_an_approver_of_another_company_may_not_decide(pending, other_company, decide):
    with pytest.raises(PermissionDenied):
        decide(buyer_for(AdminMembershipFactory(company=other_company)), pending)


@pytest.mark.parametrize("decide", DECISIONS)
def test_a_colleague_without_the_right_may_not_decide(pending, company, decide):
    with pytest.raises(PermissionDenied):
        decide(buyer_for(MembershipFactory(company=company)), pending)


@pytest.mark.parametrize("decide", DECISIONS)
def test_nobody_decides_on_their_own_order(pending, orderer, decide):
    orderer = dataclasses.replace(orderer, permissions=orderer.permissions | {"approve_orders"})
    with pytest.raises(OrderError, match="your own order"):
        decide(orderer, pending)
    pending.refresh_from_db()
    assert pending.status == OrderStatus.AWAITING_APPROVAL
