from django.urls import path

from comptoir.catalog import download_views

app_name = "images"
urlpatterns = [
    path("request/", download_views.image_archive_request, name="request"),
    path("download/<str:token>/", download_views.image_archive_download, name="download"),
]
