"""G5: the back office's audit trail reads as sentences ("Order placed"), not as code names."""

from __future__ import annotations

import pytest

from comptoir.core.audit import AuditAction, audit


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_audit_list_shows_the_label_of_each_action(staff_client, staff_user, company):
    audit(actor=staff_user, action=AuditAction.ORDER_PLACED, company=company)
    audit(actor=staff_user, action=AuditAction.MEMBER_UPDATED, company=company)
    body = staff_client.get("/backoffice/core/auditevent/").content.decode()
    results = body.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    assert "Order placed" in results
    assert "Member&#x27;s rights changed" in results
    assert "order.placed" not in results
    assert "member.updated" not in results


def test_audit_filter_offers_the_labels(staff_client, staff_user):
    audit(actor=staff_user, action=AuditAction.ORDER_PLACED)
    page = staff_client.get("/backoffice/core/auditevent/")
    [action_filter] = [f for f in page.context["cl"].filter_specs if getattr(f, "field_path", "") == "action"]
    labels = [str(choice["display"]) for choice in action_filter.choices(page.context["cl"])]
    assert "Order placed" in labels
    assert "order.placed" not in labels


def test_audit_detail_shows_the_label(staff_client, staff_user):
    event = audit(actor=staff_user, action=AuditAction.ORDER_PLACED)
    body = staff_client.get(f"/backoffice/core/auditevent/{event.pk}/change/").content.decode()
    what = body.split("field-action", 1)[1].split("</div>\n", 3)
    assert "Order placed" in "".join(what)
    assert "Order placed" in body.split("<title>", 1)[1].split("</title>", 1)[0]


def test_audit_list_in_french_shows_the_french_label(staff_client, staff_user, settings):
    audit(actor=staff_user, action=AuditAction.ORDER_PLACED)
    body = staff_client.get("/backoffice/core/auditevent/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Commande passée" in body
