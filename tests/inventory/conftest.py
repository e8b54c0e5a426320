import pytest

from comptoir.core.buyer import buyer_for_company
from tests.factories import ProductFactory, StockLevelFactory, StockLocationFactory


@pytest.fixture
def location(company):
    location = StockLocationFactory(code="main", name="Main warehouse")
    company.stock_location = location
    company.save(update_fields=["stock_location"])
    return location


@pytest.fixture
def buyer(member, location):
    return buyer_for_company(member.user, member.company_id)


@pytest.fixture
def product(location):
    """Out of stock at the customer's warehouse: all units are promised to orders."""
    product = ProductFactory(sku="LAMP-01", name_en="Desk lamp", name_fr="Lampe de bureau", name_sv="Skrivbordslampa")
    StockLevelFactory(product=product, location=location, quantity=2, allocated=2)
    return product
