"""Price levels (price lists) and prices with volume tiers (PRODUCT B2)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class PriceLevel(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("price level")
        verbose_name_plural = _("price levels")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class Price(models.Model):
    """The unit price of a product at a price level from ``min_quantity`` units on (1 = base price)."""

    price_level = models.ForeignKey(
        PriceLevel, verbose_name=_("price level"), on_delete=models.CASCADE, related_name="prices"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="prices"
    )
    min_quantity = models.PositiveIntegerField(_("from quantity"), default=1)
    amount = models.DecimalField(_("unit price"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["product", "price_level", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["price_level", "product", "min_quantity"], name="one_price_per_tier"),
            models.CheckConstraint(condition=models.Q(amount__gte=Decimal("0")), name="price_not_negative"),
            models.CheckConstraint(condition=models.Q(min_quantity__gte=1), name="price_tier_quantity_positive"),
        ]
        indexes = [models.Index(fields=["price_level", "product"], name="price_level_product")]

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.price_level_id} ≥{self.min_quantity}: {self.amount}"
