"""Onboarding orders (C10, seed 003): equipment for a new employee.

The employee's details are captured first and attached to the member's onboarding cart; from then
on the buyer cannot change them (the seed: "they cannot be changed afterwards: if you made a
mistake, contact us"). The buyer may still drop the whole draft, details and lines, before placing
it. Once placed, the details travel with the order and only the seller's staff correct them
(``order_correct_onboarding``, audited).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.carts.models import Cart, CartLine
from comptoir.carts.services import can_fill_cart, cart_for_update
from comptoir.core.buyer import Buyer
from comptoir.orders.models import ONBOARDING_FIELDS

MAX_LENGTHS = {"name": 200, "start_date": 10, "role": 200, "location": 200, "notes": 2000}


def details_fixed_message() -> str:
    return _("The new employee's details are attached already and cannot be changed. If they are wrong, contact us.")


class OnboardingError(ValidationError):
    """The details cannot be attached; nothing was changed."""


def onboarding_details_clean(details: dict[str, Any]) -> dict[str, str]:
    """Known keys only, as text; a full name and a start date are required."""
    cleaned: dict[str, str] = {}
    for key in ONBOARDING_FIELDS:
        value = details.get(key)
        if isinstance(value, date):
            value = value.isoformat()
        text = str(value or "").strip()
        if len(text) > MAX_LENGTHS[key]:
            raise OnboardingError(_("%(field)s is too long.") % {"field": ONBOARDING_FIELDS[key]})
        if text:
            cleaned[key] = text
    if not cleaned.get("name"):
        raise OnboardingError(_("Enter the new employee's full name."))
    try:
        date.fromisoformat(cleaned.get("start_date", ""))
    except ValueError:
        raise OnboardingError(_("Enter the new employee's start date.")) from None
    return cleaned


def onboarding_cart(buyer: Buyer) -> Cart | None:
    return Cart.objects.filter(company_id=buyer.company_id, user_id=buyer.user.pk, kind=Cart.Kind.ONBOARDING).first()


@transaction.atomic
def onboarding_details_attach(*, buyer: Buyer, details: dict[str, Any]) -> Cart:
    """Attach the new employee's details to the onboarding cart, once: they are fixed from then on."""
    if not can_fill_cart(buyer):
        raise PermissionDenied(_("You may not order."))
    cleaned = onboarding_details_clean(details)
    cart = cart_for_update(buyer, Cart.Kind.ONBOARDING)
    if cart.onboarding:
        raise OnboardingError(details_fixed_message())
    cart.onboarding = cleaned
    cart.save(update_fields=["onboarding", "updated_at"])
    return cart


@transaction.atomic
def onboarding_discard(*, buyer: Buyer) -> None:
    """Drop the onboarding draft (details and lines) before it is ordered."""
    cart = cart_for_update(buyer, Cart.Kind.ONBOARDING)
    CartLine.objects.filter(cart=cart).delete()
    cart.onboarding = {}
    cart.save(update_fields=["onboarding", "updated_at"])
