import pytest

from comptoir.core.permissions import Role
from comptoir.orders.services import DeliveryAddress
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory

ADDRESS = DeliveryAddress(name="Acme", street="1 Dock Road", postcode="1000", city="Brussels", country="BE")


@pytest.fixture
def orderer(catalogue, company):
    return buyer_for(MembershipFactory(company=company, user__email="orderer@acme.test"))


@pytest.fixture
def approver(catalogue, company):
    return buyer_for(MembershipFactory(company=company, role=Role.ADMINISTRATOR, user__email="boss@acme.test"))


def place(buyer, key="k1", items=(("DR-100", 1),), **kwargs):
    """Fill the buyer's cart with ``items`` and order it."""
    from comptoir.carts.services import cart_add_items
    from comptoir.orders.services import order_place

    cart_add_items(buyer=buyer, items=[(None, sku, qty) for sku, qty in items])
    kwargs.setdefault("billing_number", None)
    return order_place(buyer=buyer, checkout_key=key, delivery=ADDRESS, **kwargs)


@pytest.fixture
def carl(catalogue, company):
    """Orders without prices (A6): no amount anywhere."""
    return buyer_for(MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES, user__email="carl@acme.test"))


def client_for(client, buyer):
    client.force_login(buyer.user)
    return client
