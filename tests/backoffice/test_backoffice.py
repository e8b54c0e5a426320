"""F1, F3, F5, A9, A10: the seller's back office."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from comptoir.backoffice.models import AccessRequest, StoreSettings
from comptoir.companies.models import Company, Invitation, JoinRequest
from comptoir.core.models import AuditEvent
from tests.factories import AddressFactory, CompanyFactory, MembershipFactory, UserFactory

ACCESS_FORM = {
    "company_name": "Prospect BV",
    "vat_number": "NL123456782B01",
    "contact_name": "Piet Prospect",
    "email": "piet@prospect.test",
    "phone": "+31 20 123 4567",
    "message": "We run six shops.",
}


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def pending_company(db):
    company = CompanyFactory(name="Newcomer", status=Company.Status.PENDING)
    AddressFactory(company=company)
    MembershipFactory(company=company, user__email="founder@newcomer.test", role="administrator")
    return company


# --- F5 queues -------------------------------------------------------------------------------------


def test_index_shows_each_queue_with_its_count(staff_client, pending_company):
    CompanyFactory(status=Company.Status.PENDING)
    JoinRequest.objects.create(company=CompanyFactory(), user=UserFactory())
    AccessRequest.objects.create(company_name="P", contact_name="P", email="p@p.test")
    AccessRequest.objects.create(
        company_name="Q", contact_name="Q", email="q@q.test", status=AccessRequest.Status.HANDLED
    )
    response = staff_client.get("/backoffice/")
    assert response.status_code == 200
    counts = {str(label): count for label, count, url in response.context["queues"]}
    assert counts["Registrations to review"] == 2
    assert counts["Join requests waiting for a customer's administrator"] == 1
    assert counts["Access requests"] == 1
    body = response.content.decode()
    assert "/backoffice/companies/company/?status__exact=pending" in body


# --- Activation from the back office -------------------------------------------------------------


def test_activate_button_assigns_a_number_and_mails_the_registrant(
    staff_client, staff_user, pending_company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/backoffice/companies/company/{pending_company.pk}/activate/")
    assert response.status_code == 302
    pending_company.refresh_from_db()
    assert pending_company.status == Company.Status.ACTIVE
    assert pending_company.customer_numbers.get().number == "C100001"
    assert [m.to for m in mail.outbox] == [["founder@newcomer.test"]]
    assert AuditEvent.objects.get(action="company.activated").actor == staff_user


def test_activate_action_on_the_list(staff_client, pending_company, django_capture_on_commit_callbacks):
    second = CompanyFactory(name="Second", status=Company.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/backoffice/companies/company/",
            {"action": "activate", "_selected_action": [pending_company.pk, second.pk]},
        )
    numbers = sorted(Company.objects.values_list("customer_numbers__number", flat=True))
    assert numbers == ["C100001", "C100002"]


def test_suspend_action_cuts_the_members_off(staff_client, member):
    buyer = Client()
    buyer.force_login(member.user)
    assert buyer.get("/").status_code == 200
    staff_client.post("/backoffice/companies/company/", {"action": "suspend", "_selected_action": [member.company_id]})
    assert buyer.get("/")["Location"] == "/me/welcome/"
    assert AuditEvent.objects.filter(action="company.status_changed", company=member.company).exists()


def test_back_office_changes_are_audited(staff_client, staff_user, company):
    response = staff_client.post(
        f"/backoffice/companies/company/{company.pk}/change/",
        {
            "name": company.name,
            "vat_number": company.vat_number,
            "email": "",
            "phone": "",
            "language": "en",
            "validation_required": "unknown",
            "private_message": "Summer sale",
            "customer_numbers-TOTAL_FORMS": "0",
            "customer_numbers-INITIAL_FORMS": "0",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="company.changed")
    assert (event.actor, event.company) == (staff_user, company)
    assert "private_message" in event.data["fields"]


def test_give_access_sends_an_invitation(staff_client, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/backoffice/companies/company/{company.pk}/give-access/",
            {"email": "boss@acme.test", "role": "administrator", "private_message": "Welcome!"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.company, invitation.role) == ("boss@acme.test", company, "administrator")
    company.refresh_from_db()
    assert company.private_message == "Welcome!"
    assert [m.to for m in mail.outbox] == [["boss@acme.test"]]


# --- A9 request access -----------------------------------------------------------------------------


def test_request_access_creates_a_request_for_the_back_office(client, db):
    response = client.post("/request-access/", ACCESS_FORM)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert (request.company_name, request.email, request.status) == (
        "Prospect BV",
        "piet@prospect.test",
        AccessRequest.Status.NEW,
    )


def test_request_access_button_shows_on_the_login_page(client, db):
    assert b"/request-access/" in client.get("/accounts/login/code/").content


def test_request_access_is_hidden_when_the_store_setting_is_off(client, db):
    store = StoreSettings.load()
    store.request_access_enabled = False
    store.save()
    assert client.get("/request-access/").status_code == 404
    assert client.post("/request-access/", ACCESS_FORM).status_code == 404
    assert not AccessRequest.objects.exists()
    assert b"/request-access/" not in client.get("/accounts/login/code/").content


def test_request_access_is_rate_limited_per_ip(client, db):
    statuses = [Client().post("/request-access/", ACCESS_FORM).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert AccessRequest.objects.count() == 5


def test_staff_handle_an_access_request(staff_client, staff_user, db):
    request = AccessRequest.objects.create(company_name="P", contact_name="P", email="p@p.test")
    staff_client.post(
        "/backoffice/backoffice/accessrequest/", {"action": "mark_handled", "_selected_action": [request.pk]}
    )
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.HANDLED
    assert AuditEvent.objects.get(action="access_request.handled").actor == staff_user


def test_store_settings_page_opens_the_single_row(staff_client):
    response = staff_client.get("/backoffice/backoffice/storesettings/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/backoffice/backoffice/storesettings/{StoreSettings.load().pk}/change/")


def test_audit_trail_cannot_be_edited_in_the_back_office(staff_client, staff_user, company):
    event = AuditEvent.objects.create(actor=staff_user, company=company, action="company.activated")
    response = staff_client.post(f"/backoffice/core/auditevent/{event.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    assert staff_client.post(f"/backoffice/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "company.activated"


def test_request_access_with_an_invalid_vat_number_says_why_and_stores_nothing(client, db):
    response = client.post("/request-access/", {**ACCESS_FORM, "vat_number": "NL123456789B01"})
    assert response.status_code == 200
    assert "the check digits do not match" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_a_message_that_starts_with_an_address_keeps_its_case(client, staff_user, company):
    """Django's admin capitalises the first letter of every message: never an e-mail address."""
    client.force_login(staff_user)
    response = client.post(
        f"/backoffice/companies/company/{company.pk}/add-member/",
        {"email": "anna+globex@acme.example", "full_name": "", "role": "see_prices"},
        follow=True,
    )
    page = response.content.decode()
    assert "anna+globex@acme.example was added." in page
    assert "Anna+globex@acme.example" not in page
