"""Users log in with their e-mail address; one address, one identity.

Plus-addresses (``buyer+site1@x.com``) are distinct identities: the address
is stored as typed (lower-cased), never folded into its base address.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @staticmethod
    def normalize_address(email: str) -> str:
        # Lower-case the whole address; never strip a "+tag".
        return email.strip().lower()

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        """The row alone: people are created by ``accounts.services.user_create``, which adds the
        address record they log in with."""
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_address(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        """``manage.py createsuperuser``: through ``user_create``, with the address record."""
        from comptoir.accounts.services import user_create

        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return user_create(email=email, password=password, **extra)  # type: ignore[arg-type]


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "Language of the interface and of the e-mails you receive, whichever company you work for."
            " Empty: your browser's language."
        ),
    )
    is_staff = models.BooleanField(_("seller staff"), default=False, help_text=_("Can use the back office."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def has_usable_password(self) -> bool:
        """An empty password field (a row made without ``create_user``) is no password either.

        Django counts it as usable, so a person who logs in by code and never had a password
        would be asked for a "current" one before they could set their first.
        """
        return bool(self.password) and super().has_usable_password()

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = UserManager.normalize_address(self.email)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
