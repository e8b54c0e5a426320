"""The project's URLs plus one view that fails, to look at the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from comptoir.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
