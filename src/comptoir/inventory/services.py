"""Stock changes and back-in-stock alerts (PRODUCT B3, B5).

An alert is one promise: one e-mail when the product is available again at
the buyer's stock location. Whoever raises stock from nothing (staff, the
catalogue import, returns) calls ``stock_became_available``; each alert then
gets its own task, which sends the mail and marks the alert notified in one
transaction, so a second run or a retried task sends nothing.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.catalog.models import Product
from comptoir.catalog.selectors import visible_products
from comptoir.core.audit import AuditAction, audit
from comptoir.core.buyer import Buyer, buyer_for_company
from comptoir.core.jobs import enqueue_on_commit
from comptoir.inventory.models import BackInStockAlert, StockLevel, StockLocation
from comptoir.inventory.selectors import available_quantities
from comptoir.inventory.stock import stock_quantity_refusal
from comptoir.notifications.services import email_send, recipient_language

logger = logging.getLogger(__name__)

ALERT_RETENTION_MONTHS = 3  # seed 000: requests are deleted after three months
_CHUNK = 500  # ids per query: an import may touch the whole catalogue


def product_path(sku: str) -> str:
    """The buyer's product page, as linked from e-mails and redirects."""
    return reverse("catalog:product", args=[sku])


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- Alerts -----------------------------------------------------------------------------


@transaction.atomic
def alert_subscribe(*, buyer: Buyer, product: Product) -> BackInStockAlert:
    """ "Notify me when available": one open alert per member, company and product.

    Only for a product the buyer may see that has nothing available at the buyer's stock
    location; asking twice returns the open alert.
    """
    if not visible_products(buyer).filter(pk=product.pk).exists():
        raise Http404
    location = buyer.stock_location
    if location is None:
        raise ValidationError(_("Stock is not kept for your account: please contact us about this product."))
    if available_quantities(location_id=location.pk, product_ids=[product.pk])[product.pk] > 0:
        raise ValidationError(_("This product is in stock: you can order it now."))
    alert, created = BackInStockAlert.objects.get_or_create(
        user=buyer.user,
        company_id=buyer.company_id,
        product=product,
        notified_at=None,
        defaults={"location": location},
    )
    if not created and alert.location_id != location.pk:
        # The customer is served from another warehouse now: watch that one.
        alert.location = location
        alert.save(update_fields=["location"])
    return alert


@transaction.atomic
def alert_cancel(*, buyer: Buyer, alert: BackInStockAlert) -> None:
    """The member no longer wants to be told (``alert`` comes from ``access_alert``)."""
    BackInStockAlert.objects.filter(pk=alert.pk, user_id=buyer.user.pk, company_id=buyer.company_id).delete()


def stock_became_available(*, product_ids: Iterable[int], location: StockLocation | int) -> int:
    """Queue one mail task per open alert whose product is available again at ``location``.

    Called by whoever raised stock (``stock_set``, the catalogue import) inside its transaction;
    the tasks start after commit. Returns the number of alerts queued. Safe to call twice: the
    task sends nothing for an alert already notified.
    """
    from comptoir.inventory.tasks import send_back_in_stock_alert

    location_id = location if isinstance(location, int) else location.pk
    ids = sorted(set(product_ids))
    alert_ids: list[int] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        in_stock = StockLevel.objects.filter(
            location_id=location_id, product_id__in=chunk, quantity__gt=F("allocated")
        ).values("product_id")
        alert_ids.extend(
            BackInStockAlert.objects.filter(
                location_id=location_id, product_id__in=in_stock, notified_at__isnull=True
            ).values_list("pk", flat=True)
        )
    for alert_id in alert_ids:
        enqueue_on_commit(send_back_in_stock_alert, alert_id)
    return len(alert_ids)


def alert_notify(*, alert_id: int) -> str:
    """E-mail the member that the product is back, once (the task behind ``stock_became_available``).

    The alert row is locked, so two runs at once send one mail. Nothing is sent, and the alert
    stays open, if the stock is gone again or the member can no longer see the product.
    """
    with transaction.atomic():
        alert = (
            BackInStockAlert.objects.select_for_update(of=("self",))
            .select_related("user", "company", "product")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.notified_at is not None:
            return "nothing to do"
        available = available_quantities(location_id=alert.location_id, product_ids=[alert.product_id])
        if available[alert.product_id] <= 0:
            return "out of stock again"
        buyer = buyer_for_company(alert.user, alert.company_id)
        if buyer is None or not visible_products(buyer).filter(pk=alert.product_id).exists():
            return "no longer for this member"
        email_send(
            template="inventory/email/back_in_stock",
            to=[alert.user.email],
            language=recipient_language(alert.user, alert.company),
            context={
                "user": alert.user,
                "company": alert.company,
                "product": alert.product,
                "product_path": product_path(alert.product.sku),
            },
        )
        alert.notified_at = timezone.now()
        alert.save(update_fields=["notified_at"])
    return "sent"


def stock_alerts_purge(*, now: datetime | None = None) -> int:
    """Delete alerts asked for more than three months ago, notified or not (seed 000)."""
    cutoff = months_before(now or timezone.now(), ALERT_RETENTION_MONTHS)
    deleted, _by_model = BackInStockAlert.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("Deleted %d back-in-stock alert(s) older than %s.", deleted, cutoff.date())
    return deleted


# --- Stock ------------------------------------------------------------------------------


@transaction.atomic
def stock_set(*, product: Product, location: StockLocation, quantity: int, actor: Any) -> StockLevel:
    """Set the units in stock of ``product`` at ``location`` (a count, a delivery, a correction).

    The stock row is locked while it changes; when nothing was available before and some is now,
    the buyers waiting for it are told (after commit).
    """
    StockLevel.objects.get_or_create(product=product, location=location)  # undone with the rest if refused
    level = StockLevel.objects.select_for_update(of=("self",)).get(product=product, location=location)
    refusal = stock_quantity_refusal(quantity=quantity, allocated=level.allocated)
    if refusal:
        raise ValidationError({"quantity": refusal})
    before_quantity, before_available = level.quantity, level.available
    level.quantity = quantity
    level.save(update_fields=["quantity"])
    audit(
        actor=actor,
        action=AuditAction.STOCK_SET,
        target=level,
        product=product.sku,
        location=location.code,
        before=before_quantity,
        after=quantity,
    )
    if before_available <= 0 < level.available:
        stock_became_available(product_ids=[product.pk], location=location)
    return level
