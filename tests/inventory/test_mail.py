"""B5, G1, G2: the back-in-stock mail goes out through the real mail path, once, in the buyer's language."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from comptoir.inventory.models import BackInStockAlert
from comptoir.inventory.services import alert_subscribe, stock_became_available, stock_set
from comptoir.notifications.models import OutgoingEmail
from tests.conftest import body_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_mail_arrives_when_stock_returns_and_none_on_the_second_run(
    buyer, product, location, staff_user, real_mail
):
    alert_subscribe(buyer=buyer, product=product)
    stock_set(product=product, location=location, quantity=10, actor=staff_user)
    [message] = real_mail.messages_to(buyer.user.email)
    assert "Back in stock: Desk lamp" in str(message["Subject"])
    assert f"{settings.COMPTOIR_SITE_URL}/catalogue/p/LAMP-01/" in body_of(message)

    assert stock_became_available(product_ids=[product.pk], location=location) == 0
    stock_set(product=product, location=location, quantity=2, actor=staff_user)  # gone again …
    stock_set(product=product, location=location, quantity=8, actor=staff_user)  # … and back
    assert len(real_mail.messages_to(buyer.user.email)) == 1
    assert OutgoingEmail.objects.count() == 1
    assert BackInStockAlert.objects.get().notified_at is not None


def test_mail_is_written_in_the_recipients_language(buyer, product, location, staff_user, real_mail):
    buyer.user.language = "fr"
    buyer.user.save(update_fields=["language"])
    alert_subscribe(buyer=buyer, product=product)
    stock_set(product=product, location=location, quantity=10, actor=staff_user)
    [message] = real_mail.messages_to(buyer.user.email)
    with translation.override("fr"):
        subject = gettext("Back in stock: %(name)s") % {"name": "Lampe de bureau"}
        opening = gettext("Good news: %(name)s (%(sku)s) is available again.") % {
            "name": "Lampe de bureau",
            "sku": "LAMP-01",
        }
    assert not subject.startswith("Back in stock")
    assert str(message["Subject"]) == " ".join(subject.split())  # subjects are one line of plain spaces
    assert opening in body_of(message)


def test_mail_to_a_member_without_a_language_is_in_the_stores_not_the_companys(
    buyer, product, location, staff_user, real_mail, company
):
    company.language = "sv"
    company.save(update_fields=["language"])
    alert_subscribe(buyer=buyer, product=product)
    stock_set(product=product, location=location, quantity=10, actor=staff_user)
    [message] = real_mail.messages_to(buyer.user.email)
    assert str(message["Subject"]).startswith("Back in stock")
    assert "Skrivbordslampa" not in body_of(message)
