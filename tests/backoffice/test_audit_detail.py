"""G5: an audit event's page reads in the site's local time, title and body alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comptoir.core.models import AuditEvent


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_audit_detail_title_is_in_local_time_like_its_body(staff_client, staff_user, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    event = AuditEvent.objects.create(actor=staff_user, action="order.placed")
    # 22:30 UTC on a winter evening is 23:30 in Brussels.
    AuditEvent.objects.filter(pk=event.pk).update(created_at=datetime(2026, 1, 15, 22, 30, tzinfo=UTC))
    response = staff_client.get(f"/backoffice/core/auditevent/{event.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "2026-01-15 23:30" in title
    assert "22:30" not in title
    when = body.split("field-created_at", 1)[1].split("</div>\n", 3)
    assert "11:30 p.m." in "".join(when)  # the body: the same local hour
