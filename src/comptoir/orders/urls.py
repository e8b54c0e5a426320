from django.urls import path

from comptoir.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("checkout/", views.checkout, name="checkout"),
    path("approvals/", views.approvals, name="approvals"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/approve/", views.order_approve, name="approve"),
    path("<str:number>/decline/", views.order_decline, name="decline"),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
]
