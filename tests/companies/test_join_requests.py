"""A5: a person asks to join a customer that already has an account; its administrator decides."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from comptoir.companies.models import Company, JoinRequest, Membership
from comptoir.core.models import AuditEvent
from comptoir.core.permissions import Role
from tests.factories import CustomerNumberFactory, MembershipFactory, UserFactory

ANSWER = "If these numbers match a customer, its administrators have received your request."


@pytest.fixture
def number(company):
    company.vat_number = "BE0123456749"
    company.save(update_fields=["vat_number"])
    return CustomerNumberFactory(company=company, number="C100042")


@pytest.fixture
def requester(db):
    return UserFactory(email="newcomer@acme.test")


def ask(requester, customer_number: str, vat_number: str, capture, message: str = "I run the Ghent shop"):
    client = Client()
    client.force_login(requester)
    with capture(execute=True):
        response = client.post(
            "/company/join/",
            {"customer_number": customer_number, "vat_number": vat_number, "message": message},
            follow=True,
        )
    return response


def test_matching_numbers_reach_the_administrators_by_mail(
    number, requester, admin_membership, member, django_capture_on_commit_callbacks
):
    response = ask(requester, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    assert ANSWER in response.content.decode()
    join_request = JoinRequest.objects.get()
    assert (join_request.company, join_request.user, join_request.status) == (
        number.company,
        requester,
        JoinRequest.Status.PENDING,
    )
    [message] = mail.outbox
    assert message.to == [admin_membership.user.email]  # administrators only, not every member
    assert "newcomer@acme.test" in message.body
    assert "I run the Ghent shop" in message.body


def test_vat_number_matches_whatever_its_spacing_and_case(number, requester, django_capture_on_commit_callbacks):
    ask(requester, "c100042", "be 0123.456.749", django_capture_on_commit_callbacks)
    assert JoinRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("customer_number", "vat_number"),
    [("C100042", "BE0999999922"), ("C999999", "BE0123456749"), ("", "BE0123456749")],
    ids=["wrong-vat", "unknown-number", "no-number"],
)
def test_non_matching_numbers_get_the_same_answer_and_create_nothing(
    number, requester, admin_membership, customer_number, vat_number, django_capture_on_commit_callbacks
):
    matching = ask(UserFactory(), "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    JoinRequest.objects.all().delete()
    response = ask(requester, customer_number, vat_number, django_capture_on_commit_callbacks)
    if customer_number:
        assert response.redirect_chain == matching.redirect_chain
        assert ANSWER in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert mail.outbox == []


def test_suspended_customer_cannot_be_joined(number, requester, django_capture_on_commit_callbacks):
    Company.objects.filter(pk=number.company_id).update(status=Company.Status.SUSPENDED)
    response = ask(requester, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    assert ANSWER in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_asking_twice_keeps_one_pending_request(number, requester, django_capture_on_commit_callbacks):
    ask(requester, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    ask(requester, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    assert JoinRequest.objects.count() == 1


def test_join_requests_are_rate_limited_per_person(number, requester, django_capture_on_commit_callbacks):
    statuses = [
        ask(requester, f"X{n}", "BE0123456749", django_capture_on_commit_callbacks).status_code for n in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


# --- The administrator decides ------------------------------------------------------------------


@pytest.fixture
def pending(number, requester):
    return JoinRequest.objects.create(company=number.company, user=requester, message="Hello")


def decide(client, join_request, capture, **data):
    with capture(execute=True):
        return client.post(f"/company/join-requests/{join_request.pk}/decide/", data)


def test_administrator_approves_with_a_role(
    admin_client, admin_membership, pending, django_capture_on_commit_callbacks
):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="approve", role=Role.SEE_PRICES)
    membership = Membership.objects.get(user=pending.user)
    assert (membership.company, membership.role, membership.is_active) == (pending.company, Role.SEE_PRICES, True)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (JoinRequest.Status.APPROVED, admin_membership.user)
    [message] = mail.outbox
    assert message.to == ["newcomer@acme.test"]
    event = AuditEvent.objects.get(action="join_request.approved")
    assert (event.actor, event.company, event.data["role"]) == (admin_membership.user, pending.company, "see_prices")


def test_approved_person_works_for_the_company(admin_client, pending, django_capture_on_commit_callbacks):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="approve", role=Role.SEE_PRICES)
    client = Client()
    client.force_login(pending.user)
    assert client.get("/").context["buyer"].company == pending.company


def test_administrator_declines(admin_client, pending, django_capture_on_commit_callbacks):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="decline")
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.DECLINED
    assert not pending.reported_abuse
    assert not Membership.objects.filter(user=pending.user).exists()
    assert [m.to for m in mail.outbox] == [["newcomer@acme.test"]]
    assert AuditEvent.objects.filter(action="join_request.declined").exists()


def test_administrator_reports_abuse(admin_client, pending, staff_user, django_capture_on_commit_callbacks):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="report")
    pending.refresh_from_db()
    assert (pending.status, pending.reported_abuse) == (JoinRequest.Status.DECLINED, True)
    assert not Membership.objects.filter(user=pending.user).exists()
    event = AuditEvent.objects.get(action="join_request.declined")
    assert event.data["reported_abuse"] is True
    # The seller sees it in the back office.
    staff = Client()
    staff.force_login(staff_user)
    listing = staff.get("/backoffice/companies/joinrequest/?reported_abuse__exact=1")
    assert "newcomer@acme.test" in listing.content.decode()


def test_approving_twice_is_idempotent(admin_client, pending, django_capture_on_commit_callbacks):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="approve", role=Role.SEE_PRICES)
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="approve", role=Role.QUICK_LISTS_ONLY)
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="decline")
    assert Membership.objects.get(user=pending.user).role == Role.SEE_PRICES
    assert JoinRequest.objects.get().status == JoinRequest.Status.APPROVED
    assert AuditEvent.objects.filter(action__startswith="join_request.").count() == 1
    assert len(mail.outbox) == 1


def test_approving_without_a_role_asks_for_one(admin_client, pending, django_capture_on_commit_callbacks):
    decide(admin_client, pending, django_capture_on_commit_callbacks, decision="approve", role="")
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


def test_pending_requests_are_listed_for_the_administrator(admin_client, pending):
    body = admin_client.get("/company/members/").content.decode()
    assert "newcomer@acme.test" in body
    assert f"/company/join-requests/{pending.pk}/decide/" in body


def test_member_with_manage_users_in_another_company_gets_no_request_mail(
    number, requester, django_capture_on_commit_callbacks
):
    MembershipFactory(user__email="admin@elsewhere.test", role=Role.ADMINISTRATOR)
    ask(requester, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    assert all("admin@elsewhere.test" not in m.to for m in mail.outbox)


def _comparable(response, requester) -> str:
    """The page as an observer compares it: CSRF tokens and the requester's own address set aside."""
    body = response.content.decode().replace(requester.email, "<requester>")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", body)


