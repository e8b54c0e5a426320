from django.conf import settings
from django.utils.functional import SimpleLazyObject


def buyer(request):
    from comptoir.backoffice.models import StoreSettings

    return {
        "buyer": getattr(request, "buyer", None),
        "memberships": getattr(request, "memberships", []),
        "contact_email": settings.COMPTOIR_CONTACT_EMAIL,
        "store": SimpleLazyObject(StoreSettings.load),
        "approvals_waiting": SimpleLazyObject(lambda: _approvals_waiting(request)),
    }


def _approvals_waiting(request) -> int:
    buyer = getattr(request, "buyer", None)
    if buyer is None:
        return 0
    from comptoir.orders.selectors import approvals_waiting_for

    return approvals_waiting_for(buyer).count()
