"""Image downloads for buyers (PRODUCT B6): ask from a product page, cart or order; download by e-mailed link."""

from __future__ import annotations

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.catalog import downloads
from comptoir.core.decorators import buyer_required
from comptoir.core.next_url import safe_next
from comptoir.core.tokenlinks import token_from_post


def _back(request: HttpRequest, skus: list[str]) -> str:
    """Where the request came from (``next``), else the product page, else the catalogue."""
    target = request.POST.get("next", "")
    if safe_next(request, target):
        return target
    if len(skus) == 1:
        return reverse("catalog:product", args=[skus[0]])
    return reverse("catalog:list")


@buyer_required
@require_POST
def image_archive_request(request: HttpRequest) -> HttpResponse:
    """POST one or more ``sku`` values; the link to a zip of their images comes by e-mail."""
    buyer = request.buyer  # type: ignore[attr-defined]
    skus = [s for s in request.POST.getlist("sku") if s.strip()]
    limited = consume_or_429(request, action="image_archive", key=str(buyer.user.pk))
    if limited:
        return limited
    error = ""
    try:
        downloads.image_archive_request(buyer=buyer, skus=skus)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "catalog/downloads/requested.html", {"error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("We e-mail you a link to the images."))
    return redirect(_back(request, skus))


ARCHIVE_PENDING_KEY = "comptoir_image_archive_pending"


@require_http_methods(["GET", "POST"])
@never_cache
def image_archive_download(request: HttpRequest) -> HttpResponseBase:
    """The e-mailed link, ``/images/download/#<token>``: the zip, for the member it was made for, for
    seven days. The token never travels in a URL: the page posts it (``link``); a member who must log
    in first finds a download button here afterwards (the token waits in the session)."""
    if request.method == "GET":
        token = request.session.get(ARCHIVE_PENDING_KEY, "") if request.user.is_authenticated else ""
        return render(request, "catalog/downloads/open.html", {"token": token})
    token = token_from_post(request)
    if not request.user.is_authenticated:
        if token:
            request.session[ARCHIVE_PENDING_KEY] = token
        return redirect_to_login(reverse("images:download"))
    request.session.pop(ARCHIVE_PENDING_KEY, None)
    try:
        archive = downloads.access_image_archive(user=request.user, token=token)
    except Http404:
        return render(request, "catalog/downloads/invalid.html", status=404)
    response = FileResponse(
        default_storage.open(archive.file_name, "rb"),
        as_attachment=True,
        filename=downloads.download_file_name(archive),
        content_type="application/zip",
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
