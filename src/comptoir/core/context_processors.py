from django.conf import settings
from django.utils.functional import SimpleLazyObject


def buyer(request):
    from comptoir.backoffice.models import StoreSettings

    def load_store():
        # One read per request, shared with the buyer context.
        current = getattr(request, "buyer", None)
        return current.store_settings if current is not None else StoreSettings.current()

    store = SimpleLazyObject(load_store)
    return {
        "buyer": getattr(request, "buyer", None),
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
