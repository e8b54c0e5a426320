"""A person is created, or changes address, through ``accounts.services``: with the address record
allauth logs them in with, and never as a side effect of ``User.save()``."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from comptoir.accounts.models import User
from comptoir.accounts.services import user_create, user_set_email
from comptoir.companies.services import member_add
from tests.admin_pages import change_page_data
from tests.factories import CompanyFactory


def records(user: User) -> list[tuple[str, bool, bool]]:
    return list(EmailAddress.objects.filter(user=user).order_by("email").values_list("email", "primary", "verified"))


def test_a_new_person_gets_one_primary_unverified_address_record(db):
    user = user_create(email=" Anna+Shop@Acme.Example ", full_name="Anna")
    assert user.email == "anna+shop@acme.example"
    assert records(user) == [("anna+shop@acme.example", True, False)]
    assert not user.has_usable_password()


def test_saving_a_user_writes_no_address_record(db):
    user = User(email="row@acme.example")
    user.save()
    user.email = "other@acme.example"
    user.save()
    assert records(user) == []


def test_a_new_address_becomes_the_primary_record(db):
    user = user_create(email="old@acme.example")
    user_set_email(user=user, email="New@Acme.Example")
    user.refresh_from_db()
    assert user.email == "new@acme.example"
    assert records(user) == [("new@acme.example", True, False), ("old@acme.example", False, False)]


def test_setting_the_same_address_again_keeps_its_record(db):
    user = user_create(email="anna@acme.example")
    EmailAddress.objects.filter(user=user).update(verified=True)
    user_set_email(user=user, email="anna@acme.example")
    assert records(user) == [("anna@acme.example", True, True)]


def test_staff_adding_a_member_creates_the_person_with_their_record(db, staff_user):
    membership = member_add(
        company=CompanyFactory(), email="Newcomer@Acme.Example", role="see_prices_and_order", actor=staff_user
    )
    assert records(membership.user) == [("newcomer@acme.example", True, False)]


def test_a_person_added_in_the_back_office_gets_their_record(client, staff_user):
    client.force_login(staff_user)
    response = client.post("/backoffice/accounts/user/add/", {"email": "Added@Seller.Example", "full_name": "Ada"})
    assert response.status_code == 302
    assert records(User.objects.get(email="added@seller.example")) == [("added@seller.example", True, False)]


def test_an_address_changed_in_the_back_office_becomes_the_primary_record(client, staff_user, member):
    client.force_login(staff_user)
    url = f"/backoffice/accounts/user/{member.user.pk}/change/"
    data = change_page_data(client, url) | {"email": "renamed@acme.test"}
    assert client.post(url, data).status_code == 302
    assert records(member.user) == [("member@acme.test", False, False), ("renamed@acme.test", True, False)]
