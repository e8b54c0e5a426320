"""A4: a business registers, the seller reviews and activates it with a customer number."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from comptoir.companies.models import Address, Company, CustomerNumber, Membership
from comptoir.companies.services import company_activate, company_register
from comptoir.core.models import AuditEvent
from comptoir.core.permissions import Role
from tests.factories import CompanyFactory, CustomerNumberFactory, UserFactory

BILLING = {"name": "NewCo SA", "street": "1 Rue Haute", "postcode": "1000", "city": "Brussels", "country": "BE"}


def registration_form(**overrides) -> dict:
    data = {
        "name": "NewCo",
        "vat_number": "BE 0123.456.749",
        "language": "fr",
        "full_name": "Nora Founder",
        **{f"billing-{k}": v for k, v in BILLING.items()},
        "delivery_same": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def registrant(client, db):
    user = UserFactory(email="nora@newco.test", full_name="")
    client.force_login(user)
    return user


def test_registration_without_vat_number_explains_and_creates_nothing(client, registrant):
    response = client.post("/company/register/", registration_form(vat_number=""))
    assert response.status_code == 200
    assert "We only work with businesses: enter your VAT or company number." in response.content.decode()
    assert not Company.objects.exists()
    assert not Membership.objects.exists()
    assert not Address.objects.exists()


def test_registration_with_blank_vat_number_is_refused_by_the_service_too(registrant):
    with pytest.raises(ValidationError):
        company_register(user=registrant, name="NewCo", vat_number="   ", language="en", billing=BILLING)
    assert not Company.objects.exists()


def test_registration_page_points_private_persons_to_an_explanation(client, registrant):
    body = client.get("/company/register/").content.decode()
    assert "/company/private-persons/" in body
    assert client.get("/company/private-persons/").status_code == 200


def test_registration_creates_a_pending_company_with_the_registrant_as_administrator(client, registrant):
    response = client.post("/company/register/", registration_form())
    assert response.status_code == 302
    assert response["Location"] == "/me/welcome/"
    company = Company.objects.get()
    assert (company.name, company.vat_number, company.status) == ("NewCo", "BE0123456749", Company.Status.PENDING)
    assert company.registered_by == registrant
    assert company.language == "fr"
    [membership] = Membership.objects.all()
    assert (membership.user, membership.company, membership.role) == (registrant, company, Role.ADMINISTRATOR)
    assert sorted(company.addresses.values_list("kind", flat=True)) == ["billing", "delivery"]
    assert not company.customer_numbers.exists()
    registrant.refresh_from_db()
    assert registrant.full_name == "Nora Founder"
    assert AuditEvent.objects.filter(action="company.registered", actor=registrant, company=company).exists()


def test_registration_keeps_a_separate_delivery_address(client, registrant):
    client.post(
        "/company/register/",
        registration_form(
            delivery_same=None,
            **{
                "delivery-name": "NewCo warehouse",
                "delivery-street": "9 Quai",
                "delivery-postcode": "2000",
                "delivery-city": "Antwerp",
                "delivery-country": "BE",
            },
        ),
    )
    delivery = Address.objects.get(kind=Address.Kind.DELIVERY)
    assert (delivery.name, delivery.city) == ("NewCo warehouse", "Antwerp")


def test_pending_company_gives_no_buyer_access_yet(client, registrant):
    client.post("/company/register/", registration_form())
    assert client.get("/")["Location"] == "/me/welcome/"
    assert "NewCo" in client.get("/me/welcome/").content.decode()


# --- Activation -------------------------------------------------------------------------------------


@pytest.fixture
def pending(client, registrant):
    client.post("/company/register/", registration_form())
    return Company.objects.get()


def test_staff_activation_assigns_the_next_customer_number_and_mails_the_registrant(
    pending, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_activate(company=pending, actor=staff_user)
    pending.refresh_from_db()
    assert pending.status == Company.Status.ACTIVE
    assert pending.activated_at is not None
    assert list(pending.customer_numbers.values_list("number", flat=True)) == ["C100001"]
    [message] = mail.outbox
    assert message.to == ["nora@newco.test"]
    assert "C100001" in message.body
    event = AuditEvent.objects.get(action="company.activated")
    assert (event.actor, event.company, event.data["customer_number"]) == (staff_user, pending, "C100001")
    assert event.created_at is not None


def test_customer_numbers_follow_each_other(staff_user, db):
    first, second = CompanyFactory(status=Company.Status.PENDING), CompanyFactory(status=Company.Status.PENDING)
    CustomerNumberFactory(number="T000001")  # another series does not count
    company_activate(company=first, actor=staff_user)
    company_activate(company=second, actor=staff_user)
    assert first.customer_numbers.get().number == "C100001"
    assert second.customer_numbers.get().number == "C100002"


def test_staff_may_type_the_customer_number(pending, staff_user):
    company_activate(company=pending, actor=staff_user, customer_number="ERP-4711")
    assert pending.customer_numbers.get().number == "ERP-4711"


def test_a_customer_number_in_use_is_refused(pending, staff_user):
    CustomerNumberFactory(number="ERP-4711")
    with pytest.raises(ValidationError):
        company_activate(company=pending, actor=staff_user, customer_number="ERP-4711")
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_activating_twice_changes_nothing(pending, staff_user, django_capture_on_commit_callbacks):
    company_activate(company=pending, actor=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        company_activate(company=pending, actor=staff_user)
    assert CustomerNumber.objects.count() == 1
    assert mail.outbox == []


def test_registrant_works_for_the_company_once_active(client, pending, staff_user):
    company_activate(company=pending, actor=staff_user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["buyer"].company == pending


def test_registration_with_an_invalid_vat_number_says_what_is_wrong_and_creates_nothing(client, registrant):
    response = client.post("/company/register/", registration_form(vat_number="x"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["vat_number"] == [
        "This is not a VAT or company number: it has no digits. Expected format: BE0123456749."
    ]
    assert not Company.objects.exists()


def test_registration_checks_the_check_digits_for_the_billing_country(client, registrant):
    response = client.post("/company/register/", registration_form(vat_number="0123.456.789"))
    assert response.status_code == 200
    assert (
        "This is not a valid VAT number for Belgium: the check digits do not match."
        in (response.context["form"].errors["vat_number"][0])
    )
    assert not Company.objects.exists()


def test_registration_stores_a_vat_number_typed_without_country_code_with_it(client, registrant):
    client.post("/company/register/", registration_form(vat_number="0123.456.749"))
    assert Company.objects.get().vat_number == "BE0123456749"


def test_registration_service_refuses_an_invalid_vat_number(registrant):
    with pytest.raises(ValidationError) as caught:
        company_register(user=registrant, name="NewCo", vat_number="BE0123456789", language="en", billing=BILLING)
    assert "check digits do not match" in caught.value.message_dict["vat_number"][0]
    assert not Company.objects.exists()


def test_refused_registration_shows_no_errors_for_the_unused_delivery_address(client, registrant):
    response = client.post("/company/register/", registration_form(vat_number="x"))
    assert not response.context["delivery"].errors
    assert response.content.decode().count("This field is required.") == 0