@pytest.mark.parametrize(
    ("customer_number", "vat_number"),
    [("C100042", "BE0999999922"), ("C100043", "BE0123456749")],
    ids=["wrong-vat", "next-number"],
)
def test_welcome_page_reads_the_same_whether_or_not_the_numbers_matched(
    number, admin_membership, customer_number, vat_number, django_capture_on_commit_callbacks
):
    matched_by, missed_by = UserFactory(email="first@acme.test"), UserFactory(email="other@acme.test")
    matched = ask(matched_by, "C100042", "BE0123456749", django_capture_on_commit_callbacks)
    missed = ask(missed_by, customer_number, vat_number, django_capture_on_commit_callbacks)
    assert JoinRequest.objects.filter(user=matched_by).exists()
    assert not JoinRequest.objects.filter(user=missed_by).exists()
    assert (matched.status_code, matched.redirect_chain) == (missed.status_code, missed.redirect_chain)
    assert number.company.name not in matched.content.decode()
    assert _comparable(matched, matched_by) == _comparable(missed, missed_by)
    # Coming back later, the page still reads the same.
    again = [Client(), Client()]
    for client, user in zip(again, (matched_by, missed_by), strict=True):
        client.force_login(user)
    assert _comparable(again[0].get("/welcome/"), matched_by) == _comparable(again[1].get("/welcome/"), missed_by)


def test_join_request_with_a_malformed_vat_number_says_so_and_sends_nothing(
    number, requester, admin_membership, django_capture_on_commit_callbacks
):
    response = ask(requester, "C100042", "BE0123456789", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "the check digits do not match" in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert mail.outbox == []


def test_join_request_matches_a_vat_number_typed_without_its_country_code(
    number, requester, django_capture_on_commit_callbacks
):
    ask(requester, "C100042", "0123.456.749", django_capture_on_commit_callbacks)
    assert JoinRequest.objects.count() == 1
