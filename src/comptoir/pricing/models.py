"""Price levels (price lists). Prices and tiers arrive with the catalogue."""

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
