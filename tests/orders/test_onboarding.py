"""C10 (seed 003): an onboarding order. The new employee's details come first, travel with the
order, and cannot be changed by the buyer afterwards; the seller corrects them (audited)."""

import pytest
from django.core.exceptions import PermissionDenied

from comptoir.carts.models import Cart, CartLine
from comptoir.carts.services import cart_add
from comptoir.core.models import AuditEvent
from comptoir.orders.models import Order, OrderStatus, onboarding_items
from comptoir.orders.onboarding import OnboardingError, onboarding_details_attach
from comptoir.orders.services import OrderError, order_correct_onboarding, order_place
from tests.orders.conftest import ADDRESS, client_for

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Astrid Lindqvist",
    "start_date": "2025-09-01",
    "role": "Field technician",
    "location": "Malmö depot",
    "notes": "Left-handed; needs a size L jacket.",
}
ONE_TIME = {
    "delivery": "one-time",
    "name": "Acme",
    "street": "1 Dock Road",
    "postcode": "1000",
    "city": "Brussels",
    "country": "BE",
}


def onboarding_cart(buyer) -> Cart:
    return Cart.objects.get(user=buyer.user, company_id=buyer.company_id, kind=Cart.Kind.ONBOARDING)


def test_details_must_be_attached_before_the_equipment(client, orderer):
    client_for(client, orderer)
    assert client.get("/orders/onboarding/items/")["Location"] == "/orders/onboarding/"
    assert client.get("/orders/onboarding/checkout/")["Location"] == "/orders/onboarding/"


