"""C11: "Order again" puts an order's lines back in the cart; what cannot be ordered any more is reported."""

import pytest

from comptoir.carts.models import CartLine
from comptoir.carts.services import cart_add
from comptoir.orders.services import order_reorder
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory
from tests.orders.conftest import client_for, place

pytestmark = pytest.mark.django_db


def cart_of(buyer) -> dict[str, int]:
    return dict(CartLine.objects.filter(cart__user=buyer.user).values_list("product__sku", "quantity"))


@pytest.fixture
def order(orderer):
    return place(orderer, items=[("DR-100", 2), ("SW-200", 1)])


def test_order_again_adds_the_lines_and_quantities_add_up(client, orderer, order):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    response = client_for(client, orderer).post(f"/orders/{order.number}/order-again/")
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    assert cart_of(orderer) == {"DR-100": 3, "SW-200": 1}


def test_a_product_no_longer_visible_is_reported_and_the_rest_added(orderer, order, company, catalogue):
    company.visible_brands.add(catalogue.acme_brand)  # the saw's brand is no longer opened
    added, problems = order_reorder(buyer=buyer_for(orderer.membership), order=order)
    assert added == 1
    assert [p.sku for p in problems] == ["SW-200"]
    assert cart_of(orderer) == {"DR-100": 2}


def test_problems_are_shown_on_the_cart_page(client, orderer, order, company, catalogue):
    company.visible_brands.add(catalogue.acme_brand)
    response = client_for(client, orderer).post(f"/orders/{order.number}/order-again/", follow=True)
    body = response.content.decode()
    assert "Not added: SW-200" in body
    assert "1 line of order" in body


def test_member_who_may_not_order_adds_nothing(client, order, company, catalogue):
    from comptoir.core.permissions import Role
    from tests.factories import MembershipFactory

    viewer = buyer_for(
        MembershipFactory(company=company, role=Role.SEE_PRICES, granted_permissions=["see_company_orders"])
    )
    response = client_for(client, viewer).post(f"/orders/{order.number}/order-again/")
    assert response.status_code == 302
    assert not CartLine.objects.filter(cart__user=viewer.user).exists()


def test_another_companys_order_cannot_be_ordered_again(client, order, other_company):
    outsider = buyer_for(AdminMembershipFactory(company=other_company))
    assert client_for(client, outsider).post(f"/orders/{order.number}/order-again/").status_code == 404
    assert not CartLine.objects.filter(cart__user=outsider.user).exists()


def test_order_again_is_post_only(client, orderer, order):
    assert client_for(client, orderer).get(f"/orders/{order.number}/order-again/").status_code == 405


def test_a_product_that_lost_its_price_is_reported_and_the_rest_added(orderer, order, catalogue):
    from comptoir.pricing.models import Price

    Price.objects.filter(product=catalogue.saw).delete()  # "price on request" since it was ordered
    added, problems = order_reorder(buyer=buyer_for(orderer.membership), order=order)
    assert added == 1
    assert [(p.sku, p.message) for p in problems] == [("SW-200", "price on request: contact us to order it")]
    assert cart_of(orderer) == {"DR-100": 2}
