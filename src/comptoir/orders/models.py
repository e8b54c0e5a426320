"""Orders (C7-C13): placed from a cart, approved, validated, shipped; statuses move
along declared transitions only."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class OrderStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AWAITING_VALIDATION = "awaiting_validation", _("Awaiting the seller's validation")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Rejected by the seller")
    CANCELLED = "cancelled", _("Cancelled")


S = OrderStatus
# The declared pipeline: any other move is refused (``Order.can_move_to``).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_APPROVAL: frozenset({S.AWAITING_VALIDATION, S.CONFIRMED, S.DECLINED, S.CANCELLED}),
    S.AWAITING_VALIDATION: frozenset({S.CONFIRMED, S.REJECTED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.DECLINED: frozenset(),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Statuses in which the order holds stock at its location.
HOLDS_STOCK = frozenset({S.AWAITING_VALIDATION, S.CONFIRMED})
# Statuses before confirmation, in which staff may still change the shipping cost (C12).
BEFORE_CONFIRMATION = frozenset({S.AWAITING_APPROVAL, S.AWAITING_VALIDATION})

# C10: what is captured about a new employee, stored under these keys in ``Order.onboarding``
# (and ``Cart.onboarding`` before the order is placed), shown with these labels.
ONBOARDING_FIELDS: dict[str, Any] = {
    "name": _("Full name"),
    "start_date": _("Start date"),
    "role": _("Job title or role"),
    "location": _("Location"),
    "notes": _("Notes"),
}


def onboarding_items(details: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) pairs in the fixed order above; a start date reads as a date; unknown keys last."""
    items: list[tuple[str, Any]] = []
    for key, label in ONBOARDING_FIELDS.items():
        value = details.get(key)
        if value in (None, ""):
            continue
        if key == "start_date":
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(str(value))
        items.append((str(label), value))
    items.extend((key, value) for key, value in details.items() if key not in ONBOARDING_FIELDS and value)
    return items


class Order(models.Model):
    class Source(models.TextChoices):
        CART = "cart", _("Cart")
        QUICK_LIST = "quick_list", _("Quick list")
        SCAN_LIST = "scan_list", _("Scan list")
        ONBOARDING = "onboarding", _("Onboarding order")

    number = models.CharField(_("order number"), max_length=20, unique=True, null=True, blank=True)
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(_("status"), max_length=24, choices=OrderStatus.choices, db_index=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CART)
    checkout_key = models.CharField(
        _("checkout key"), max_length=64, unique=True, help_text=_("Idempotency key of the checkout.")
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; an approval is for one version.")
    )

    reference = models.CharField(_("your reference"), max_length=60, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    requested_delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    billing_number = models.ForeignKey(
        "companies.CustomerNumber",
        verbose_name=_("billing customer number"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_number = models.ForeignKey(
        "companies.CustomerNumber",
        verbose_name=_("delivery customer number"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_name = models.CharField(_("deliver to"), max_length=200)
    delivery_street = models.CharField(_("street and number"), max_length=200)
    delivery_postcode = models.CharField(_("postcode"), max_length=20)
    delivery_city = models.CharField(_("city"), max_length=100)
    delivery_country = models.CharField(_("country"), max_length=2)
    delivery_address = models.ForeignKey(
        "companies.Address",
        verbose_name=_("saved delivery address"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The saved address chosen, if any (the fields above are the copy that counts)."),
    )

    stock_location = models.ForeignKey(
        "inventory.StockLocation", verbose_name=_("stock location"), on_delete=models.PROTECT, related_name="orders"
    )
    price_level = models.ForeignKey(
        "pricing.PriceLevel", verbose_name=_("price level"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    shipping_cost = models.DecimalField(_("shipping cost"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0.00"))

    onboarding = models.JSONField(_("new employee"), default=dict, blank=True)
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_version = models.PositiveIntegerField(_("approved version"), null=True, blank=True)
    decided_reason = models.TextField(_("reason"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="order_company_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(shipping_cost__gte=0), name="order_shipping_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())

    @property
    def holds_stock(self) -> bool:
        return self.status in HOLDS_STOCK

    @property
    def onboarding_items(self) -> list[tuple[str, Any]]:
        return onboarding_items(self.onboarding or {})

    @property
    def delivery_lines(self) -> list[str]:
        return [
            self.delivery_name,
            self.delivery_street,
            f"{self.delivery_postcode} {self.delivery_city}",
            countries.name(self.delivery_country) or self.delivery_country,
        ]


class OrderLine(models.Model):
    """What was ordered, at the price it was sold at."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("product"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=4)
    line_total = models.DecimalField(_("line total"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"
