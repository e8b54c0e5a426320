from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from comptoir.accounts import views as account_views
from comptoir.backoffice import views as backoffice_views
from comptoir.backoffice.admin import site as backoffice_site
from comptoir.core import views as core_views
from comptoir.notifications import views as notification_views

urlpatterns = [
    path("", account_views.home, name="home"),
    # Before allauth's own: the same page, with the same work for known and unknown addresses.
    path("accounts/login/code/", account_views.request_login_code, name="account_request_login_code"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("comptoir.accounts.urls")),
    path("company/", include("comptoir.companies.urls")),
    path("alerts/", include("comptoir.inventory.urls")),
    path("catalogue/", include("comptoir.catalog.urls")),
    path("images/", include("comptoir.catalog.download_urls")),
    path("cart/", include("comptoir.carts.urls")),
    path("orders/", include("comptoir.orders.urls")),
    path("request-access/", backoffice_views.request_access, name="request_access"),
    path("backoffice/", backoffice_site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.health, name="health"),
    # Development only: the views answer 404 unless DEBUG is on.
    path("dev/outbox/", notification_views.outbox, name="dev_outbox"),
    path("dev/outbox/<str:name>/", notification_views.outbox_mail, name="dev_outbox_mail"),
]

if settings.DEBUG:
    # Development only; production serves media from its storage (S3) or the web server.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
