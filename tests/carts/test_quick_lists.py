"""C5 quick lists: own and shared lists, made from scratch or from the cart, edited as text or per line,
filled from the product page, ordered in one click; the *quick lists only* role orders from them only."""

from __future__ import annotations

import pytest

from comptoir.carts.models import QuickList, QuickListLine
from comptoir.carts.services import cart_add, quick_list_create, quick_list_set_items
from comptoir.core.permissions import Role
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.factories import AdminMembershipFactory, CompanyFactory, MembershipFactory


def lines_of(quick_list) -> dict[str, int]:
    return dict(QuickListLine.objects.filter(quick_list=quick_list).values_list("product__sku", "quantity"))


@pytest.fixture
def weekly(orderer):
    quick_list = quick_list_create(buyer=orderer, name="Weekly", shared=True)
    quick_list_set_items(buyer=orderer, quick_list=quick_list, items=[(None, "DR-100", 2), (None, "GL-300", 6)])
    return quick_list


@pytest.fixture
def quick_lister_client(client, quick_lister_membership):
    client.force_login(quick_lister_membership.user)
    return client


def test_create_a_list_and_open_it(orderer_client):
    response = orderer_client.post("/cart/lists/new/", {"name": "  Site van ", "shared": "1"})
    quick_list = QuickList.objects.get()
    assert response["Location"] == f"/cart/lists/{quick_list.pk}/"
    assert (quick_list.name, quick_list.shared) == ("Site van", True)
    assert "Site van" in orderer_client.get("/cart/lists/").content.decode()


def test_list_needs_a_name(orderer_client):
    orderer_client.post("/cart/lists/new/", {"name": "  "})
    assert not QuickList.objects.exists()


def test_save_the_cart_as_a_list(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=3)
    cart_add(buyer=orderer, sku="GL-300", quantity=12)
    response = orderer_client.post("/cart/lists/from-cart/", {"name": "From the cart"})
    assert response.status_code == 302
    assert lines_of(QuickList.objects.get(name="From the cart")) == {"DR-100": 3, "GL-300": 12}
    assert cart_of(orderer) == {"DR-100": 3, "GL-300": 12}  # the cart stays


def test_empty_cart_is_not_saved_as_a_list(orderer_client):
    orderer_client.post("/cart/lists/from-cart/", {"name": "Nothing"})
    assert not QuickList.objects.exists()


def test_edit_lines_as_text(orderer_client, weekly):
    response = orderer_client.post(f"/cart/lists/{weekly.pk}/lines/", {"lines": "GL-300;18\ndr-100 1"})
    assert response.status_code == 302
    assert lines_of(weekly) == {"GL-300": 18, "DR-100": 1}


def test_bad_text_lines_are_listed_and_the_list_stays(orderer_client, weekly):
    response = orderer_client.post(f"/cart/lists/{weekly.pk}/lines/", {"lines": "GL-300 18\nNOPE 1\nDR-100 1,5"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<td>2</td><td class="sku">NOPE</td>' in page
    assert '<td>3</td><td class="sku">DR-100</td>' in page
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}


def test_edit_quantities_per_line_and_zero_removes(orderer_client, weekly):
    drill, glue = QuickListLine.objects.filter(quick_list=weekly).order_by("product__sku")
    response = orderer_client.post(
        f"/cart/lists/{weekly.pk}/quantities/", {f"quantity-{drill.pk}": "0", f"quantity-{glue.pk}": "24"}
    )
    assert response.status_code == 302
    assert lines_of(weekly) == {"GL-300": 24}


def test_refused_quantity_changes_nothing(orderer_client, weekly):
    drill, glue = QuickListLine.objects.filter(quick_list=weekly).order_by("product__sku")
    response = orderer_client.post(
        f"/cart/lists/{weekly.pk}/quantities/", {f"quantity-{drill.pk}": "5", f"quantity-{glue.pk}": "7"}
    )
    assert response.status_code == 400
    assert "order in multiples of 6" in response.content.decode()
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}


def test_rename_and_unshare(orderer_client, weekly):
    orderer_client.post(f"/cart/lists/{weekly.pk}/rename/", {"name": "Monthly"})
    weekly.refresh_from_db()
    assert (weekly.name, weekly.shared) == ("Monthly", False)


