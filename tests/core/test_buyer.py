"""The buyer context (core/buyer.py): built in one place, what it reads read once."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.selectors import selection_for, visible_products
from comptoir.core.buyer import Buyer, active_memberships, buyer_for_company, resolve_buyer
from tests.factories import MembershipFactory


def test_the_request_and_background_work_build_the_same_buyer(company):
    membership = MembershipFactory(company=company)
    memberships = active_memberships(membership.user)
    from_request = resolve_buyer(membership.user, memberships, company.pk)
    for_background = buyer_for_company(membership.user, company.pk)
    assert from_request == for_background == Buyer.of(membership.user, memberships[0])


def test_the_customers_selection_is_read_once_per_buyer(catalogue, company):
    company.visible_brands.add(catalogue.acme_brand)
    membership = MembershipFactory(company=company)
    buyer = Buyer.of(membership.user, membership)
    buyer.store_settings  # noqa: B018  # read before counting: only the selection's queries are counted
    with CaptureQueriesContext(connection) as queries:
        first = selection_for(buyer)
        again = selection_for(buyer)
        list(visible_products(buyer))
    assert first is again is buyer.selection
    assert first.brands == frozenset({catalogue.acme_brand.pk})
    assert sum("UNION ALL" in q["sql"] for q in queries.captured_queries) == 1


def test_a_buyers_rights_cannot_be_changed_in_place(company):
    """One buyer is shared by everything that serves a request: nothing may widen its rights on the way."""
    buyer = buyer_for_company(MembershipFactory(company=company, role="order_without_prices").user, company.pk)
    with pytest.raises(dataclasses.FrozenInstanceError):
        buyer.permissions = buyer.permissions | {"see_prices"}  # type: ignore[misc]
    assert not buyer.sees_prices
    assert dataclasses.replace(buyer, permissions=buyer.permissions | {"see_prices"}).sees_prices
