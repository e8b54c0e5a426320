"""The catalogue (PRODUCT B1): products, categories, brands, seasons, tags, images.

Texts a buyer reads are stored once per language (``name_en`` … ``name_sv``);
``localized()`` picks the active language and falls back to the store's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def localized(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, else the store language's, else any filled one."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    for code in (language, settings.LANGUAGE_CODE, *LANGUAGE_CODES):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class TranslatedName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Category(TranslatedName):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Season(TranslatedName):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["code"]


class Tag(TranslatedName):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]


class Product(TranslatedName):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    ean = models.CharField(_("EAN"), max_length=14, blank=True, db_index=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    season = models.ForeignKey(
        Season, verbose_name=_("season"), null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="products")
    unit = models.CharField(_("unit"), max_length=20, default="pc")
    min_order_quantity = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    order_multiple = models.PositiveIntegerField(_("order in multiples of"), default=1)
    is_active = models.BooleanField(_("for sale"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        indexes = [
            models.Index(fields=["category", "sku"], name="product_category_sku"),
            models.Index(fields=["brand", "sku"], name="product_brand_sku"),
            models.Index(fields=["season", "sku"], name="product_season_sku"),
            # A listing page first reads only ids: on PostgreSQL this index answers it without
            # touching the table (category, visibility and name sort are all in it).
            models.Index(
                fields=["category", "is_active"],
                include=["id", "brand", "season", "name_en", "name_fr", "name_nl", "name_sv"],
                name="product_listing",
            ),
            # "Sort by name" walks these and stops after one page.
            *[
                models.Index(fields=[f"name_{code}", "id"], name=f"product_name_{code}")
                for code in ("en", "fr", "nl", "sv")
            ],
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_order_quantity__gte=1), name="product_min_qty_positive"),
            models.CheckConstraint(condition=models.Q(order_multiple__gte=1), name="product_multiple_positive"),
        ]

    @property
    def description(self) -> str:
        return localized(self, "description")


class ProductImage(models.Model):
    """An image of a product; several products may share one file."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/", max_length=255)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


class ProductRequest(models.Model):
    """ "Not found? Ask us": a buyer asks for a product the shop does not show (B4)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="product_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    query = models.CharField(_("searched for"), max_length=200, blank=True)
    message = models.TextField(_("what are you looking for?"))
    quantity = models.CharField(_("quantity"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("product request")
        verbose_name_plural = _("product requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company}: {self.query or self.message[:40]}"


class ImageArchive(models.Model):
    """A zip of product images a member asked for (B6), e-mailed as a link that works for seven days.

    ``emailed_at`` makes the background job idempotent: a retried job never mails twice.
    """

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="image_archives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    product_ids = models.JSONField(_("products"), default=list)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("image archive")
        verbose_name_plural = _("image archives")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or f"image archive {self.pk}"
