from django.urls import path

from comptoir.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("welcome/", views.welcome, name="welcome"),
]
