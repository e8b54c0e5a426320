"""Accounts: a person is created, or changes address, here and only here, with the address
record allauth needs to log them in by code."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from comptoir.accounts.models import User, UserManager


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str = "",
    language: str = "",
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """A new person (no usable password unless given: they log in by e-mailed code)."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        language=language,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user_address_record(user=user)
    return user


@transaction.atomic
def user_set_email(*, user: User, email: str) -> User:
    """The person's login address becomes ``email`` (lower-cased, a "+tag" kept)."""
    user.email = UserManager.normalize_address(email)
    user.save(update_fields=["email"])
    user_address_record(user=user)
    return user


def user_address_record(*, user: User) -> None:
    """Give ``user.email`` the primary address record allauth logs people in with, unverified:
    the login code proves the mailbox, and marks it verified. A record that exists is kept."""
    if EmailAddress.objects.filter(user=user, email=user.email).exists():
        return
    EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
