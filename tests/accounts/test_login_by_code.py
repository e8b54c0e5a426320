from django.core import mail

from tests.conftest import login_by_code, request_code


def test_member_logs_in_with_emailed_code(client, member):
    login_by_code(client, member.user.email)
    response = client.get("/")
    assert response.status_code == 200
    assert member.company.name in response.content.decode()


def test_code_for_unknown_address_gets_same_answer_and_no_mail(client, member):
    known = client.post("/accounts/login/code/", {"email": member.user.email})
    client_unknown = type(client)()
    unknown = client_unknown.post("/accounts/login/code/", {"email": "nobody@nowhere.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[member.user.email]]


def test_used_code_cannot_log_in_again(client, member):
    code = request_code(client, member.user.email)
    assert client.post("/accounts/login/code/confirm/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    other = type(client)()
    other.post("/accounts/login/code/", {"email": member.user.email})
    mail.outbox.clear()
    response = other.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 200  # form shown again with an error
    assert "_auth_user_id" not in other.session


def test_code_mail_greets_with_the_store_name(client, member):
    from comptoir.backoffice.models import StoreSettings

    store = StoreSettings.load()
    store.store_name = "Brasserie Supplies"
    store.save()
    request_code(client, member.user.email)
    assert "Brasserie Supplies" in mail.outbox[-1].body
    assert "testserver" not in mail.outbox[-1].body
