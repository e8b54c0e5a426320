from django.urls import path

from comptoir.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("checkout/", views.checkout, name="checkout"),
    path("approvals/", views.approvals, name="approvals"),
    path("onboarding/", views.onboarding_start, name="onboarding"),
    path("onboarding/items/", views.onboarding_items, name="onboarding_items"),
    path("onboarding/checkout/", views.onboarding_checkout, name="onboarding_checkout"),
    path("onboarding/discard/", views.onboarding_discard, name="onboarding_discard"),
    path("scan-list/", views.scan_list, name="scan_list"),
    # Fixed paths above: an order number is any other single path segment.
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/approve/", views.order_approve, name="approve"),
    path("<str:number>/decline/", views.order_decline, name="decline"),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("<str:number>/csv/", views.order_csv, name="csv"),
    path("<str:number>/xlsx/", views.order_xlsx, name="xlsx"),
    path("<str:number>/pdf/", views.order_pdf, name="pdf"),
    path("<str:number>/order-again/", views.order_reorder, name="reorder"),
]
