"""The development outbox (/dev/outbox/) holds login codes and invitation links: only DEBUG, only loopback."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from comptoir.notifications.backends import OutboxEmailBackend


@pytest.fixture
def outbox(settings, tmp_path, db):
    settings.DEBUG = True
    settings.COMPTOIR_OUTBOX_DIR = tmp_path
    OutboxEmailBackend(fail_silently=True).send_messages(
        [EmailMessage("Your code", "Your code is ABCDEFGH", to=["anna@example.com"])]
    )
    return tmp_path


def mail_url(outbox) -> str:
    return f"/dev/outbox/{next(outbox.glob('*.eml')).name}/"


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.1.1", "::1", "::ffff:127.0.0.1"])
def test_outbox_opens_from_this_machine(client, outbox, address):
    listing = client.get("/dev/outbox/", REMOTE_ADDR=address)
    assert listing.status_code == 200
    assert "Your code" in listing.content.decode()
    assert "ABCDEFGH" in client.get(mail_url(outbox), REMOTE_ADDR=address).content.decode()


@pytest.mark.parametrize("address", ["192.168.1.20", "10.0.0.5", "2001:db8::1", "", "not-an-address"])
def test_outbox_is_not_found_from_another_machine(client, outbox, address):
    assert client.get("/dev/outbox/", REMOTE_ADDR=address).status_code == 404
    response = client.get(mail_url(outbox), REMOTE_ADDR=address)
    assert response.status_code == 404
    assert "ABCDEFGH" not in response.content.decode()


def test_a_forwarded_for_header_does_not_open_the_outbox(client, outbox):
    response = client.get("/dev/outbox/", REMOTE_ADDR="192.168.1.20", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_outbox_is_not_found_without_debug(client, outbox, settings):
    settings.DEBUG = False
    assert client.get("/dev/outbox/").status_code == 404
    assert client.get(mail_url(outbox)).status_code == 404
