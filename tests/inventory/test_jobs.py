"""B5: alerts are deleted three months after they were asked for, notified or not (seed 000)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from comptoir.core.jobs import PERIODIC_JOBS
from comptoir.inventory.models import BackInStockAlert

pytestmark = pytest.mark.django_db


def _alert(buyer, product, location, *, days_ago, notified=False):
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        return BackInStockAlert.objects.create(
            user=buyer.user,
            company=buyer.company,
            product=product,
            location=location,
            notified_at=timezone.now() if notified else None,
        )


def test_purge_job_is_registered_daily():
    assert PERIODIC_JOBS["purge_stock_alerts"].every == timedelta(hours=24)


def test_alerts_older_than_three_months_are_purged_notified_or_not(buyer, product, location):
    _alert(buyer, product, location, days_ago=95)
    _alert(buyer, product, location, days_ago=100, notified=True)
    recent = _alert(buyer, product, location, days_ago=80, notified=True)
    call_command("run_periodic_jobs", "purge_stock_alerts")
    assert list(BackInStockAlert.objects.all()) == [recent]


def test_an_open_alert_younger_than_three_months_is_kept(buyer, product, location):
    alert = _alert(buyer, product, location, days_ago=85)
    call_command("run_periodic_jobs", "purge_stock_alerts")
    assert BackInStockAlert.objects.filter(pk=alert.pk).exists()
