"""One rule for setting stock: never negative, never below the units promised to orders; the back
office, ``stock_set`` and the stock import refuse with the same words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from comptoir.catalog.admin import StockLevelForm
from comptoir.catalog.imports import catalogue_import
from comptoir.inventory.models import StockLevel
from comptoir.inventory.services import stock_set
from comptoir.inventory.stock import stock_quantity_refusal
from tests.factories import ProductFactory, StockLevelFactory, StockLocationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quantity", "allocated", "refused"),
    [(0, 0, False), (3, 3, False), (4, 3, False), (2, 3, True), (-1, 0, True), (0, 1, True)],
)
def test_stock_may_not_go_below_the_units_promised_to_orders(quantity, allocated, refused):
    assert bool(stock_quantity_refusal(quantity=quantity, allocated=allocated)) is refused


def test_the_refusal_counts_one_unit_in_the_singular():
    assert stock_quantity_refusal(quantity=0, allocated=1) == (
        "1 unit is already promised to orders: stock cannot go below that."
    )


@pytest.mark.parametrize("allocated", [1, 3])
def test_back_office_service_and_import_refuse_with_the_same_words(staff_user, allocated):
    location = StockLocationFactory(code="lyon")
    level = StockLevelFactory(product=ProductFactory(sku="P-1"), location=location, quantity=5, allocated=allocated)
    expected = stock_quantity_refusal(quantity=0, allocated=allocated)

    form = StockLevelForm(data={"quantity": "0"}, instance=level)
    assert not form.is_valid()
    assert form.errors["quantity"] == [expected]
    with pytest.raises(ValidationError) as refused:
        stock_set(product=level.product, location=location, quantity=0, actor=staff_user)
    assert refused.value.message_dict["quantity"] == [expected]
    report = catalogue_import(source=b"sku;location;quantity\nP-1;lyon;0\n", kind="stock")
    assert [rejection.reason for rejection in report.rejected] == [expected]
    assert StockLevel.objects.get(pk=level.pk).quantity == 5
