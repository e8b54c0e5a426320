"""B6: the images of an order's or a cart's products, asked for from the order page and the cart page."""

import re

import pytest

from comptoir.carts.services import cart_add
from comptoir.catalog.models import ImageArchive
from tests.factories import ProductImageFactory
from tests.orders.conftest import client_for, place

pytestmark = pytest.mark.django_db
SKU_INPUT = re.compile(r'<input type="hidden" name="sku" value="([^"]+)">')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_form(body: str) -> tuple[str, list[str]]:
    form = body[body.index('action="/images/request/"') :]
    form = form[: form.index("</form>")]
    return form, SKU_INPUT.findall(form)


def test_order_page_posts_the_orders_skus_to_the_image_request(client, orderer, catalogue):
    ProductImageFactory(product=catalogue.drill)
    order = place(orderer, items=[("DR-100", 1), ("SW-200", 1)])
    client_for(client, orderer)
    form, skus = image_form(client.get(f"/orders/{order.number}/").content.decode())
    assert skus == ["DR-100", "SW-200"]
    assert f'name="next" value="/orders/{order.number}/"' in form

    response = client.post("/images/request/", {"sku": skus, "next": f"/orders/{order.number}/"})
    assert response["Location"] == f"/orders/{order.number}/"
    archive = ImageArchive.objects.get()
    assert archive.product_ids == [catalogue.drill.pk, catalogue.saw.pk]
    assert archive.user == orderer.user


def test_cart_page_posts_the_carts_skus_to_the_image_request(client, orderer, catalogue):
    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    _form, skus = image_form(client_for(client, orderer).get("/cart/").content.decode())
    assert sorted(skus) == ["DR-100", "SW-200"]


def test_empty_cart_offers_no_image_request(client, orderer):
    assert 'action="/images/request/"' not in client_for(client, orderer).get("/cart/").content.decode()
