"""B5: back-in-stock alerts, and stock changes that trigger them."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from comptoir.core.buyer import buyer_for_company
from comptoir.core.models import AuditEvent
from comptoir.inventory.models import BackInStockAlert, StockLevel
from comptoir.inventory.services import (
    alert_notify,
    alert_subscribe,
    months_before,
    stock_became_available,
    stock_set,
)
from tests.factories import BrandFactory, MembershipFactory, ProductFactory, StockLevelFactory, StockLocationFactory

pytestmark = pytest.mark.django_db


def test_subscribing_to_an_out_of_stock_product_opens_an_alert_at_the_buyers_location(buyer, product, location):
    alert = alert_subscribe(buyer=buyer, product=product)
    assert (alert.user, alert.company_id, alert.product, alert.location) == (
        buyer.user,
        buyer.company_id,
        product,
        location,
    )
    assert alert.notified_at is None


def test_a_product_without_stock_row_counts_as_out_of_stock(buyer):
    alert = alert_subscribe(buyer=buyer, product=ProductFactory())
    assert alert.pk


def test_subscribing_twice_keeps_one_open_alert(buyer, product):
    first = alert_subscribe(buyer=buyer, product=product)
    second = alert_subscribe(buyer=buyer, product=product)
    assert first.pk == second.pk
    assert BackInStockAlert.objects.count() == 1


def test_subscribing_to_a_product_in_stock_is_refused(buyer, location):
    product = StockLevelFactory(location=location, quantity=3, allocated=1).product
    with pytest.raises(ValidationError, match="in stock"):
        alert_subscribe(buyer=buyer, product=product)
    assert not BackInStockAlert.objects.exists()


def test_subscribing_to_a_product_the_company_cannot_see_is_not_found(buyer, product, company):
    company.visible_brands.add(BrandFactory())  # the customer now sees one brand only
    with pytest.raises(Http404):
        alert_subscribe(buyer=buyer, product=product)
    assert not BackInStockAlert.objects.exists()


def test_stock_returning_queues_one_mail_per_waiting_alert(buyer, product, location, company):
    colleague = buyer_for_company(MembershipFactory(company=company).user, company.pk)
    alert_subscribe(buyer=buyer, product=product)
    alert_subscribe(buyer=colleague, product=product)
    StockLevel.objects.filter(product=product, location=location).update(quantity=5)
    assert stock_became_available(product_ids=[product.pk], location=location) == 2


def test_stock_returning_at_another_location_tells_nobody(buyer, product):
    alert_subscribe(buyer=buyer, product=product)
    elsewhere = StockLevelFactory(product=product, location=StockLocationFactory(), quantity=50).location
    assert stock_became_available(product_ids=[product.pk], location=elsewhere) == 0


def test_stock_became_available_accepts_a_location_id(buyer, product, location):
    alert_subscribe(buyer=buyer, product=product)
    StockLevel.objects.filter(product=product).update(quantity=5)
    assert stock_became_available(product_ids=[product.pk], location=location.pk) == 1


def test_stock_set_from_nothing_to_some_mails_the_waiting_buyer_once(
    buyer, product, location, staff_user, django_capture_on_commit_callbacks
):
    alert = alert_subscribe(buyer=buyer, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(product=product, location=location, quantity=10, actor=staff_user)
    [message] = mail.outbox
    assert message.to == [buyer.user.email]
    assert "Desk lamp" in message.subject
    assert "/catalogue/p/LAMP-01/" in message.body
    alert.refresh_from_db()
    assert alert.notified_at is not None


def test_a_second_run_sends_nothing(buyer, product, location, staff_user, django_capture_on_commit_callbacks):
    alert = alert_subscribe(buyer=buyer, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(product=product, location=location, quantity=10, actor=staff_user)
        stock_became_available(product_ids=[product.pk], location=location)
    assert alert_notify(alert_id=alert.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_stock_going_up_while_already_available_tells_nobody(
    buyer, product, location, staff_user, django_capture_on_commit_callbacks
):
    StockLevel.objects.filter(product=product).update(quantity=3)
    BackInStockAlert.objects.create(user=buyer.user, company=buyer.company, product=product, location=location)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stock_set(product=product, location=location, quantity=10, actor=staff_user)
    assert callbacks == []
    assert mail.outbox == []


def test_an_alert_is_not_mailed_when_the_stock_is_gone_again(buyer, product):
    alert = alert_subscribe(buyer=buyer, product=product)
    assert alert_notify(alert_id=alert.pk) == "out of stock again"
    alert.refresh_from_db()
    assert alert.notified_at is None
    assert mail.outbox == []


def test_an_alert_of_a_deactivated_member_is_not_mailed(buyer, product, member):
    alert = alert_subscribe(buyer=buyer, product=product)
    StockLevel.objects.filter(product=product).update(quantity=5)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert alert_notify(alert_id=alert.pk) == "no longer for this member"
    assert mail.outbox == []


def test_a_notified_alert_lets_the_buyer_ask_again(buyer, product):
    first = alert_subscribe(buyer=buyer, product=product)
    BackInStockAlert.objects.filter(pk=first.pk).update(notified_at=timezone.now())
    second = alert_subscribe(buyer=buyer, product=product)
    assert second.pk != first.pk


def test_stock_set_records_who_changed_it(product, location, staff_user):
    stock_set(product=product, location=location, quantity=7, actor=staff_user)
    event = AuditEvent.objects.get(action="stock.set")
    assert event.actor == staff_user
    assert (event.data["before"], event.data["after"]) == (2, 7)


def test_stock_set_creates_the_stock_row(location, staff_user):
    product = ProductFactory()
    level = stock_set(product=product, location=location, quantity=4, actor=staff_user)
    assert (level.quantity, level.allocated) == (4, 0)


def test_stock_cannot_go_below_the_units_promised_to_orders(product, location, staff_user):
    with pytest.raises(ValidationError, match="promised to orders"):
        stock_set(product=product, location=location, quantity=1, actor=staff_user)
    assert StockLevel.objects.get(product=product).quantity == 2


def test_stock_cannot_be_negative(product, location, staff_user):
    with pytest.raises(ValidationError):
        stock_set(product=product, location=location, quantity=-1, actor=staff_user)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2030, 5, 31, 8, tzinfo=UTC), datetime(2030, 2, 28, 8, tzinfo=UTC)),
        (datetime(2030, 2, 15, 8, tzinfo=UTC), datetime(2029, 11, 15, 8, tzinfo=UTC)),
    ],
)
def test_three_months_before_is_counted_in_calendar_months(moment, expected):
    assert months_before(moment, 3) == expected
