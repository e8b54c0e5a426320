from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from comptoir.carts.models import CartLine
from comptoir.carts.services import CartError, cart_add
from comptoir.core.memo import reference_changed
from comptoir.core.permissions import Role
from comptoir.inventory.models import StockLevel
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.services import OrderError, order_place
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory
from tests.orders.conftest import ADDRESS


def place(buyer, key="k1", **kwargs):
    return order_place(buyer=buyer, checkout_key=key, delivery=ADDRESS, billing_number=None, **kwargs)


def test_order_is_priced_from_the_price_list_and_reserves_stock(orderer, catalogue):
    cart_add(buyer=orderer, sku="DR-100", quantity=3)
    order = place(orderer, reference="PO-1")
    assert order.status == OrderStatus.CONFIRMED
    assert order.subtotal == Decimal("300.00")
    assert order.total == order.subtotal + catalogue.brussels.default_shipping_cost
    assert order.number.startswith("CO-")
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2 + 3
    assert not CartLine.objects.filter(cart__user=orderer.user).exists()


def test_placing_twice_with_one_key_gives_one_order(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    first = place(orderer, key="same")
    second = place(orderer, key="same")
    assert first.pk == second.pk
    assert Order.objects.count() == 1


def test_empty_cart_cannot_be_ordered(orderer):
    with pytest.raises(OrderError):
        place(orderer)


def test_more_than_available_is_refused_and_nothing_changes(orderer, catalogue):
    cart_add(buyer=orderer, sku="DR-100", quantity=11)  # 12 in stock, 2 allocated
    with pytest.raises(OrderError) as error:
        place(orderer)
    assert "11 requested, 10 available" in str(error.value)
    assert Order.objects.count() == 0
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated == 2
    assert CartLine.objects.filter(cart__user=orderer.user).count() == 1


def test_product_made_invisible_after_adding_cannot_be_ordered(orderer, catalogue, company):
    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    company.visible_brands.add(catalogue.acme_brand)
    with pytest.raises(OrderError):
        place(buyer_for(orderer.membership))  # the next request's buyer


def test_order_without_prices_member_orders_at_list_prices(catalogue, company):
    carl = buyer_for(MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES))
    cart_add(buyer=carl, sku="SW-200", quantity=2)
    assert place(carl).subtotal == Decimal("40.00")


def test_see_prices_only_member_cannot_order(catalogue, company):
    erik = buyer_for(MembershipFactory(company=company, role=Role.SEE_PRICES))
    with pytest.raises(PermissionDenied):
        cart_add(buyer=erik, sku="SW-200", quantity=1)


@pytest.mark.parametrize("quantity", [0, -1, "3", 100_001, True])
def test_bad_quantities_are_refused(orderer, quantity):
    with pytest.raises(CartError):
        cart_add(buyer=orderer, sku="DR-100", quantity=quantity)


def test_minimum_and_multiple_are_enforced(orderer, catalogue):
    catalogue.saw.min_order_quantity = 6
    catalogue.saw.order_multiple = 6
    catalogue.saw.save()
    with pytest.raises(CartError):
        cart_add(buyer=orderer, sku="SW-200", quantity=4)
    with pytest.raises(CartError):
        cart_add(buyer=orderer, sku="SW-200", quantity=8)
    cart_add(buyer=orderer, sku="SW-200", quantity=12)


def test_shipping_cost_of_previous_order_when_the_store_says_so(orderer, catalogue):
    from comptoir.backoffice.models import StoreSettings
    from comptoir.orders.services import order_set_shipping_cost

    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    first = place(orderer, key="a")
    first.status = OrderStatus.AWAITING_VALIDATION
    first.save()
    order_set_shipping_cost(actor=orderer.user, order=first, amount=Decimal("42.00"))
    store = StoreSettings.load()
    store.reuse_previous_shipping_cost = True
    store.save()
    reference_changed()  # as the back office's store settings page does
    orderer.__dict__.pop("store_settings", None)
    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    assert place(orderer, key="b").shipping_cost == Decimal("42.00")


def test_a_colleagues_checkout_key_does_not_return_their_order(orderer, catalogue, company):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    theirs = place(orderer, key="shared-key")
    colleague = buyer_for(MembershipFactory(company=company))
    cart_add(buyer=colleague, sku="SW-200", quantity=1)
    with pytest.raises(OrderError):
        place(colleague, key="shared-key")  # refused, never the colleague's order
    assert Order.objects.get().pk == theirs.pk