def test_step_one_checks_the_form(client, orderer):
    response = client_for(client, orderer).post("/orders/onboarding/", {"name": "", "start_date": "someday"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "start_date"}
    assert not Cart.objects.filter(kind=Cart.Kind.ONBOARDING, onboarding__name__isnull=False).exists()


def test_the_whole_flow_places_an_onboarding_order_carrying_the_details(client, orderer, catalogue):
    client_for(client, orderer)
    response = client.post("/orders/onboarding/", DETAILS)
    assert response["Location"] == "/orders/onboarding/items/"
    assert onboarding_cart(orderer).onboarding == DETAILS

    assert client.post("/orders/onboarding/items/", {"add": "1", "sku": "DR-100", "quantity": "1"}).status_code == 302
    response = client.post("/orders/onboarding/items/", {"add_lines": "1", "lines": "SW-200 2\nNOPE 1"})
    assert "NOPE" in response.content.decode()  # unknown SKU flagged, nothing added from that paste
    client.post("/orders/onboarding/items/", {"add_lines": "1", "lines": "SW-200 2"})
    assert CartLine.objects.filter(cart__kind=Cart.Kind.ONBOARDING).count() == 2

    page = client.get("/orders/onboarding/checkout/")
    assert "Astrid Lindqvist" in page.content.decode()
    key = page.context["form"]["checkout_key"].value()
    response = client.post("/orders/onboarding/checkout/", {"checkout_key": key, **ONE_TIME})
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    assert order.source == Order.Source.ONBOARDING
    assert order.onboarding == DETAILS
    assert sorted(order.lines.values_list("sku", "quantity")) == [("DR-100", 1), ("SW-200", 2)]
    cart = onboarding_cart(orderer)
    assert cart.onboarding == {}
    assert not cart.lines.exists()


def test_standard_cart_is_left_alone_by_an_onboarding_order(orderer, catalogue):
    cart_add(buyer=orderer, sku="SW-200", quantity=1)
    onboarding_details_attach(buyer=orderer, details=DETAILS)
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    order = order_place(
        buyer=orderer,
        checkout_key="onb",
        delivery=ADDRESS,
        billing_number=None,
        cart_kind=Cart.Kind.ONBOARDING,
        source=Order.Source.ONBOARDING,
    )
    assert list(order.lines.values_list("sku", flat=True)) == ["DR-100"]
    assert CartLine.objects.get(cart__kind=Cart.Kind.STANDARD).product.sku == "SW-200"


def test_onboarding_cart_cannot_be_ordered_without_details(orderer, catalogue):
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    with pytest.raises(OrderError):
        order_place(
            buyer=orderer, checkout_key="x", delivery=ADDRESS, billing_number=None, cart_kind=Cart.Kind.ONBOARDING
        )


def test_attached_details_cannot_be_changed_by_the_buyer(client, orderer):
    onboarding_details_attach(buyer=orderer, details=DETAILS)
    with pytest.raises(OnboardingError):
        onboarding_details_attach(buyer=orderer, details={**DETAILS, "name": "Someone else"})
    response = client_for(client, orderer).post("/orders/onboarding/", {**DETAILS, "name": "Someone else"})
    assert response["Location"] == "/orders/onboarding/items/"
    assert onboarding_cart(orderer).onboarding == DETAILS


def test_buyer_can_drop_the_draft_and_start_again(client, orderer, catalogue):
    onboarding_details_attach(buyer=orderer, details=DETAILS)
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    client_for(client, orderer).post("/orders/onboarding/discard/")
    cart = onboarding_cart(orderer)
    assert cart.onboarding == {}
    assert not cart.lines.exists()


def onboarding_lines(buyer) -> dict[str, int]:
    return dict(
        CartLine.objects.filter(cart__user=buyer.user, cart__kind=Cart.Kind.ONBOARDING).values_list(
            "product__sku", "quantity"
        )
    )


@pytest.fixture
def equipping(client, orderer, catalogue):
    onboarding_details_attach(buyer=orderer, details=DETAILS)
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    return client_for(client, orderer)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("²", "“²” is not a number"),  # str.isdigit() says yes, int() fails
        ("٣", "“٣” is not a number"),  # int() reads 3
        ("9" * 5000, "is not a number"),  # past Python's int-from-string digit limit
        ("1,5", "“1,5” is not a whole number"),  # was read as 1
    ],
)
def test_several_lines_with_a_bad_quantity_say_which_line_and_why(equipping, orderer, typed, reason):
    response = equipping.post("/orders/onboarding/items/", {"add_lines": "1", "lines": f"SW-200 2\nDR-100 {typed}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2 (DR-100): " in page
    assert reason in page
    assert onboarding_lines(orderer) == {"DR-100": 1}


@pytest.mark.parametrize("typed", ["٣", "\uff13", "9" * 5000, "1_0"])
def test_one_product_in_other_digits_is_refused(equipping, orderer, typed):
    response = equipping.post("/orders/onboarding/items/", {"add": "1", "sku": "SW-200", "quantity": typed})
    assert response.status_code == 200
    assert "use the digits 0 to 9 only" in response.content.decode()
    assert onboarding_lines(orderer) == {"DR-100": 1}


@pytest.mark.parametrize("line_id", ["²", "٣", "99999999999999999999", "9" * 5000])
def test_removing_a_line_that_is_no_id_is_not_found(equipping, orderer, line_id):
    response = equipping.post("/orders/onboarding/items/", {"remove": line_id})
    assert response.status_code == 404
    assert onboarding_lines(orderer) == {"DR-100": 1}


@pytest.fixture
def onboarding_order(orderer, catalogue):
    onboarding_details_attach(buyer=orderer, details=DETAILS)
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    return order_place(
        buyer=orderer,
        checkout_key="onb",
        delivery=ADDRESS,
        billing_number=None,
        cart_kind=Cart.Kind.ONBOARDING,
        source=Order.Source.ONBOARDING,
    )


@pytest.mark.parametrize(
    "path",
    ["/orders/onboarding/", "/orders/{number}/", "/orders/{number}/cancel/", "/orders/onboarding/checkout/"],
)
def test_no_post_changes_the_details_of_a_placed_order(client, orderer, onboarding_order, path):
    client_for(client, orderer)
    client.post(path.format(number=onboarding_order.number), {**DETAILS, "name": "Someone else", "onboarding": "x"})
    onboarding_order.refresh_from_db()
    assert onboarding_order.onboarding == DETAILS


def test_order_page_shows_the_details_with_labels(client, orderer, onboarding_order):
    body = client_for(client, orderer).get(f"/orders/{onboarding_order.number}/").content.decode()
    for label, value in [("Full name", "Astrid Lindqvist"), ("Job title or role", "Field technician")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in body
    assert "<dt>Start date</dt>" in body


def test_labels_follow_the_language_and_keep_a_fixed_order():
    from django.utils import translation

    with translation.override("en"):
        labels = [label for label, _value in onboarding_items({"notes": "n", **DETAILS})]
    assert labels == ["Full name", "Start date", "Job title or role", "Location", "Notes"]
    with translation.override("fr"):
        assert "Fonction ou poste" in [label for label, _value in onboarding_items(DETAILS)]


def test_staff_correct_the_details_and_it_is_audited(onboarding_order, staff_user):
    order = order_correct_onboarding(
        actor=staff_user, order=onboarding_order, details={"name": "Astrid Lindqvist-Berg"}
    )
    assert order.onboarding == {**DETAILS, "name": "Astrid Lindqvist-Berg"}
    assert order.version == onboarding_order.version + 1
    event = AuditEvent.objects.get(action="order.onboarding_corrected")
    assert event.actor == staff_user
    assert event.data["before"]["name"] == "Astrid Lindqvist"


def test_a_buyer_cannot_use_the_correction_service(onboarding_order, orderer):
    with pytest.raises(PermissionDenied):
        order_correct_onboarding(actor=orderer.user, order=onboarding_order, details={"name": "X"})


def test_onboarding_order_follows_the_usual_statuses(onboarding_order):
    assert onboarding_order.status == OrderStatus.CONFIRMED
