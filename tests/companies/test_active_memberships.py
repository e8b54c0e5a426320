"""One rule for "an active membership in an active company": the queryset method and the SQL read on
every request (core/buyer.py) give the same rows, over every combination that could matter."""

from __future__ import annotations

import itertools

import pytest

from comptoir.companies.models import Company, Membership
from comptoir.core.buyer import active_memberships, buyer_for_company
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix():
    """Two people (account active or not), each a member of one company per status, with the
    membership in use or not; and a bystander in the same companies."""
    users = {active: UserFactory(is_active=active) for active in (True, False)}
    bystander = UserFactory()
    for number, (user_active, membership_active, status) in enumerate(
        itertools.product((True, False), (True, False), Company.Status.values)
    ):
        company = CompanyFactory(name=f"{9 - number % 10} {status}", status=status)
        MembershipFactory(user=users[user_active], company=company, is_active=membership_active)
        MembershipFactory(user=bystander, company=company, is_active=not membership_active)
    return [*users.values(), bystander]


def _rows(memberships):
    return [(m.pk, m.company.pk, m.company.name) for m in memberships]


def test_the_sql_reads_exactly_what_the_queryset_method_reads(matrix):
    for user in matrix:
        expected = Membership.objects.active().filter(user=user).select_related("company")
        assert _rows(active_memberships(user)) == _rows(expected.order_by("company__name", "company_id"))


def test_only_a_membership_in_use_of_an_active_account_in_an_active_company_is_active(matrix):
    active_user, inactive_user, _bystander = matrix
    assert [(m.is_active, m.company.status) for m in active_memberships(active_user)] == [(True, Company.Status.ACTIVE)]
    assert active_memberships(inactive_user) == []
    assert not Membership.objects.active().filter(user=inactive_user).exists()


def test_an_inactive_account_acts_for_no_company_in_background_work():
    membership = MembershipFactory()
    assert buyer_for_company(membership.user, membership.company_id) is not None
    membership.user.is_active = False
    membership.user.save(update_fields=["is_active"])
    assert buyer_for_company(membership.user, membership.company_id) is None
