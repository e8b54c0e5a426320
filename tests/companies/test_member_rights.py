"""A6, SECURITY check 21: nobody gives a right they do not hold, by role or by adjustment; nobody
changes a member who holds rights they lack; nobody changes their own membership. Rights are
compared as sets (core.permissions.check_rights_change), in member edits, deactivation,
invitations and join approvals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from comptoir.accounts.models import User
from comptoir.companies import services
from comptoir.companies.models import Invitation, JoinRequest, Membership, hash_token
from comptoir.core.buyer import Buyer
from comptoir.core.permissions import Permission, Role, member_rights
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

P = Permission
REFUSED = "You cannot give rights you do not hold"
OWN = "You cannot change your own role, rights, approval requirement or customer numbers"
ABOVE = "This member holds rights you do not hold"


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def form(role: str, granted=(), revoked=(), approval: bool = False) -> dict:
    data = {"role": role, "granted": list(granted), "revoked": list(revoked)}
    if approval:
        data["orders_need_approval"] = "on"
    return data


def state(membership: Membership) -> tuple:
    membership.refresh_from_db()
    return (
        membership.role,
        sorted(membership.granted_permissions),
        sorted(membership.revoked_permissions),
        membership.orders_need_approval,
        membership.is_active,
    )


@pytest.fixture
def carl(company):
    """Orders without prices, and was given "manage users"."""
    return MembershipFactory(
        company=company,
        user__email="carl@acme.test",
        role=Role.ORDER_WITHOUT_PRICES,
        granted_permissions=[P.MANAGE_USERS],
    )


@pytest.fixture
def colleague(company):
    return MembershipFactory(company=company, user__email="colleague@acme.test", role=Role.ORDER_WITHOUT_PRICES)


@pytest.fixture
def limited_admin(company):
    """An administrator from whom "see prices" and "approve orders" were removed."""
    return MembershipFactory(
        company=company,
        user__email="limited@acme.test",
        role=Role.ADMINISTRATOR,
        revoked_permissions=[P.SEE_PRICES, P.APPROVE_ORDERS],
    )


# --- "Order without prices" holding "manage users" ---------------------------------------------


def test_no_price_manager_cannot_give_another_member_the_see_prices_role(carl, colleague):
    before = state(colleague)
    response = client_for(carl).post(f"/company/members/{colleague.pk}/", form(Role.SEE_PRICES))
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert state(colleague) == before


def test_no_price_manager_cannot_give_another_member_see_prices_as_an_extra_permission(carl, colleague):
    before = state(colleague)
    response = client_for(carl).post(
        f"/company/members/{colleague.pk}/", form(Role.ORDER_WITHOUT_PRICES, granted=[P.SEE_PRICES])
    )
    assert response.status_code == 403
    assert f"{REFUSED}: See prices." in response.content.decode()
    assert state(colleague) == before


@pytest.mark.parametrize(
    "data",
    [
        form(Role.SEE_PRICES),
        form(Role.ORDER_WITHOUT_PRICES, granted=[P.MANAGE_USERS, P.SEE_PRICES]),
    ],
    ids=["by-role", "by-adjustment"],
)
def test_no_price_manager_cannot_give_themselves_see_prices(carl, data):
    before = state(carl)
    response = client_for(carl).post(f"/company/members/{carl.pk}/", data)
    assert response.status_code == 403
    assert OWN in response.content.decode()
    assert state(carl) == before
    assert client_for(carl).get("/").context["buyer"].sees_prices is False


def test_no_price_manager_cannot_invite_with_a_role_that_sees_prices(carl):
    response = client_for(carl).post(
        "/company/members/invite/", {"email": "new@acme.test", "role": Role.SEE_PRICES_AND_ORDER}
    )
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert not Invitation.objects.exists()


def test_no_price_manager_cannot_approve_a_join_request_with_a_role_that_sees_prices(carl, company):
    pending = JoinRequest.objects.create(company=company, user=UserFactory(email="newcomer@acme.test"))
    response = client_for(carl).post(
        f"/company/join-requests/{pending.pk}/decide/", {"decision": "approve", "role": Role.SEE_PRICES}
    )
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(user=pending.user).exists()


def test_no_price_manager_cannot_deactivate_a_member_who_sees_prices(carl, company):
    pricey = MembershipFactory(company=company, role=Role.SEE_PRICES)
    response = client_for(carl).post(f"/company/members/{pricey.pk}/active/", {"active": "0"})
    assert response.status_code == 403
    assert ABOVE in response.content.decode()
    assert state(pricey)[-1] is True


def test_no_price_manager_cannot_take_rights_from_a_member_who_sees_prices(carl, company):
    pricey = MembershipFactory(company=company, role=Role.SEE_PRICES_AND_ORDER)
    before = state(pricey)
    response = client_for(carl).post(f"/company/members/{pricey.pk}/", form(Role.QUICK_LISTS_ONLY))
    assert response.status_code == 403
    assert state(pricey) == before


def test_no_price_manager_still_manages_members_within_their_rights(carl, colleague):
    response = client_for(carl).post(
        f"/company/members/{colleague.pk}/",
        form(Role.QUICK_LISTS_ONLY, granted=[P.PLACE_ORDERS], approval=True),
    )
    assert response.status_code == 302
    assert state(colleague) == (Role.QUICK_LISTS_ONLY, [P.PLACE_ORDERS], [], True, True)


# --- An administrator from whom rights were removed --------------------------------------------


def test_limited_administrator_cannot_make_someone_a_full_administrator(limited_admin, colleague):
    before = state(colleague)
    response = client_for(limited_admin).post(f"/company/members/{colleague.pk}/", form(Role.ADMINISTRATOR))
    assert response.status_code == 403
    assert f"{REFUSED}: See prices, Approve orders." in response.content.decode()
    assert state(colleague) == before


def test_limited_administrator_may_give_the_administrator_role_without_the_rights_they_lack(limited_admin, colleague):
    response = client_for(limited_admin).post(
        f"/company/members/{colleague.pk}/",
        form(Role.ADMINISTRATOR, revoked=[P.SEE_PRICES, P.APPROVE_ORDERS]),
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.permissions == limited_admin.permissions


def test_limited_administrator_cannot_clear_their_own_removed_rights(limited_admin):
    before = state(limited_admin)
    response = client_for(limited_admin).post(f"/company/members/{limited_admin.pk}/", form(Role.ADMINISTRATOR))
    assert response.status_code == 403
    assert OWN in response.content.decode()
    assert state(limited_admin) == before


def test_limited_administrator_cannot_invite_a_full_administrator(limited_admin):
    response = client_for(limited_admin).post(
        "/company/members/invite/", {"email": "new@acme.test", "role": Role.ADMINISTRATOR}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- Orders that need approval ------------------------------------------------------------------


@pytest.fixture
def supervised(company):
    """Their orders need approval; they manage users."""
    return MembershipFactory(
        company=company,
        user__email="supervised@acme.test",
        role=Role.ORDER_WITHOUT_PRICES,
        granted_permissions=[P.MANAGE_USERS],
        orders_need_approval=True,
    )


def test_member_cannot_lift_the_approval_requirement_on_themselves(supervised):
    response = client_for(supervised).post(
        f"/company/members/{supervised.pk}/", form(Role.ORDER_WITHOUT_PRICES, granted=[P.MANAGE_USERS])
    )
    assert response.status_code == 403
    assert OWN in response.content.decode()
    assert state(supervised)[3] is True


def test_member_whose_orders_need_approval_cannot_lift_it_for_another(supervised, company):
    other = MembershipFactory(company=company, role=Role.ORDER_WITHOUT_PRICES, orders_need_approval=True)
    response = client_for(supervised).post(f"/company/members/{other.pk}/", form(Role.ORDER_WITHOUT_PRICES))
    assert response.status_code == 403
    assert f"{REFUSED}: Order without approval." in response.content.decode()
    assert state(other)[3] is True


def test_whoever_needs_approval_invites_people_who_need_it_too(supervised, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervised).post(
            "/company/members/invite/", {"email": "new@acme.test", "role": Role.QUICK_LISTS_ONLY}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().orders_need_approval is True


def test_accepted_invitation_carries_the_approval_requirement(supervised):
    invitation = services.invitation_create(
        company=supervised.company,
        email="new@acme.test",
        role=Role.QUICK_LISTS_ONLY,
        actor=supervised.user,
        actor_membership=supervised,
    )
    token = "t" * 43
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    membership = services.invitation_accept(token=token, user=User.objects.get(email="new@acme.test"))
    assert membership.orders_need_approval is True


def test_whoever_needs_approval_admits_people_who_need_it_too(supervised, company):
    pending = JoinRequest.objects.create(company=company, user=UserFactory(email="newcomer@acme.test"))
    client_for(supervised).post(
        f"/company/join-requests/{pending.pk}/decide/", {"decision": "approve", "role": Role.QUICK_LISTS_ONLY}
    )
    assert Membership.objects.get(user=pending.user).orders_need_approval is True


# --- Former members, and what the forms offer ----------------------------------------------------


def test_former_member_let_in_again_gets_the_role_given_without_old_extra_rights(carl, company):
    former = MembershipFactory(
        company=company, role=Role.QUICK_LISTS_ONLY, granted_permissions=[P.SEE_PRICES], is_active=False
    )
    pending = JoinRequest.objects.create(company=company, user=former.user)
    response = client_for(carl).post(
        f"/company/join-requests/{pending.pk}/decide/", {"decision": "approve", "role": Role.QUICK_LISTS_ONLY}
    )
    assert response.status_code == 302
    assert state(former) == (Role.QUICK_LISTS_ONLY, [], [], False, True)
    assert P.SEE_PRICES not in former.permissions


def test_forms_offer_only_roles_and_extra_rights_the_member_holds(carl, colleague):
    client = client_for(carl)
    edit = client.get(f"/company/members/{colleague.pk}/").context["form"]
    assert [value for value, _ in edit.fields["role"].widget.choices] == [
        Role.ORDER_WITHOUT_PRICES,
        Role.QUICK_LISTS_ONLY,
    ]
    assert {value for value, _ in edit.fields["granted"].widget.choices} == carl.permissions
    page = client.get("/company/members/").context
    assert [value for value, _ in page["invite_form"].fields["role"].widget.choices] == [
        Role.ORDER_WITHOUT_PRICES,
        Role.QUICK_LISTS_ONLY,
    ]


def test_members_page_offers_deactivation_only_for_members_within_the_managers_rights(carl, colleague, company):
    pricey = MembershipFactory(company=company, role=Role.SEE_PRICES)
    body = client_for(carl).get("/company/members/").content.decode()
    assert f"/company/members/{colleague.pk}/active/" in body
    assert f"/company/members/{pricey.pk}/active/" not in body
    assert f"/company/members/{carl.pk}/active/" not in body


def test_own_edit_page_is_read_only_and_says_why(carl):
    response = client_for(carl).get(f"/company/members/{carl.pk}/")
    body = response.content.decode()
    assert OWN in body
    assert "<fieldset disabled" in body
    assert 'type="submit"' not in body.split('<form method="post" class="stack">')[1]


def test_staff_back_office_is_not_bound_by_the_rule(staff_user, company):
    invitation = services.invitation_create(
        company=company, email="new@acme.test", role=Role.ADMINISTRATOR, actor=staff_user
    )
    assert invitation.role == Role.ADMINISTRATOR


# --- The invariant, over every role and adjustment ------------------------------------------------

ROLES = st.sampled_from(Role.values)
PERMISSION_SETS = st.frozensets(st.sampled_from(P.values))
MEMBER_STATES = st.tuples(ROLES, PERMISSION_SETS, PERMISSION_SETS, st.booleans())


def make_member(company, spec: tuple, email: str) -> Membership:
    role, granted, revoked, approval = spec
    return Membership.objects.create(
        user=UserFactory(email=email),
        company=company,
        role=role,
        granted_permissions=sorted(granted),
        revoked_permissions=sorted(revoked),
        orders_need_approval=approval,
    )


def within(actor: Membership, spec: tuple) -> tuple:
    """``spec`` with the permissions the actor lacks removed, and approval needed where the actor needs it."""
    role, granted, revoked, approval = spec
    return role, granted, revoked | (set(P.values) - actor.permissions), approval or actor.orders_need_approval


def buyer_of(membership: Membership) -> Buyer:
    return Buyer(user=membership.user, membership=membership, permissions=membership.permissions)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor_spec=MEMBER_STATES, target_spec=MEMBER_STATES, change=MEMBER_STATES, own=st.booleans(), near=st.booleans())
def test_an_accepted_member_change_never_gives_a_right_the_actor_lacks(db, actor_spec, target_spec, change, own, near):
    with transaction.atomic():
        company = CompanyFactory()
        actor = make_member(company, actor_spec, "actor@prop.test")
        if near:
            # Half the cases start and aim near the actor's rights, so that many changes are accepted.
            target_spec, change = within(actor, target_spec), within(actor, change)
        target = actor if own else make_member(company, target_spec, "target@prop.test")
        before = state(target)
        role, granted, revoked, approval = change
        try:
            services.member_update(
                buyer=buyer_of(actor),
                membership=target,
                role=role,
                granted=sorted(granted),
                revoked=sorted(revoked),
                orders_need_approval=approval,
                customer_numbers=[],
            )
        except PermissionDenied:
            event("refused")
            assert state(target) == before
        else:
            event("accepted, own" if own else "accepted")
            after = Membership.objects.get(pk=target.pk)
            assert after.rights <= actor.rights
            assert after.permissions <= actor.permissions
            if own:
                assert state(target) == before
        transaction.set_rollback(True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor_spec=MEMBER_STATES, role=ROLES)
def test_an_accepted_invitation_or_join_approval_never_gives_a_right_the_actor_lacks(db, actor_spec, role):
    with transaction.atomic():
        company = CompanyFactory()
        actor = make_member(company, actor_spec, "actor@prop.test")
        try:
            invitation = services.invitation_create(
                company=company, email="new@prop.test", role=role, actor=actor.user, actor_membership=actor
            )
        except PermissionDenied:
            assert not Invitation.objects.filter(company=company).exists()
        else:
            assert member_rights(invitation.role, orders_need_approval=invitation.orders_need_approval) <= actor.rights
        pending = JoinRequest.objects.create(company=company, user=UserFactory(email="joiner@prop.test"))
        try:
            services.join_request_decide(buyer=buyer_of(actor), join_request=pending, approve=True, role=role)
        except PermissionDenied:
            assert not Membership.objects.filter(user=pending.user).exists()
        else:
            assert Membership.objects.get(user=pending.user).rights <= actor.rights
        transaction.set_rollback(True)
