from decimal import Decimal

from comptoir.core.permissions import Role
from comptoir.pricing.selectors import prices_for
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


def test_customer_without_level_gets_store_default_prices(catalogue, company):
    buyer = buyer_for(MembershipFactory(company=company))
    prices = prices_for(buyer, [catalogue.drill, catalogue.saw])
    assert prices[catalogue.drill.pk].unit_price == Decimal("100.00")
    assert prices[catalogue.saw.pk].currency == "EUR"


def test_customer_level_wins_and_falls_back_per_product(catalogue, company):
    company.price_level = catalogue.trade
    company.save()
    buyer = buyer_for(MembershipFactory(company=company))
    prices = prices_for(buyer, [catalogue.drill, catalogue.saw])
    assert prices[catalogue.drill.pk].unit_price == Decimal("80.00")
    assert prices[catalogue.saw.pk].unit_price == Decimal("20.00")  # not on the trade list: default level


def test_volume_tier_applies_from_its_quantity(catalogue, company):
    company.price_level = catalogue.trade
    company.save()
    price = prices_for(buyer_for(MembershipFactory(company=company)), [catalogue.drill])[catalogue.drill.pk]
    assert price.unit_price_for(9) == Decimal("80.00")
    assert price.unit_price_for(10) == Decimal("72.50")
    assert price.line_total(10) == Decimal("725.00")
    assert price.has_tiers


def test_member_without_price_right_gets_no_price_at_all(catalogue, company):
    membership = MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES)
    assert prices_for(buyer_for(membership), [catalogue.drill, catalogue.saw]) == {}


def test_prices_for_a_page_take_one_query(catalogue, company, django_assert_num_queries):
    buyer = buyer_for(MembershipFactory(company=company))
    buyer.store_settings  # noqa: B018 - loaded once per request in real use
    products = [catalogue.drill, catalogue.saw, catalogue.glue, catalogue.hidden]
    with django_assert_num_queries(1):
        prices_for(buyer, products)
