"""Customer companies, their members, customer numbers and addresses."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from comptoir.core.permissions import Role, effective_permissions, member_rights


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("company name"), max_length=200)
    vat_number = models.CharField(
        _("VAT or company number"),
        max_length=40,
        help_text=_("We only work with businesses: a VAT or company registration number is required."),
    )
    vat_number_checked_by_staff = models.BooleanField(
        _("VAT number checked by staff"),
        default=False,
        help_text=_(
            "Tick only after checking the number yourself, for example with the tax authority: "
            "it is then stored even if the automatic check of its format and check digits refuses it."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    email = models.EmailField(_("company e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    price_level = models.ForeignKey(
        "pricing.PriceLevel",
        verbose_name=_("price level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the store's default price level."),
    )
    stock_location = models.ForeignKey(
        "inventory.StockLocation",
        verbose_name=_("stock location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the store's default stock location."),
    )
    private_message = models.TextField(
        _("private message"), blank=True, help_text=_("Shown in the store header to this customer's members.")
    )
    visible_tags = models.ManyToManyField(
        "catalog.Tag",
        verbose_name=_("visible tags"),
        blank=True,
        related_name="+",
        help_text=_(
            "The customer sees products with any opened tag, season or brand. "
            "Nothing opened: the store's default selection."
        ),
    )
    visible_seasons = models.ManyToManyField(
        "catalog.Season", verbose_name=_("visible seasons"), blank=True, related_name="+"
    )
    visible_brands = models.ManyToManyField(
        "catalog.Brand", verbose_name=_("visible brands"), blank=True, related_name="+"
    )
    approval_above_amount = models.DecimalField(
        _("orders above this total need approval"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no amount rule. Members marked 'orders need approval' always need it."),
    )
    validation_required = models.BooleanField(
        _("orders need the seller's validation"),
        null=True,
        blank=True,
        help_text=_("Empty: the store setting applies."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Address(models.Model):
    class Kind(models.TextChoices):
        BILLING = "billing", _("Billing")
        DELIVERY = "delivery", _("Delivery")

    company = models.ForeignKey(Company, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}, {self.postcode} {self.city}, {self.country.name}"


class CustomerNumber(models.Model):
    class Kind(models.TextChoices):
        BILLING = "billing", _("Billing")
        DELIVERY = "delivery", _("Delivery")
        BOTH = "both", _("Billing and delivery")

    company = models.ForeignKey(
        Company, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="customer_numbers"
    )
    number = models.CharField(_("customer number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOTH)
    address = models.ForeignKey(Address, verbose_name=_("address"), null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("customer number")
        verbose_name_plural = _("customer numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        if self.address_id is not None and (
            self.company_id is None
            or not Address.objects.filter(pk=self.address_id, company_id=self.company_id).exists()
        ):
            raise ValidationError({"address": _("Choose one of this customer's own addresses.")})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        """Memberships that let their person act for their company: the membership in use, the
        person's account active (an inactive account is signed out) and the company active.

        The one statement of this rule; ``core.buyer.active_memberships`` reads the same rows in SQL
        on every request, and tests/companies/test_active_memberships.py checks that they agree.
        """
        return self.filter(is_active=True, user__is_active=True, company__status=Company.Status.ACTIVE)


class Membership(models.Model):
    """A user's membership in one customer company, with a role (PRODUCT A6-A8)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="memberships"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.SEE_PRICES_AND_ORDER)
    granted_permissions = models.JSONField(_("extra permissions"), default=list, blank=True)
    revoked_permissions = models.JSONField(_("removed permissions"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    orders_need_approval = models.BooleanField(_("orders need approval"), default=False)
    customer_numbers = models.ManyToManyField(
        CustomerNumber, verbose_name=_("customer numbers"), blank=True, related_name="members"
    )
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["company__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="one_membership_per_company")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"

    @property
    def permissions(self) -> frozenset[str]:
        return effective_permissions(self.role, self.granted_permissions, self.revoked_permissions)

    @property
    def rights(self) -> frozenset[str]:
        """Permissions plus ordering without approval: what ``check_rights_change`` compares."""
        return member_rights(self.role, self.granted_permissions, self.revoked_permissions, self.orders_need_approval)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to become a member. The token is stored hashed."""

    company = models.ForeignKey(
        Company, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.SEE_PRICES_AND_ORDER)
    message = models.TextField(_("personal message"), blank=True)
    # Copied from the inviter: whoever's orders need approval invites people whose orders need it too.
    orders_need_approval = models.BooleanField(_("orders need approval"), default=False)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class JoinRequest(models.Model):
    """A user asks to join an existing customer (PRODUCT A5)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    company = models.ForeignKey(
        Company, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_abuse = models.BooleanField(_("reported as abusive"), default=False)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"], condition=models.Q(status="pending"), name="one_pending_join_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.company}"
