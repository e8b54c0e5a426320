"""F5, C9, C12, C10, G5: orders in the back office; every change goes through a service and is audited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from comptoir.backoffice.admin import queue_counts
from comptoir.core.models import AuditEvent
from comptoir.inventory.models import StockLevel
from comptoir.orders.models import Order, OrderStatus
from comptoir.orders.onboarding import onboarding_details_attach
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def waiting(orderer, company):
    company.validation_required = True
    company.save(update_fields=["validation_required"])
    return place(orderer, key="w", items=[("DR-100", 1)], reference="PO-77")


def change_url(order):
    return reverse("backoffice:orders_order_change", args=[order.pk])


def allocated(catalogue):
    return StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).allocated


def test_list_filters_by_status_and_searches_by_reference(staff_client, waiting, orderer):
    confirmed = place(orderer, key="c", items=[("SW-200", 1)])
    Order.objects.filter(pk=confirmed.pk).update(status=OrderStatus.CONFIRMED)
    url = reverse("backoffice:orders_order_changelist")
    body = staff_client.get(url, {"status__exact": "awaiting_validation"}).content.decode()
    assert waiting.number in body
    assert confirmed.number not in body
    body = staff_client.get(url, {"q": "PO-77"}).content.decode()
    assert waiting.number in body
    assert confirmed.number not in body
    assert staff_client.get(url, {"company__id__exact": waiting.company_id}).status_code == 200


def test_queue_counts_orders_awaiting_validation_and_product_requests(waiting, company, orderer):
    from comptoir.catalog.models import ProductRequest

    ProductRequest.objects.create(company=company, user=orderer.user, query="Blue drill")
    counts = {str(label): (count, url) for label, count, url in queue_counts()}
    assert counts["Orders awaiting validation"][0] == 1
    assert counts["Orders awaiting validation"][1].endswith("?status__exact=awaiting_validation")
    assert counts["Product requests"][0] == 1


def test_back_office_index_shows_the_order_queue(staff_client, waiting):
    body = staff_client.get(reverse("backoffice:index")).content.decode()
    assert "Orders awaiting validation" in body


def test_change_page_is_read_only_and_status_cannot_be_posted(staff_client, waiting):
    page = staff_client.get(change_url(waiting))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="status"' not in body
    assert 'name="_save"' not in body
    assert "Validate (make it a firm order)" in body
    assert "Change shipping cost" in body
    staff_client.post(change_url(waiting), {"status": "shipped", "shipping_cost": "0", "total": "0"})
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION


def test_validate_button_confirms_through_the_service(staff_client, waiting, staff_user):
    url = reverse("backoffice:orders_order_move", args=[waiting.pk, "validate"])
    assert staff_client.post(url).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.CONFIRMED
    assert waiting.validated_by == staff_user
    assert AuditEvent.objects.filter(action="order.validated", actor=staff_user).exists()


def test_buttons_are_post_only(staff_client, waiting):
    staff_client.get(reverse("backoffice:orders_order_move", args=[waiting.pk, "validate"]))
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION


def test_reject_needs_a_reason_and_releases_stock(staff_client, waiting, catalogue, staff_user):
    url = reverse("backoffice:orders_order_reject", args=[waiting.pk])
    staff_client.post(url, {"reason": ""})
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION
    assert allocated(catalogue) == 3
    staff_client.post(url, {"reason": "Discontinued model"})
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.REJECTED
    assert waiting.decided_reason == "Discontinued model"
    assert allocated(catalogue) == 2
    assert AuditEvent.objects.get(action="order.rejected").actor == staff_user


def test_ship_then_complete(staff_client, waiting, catalogue):
    for action, status in [("validate", "confirmed"), ("ship", "shipped"), ("complete", "completed")]:
        staff_client.post(reverse("backoffice:orders_order_move", args=[waiting.pk, action]))
        waiting.refresh_from_db()
        assert waiting.status == status
    assert StockLevel.objects.get(product=catalogue.drill, location=catalogue.brussels).quantity == 11
    assert {"order.shipped", "order.completed"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_an_illegal_move_is_refused_with_a_message(staff_client, waiting):
    response = staff_client.post(reverse("backoffice:orders_order_move", args=[waiting.pk, "complete"]), follow=True)
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION
    assert "cannot become" in response.content.decode()


def test_an_order_waiting_for_its_companys_approval_cannot_be_validated(staff_client, orderer):
    orderer.membership.orders_need_approval = True
    orderer.membership.save()
    pending = place(orderer, key="p")
    staff_client.post(reverse("backoffice:orders_order_move", args=[pending.pk, "validate"]))
    pending.refresh_from_db()
    assert pending.status == OrderStatus.AWAITING_APPROVAL


def test_cancel_releases_stock(staff_client, waiting, catalogue):
    staff_client.post(reverse("backoffice:orders_order_move", args=[waiting.pk, "cancel"]))
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.CANCELLED
    assert allocated(catalogue) == 2


def test_bulk_validate_action(staff_client, waiting, orderer):
    other = place(orderer, key="w2", items=[("SW-200", 1)])
    response = staff_client.post(
        reverse("backoffice:orders_order_changelist"),
        {"action": "validate_selected", "_selected_action": [waiting.pk, other.pk]},
    )
    assert response.status_code == 302
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.CONFIRMED}


def test_shipping_cost_changes_before_confirmation_and_is_audited(staff_client, waiting, staff_user):
    staff_client.post(reverse("backoffice:orders_order_shipping_cost", args=[waiting.pk]), {"amount": "12.50"})
    waiting.refresh_from_db()
    assert waiting.shipping_cost == Decimal("12.50")
    assert waiting.total == waiting.subtotal + Decimal("12.50")
    event = AuditEvent.objects.get(action="order.shipping_changed")
    assert (event.actor, event.data["after"]) == (staff_user, "12.50")


def test_shipping_cost_cannot_change_after_confirmation(staff_client, orderer):
    confirmed = place(orderer, key="c")
    assert confirmed.status == OrderStatus.CONFIRMED
    assert "Change shipping cost" not in staff_client.get(change_url(confirmed)).content.decode()
    response = staff_client.post(
        reverse("backoffice:orders_order_shipping_cost", args=[confirmed.pk]), {"amount": "99"}, follow=True
    )
    confirmed.refresh_from_db()
    assert confirmed.shipping_cost != Decimal("99")
    assert "only change before the order is confirmed" in response.content.decode()


def test_negative_shipping_cost_is_refused(staff_client, waiting):
    before = waiting.shipping_cost
    staff_client.post(reverse("backoffice:orders_order_shipping_cost", args=[waiting.pk]), {"amount": "-1"})
    waiting.refresh_from_db()
    assert waiting.shipping_cost == before


def test_staff_correct_onboarding_details_from_the_order_page(staff_client, orderer, staff_user):
    from comptoir.carts.models import Cart
    from comptoir.carts.services import cart_add
    from comptoir.orders.services import order_place
    from tests.orders.conftest import ADDRESS

    details = {"name": "Astrid", "start_date": "2025-09-01", "role": "Technician"}
    onboarding_details_attach(buyer=orderer, details=details)
    cart_add(buyer=orderer, sku="DR-100", quantity=1, kind=Cart.Kind.ONBOARDING)
    order = order_place(
        buyer=orderer,
        checkout_key="o",
        delivery=ADDRESS,
        billing_number=None,
        cart_kind=Cart.Kind.ONBOARDING,
        source=Order.Source.ONBOARDING,
    )
    url = reverse("backoffice:orders_order_onboarding", args=[order.pk])
    assert url in staff_client.get(change_url(order)).content.decode()
    form = staff_client.get(url)
    assert form.context["form"].initial["name"] == "Astrid"
    staff_client.post(url, {"name": "Astrid Berg", "start_date": "2025-09-15", "role": "Technician"})
    order.refresh_from_db()
    assert order.onboarding == {"name": "Astrid Berg", "start_date": "2025-09-15", "role": "Technician"}
    assert AuditEvent.objects.get(action="order.onboarding_corrected").actor == staff_user


def test_buyers_do_not_reach_the_order_back_office(client, orderer, waiting):
    client.force_login(orderer.user)
    response = client.post(reverse("backoffice:orders_order_move", args=[waiting.pk, "validate"]))
    assert response.status_code == 302
    assert "/backoffice/login/" in response["Location"]
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION


def test_staff_without_the_order_right_cannot_press_the_buttons(client, waiting):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    clerk = UserFactory(email="clerk@seller.test", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)
    assert client.get(change_url(waiting)).status_code == 200
    assert client.post(reverse("backoffice:orders_order_move", args=[waiting.pk, "validate"])).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.AWAITING_VALIDATION
