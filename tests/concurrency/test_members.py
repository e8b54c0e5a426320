"""Members changing each other's rights at the same moment (A6, SECURITY check 19): real threads,
real PostgreSQL connections. The actor's rights are those they hold when the change commits."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from comptoir.companies.models import Membership
from comptoir.companies.services import member_update
from comptoir.core.permissions import Role
from tests.catalogue_data import buyer_for
from tests.concurrency.threads import run_at_once
from tests.factories import AdminMembershipFactory, CompanyFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def demoting(actor_id: int, target_id: int):
    """What one member edit does: load the actor's buyer context and the member, then change the role."""

    def call() -> Membership:
        actor = Membership.objects.select_related("user", "company").get(pk=actor_id)
        target = Membership.objects.get(pk=target_id)
        return member_update(
            buyer=buyer_for(actor),
            membership=target,
            role=Role.QUICK_LISTS_ONLY,
            granted=[],
            revoked=[],
            orders_need_approval=False,
            customer_numbers=[],
        )

    return call


@pytest.mark.parametrize("round_", range(5))
def test_two_administrators_demoting_each_other_at_once_leave_one_administrator(round_):
    company = CompanyFactory()
    anna = AdminMembershipFactory(company=company)
    bob = AdminMembershipFactory(company=company)
    outcomes = run_at_once([demoting(anna.pk, bob.pk), demoting(bob.pk, anna.pk)])
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1, [getattr(e, "__traceback_text__", e) for e in errors]
    assert isinstance(errors[0], PermissionDenied)
    roles = sorted(Membership.objects.filter(company=company).values_list("role", flat=True))
    assert roles == [Role.ADMINISTRATOR, Role.QUICK_LISTS_ONLY]
