"""Stock locations (warehouses). Stock levels arrive with the catalogue."""

from decimal import Decimal

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
