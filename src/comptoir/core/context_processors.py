from django.conf import settings
from django.utils.functional import SimpleLazyObject


def buyer(request):
    from comptoir.backoffice.models import StoreSettings

    return {
        "buyer": getattr(request, "buyer", None),
        "memberships": getattr(request, "memberships", []),
        "contact_email": settings.COMPTOIR_CONTACT_EMAIL,
        "store": SimpleLazyObject(StoreSettings.load),
    }
