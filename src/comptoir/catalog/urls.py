from django.urls import path

from comptoir.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("search/", views.search, name="search"),
    path("p/<str:sku>/", views.product_detail, name="product"),
    path("ask/", views.product_request, name="product_request"),
]
