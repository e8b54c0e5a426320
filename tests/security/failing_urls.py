"""The project's URLs plus views that fail, to look at the 500, 403 and 400 pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from comptoir.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret-internal-detail")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("secret-internal-detail")


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret-internal-detail")


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("bad/", bad),
    *project_urlpatterns,
]
