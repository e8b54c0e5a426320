"""A mail to a person is in their language; the company's language only for addresses with nobody behind them."""

from __future__ import annotations

import pytest

from comptoir.companies.services import invitation_create, join_request_create
from comptoir.core.permissions import Role
from comptoir.notifications.services import recipient_language
from tests.factories import (
    AdminMembershipFactory,
    CompanyFactory,
    CustomerNumberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def globex(db):
    """A French customer."""
    return CompanyFactory(name="Globex", language="fr", vat_number="FR12345678901")


def test_a_person_without_a_language_gets_the_stores_not_the_companys(globex, settings):
    assert recipient_language(UserFactory(language=""), globex) == settings.LANGUAGE_CODE
    assert recipient_language(UserFactory(language="sv"), globex) == "sv"


def test_an_address_with_no_person_behind_it_gets_the_companys_language(globex):
    assert recipient_language(None, globex) == "fr"


def test_an_invitation_to_a_new_address_is_in_the_companys_language(globex, real_mail):
    admin = AdminMembershipFactory(company=globex, user__language="en")
    invitation_create(company=globex, email="new@shop.test", role=Role.SEE_PRICES, actor=admin.user)
    [message] = real_mail.messages_to("new@shop.test")
    assert str(message["Subject"]) == "Invitation à commander pour Globex"


def test_an_invitation_to_a_person_with_a_language_is_in_their_language(globex, real_mail):
    admin = AdminMembershipFactory(company=globex, user__language="fr")
    UserFactory(email="known@shop.test", language="sv")
    invitation_create(company=globex, email="known@shop.test", role=Role.SEE_PRICES, actor=admin.user)
    [message] = real_mail.messages_to("known@shop.test")
    assert str(message["Subject"]) == "Du är inbjuden att beställa för Globex"


def test_a_join_request_reaches_each_administrator_in_their_own_language(globex, real_mail):
    CustomerNumberFactory(company=globex, number="C900001")
    AdminMembershipFactory(company=globex, user__email="sv-admin@globex.test", user__language="sv")
    AdminMembershipFactory(company=globex, user__email="plain-admin@globex.test", user__language="")
    requester = UserFactory(email="asker@shop.test")
    assert join_request_create(user=requester, customer_number="C900001", vat_number="FR12345678901")
    [swedish] = real_mail.messages_to("sv-admin@globex.test")
    [plain] = real_mail.messages_to("plain-admin@globex.test")
    assert str(swedish["Subject"]).strip() == "asker@shop.test vill ansluta till ditt företagskonto"
    assert str(plain["Subject"]) == "asker@shop.test asks to join your company account"