def test_add_a_product_from_its_page(orderer_client, weekly):
    page = orderer_client.get("/catalogue/p/DR-100/").content.decode()
    assert 'action="/cart/lists/add/"' in page
    assert f'<option value="{weekly.pk}">Weekly</option>' in page
    response = orderer_client.post(
        "/cart/lists/add/", {"quick_list": weekly.pk, "sku": "DR-100", "quantity": "3", "next": "/catalogue/p/DR-100/"}
    )
    assert response["Location"] == "/catalogue/p/DR-100/"
    assert lines_of(weekly) == {"DR-100": 5, "GL-300": 6}
    htmx = orderer_client.post(
        "/cart/lists/add/", {"quick_list": weekly.pk, "sku": "GL-300", "quantity": "6"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200
    assert "Added to “Weekly”" in htmx.content.decode()
    assert lines_of(weekly) == {"DR-100": 5, "GL-300": 12}


def test_order_this_list_adds_to_the_cart_and_goes_to_checkout(orderer, orderer_client, weekly):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    response = orderer_client.post(f"/cart/lists/{weekly.pk}/order/")
    assert response["Location"] == "/orders/checkout/"
    assert cart_of(orderer) == {"DR-100": 3, "GL-300": 6}


def test_list_with_a_product_no_longer_sold_is_not_ordered(orderer, orderer_client, weekly, shop):
    shop.drill.is_active = False
    shop.drill.save(update_fields=["is_active"])
    response = orderer_client.post(f"/cart/lists/{weekly.pk}/order/")
    assert response.status_code == 400
    assert "DR-100" in response.content.decode()
    assert cart_of(orderer) == {}


def test_delete_own_list(orderer_client, weekly):
    assert orderer_client.post(f"/cart/lists/{weekly.pk}/delete/").status_code == 302
    assert not QuickList.objects.exists()


# --- Sharing inside the company -------------------------------------------------------------------


def test_colleague_sees_and_orders_a_shared_list_but_cannot_change_it(weekly, shop, company, client):
    colleague = MembershipFactory(company=company, user__email="colleague@acme.test")
    client.force_login(colleague.user)
    assert "Weekly" in client.get("/cart/lists/").content.decode()
    page = client.get(f"/cart/lists/{weekly.pk}/").content.decode()
    assert "Order this list" in page
    assert "Save the products" not in page
    for action in ("lines", "quantities", "rename", "delete"):
        assert client.post(f"/cart/lists/{weekly.pk}/{action}/", {"lines": "DR-100 9", "name": "x"}).status_code == 404
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}
    client.post(f"/cart/lists/{weekly.pk}/order/")
    assert cart_of(colleague) == {"DR-100": 2, "GL-300": 6}


def test_private_list_is_not_seen_by_colleagues(orderer, shop, company, client):
    private = quick_list_create(buyer=orderer, name="Private")
    colleague = MembershipFactory(company=company)
    client.force_login(colleague.user)
    assert "Private" not in client.get("/cart/lists/").content.decode()
    assert client.get(f"/cart/lists/{private.pk}/").status_code == 404
    assert client.post(f"/cart/lists/{private.pk}/order/").status_code == 404


def test_another_company_sees_no_list(weekly, client):
    outsider = AdminMembershipFactory(company=CompanyFactory(name="Other"))
    client.force_login(outsider.user)
    assert "Weekly" not in client.get("/cart/lists/").content.decode()
    assert client.get(f"/cart/lists/{weekly.pk}/").status_code == 404
    assert client.post(f"/cart/lists/{weekly.pk}/order/").status_code == 404


# --- Quick lists only -----------------------------------------------------------------------------


def test_quick_lists_only_member_orders_a_shared_list(quick_lister_client, quick_lister_membership, weekly):
    page = quick_lister_client.get(f"/cart/lists/{weekly.pk}/").content.decode()
    assert "Order this list" in page
    assert "Save the products" not in page
    assert quick_lister_client.post(f"/cart/lists/{weekly.pk}/order/")["Location"] == "/orders/checkout/"
    assert cart_of(quick_lister_membership) == {"DR-100": 2, "GL-300": 6}


def test_quick_lists_only_member_cannot_make_or_fill_lists(quick_lister_client, weekly):
    page = quick_lister_client.get("/cart/lists/").content.decode()
    assert "/cart/lists/new/" not in page
    assert quick_lister_client.post("/cart/lists/new/", {"name": "Mine"}).status_code == 403
    data = {"quick_list": weekly.pk, "sku": "DR-100", "quantity": "1"}
    assert quick_lister_client.post("/cart/lists/add/", data).status_code == 403
    assert "/cart/lists/add/" not in quick_lister_client.get("/catalogue/p/DR-100/").content.decode()
    assert QuickList.objects.count() == 1
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}


def test_member_without_list_rights_gets_403(shop, company, client):
    viewer = MembershipFactory(company=company, role=Role.SEE_PRICES)
    client.force_login(viewer.user)
    assert client.get("/cart/lists/").status_code == 403


def test_quick_lists_only_member_may_change_quantities_of_what_a_list_put_in_the_cart(
    quick_lister_client, quick_lister_membership, weekly
):
    from comptoir.carts.models import CartLine

    quick_lister_client.post(f"/cart/lists/{weekly.pk}/order/")
    line = CartLine.objects.get(cart__user=quick_lister_membership.user, product__sku="DR-100")
    quick_lister_client.post(f"/cart/lines/{line.pk}/", {"quantity": "4"})
    assert cart_of(buyer_for(quick_lister_membership)) == {"DR-100": 4, "GL-300": 6}


@pytest.mark.parametrize("line_id", ["²", "٣", "99999999999999999999", "9" * 60, "-1", ""])
def test_quantity_fields_named_with_no_line_id_are_left_out(orderer_client, weekly, line_id):
    glue = QuickListLine.objects.get(quick_list=weekly, product__sku="GL-300")
    response = orderer_client.post(
        f"/cart/lists/{weekly.pk}/quantities/", {f"quantity-{line_id}": "0", f"quantity-{glue.pk}": "12"}
    )
    assert response.status_code == 302
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 12}


@pytest.mark.parametrize("list_id", ["²", "٣", "99999999999999999999", "9" * 5000, "1.0"])
def test_adding_to_a_list_whose_id_is_not_a_number_is_not_found(orderer_client, weekly, list_id):
    response = orderer_client.post("/cart/lists/add/", {"quick_list": list_id, "sku": "DR-100", "quantity": "1"})
    assert response.status_code == 404
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}


@pytest.mark.parametrize("quantity", ["٣", "\uff13", "9" * 5000, "1_0"])
def test_adding_to_a_list_in_other_digits_is_refused_and_says_why(orderer_client, weekly, quantity):
    response = orderer_client.post(
        "/cart/lists/add/", {"quick_list": weekly.pk, "sku": "DR-100", "quantity": quantity}, HTTP_HX_REQUEST="true"
    )
    assert "use the digits 0 to 9 only" in response.content.decode()
    assert lines_of(weekly) == {"DR-100": 2, "GL-300": 6}
