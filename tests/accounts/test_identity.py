"""A1-A3: one address, one identity. Plus-addresses are separate identities, never folded."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from comptoir.accounts.models import User
from tests.conftest import code_in, login_by_code, request_code
from tests.factories import MembershipFactory, UserFactory


def test_address_is_lower_cased_but_its_plus_tag_is_kept(db):
    user = User.objects.create_user(email="  Buyer+Site1@Example.COM ")
    assert user.email == "buyer+site1@example.com"


def test_plus_address_is_a_separate_identity(db):
    base = UserFactory(email="buyer@example.com")
    plus = UserFactory(email="buyer+site1@example.com")
    assert base.pk != plus.pk
    assert User.objects.count() == 2


def test_plus_address_code_logs_in_the_plus_identity_only(db):
    base = MembershipFactory(user__email="buyer@example.com", company__name="Head office")
    plus = MembershipFactory(user__email="buyer+site1@example.com", company__name="Site 1")
    client = Client()
    login_by_code(client, "buyer+site1@example.com")
    assert client.session["_auth_user_id"] == str(plus.user.pk)
    buyer = client.get("/").context["buyer"]
    assert buyer.company == plus.company
    assert buyer.company != base.company


def test_code_for_the_plus_address_goes_to_that_address(db):
    UserFactory(email="buyer@example.com")
    UserFactory(email="buyer+site1@example.com")
    request_code(Client(), "buyer+site1@example.com")
    assert [m.to for m in mail.outbox] == [["buyer+site1@example.com"]]


def test_login_by_code_works_whatever_the_case_typed(db):
    member = MembershipFactory(user__email="buyer@example.com")
    client = Client()
    client.post("/accounts/login/code/", {"email": "Buyer@Example.com"})
    [message] = mail.outbox
    assert message.to == ["buyer@example.com"]
    client.post("/accounts/login/code/confirm/", {"code": code_in(message)})
    assert client.session["_auth_user_id"] == str(member.user.pk)


def test_staff_add_a_plus_address_as_a_separate_member(client, staff_user, company):
    UserFactory(email="buyer@example.com")
    client.force_login(staff_user)
    response = client.post(
        f"/backoffice/companies/company/{company.pk}/add-member/",
        {"email": "buyer+site1@example.com", "full_name": "Site 1", "role": "see_prices"},
    )
    assert response.status_code == 302
    plus = User.objects.get(email="buyer+site1@example.com")
    assert plus.memberships.get().company == company
    assert not User.objects.get(email="buyer@example.com").memberships.exists()
    assert not plus.has_usable_password()


def test_profile_edits_contact_data_only(client, member):
    client.force_login(member.user)
    client.post("/me/", {"full_name": "Marie Curie", "phone": "+32 470 12 34 56", "language": "fr"})
    member.user.refresh_from_db()
    assert member.user.full_name == "Marie Curie"
    assert str(member.user.phone) == "+32470123456"
    assert member.user.language == "fr"
    assert member.user.email == "member@acme.test"
