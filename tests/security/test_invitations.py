"""SECURITY check 21: invitations. Only members who manage users invite, never giving a right they lack;
the link works once, expires, and only for the invited address."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comptoir.accounts.models import User
from comptoir.companies.models import Invitation, Membership, hash_token
from comptoir.core.permissions import Permission, Role
from tests.conftest import login_by_code
from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import accept_invitation, invitation_path_for, invite, open_invitation

INVITED = "new.buyer@acme.test"


@pytest.fixture
def link(admin_membership, django_capture_on_commit_callbacks) -> str:
    return invite(admin_membership, INVITED, Role.SEE_PRICES, django_capture_on_commit_callbacks)


def token_of(path: str) -> str:
    return path.rpartition("#")[2]


def memberships_of(email: str) -> list[Membership]:
    return list(Membership.objects.filter(user__email=email))


# --- Who may invite, and to which role --------------------------------------------------------


def test_member_without_manage_users_cannot_invite(client, member):
    client.force_login(member.user)
    response = client.post("/company/members/invite/", {"email": INVITED, "role": Role.QUICK_LISTS_ONLY})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_manager_cannot_invite_above_their_own_role(client, company):
    manager = MembershipFactory(
        company=company, role=Role.SEE_PRICES_AND_ORDER, granted_permissions=[Permission.MANAGE_USERS]
    )
    client.force_login(manager.user)
    response = client.post("/company/members/invite/", {"email": INVITED, "role": Role.ADMINISTRATOR})
    assert response.status_code == 403
    assert "You cannot give rights you do not hold:" in response.content.decode()
    assert not Invitation.objects.exists()


def test_manager_can_invite_at_their_own_role(client, company, django_capture_on_commit_callbacks):
    manager = MembershipFactory(
        company=company, role=Role.SEE_PRICES_AND_ORDER, granted_permissions=[Permission.MANAGE_USERS]
    )
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/company/members/invite/", {"email": INVITED, "role": Role.SEE_PRICES_AND_ORDER})
    invitation = Invitation.objects.get()
    assert invitation.company == company
    assert invitation.role == Role.SEE_PRICES_AND_ORDER
    assert invitation.invited_by == manager.user


def test_invitation_is_for_the_inviters_company_whatever_the_form_says(admin_client, company, other_company):
    admin_client.post(
        "/company/members/invite/", {"email": INVITED, "role": Role.SEE_PRICES, "company": other_company.pk}
    )
    assert Invitation.objects.get().company == company


# --- The link ------------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_long(link):
    token = token_of(link)
    invitation = Invitation.objects.get()
    assert len(token) >= 43  # 32 random bytes
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


def test_invited_person_accepts_once(client, link):
    login_by_code(client, INVITED)
    assert accept_invitation(client, link).status_code == 302
    [membership] = memberships_of(INVITED)
    assert membership.role == Role.SEE_PRICES
    assert Invitation.objects.get().accepted_at is not None


def test_link_does_not_work_a_second_time(client, link):
    login_by_code(client, INVITED)
    accept_invitation(client, link)
    Membership.objects.filter(user__email=INVITED).update(role=Role.QUICK_LISTS_ONLY)
    assert open_invitation(client, link).status_code == 404
    assert accept_invitation(client, link).status_code == 404
    assert [m.role for m in memberships_of(INVITED)] == [Role.QUICK_LISTS_ONLY]


def test_link_expires(client, link):
    login_by_code(client, INVITED)
    later = timezone.now() + timedelta(days=settings.COMPTOIR_INVITATION_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert open_invitation(client, link).status_code == 404
        assert accept_invitation(client, link).status_code == 404
    assert memberships_of(INVITED) == []


def test_withdrawn_link_does_not_work(client, admin_membership, link):
    invitation = Invitation.objects.get()
    administrator = Client()
    administrator.force_login(admin_membership.user)
    administrator.post(f"/company/invitations/{invitation.pk}/revoke/")
    assert Invitation.objects.get().revoked_at is not None
    login_by_code(client, INVITED)
    assert accept_invitation(client, link).status_code == 404
    assert memberships_of(INVITED) == []


def test_tampered_link_is_404(client, link):
    login_by_code(client, INVITED)
    token = token_of(link)
    tampered = link.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert accept_invitation(client, tampered).status_code == 404
    assert memberships_of(INVITED) == []


def test_another_logged_in_user_is_refused_and_nothing_changes(client, link, company):
    intruder = MembershipFactory(user__email="intruder@elsewhere.test")
    client.force_login(intruder.user)
    assert open_invitation(client, link).status_code == 403
    assert accept_invitation(client, link).status_code == 403
    assert not Membership.objects.filter(user=intruder.user, company=company).exists()
    assert Invitation.objects.get().accepted_at is None


def test_base_address_cannot_accept_an_invitation_to_its_plus_address(
    client, admin_membership, django_capture_on_commit_callbacks
):
    path = invite(admin_membership, "buyer+site1@acme.test", Role.SEE_PRICES, django_capture_on_commit_callbacks)
    base = UserFactory(email="buyer@acme.test")
    client.force_login(base)
    assert accept_invitation(client, path).status_code == 403
    assert not Membership.objects.filter(user=base).exists()


def test_link_opened_while_logged_out_asks_to_log_in_and_changes_nothing(client, link):
    response = open_invitation(client, link)
    assert response.status_code == 200
    assert b"/accounts/login/code/" in response.content
    assert accept_invitation(client, link).status_code == 200
    assert memberships_of(INVITED) == []


# --- Checks 7 and 42: the token stays out of the logs --------------------------------------------


def test_invitation_token_never_appears_in_logs(client, link, caplog):
    caplog.set_level(logging.DEBUG)
    token = token_of(link)
    open_invitation(client, link)  # logged out
    client.force_login(UserFactory(email="intruder@elsewhere.test"))
    open_invitation(client, link)  # 403, another address
    client.force_login(UserFactory(email=INVITED))
    accept_invitation(client, link)  # accepted
    accept_invitation(client, link)  # 404, used
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in logged
    assert "invitation" in logged  # the refusals are logged, without the token


def test_staff_invitation_carries_a_login_link_and_no_password(staff_user, company, django_capture_on_commit_callbacks):
    from comptoir.backoffice.services import customer_give_access

    with django_capture_on_commit_callbacks(execute=True):
        customer_give_access(
            company=company, email=INVITED, role=Role.ADMINISTRATOR, private_message="", actor=staff_user
        )
    [message] = [m for m in mail.outbox if INVITED in m.to]
    assert invitation_path_for(INVITED) in message.body
    assert not User.objects.get(email=INVITED).has_usable_password()


# --- Check 7: the token never travels in a URL ----------------------------------------------------


def test_the_mailed_link_carries_its_token_in_the_fragment_only(link):
    path, _, token = link.partition("#")
    assert path == "/company/invitation/"
    assert len(token) >= 43
    assert reverse("companies:invitation_accept") == path  # no URL takes a token


def test_the_invitation_page_posts_the_fragment_with_a_static_script(client, db):
    page = client.get("/company/invitation/").content.decode()
    assert "data-token-from-fragment" in page
    assert 'name="link"' in page
    assert "/static/comptoir/token-link.js" in page
    assert "<script>" not in page


def test_logging_in_from_an_invitation_keeps_the_token_out_of_every_url(client, link):
    token = token_of(link)
    page = open_invitation(client, link).content.decode()
    login_link = re.search(r'href="(/accounts/login/code/[^"]*)"', page).group(1)
    assert token not in login_link
    assert "next=/company/invitation/" in unquote(login_link)
    login_by_code(client, INVITED)
    response = client.get("/company/invitation/")  # where the login sends them back
    assert response.status_code == 200
    assert "Accept the invitation" in response.content.decode()
    assert token not in response.content.decode().replace(f'name="link" value="{token}"', "")
    assert accept_invitation(client, link).status_code == 302
    assert [m.role for m in memberships_of(INVITED)] == [Role.SEE_PRICES]
    assert client.get("/company/invitation/").status_code == 200  # nothing left in the session
    assert b"Accept the invitation" not in client.get("/company/invitation/").content
