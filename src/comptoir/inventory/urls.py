from django.urls import path

from comptoir.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("subscribe/<str:sku>/", views.alert_subscribe, name="alert_subscribe"),
    path("<int:pk>/cancel/", views.alert_cancel, name="alert_cancel"),
]
