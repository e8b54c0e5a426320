"""B5 pages: "Notify me when available" and "My stock alerts"."""

import pytest

from comptoir.core.buyer import SESSION_COMPANY_KEY
from comptoir.inventory.models import BackInStockAlert
from tests.factories import BrandFactory, MembershipFactory, StockLevelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client, member, location):
    client.force_login(member.user)
    return client


def _alert(membership, product, location):
    return BackInStockAlert.objects.create(
        user=membership.user, company=membership.company, product=product, location=location
    )


def test_notify_me_redirects_back_to_the_product_page(buyer_client, product, member):
    response = buyer_client.post("/alerts/subscribe/LAMP-01/")
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/p/LAMP-01/"
    assert BackInStockAlert.objects.get().user == member.user


def test_notify_me_with_htmx_answers_with_the_fragment(buyer_client, product):
    response = buyer_client.post("/alerts/subscribe/LAMP-01/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "We will e-mail you when it is available." in response.content.decode()
    assert "<html" not in response.content.decode()


def test_notify_me_on_a_product_in_stock_shows_why_and_saves_nothing(buyer_client, location):
    product = StockLevelFactory(location=location, quantity=5).product
    response = buyer_client.post(f"/alerts/subscribe/{product.sku}/", headers={"HX-Request": "true"})
    assert "in stock" in response.content.decode()
    assert "Notify me when available" in response.content.decode()
    assert not BackInStockAlert.objects.exists()


def test_notify_me_on_a_product_the_company_cannot_see_is_not_found(buyer_client, product, company):
    company.visible_brands.add(BrandFactory())
    response = buyer_client.post("/alerts/subscribe/LAMP-01/")
    assert response.status_code == 404
    assert not BackInStockAlert.objects.exists()


def test_notify_me_is_post_only(buyer_client, product):
    assert buyer_client.get("/alerts/subscribe/LAMP-01/").status_code == 405
    assert not BackInStockAlert.objects.exists()


def test_my_stock_alerts_lists_my_alerts_only(buyer_client, member, product, location, company):
    _alert(member, product, location)
    colleague = MembershipFactory(company=company)
    _alert(colleague, StockLevelFactory(location=location, quantity=0, product__name_en="Chair").product, location)
    response = buyer_client.get("/alerts/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Desk lamp" in page
    assert "Chair" not in page


def test_cancelling_my_alert_deletes_it(buyer_client, member, product, location):
    alert = _alert(member, product, location)
    response = buyer_client.post(f"/alerts/{alert.pk}/cancel/")
    assert response.status_code == 302
    assert not BackInStockAlert.objects.exists()


def test_cancelling_a_colleagues_alert_is_not_found(buyer_client, company, product, location):
    alert = _alert(MembershipFactory(company=company), product, location)
    assert buyer_client.post(f"/alerts/{alert.pk}/cancel/").status_code == 404
    assert BackInStockAlert.objects.filter(pk=alert.pk).exists()


def test_cancelling_another_companys_alert_is_not_found(buyer_client, other_admin, product, location):
    alert = _alert(other_admin, product, location)
    assert buyer_client.post(f"/alerts/{alert.pk}/cancel/").status_code == 404
    assert BackInStockAlert.objects.filter(pk=alert.pk).exists()


def test_my_own_alert_in_another_company_is_not_found_from_this_one(buyer_client, member, product, location):
    other = MembershipFactory(user=member.user)
    alert = _alert(other, product, location)
    session = buyer_client.session
    session[SESSION_COMPANY_KEY] = member.company_id
    session.save()
    assert buyer_client.post(f"/alerts/{alert.pk}/cancel/").status_code == 404
    assert BackInStockAlert.objects.filter(pk=alert.pk).exists()
