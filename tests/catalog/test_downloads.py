"""B6: a buyer asks for product images; an e-mail brings a link to a zip, valid seven days, for them only."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from comptoir.catalog.downloads import _zip_name, image_archive_build
from comptoir.catalog.models import ImageArchive
from tests.conftest import body_of
from tests.factories import BrandFactory, MembershipFactory, ProductFactory, ProductImageFactory

LINK = re.compile(r"(/images/download/#[^\s\"<]+)")
DOWNLOAD_PAGE = "/images/download/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def lamp(db):
    product = ProductFactory(sku="LAMP-01", name_en="Desk lamp")
    ProductImageFactory(product=product, position=1)
    ProductImageFactory(product=product, position=2, image__filename="side.jpg", image__format="JPEG")
    return product


@pytest.fixture
def chair(db):
    product = ProductFactory(sku="CHAIR-02")
    ProductImageFactory(product=product)
    return product


@pytest.fixture
def buyer_client(client, member):
    client.force_login(member.user)
    return client


def ask_for_images(client, capture, *skus, **extra):
    with capture(execute=True):
        return client.post("/images/request/", {"sku": list(skus)}, **extra)


def link_in(message) -> str:
    found = LINK.search(body_of(message))
    assert found, body_of(message)
    return found.group(1)


def open_download(client, link: str):
    """What the page at /images/download/ does with the link's fragment: post it."""
    return client.post(DOWNLOAD_PAGE, {"link": link.rpartition("#")[2]})


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db(transaction=True)
def test_the_mailed_link_downloads_a_zip_of_the_images(buyer_client, member, lamp, chair, real_mail):
    response = buyer_client.post("/images/request/", {"sku": ["LAMP-01", "CHAIR-02"], "next": "/cart/"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    [message] = real_mail.messages_to(member.user.email)
    assert "images" in str(message["Subject"]).lower()

    download = open_download(buyer_client, link_in(message))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="product-images-')
    archive = zip_of(download)
    assert sorted(archive.namelist()) == ["CHAIR-02-1.png", "LAMP-01-1.png", "LAMP-01-2.jpg"]
    first_image = lamp.images.order_by("position").first().image
    with default_storage.open(first_image.name) as original:
        assert archive.read("LAMP-01-1.png") == original.read()


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_the_job_sends_no_second_mail(buyer_client, member, lamp, real_mail):
    buyer_client.post("/images/request/", {"sku": "LAMP-01"})
    archive = ImageArchive.objects.get()
    assert image_archive_build(archive_id=archive.pk) == "nothing to do"
    assert len(real_mail.messages_to(member.user.email)) == 1
    assert len(default_storage.listdir("image-archives")[1]) == 1


@pytest.mark.django_db(transaction=True)
def test_the_mail_is_in_the_recipients_language(buyer_client, member, lamp, real_mail):
    member.user.language = "nl"
    member.user.save(update_fields=["language"])
    buyer_client.post("/images/request/", {"sku": "LAMP-01"})
    [message] = real_mail.messages_to(member.user.email)
    with translation.override("nl"):
        expected = gettext("Your product images are ready")
    assert expected != "Your product images are ready"
    assert str(message["Subject"]) == expected


@pytest.mark.django_db
def test_asking_from_a_product_page_says_the_link_comes_by_mail(buyer_client, lamp, django_capture_on_commit_callbacks):
    response = ask_for_images(buyer_client, django_capture_on_commit_callbacks, "LAMP-01", follow=False)
    assert response["Location"] == "/catalogue/p/LAMP-01/"
    page = buyer_client.get("/alerts/")  # any page shows the queued message
    assert "We e-mail you a link to the images." in page.content.decode()


@pytest.mark.django_db
def test_asking_with_htmx_answers_with_the_fragment(buyer_client, lamp, django_capture_on_commit_callbacks):
    response = ask_for_images(
        buyer_client, django_capture_on_commit_callbacks, "LAMP-01", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "We e-mail you a link to the images." in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.django_db
def test_only_products_the_buyer_can_see_go_into_the_archive(
    buyer_client, company, lamp, chair, django_capture_on_commit_callbacks
):
    brand = BrandFactory()
    lamp.brand = brand
    lamp.save(update_fields=["brand"])
    company.visible_brands.add(brand)  # the chair is not opened to this customer
    ask_for_images(buyer_client, django_capture_on_commit_callbacks, "LAMP-01", "CHAIR-02")
    [message] = mail.outbox
    archive = zip_of(open_download(buyer_client, link_in(message)))
    assert sorted(archive.namelist()) == ["LAMP-01-1.png", "LAMP-01-2.jpg"]


@pytest.mark.django_db
def test_asking_only_for_invisible_or_unknown_products_builds_nothing(
    buyer_client, company, chair, django_capture_on_commit_callbacks
):
    company.visible_brands.add(BrandFactory())
    response = ask_for_images(
        buyer_client, django_capture_on_commit_callbacks, "CHAIR-02", "NOPE", headers={"HX-Request": "true"}
    )
    assert "None of these products can be found." in response.content.decode()
    assert not ImageArchive.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_products_without_images_build_nothing(buyer_client, django_capture_on_commit_callbacks):
    ProductFactory(sku="BARE-1")
    response = ask_for_images(
        buyer_client, django_capture_on_commit_callbacks, "BARE-1", headers={"HX-Request": "true"}
    )
    assert "no images" in response.content.decode()
    assert not ImageArchive.objects.exists()


@pytest.mark.django_db
def test_asking_is_post_only(buyer_client, lamp):
    assert buyer_client.get("/images/request/?sku=LAMP-01").status_code == 405
    assert not ImageArchive.objects.exists()


@pytest.mark.django_db
def test_asking_more_than_ten_times_an_hour_is_refused(buyer_client, lamp, django_capture_on_commit_callbacks):
    for _ in range(10):
        assert ask_for_images(buyer_client, django_capture_on_commit_callbacks, "LAMP-01").status_code == 302
    assert ask_for_images(buyer_client, django_capture_on_commit_callbacks, "LAMP-01").status_code == 429
    assert ImageArchive.objects.count() == 10


@pytest.fixture
def link(buyer_client, lamp, django_capture_on_commit_callbacks):
    ask_for_images(buyer_client, django_capture_on_commit_callbacks, "LAMP-01")
    [message] = mail.outbox
    return link_in(message)


@pytest.mark.django_db
def test_an_expired_link_is_not_found(client, member, link):
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client.force_login(member.user)
        response = open_download(client, link)
    assert response.status_code == 404
    assert "This download link does not work" in response.content.decode()


@pytest.mark.django_db
def test_a_link_still_works_on_the_sixth_day(client, member, link):
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        client.force_login(member.user)
        assert open_download(client, link).status_code == 200


@pytest.mark.django_db
def test_a_member_of_another_company_gets_not_found(client, other_admin, link):
    client.force_login(other_admin.user)
    response = open_download(client, link)
    assert response.status_code == 404
    assert "This download link does not work" in response.content.decode()


@pytest.mark.django_db
def test_a_colleague_in_the_same_company_gets_not_found(client, company, link):
    client.force_login(MembershipFactory(company=company).user)
    assert open_download(client, link).status_code == 404


@pytest.mark.django_db
def test_a_member_who_was_deactivated_gets_not_found(buyer_client, member, link):
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert open_download(buyer_client, link).status_code == 404


@pytest.mark.django_db
def test_a_link_to_a_purged_archive_is_not_found(buyer_client, link):
    ImageArchive.objects.all().delete()
    assert open_download(buyer_client, link).status_code == 404


@pytest.mark.django_db
def test_the_link_does_not_reveal_the_file_name(link):
    from django.core import signing

    data = signing.loads(link.rpartition("#")[2], salt="image-archive")
    assert data == {"archive": ImageArchive.objects.get().pk, "company": data["company"], "user": data["user"]}


@pytest.mark.django_db
def test_a_tampered_link_is_not_found(buyer_client, link):
    token = link.rpartition("#")[2]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert open_download(buyer_client, forged).status_code == 404


@pytest.mark.django_db
def test_a_link_needs_a_login(client, link):
    client.logout()
    response = open_download(client, link)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


@pytest.mark.django_db
def test_archives_older_than_seven_days_are_purged_with_their_files(buyer_client, link):
    old = ImageArchive.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        fresh = ImageArchive.objects.create(
            company=old.company, user=old.user, expires_at=timezone.now() + timedelta(days=7)
        )
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        call_command("run_periodic_jobs", "purge_image_archives")
    assert list(ImageArchive.objects.all()) == [fresh]
    assert not default_storage.exists(old.file_name)


@pytest.mark.django_db
def test_a_stray_archive_file_is_purged_once_old(media):
    stray = media / "image-archives" / "stray.zip"
    stray.parent.mkdir()
    stray.write_bytes(b"PK")
    call_command("run_periodic_jobs", "purge_image_archives")
    assert stray.exists()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        call_command("run_periodic_jobs", "purge_image_archives")
    assert not stray.exists()


@pytest.mark.parametrize(
    ("sku", "image", "expected"),
    [
        ("LAMP-01", "products/a.PNG", "LAMP-01-3.png"),
        ("../../etc/x", "products/a.jpeg", "....etcx-3.jpeg"),
        ("..", "products/a.png", "product-7-3.png"),
        ("A B", "products/noext", "A_B-3.bin"),
    ],
)
def test_names_in_the_archive_are_safe(sku, image, expected):
    assert _zip_name(sku, 7, 3, image) == expected


# --- The token never travels in a URL (SECURITY check 7) -------------------------------------------


@pytest.mark.django_db
def test_the_mailed_link_carries_its_token_in_the_fragment_only(link):
    path, _, token = link.partition("#")
    assert path == DOWNLOAD_PAGE
    assert token
    assert reverse("images:download") == DOWNLOAD_PAGE  # no URL takes a token


@pytest.mark.django_db
def test_the_download_page_posts_the_fragment_with_a_static_script(client):
    page = client.get(DOWNLOAD_PAGE).content.decode()
    assert "data-token-from-fragment" in page
    assert "/static/comptoir/token-link.js" in page
    assert "<script>" not in page


@pytest.mark.django_db
def test_a_member_who_logs_in_first_downloads_from_a_button_afterwards(client, member, link):
    client.logout()
    token = link.rpartition("#")[2]
    response = open_download(client, link)
    assert response.status_code == 302
    assert token not in response["Location"]
    client.force_login(member.user)
    page = client.get(DOWNLOAD_PAGE)
    assert page.status_code == 200
    assert f'name="link" value="{token}"' in page.content.decode()
    archive = open_download(client, link)
    assert archive.status_code == 200
    assert archive["Content-Type"] == "application/zip"
