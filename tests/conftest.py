"""Shared fixtures: factories, a real SMTP server (aiosmtpd), logging in by code."""

from __future__ import annotations

import re
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client

from tests.factories import AdminMembershipFactory, CompanyFactory, MembershipFactory, StaffFactory

pytest_plugins = ["tests.catalogue_data"]

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class _Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SMTPServer:
    """A real SMTP server on a free loopback port; stop() and start() simulate an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = _Inbox()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def real_mail(settings, smtp_server):
    """Mail goes the production way: stored, queued as a task, delivered by SMTP."""
    settings.EMAIL_BACKEND = "comptoir.notifications.backends.QueuedEmailBackend"
    settings.COMPTOIR_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


def body_of(message) -> str:
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""
    return message.body


def code_in(message) -> str:
    found = CODE_RE.search(body_of(message))
    assert found, f"no login code in: {body_of(message)!r}"
    return found.group(1)


def request_code(client: Client, email: str) -> str:
    """Ask for a login code and read it from the test mailbox."""
    before = len(mail.outbox)
    response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302, response.content[:500]
    sent = [m for m in mail.outbox[before:] if email in m.to]
    assert sent, "no code mail was sent"
    return code_in(sent[-1])


def login_by_code(client: Client, email: str) -> None:
    code = request_code(client, email)
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302, response.content[:500]


@pytest.fixture
def company(db):
    return CompanyFactory(name="Acme Test")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Other Test")


@pytest.fixture
def admin_membership(company):
    return AdminMembershipFactory(company=company, user__email="admin@acme.test")


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user__email="member@acme.test")


@pytest.fixture
def other_admin(other_company):
    return AdminMembershipFactory(company=other_company, user__email="admin@other.test")


@pytest.fixture
def staff_user(db):
    return StaffFactory(email="staff@seller.test")


@pytest.fixture
def admin_client(client, admin_membership):
    client.force_login(admin_membership.user)
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its person's language in the thread that served it, and Django does not
    switch back afterwards: every test starts in the site's default language, whatever ran before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache(request, django_db_blocker):
    """Rate-limit counters live in the (database) "ratelimit" cache: every database test starts with none,
    and with no catalogue data remembered by this process from an earlier test."""
    from django.core.cache import caches

    from comptoir.core.memo import forget

    forget()
    caches["fragments"].clear()
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        from django.core.cache import cache

        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            cache.clear()
            caches["ratelimit"].clear()
