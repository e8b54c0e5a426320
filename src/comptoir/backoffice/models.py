"""Store settings (PRODUCT F3) and requests that land in the back office."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoreSettings(models.Model):
    """One row: the seller's store settings."""

    store_name = models.CharField(_("store name"), max_length=120, default="Comptoir")
    default_price_level = models.ForeignKey(
        "pricing.PriceLevel", verbose_name=_("default price level"), null=True, blank=True, on_delete=models.PROTECT
    )
    default_stock_location = models.ForeignKey(
        "inventory.StockLocation",
        verbose_name=_("default stock location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    show_stock = models.BooleanField(_("show stock to buyers"), default=True)
    stock_display = models.CharField(
        _("how buyers see stock"),
        max_length=10,
        default="quantity",
        choices=[("quantity", _("Available quantity")), ("status", _("In stock / low / out of stock"))],
    )
    low_stock_threshold = models.PositiveIntegerField(_("low stock from (units)"), default=5)
    default_visible_tags = models.ManyToManyField(
        "catalog.Tag",
        verbose_name=_("default selection: tags"),
        blank=True,
        related_name="+",
        help_text=_("What customers without their own selection see. Nothing chosen here: the whole catalogue."),
    )
    default_visible_seasons = models.ManyToManyField(
        "catalog.Season", verbose_name=_("default selection: seasons"), blank=True, related_name="+"
    )
    default_visible_brands = models.ManyToManyField(
        "catalog.Brand", verbose_name=_("default selection: brands"), blank=True, related_name="+"
    )
    reuse_previous_shipping_cost = models.BooleanField(
        _("use the shipping cost of the customer's previous order"), default=False
    )
    request_access_enabled = models.BooleanField(_("show a 'request access' button on the login page"), default=True)
    validation_required = models.BooleanField(_("orders need the seller's validation"), default=False)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("store settings")
        verbose_name_plural = _("store settings")

    def __str__(self) -> str:
        return str(_("Store settings"))

    @classmethod
    def current(cls, version: str | None = None) -> StoreSettings:
        """The settings for reading on every page: kept per process under the shared version
        (``core.memo.reference_changed``; ``version`` if the caller read it already), so a change shows
        on every process's next request. Not for editing: the requests of a process share it."""
        from comptoir.core.cachekeys import cache_key
        from comptoir.core.memo import reference_version, remembered

        return remembered(cache_key("store:settings", version or reference_version()), cls.load, ttl=60)

    @classmethod
    def load(cls) -> StoreSettings:
        obj = cls.objects.select_related("default_price_level", "default_stock_location").filter(pk=1).first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class AccessRequest(models.Model):
    """A prospect asks for access from the login page (PRODUCT A9)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")
        DECLINED = "declined", _("Declined")

    company_name = models.CharField(_("company name"), max_length=200)
    vat_number = models.CharField(_("VAT or company number"), max_length=40, blank=True)
    contact_name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company_name} <{self.email}>"
