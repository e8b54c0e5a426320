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
