"""Audit trail (PRODUCT G5): who decided what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every decision the audit trail records, declared once with the label the back office shows.

    ``audit()`` accepts only these. The stored value is the string; add a member here (and its
    label in each language) before recording a new kind of decision.
    """

    # Customers (A4, F1)
    COMPANY_REGISTERED = "company.registered", _("Customer registered")
    COMPANY_ACTIVATED = "company.activated", _("Customer activated")
    COMPANY_REACTIVATED = "company.reactivated", _("Customer reactivated")
    COMPANY_STATUS_CHANGED = "company.status_changed", _("Customer's status changed")
    COMPANY_CREATED = "company.created", _("Customer created in the back office")
    COMPANY_CHANGED = "company.changed", _("Customer's details changed")
    COMPANY_VISIBILITY_CHANGED = "company.visibility_changed", _("Customer's visible products changed")
    COMPANY_PRIVATE_MESSAGE_CHANGED = "company.private_message_changed", _("Customer's private message changed")
    COMPANY_VAT_NUMBER_CHECKED_BY_STAFF = "company.vat_number_checked_by_staff", _("VAT number checked by staff")
    ADDRESS_CREATED = "address.created", _("Address added")
    ADDRESS_CHANGED = "address.changed", _("Address changed")
    CUSTOMER_NUMBER_CREATED = "customernumber.created", _("Customer number added")
    CUSTOMER_NUMBER_CHANGED = "customernumber.changed", _("Customer number changed")
    # Members, invitations, join requests (A6-A10)
    MEMBER_ADDED = "member.added", _("Member added")
    MEMBER_UPDATED = "member.updated", _("Member's rights changed")
    MEMBER_ACTIVATED = "member.activated", _("Member reactivated")
    MEMBER_DEACTIVATED = "member.deactivated", _("Member deactivated")
    INVITATION_CREATED = "invitation.created", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation revoked")
    JOIN_REQUEST_APPROVED = "join_request.approved", _("Join request approved")
    JOIN_REQUEST_DECLINED = "join_request.declined", _("Join request declined")
    ACCESS_REQUEST_HANDLED = "access_request.handled", _("Access request handled")
    ACCESS_REQUEST_DECLINED = "access_request.declined", _("Access request declined")
    # Orders (C, F5)
    ORDER_PLACED = "order.placed", _("Order placed")
    ORDER_APPROVED = "order.approved", _("Order approved")
    ORDER_DECLINED = "order.declined", _("Order declined")
    ORDER_VALIDATED = "order.validated", _("Order validated")
    ORDER_REJECTED = "order.rejected", _("Order rejected")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    ORDER_SHIPPED = "order.shipped", _("Order shipped")
    ORDER_COMPLETED = "order.completed", _("Order completed")
    ORDER_SHIPPING_CHANGED = "order.shipping_changed", _("Order's shipping cost changed")
    ORDER_ONBOARDING_CORRECTED = "order.onboarding_corrected", _("New employee's details corrected")
    # Catalogue, prices, stock (F6)
    PRODUCTS_IMPORTED = "catalogue.products_imported", _("Products imported")
    PRICES_IMPORTED = "catalogue.prices_imported", _("Prices imported")
    STOCK_IMPORTED = "catalogue.stock_imported", _("Stock imported")
    STOCK_SET = "stock.set", _("Stock set")
    PRODUCT_REQUEST_HANDLED = "product_request.handled", _("Product request handled")
    PRODUCT_CREATED = "product.created", _("Product created")
    PRODUCT_CHANGED = "product.changed", _("Product changed")
    PRODUCT_IMAGE_CREATED = "productimage.created", _("Product image added")
    PRODUCT_IMAGE_CHANGED = "productimage.changed", _("Product image changed")
    PRICE_CREATED = "price.created", _("Price created")
    PRICE_CHANGED = "price.changed", _("Price changed")
    CATEGORY_CREATED = "category.created", _("Category created")
    CATEGORY_CHANGED = "category.changed", _("Category changed")
    BRAND_CREATED = "brand.created", _("Brand created")
    BRAND_CHANGED = "brand.changed", _("Brand changed")
    SEASON_CREATED = "season.created", _("Season created")
    SEASON_CHANGED = "season.changed", _("Season changed")
    TAG_CREATED = "tag.created", _("Tag created")
    TAG_CHANGED = "tag.changed", _("Tag changed")
    # Store set-up (F3)
    STORE_SETTINGS_CREATED = "storesettings.created", _("Store settings created")
    STORE_SETTINGS_CHANGED = "storesettings.changed", _("Store settings changed")
    PRICE_LEVEL_CREATED = "pricelevel.created", _("Price level created")
    PRICE_LEVEL_CHANGED = "pricelevel.changed", _("Price level changed")
    STOCK_LOCATION_CREATED = "stocklocation.created", _("Stock location created")
    STOCK_LOCATION_CHANGED = "stocklocation.changed", _("Stock location changed")
    # Recorded by earlier versions of the back office, before these went through the services:
    # kept so that old events still read as a sentence. Nothing records them any more.
    MEMBERSHIP_CREATED = "membership.created", _("Member added (former back-office form)")
    MEMBERSHIP_CHANGED = "membership.changed", _("Member changed (former back-office form)")
    STOCK_LEVEL_CREATED = "stocklevel.created", _("Stock created (former back-office form)")
    STOCK_LEVEL_CHANGED = "stocklevel.changed", _("Stock changed (former back-office form)")

    @classmethod
    def for_admin_save(cls, model: type[models.Model], *, created: bool) -> AuditAction:
        """What a plain back-office save of ``model`` records: "<model>.created" or "<model>.changed"."""
        return cls(f"{model._meta.model_name}.{'created' if created else 'changed'}")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(_("what"), max_length=64, db_index=True, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # The site's local time, as the page body shows it (the stored value is UTC).
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"
