from typing import Any

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def buyer(request):
    from comptoir.backoffice.models import StoreSettings

    def load_store():
        # One read per request, shared with the buyer context.
        current = getattr(request, "buyer", None)
        return current.store_settings if current is not None else StoreSettings.current()

    store: Any = SimpleLazyObject(load_store)  # a StoreSettings (snapshot), read only if a template asks
    current = getattr(request, "buyer", None)
    return {
        "buyer": current,
        "nav_key": _nav_key(request, current),
        "memberships": getattr(request, "memberships", []),
        "store": store,
        "contact_email": SimpleLazyObject(lambda: store.contact_email or settings.COMPTOIR_CONTACT_EMAIL),
        "approvals_waiting": SimpleLazyObject(lambda: _approvals_waiting(request)),
    }


def _approvals_waiting(request) -> int:
    buyer = getattr(request, "buyer", None)
    if buyer is None:
        return 0
    from comptoir.orders.selectors import approvals_waiting_for

    return approvals_waiting_for(buyer).count()


# The rights that change the main menu's links (templates/_base.html).
NAV_PERMISSIONS = ("place_orders", "order_from_quick_lists", "manage_users")


def _nav_key(request, current) -> str:
    """What the cached main menu varies on besides the language: signed in, staff, buyer and rights."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    rights = ",".join(p for p in NAV_PERMISSIONS if current is not None and p in current.permissions)
    return f"staff={user.is_staff} buyer={current is not None} rights={rights}"
