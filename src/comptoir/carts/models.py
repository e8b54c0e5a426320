"""Server-side carts (C1, C2), share links (C3) and quick lists (C5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cart(models.Model):
    """One cart per login and company (and per kind): the same on every device.

    An onboarding cart (C10) is filled for a new employee whose details are captured first.
    """

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Cart")
        ONBOARDING = "onboarding", _("Onboarding order")

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="carts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="carts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    onboarding = models.JSONField(_("new employee"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [models.UniqueConstraint(fields=["company", "user", "kind"], name="one_cart_per_member_and_kind")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.kind})"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="one_line_per_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class CartShare(models.Model):
    """A share-cart link: a snapshot of the lines, opened by another member of the same company.

    The token is stored hashed; the link expires and can be revoked.
    """

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="cart_shares"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shared by"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    lines = models.JSONField(_("lines"), default=list)  # [[product_id, quantity], ...]
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared cart")
        verbose_name_plural = _("shared carts")

    def __str__(self) -> str:
        return f"share by {self.created_by_id} ({len(self.lines)} lines)"


class QuickList(models.Model):
    """A named list of products and quantities to re-order in a few clicks (C5)."""

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="quick_lists"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="quick_lists"
    )
    name = models.CharField(_("name"), max_length=120)
    shared = models.BooleanField(_("shared with my company"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("quick list")
        verbose_name_plural = _("quick lists")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class QuickListLine(models.Model):
    quick_list = models.ForeignKey(
        QuickList, verbose_name=_("quick list"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("quick list line")
        verbose_name_plural = _("quick list lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["quick_list", "product"], name="one_quick_list_line_per_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="quick_list_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"
