from comptoir.backoffice.models import StoreSettings
from comptoir.inventory.selectors import availability_for
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


def test_buyer_sees_available_units_at_the_store_default_location(catalogue, company):
    availability = availability_for(buyer_for(MembershipFactory(company=company)), [catalogue.drill, catalogue.glue])
    assert availability[catalogue.drill.pk].available == 10  # 12 in stock, 2 allocated
    assert availability[catalogue.glue.pk].status == "out"  # glue is only stocked in Lyon


def test_buyer_sees_only_its_own_location(catalogue, company):
    company.stock_location = catalogue.lyon
    company.save()
    availability = availability_for(buyer_for(MembershipFactory(company=company)), [catalogue.drill, catalogue.glue])
    assert availability[catalogue.glue.pk].available == 500
    assert availability[catalogue.drill.pk].status == "out"


def test_low_stock_status(catalogue, company):
    availability = availability_for(buyer_for(MembershipFactory(company=company)), [catalogue.saw])
    assert availability[catalogue.saw.pk].status == "low"


def test_hidden_stock_setting_shows_nothing(catalogue, company):
    store = StoreSettings.load()
    store.show_stock = False
    store.save()
    assert availability_for(buyer_for(MembershipFactory(company=company)), [catalogue.drill]) == {}
