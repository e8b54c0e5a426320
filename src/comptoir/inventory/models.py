"""Stock locations (warehouses), stock per location, back-in-stock alerts (PRODUCT B3, B5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StockLocation(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    default_shipping_cost = models.DecimalField(
        _("default shipping cost"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_shipping_cost__gte=0), name="stock_location_shipping_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """Units of a product at a location; ``allocated`` units are promised to orders not yet shipped."""

    location = models.ForeignKey(
        StockLocation, verbose_name=_("stock location"), on_delete=models.CASCADE, related_name="stock_levels"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock_levels"
    )
    quantity = models.IntegerField(_("quantity in stock"), default=0)
    allocated = models.IntegerField(_("allocated to orders"), default=0)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["location", "product"], name="one_stock_level_per_location"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_quantity_not_negative"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="stock_allocated_not_negative"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("quantity")), name="stock_allocated_within_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.location_id}: {self.quantity}"

    @property
    def available(self) -> int:
        return max(0, self.quantity - self.allocated)


class BackInStockAlert(models.Model):
    """ "Notify me when available" (B5): one e-mail when the product is back at the buyer's location."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="stock_alerts"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="stock_alerts"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock_alerts"
    )
    location = models.ForeignKey(
        StockLocation, verbose_name=_("stock location"), on_delete=models.CASCADE, related_name="stock_alerts"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("back-in-stock alert")
        verbose_name_plural = _("back-in-stock alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company", "product"],
                condition=models.Q(notified_at__isnull=True),
                name="one_open_alert_per_product",
            )
        ]
        indexes = [models.Index(fields=["product", "location", "notified_at"], name="alert_product_location")]

    def __str__(self) -> str:
        return f"{self.user} - {self.product_id}"
