"""G2: mail goes out through tasks with retries; a mail server outage delays mail, never loses it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from comptoir.notifications.models import OutgoingEmail
from tests.conftest import code_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_code_mail_is_delivered_through_real_smtp(client, member, real_mail):
    response = client.post("/accounts/login/code/", {"email": member.user.email})
    assert response.status_code == 302
    [message] = real_mail.messages_to(member.user.email)
    assert code_in(message)
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_mail_server_down_keeps_page_working_and_mail_queued(client, member, real_mail):
    real_mail.stop()
    response = client.post("/accounts/login/code/", {"email": member.user.email})
    assert response.status_code == 302
    row = OutgoingEmail.objects.get()
    assert row.status == OutgoingEmail.Status.QUEUED
    assert row.attempts == 1
    assert row.last_error


def test_queued_mail_is_sent_once_server_is_back(client, member, real_mail):
    real_mail.stop()
    client.post("/accounts/login/code/", {"email": member.user.email})
    real_mail.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("run_periodic_jobs", "send_queued_mail")
        call_command("run_periodic_jobs", "send_queued_mail")  # a second run sends nothing more
    assert len(real_mail.messages_to(member.user.email)) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_queued_mail_waits_out_its_backoff(client, member, real_mail):
    real_mail.stop()
    client.post("/accounts/login/code/", {"email": member.user.email})
    real_mail.start()
    call_command("run_periodic_jobs", "send_queued_mail")
    assert real_mail.messages_to(member.user.email) == []
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED


def test_delivering_a_sent_mail_again_sends_nothing(client, member, real_mail):
    from comptoir.notifications.services import outgoing_email_deliver

    client.post("/accounts/login/code/", {"email": member.user.email})
    row = OutgoingEmail.objects.get()
    assert outgoing_email_deliver(outgoing_email_id=row.pk) == "nothing to do"
    assert len(real_mail.messages_to(member.user.email)) == 1


def test_mail_is_rendered_in_the_recipients_language(client, company, real_mail):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(company=company, user__email="sv@acme.test", user__language="sv")
    client.post("/accounts/login/code/", {"email": membership.user.email})
    [message] = real_mail.messages_to(membership.user.email)
    assert "inloggningskod" in str(message["Subject"]).lower() or "kod" in str(message["Subject"]).lower()
