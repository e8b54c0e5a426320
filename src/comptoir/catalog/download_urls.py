from django.urls import path

from comptoir.catalog import download_views

app_name = "images"
urlpatterns = [
    path("request/", download_views.image_archive_request, name="request"),
    # The token comes in the link's fragment (/images/download/#<token>) and reaches the server in a POST body.
    path("download/", download_views.image_archive_download, name="download"),
]
