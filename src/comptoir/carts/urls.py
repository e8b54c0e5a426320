from django.urls import path

from comptoir.carts import views

app_name = "carts"
urlpatterns = [
    path("", views.cart, name="cart"),
    path("add/", views.cart_add, name="add"),
    path("lines/<int:pk>/", views.line_update, name="line_update"),
    path("clear/", views.cart_clear, name="clear"),
]
