"""Reads written in SQL once (core/rawsql.py) give what the ORM gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from comptoir.companies.models import Company, Membership
from comptoir.core import rawsql
from comptoir.core.buyer import active_memberships
from comptoir.core.permissions import Role
from comptoir.inventory.selectors import availability_for
from comptoir.pricing.models import Price
from comptoir.pricing.selectors import prices_for_ordering
from tests.catalogue_data import buyer_for
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _as_orm(user):
    return list(
        Membership.objects.active().filter(user=user).select_related("company").order_by("company__name", "company_id")
    )


def test_memberships_equal_the_orm_field_for_field():
    user = UserFactory()
    zeta = CompanyFactory(name="Zeta Tools", private_message="Closed on Friday.", language="sv")
    alpha = CompanyFactory(name="Alpha Supplies")
    MembershipFactory(user=user, company=zeta, role=Role.ADMINISTRATOR, granted_permissions=["approve_orders"])
    MembershipFactory(user=user, company=alpha, role=Role.SEE_PRICES, orders_need_approval=True)
    MembershipFactory(user=user, company=CompanyFactory(name="Beta", status=Company.Status.SUSPENDED))
    MembershipFactory(user=user, company=CompanyFactory(name="Gamma"), is_active=False)
    MembershipFactory(company=alpha)  # somebody else's

    got, expected = active_memberships(user), _as_orm(user)

    assert [m.company.name for m in got] == ["Alpha Supplies", "Zeta Tools"]
    for mine, theirs in zip(got, expected, strict=True):
        assert model_to_dict(mine) == model_to_dict(theirs)
        assert model_to_dict(mine.company) == model_to_dict(theirs.company)
        for field in rawsql.concrete_fields(Membership):
            assert type(getattr(mine, field.attname)) is type(getattr(theirs, field.attname)), field.name
        for field in rawsql.concrete_fields(Company):
            assert type(getattr(mine.company, field.attname)) is type(getattr(theirs.company, field.attname)), (
                field.name
            )
        assert mine.permissions == theirs.permissions
        assert mine._state.adding is False
    assert got[1].granted_permissions == ["approve_orders"]
    assert got[0].orders_need_approval is True


def test_memberships_take_one_query_with_their_company(django_assert_num_queries):
    user = UserFactory()
    MembershipFactory(user=user)
    MembershipFactory(user=user)
    with django_assert_num_queries(1):
        memberships = active_memberships(user)
        names = [m.company.name for m in memberships]
    assert len(names) == 2


def test_prices_keep_every_decimal_place(catalogue, company):
    Price.objects.filter(product=catalogue.drill).delete()
    Price.objects.create(price_level=catalogue.trade, product=catalogue.drill, amount=Decimal("1234.5678"))
    Price.objects.create(price_level=catalogue.trade, product=catalogue.drill, min_quantity=5, amount=Decimal("0.0001"))
    company.price_level = catalogue.trade
    company.save()
    price = prices_for_ordering(buyer_for(MembershipFactory(company=company)), [catalogue.drill])[catalogue.drill.pk]
    assert price.tiers == ((1, Decimal("1234.5678")), (5, Decimal("0.0001")))
    assert all(type(amount) is Decimal for _, amount in price.tiers)


def test_stock_reads_only_the_buyers_location(catalogue, company):
    buyer = buyer_for(MembershipFactory(company=company))
    assert buyer.store_settings.show_stock
    assert buyer.stock_location == catalogue.brussels
    figures = availability_for(buyer, [catalogue.drill.pk, catalogue.saw.pk, catalogue.glue.pk])
    assert figures[catalogue.drill.pk].available == 10  # 12 in stock, 2 allocated
    assert figures[catalogue.saw.pk].available == 3
    assert figures[catalogue.glue.pk].available == 0  # 500 in Lyon, none in Brussels
    assert availability_for(buyer, []) == {}
