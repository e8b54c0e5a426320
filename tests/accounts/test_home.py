from comptoir.carts.services import cart_add
from comptoir.core.permissions import Role
from comptoir.orders.services import order_place
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory
from tests.orders.conftest import ADDRESS


def test_home_shows_cart_recent_orders_and_approvals(client, catalogue, company):
    buyer = buyer_for(MembershipFactory(company=company, role=Role.ADMINISTRATOR, user__email="a@acme.test"))
    cart_add(buyer=buyer, sku="DR-100", quantity=1)
    order = order_place(buyer=buyer, checkout_key="h1", delivery=ADDRESS, billing_number=None, reference="PO-77")
    cart_add(buyer=buyer, sku="SW-200", quantity=1)
    client.force_login(buyer.user)
    page = client.get("/").content.decode()
    assert "Your cart: 1 line" in page
    assert order.number in page
    assert "PO-77" in page
    assert "0 orders wait for your approval" in page


def test_home_of_a_member_who_cannot_order_has_no_cart_link(client, catalogue, company):
    member = MembershipFactory(company=company, role=Role.SEE_PRICES)
    client.force_login(member.user)
    page = client.get("/").content.decode()
    assert "Your cart" not in page
    assert "No order yet." in page
