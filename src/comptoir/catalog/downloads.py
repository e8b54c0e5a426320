"""Product image downloads (PRODUCT B6): a zip built in the background, e-mailed as a signed link.

Seed 000: the shop e-mails a link instead of serving the images on the page, to keep the site
fast. A request stores which products were asked for; a task builds the archive in the default
storage and mails the member a link signed with the archive id, the company and the member,
good for seven days. The link only works for that member, logged in, while still a member of
that company.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.core import signing
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django_tasks import task

from comptoir.catalog.models import ImageArchive, ProductImage
from comptoir.catalog.selectors import visible_products
from comptoir.core.buyer import Buyer, buyer_for_company
from comptoir.core.jobs import enqueue_on_commit
from comptoir.core.tokenlinks import fragment_link
from comptoir.notifications.services import email_send, recipient_language

logger = logging.getLogger(__name__)
security_log = logging.getLogger("comptoir.security")

ARCHIVE_SALT = "image-archive"
ARCHIVE_LIFETIME = timedelta(days=7)
ARCHIVE_DIR = "image-archives"
MAX_SKUS = 1000  # a large order; more is not a buyer asking for images
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,5}$")


# --- Asking ---------------------------------------------------------------------------


def image_archive_request(*, buyer: Buyer, skus: Iterable[str]) -> ImageArchive:
    """Ask for the images of ``skus``: only products the buyer may see count.

    The archive is built and mailed by a task after commit.
    """
    wanted = list(dict.fromkeys(s.strip() for s in skus if s and s.strip()))[:MAX_SKUS]
    product_ids = list(visible_products(buyer).filter(sku__in=wanted).order_by("sku").values_list("pk", flat=True))
    if not product_ids:
        raise ValidationError(_("None of these products can be found."))
    if not ProductImage.objects.filter(product_id__in=product_ids).exists():
        raise ValidationError(_("There are no images for these products."))
    with transaction.atomic():
        archive = ImageArchive.objects.create(
            company_id=buyer.company_id,
            user=buyer.user,
            product_ids=product_ids,
            expires_at=timezone.now() + ARCHIVE_LIFETIME,
        )
        enqueue_on_commit(build_image_archive, archive.pk)
    return archive


# --- Building and mailing (background) ------------------------------------------------


def _zip_name(sku: str, product_id: int, number: int, image_name: str) -> str:
    """``<sku>-<n>.<ext>``, made safe for any file system (a SKU may hold ``/`` or ``..``)."""
    try:
        stem = get_valid_filename(sku)
    except SuspiciousFileOperation:
        stem = f"product-{product_id}"
    extension = PurePosixPath(image_name).suffix.lower()
    if not _EXTENSION.match(extension):
        extension = ".bin"
    return f"{stem}-{number}{extension}"


def _write_archive(buyer: Buyer, product_ids: list[int]) -> tuple[str, int]:
    """Zip the images of the products the buyer may still see; returns (storage name, image count)."""
    rows = (
        ProductImage.objects.filter(product__in=visible_products(buyer).filter(pk__in=product_ids))
        .order_by("product__sku", "position", "pk")
        .values_list("product_id", "product__sku", "image")
    )
    numbers: dict[int, int] = defaultdict(int)
    count = 0
    with tempfile.TemporaryFile() as spool:
        # Images are compressed already: storing them is as small and much faster.
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for product_id, sku, image_name in rows:
                try:
                    source = default_storage.open(image_name, "rb")
                except OSError:
                    logger.warning("Image %s of product %s is missing from the storage.", image_name, sku)
                    continue
                numbers[product_id] += 1
                with source, archive.open(_zip_name(sku, product_id, numbers[product_id], image_name), "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
                count += 1
        if count == 0:
            return "", 0
        spool.seek(0)
        name = default_storage.save(f"{ARCHIVE_DIR}/{secrets.token_urlsafe(24)}.zip", File(spool))
    return name, count


def archive_token(archive: ImageArchive) -> str:
    """The signed part of the download link: which archive, for which company and member.

    The archive goes by its id, not its file name: a signed value is readable, and the file
    sits in the same storage as the product images, which may be served publicly.
    """
    return signing.dumps(
        {"archive": archive.pk, "company": archive.company_id, "user": archive.user_id}, salt=ARCHIVE_SALT
    )


def image_archive_build(*, archive_id: int) -> str:
    """Build the archive and e-mail its link, once.

    The zip is written outside any transaction (it can take a while); the mail and
    ``emailed_at`` are then written together under a row lock, so a retried or doubled task
    sends one mail and throws its own spare file away.
    """
    archive = ImageArchive.objects.select_related("user", "company").filter(pk=archive_id).first()
    if archive is None or archive.emailed_at is not None:
        return "nothing to do"
    if archive.expires_at <= timezone.now():
        return "expired"
    buyer = buyer_for_company(archive.user, archive.company_id)
    if buyer is None:
        return "no longer for this member"
    name, built = archive.file_name, False
    if not name or not default_storage.exists(name):
        name, count = _write_archive(buyer, archive.product_ids)
        if not count:
            return "no images"
        built = True
    with transaction.atomic():
        locked = ImageArchive.objects.select_for_update(of=("self",)).filter(pk=archive_id).first()
        if locked is None or locked.emailed_at is not None:
            if built:
                default_storage.delete(name)
            return "nothing to do"
        locked.file_name = name
        email_send(
            template="catalog/email/image_archive",
            to=[archive.user.email],
            language=recipient_language(archive.user, archive.company),
            context={
                "user": archive.user,
                "company": archive.company,
                "product_count": len(archive.product_ids),
                "expires_at": locked.expires_at,
                # In the fragment, which browsers never send: no server, proxy or history logs the token.
                "download_path": fragment_link(reverse("images:download"), archive_token(locked)),
            },
        )
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["file_name", "emailed_at"])
    return "sent"


@task()
def build_image_archive(archive_id: int) -> str:
    """Build and mail one image archive; safe to run twice."""
    return image_archive_build(archive_id=archive_id)


# --- Downloading ----------------------------------------------------------------------


def access_image_archive(*, user: Any, token: str) -> ImageArchive:
    """The archive behind a download link, for the member it was made for; anything else is not found.

    Not found: a tampered or expired signature, another user, a member who left the company,
    an archive already purged.
    """
    try:
        data = signing.loads(token, salt=ARCHIVE_SALT, max_age=ARCHIVE_LIFETIME)
    except signing.BadSignature:  # SignatureExpired included
        security_log.info("bad_archive_link user=%s", user.pk)
        raise Http404 from None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        security_log.info("not_found user=%s image_archive of another user", user.pk)
        raise Http404
    company_id = data.get("company")
    if not isinstance(company_id, int) or buyer_for_company(user, company_id) is None:
        security_log.info("not_found user=%s company=%s image_archive", user.pk, company_id)
        raise Http404
    archive_id = data.get("archive")
    archive = (
        ImageArchive.objects.filter(
            pk=archive_id, company_id=company_id, user_id=user.pk, expires_at__gt=timezone.now()
        )
        .exclude(file_name="")
        .first()
        if isinstance(archive_id, int)
        else None
    )
    if archive is None or not default_storage.exists(archive.file_name):
        raise Http404
    return archive


def download_file_name(archive: ImageArchive) -> str:
    """The name the buyer's browser saves: made here, never taken from the request."""
    return f"product-images-{timezone.localdate(archive.created_at):%Y-%m-%d}.zip"


# --- Purging --------------------------------------------------------------------------


def image_archives_purge() -> int:
    """Delete archives (files and rows) asked for more than seven days ago, and stray files.

    A stray file is left when a build crashed before it was recorded; it goes once it is as old.
    """
    cutoff = timezone.now() - ARCHIVE_LIFETIME
    deleted = 0
    for archive in ImageArchive.objects.filter(created_at__lt=cutoff).only("pk", "file_name"):
        if archive.file_name:
            default_storage.delete(archive.file_name)
        archive.delete()
        deleted += 1
    try:
        _dirs, files = default_storage.listdir(ARCHIVE_DIR)
    except (FileNotFoundError, NotImplementedError):
        files = []
    known = set(ImageArchive.objects.exclude(file_name="").values_list("file_name", flat=True))
    for file in files:
        name = f"{ARCHIVE_DIR}/{file}"
        if name not in known and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
    if deleted:
        logger.info("Deleted %d image archive(s) older than %s.", deleted, cutoff)
    return deleted
