"""A company that sees the Bosk brand and the promo tag: DR-100 and GL-300 (sold by boxes of 6) are
orderable; SW-200 and HD-400 exist but are not opened to it."""

from __future__ import annotations

import pytest
from django.utils import translation

from comptoir.carts.models import CartLine
from comptoir.catalog.models import Product
from comptoir.core.permissions import Role
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def shop(catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    company.visible_tags.add(catalogue.promo)
    Product.objects.filter(pk=catalogue.glue.pk).update(min_order_quantity=6, order_multiple=6)
    catalogue.glue.refresh_from_db()
    return catalogue


@pytest.fixture
def orderer_membership(shop, company):
    return MembershipFactory(company=company, user__email="orderer@acme.test")


@pytest.fixture
def orderer(orderer_membership):
    return buyer_for(orderer_membership)


@pytest.fixture
def orderer_client(client, orderer_membership):
    client.force_login(orderer_membership.user)
    return client


@pytest.fixture
def quick_lister_membership(shop, company):
    return MembershipFactory(company=company, role=Role.QUICK_LISTS_ONLY, user__email="lists@acme.test")


def cart_of(buyer_or_membership) -> dict[str, int]:
    """{SKU: quantity} of a member's cart."""
    user = buyer_or_membership.user
    return dict(CartLine.objects.filter(cart__user=user, cart__kind="standard").values_list("product__sku", "quantity"))
