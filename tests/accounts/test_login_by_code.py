from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

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


def _subject_in(language: str) -> str:
    with translation.override(language):
        return gettext("Sign-In Code")


def test_code_mail_follows_the_page_for_a_person_without_a_language(client, member):
    """The code is read by whoever asked for it: the task renders it in the language of the page they used."""
    member.user.language = ""
    member.user.save(update_fields=["language"])
    client.post("/accounts/login/code/", {"email": member.user.email}, HTTP_ACCEPT_LANGUAGE="fr")
    assert _subject_in("fr") != _subject_in("en")
    assert _subject_in("fr") in mail.outbox[-1].subject


def test_code_mail_follows_the_persons_own_language_over_the_page(client, member):
    member.user.language = "sv"
    member.user.save(update_fields=["language"])
    client.post("/accounts/login/code/", {"email": member.user.email}, HTTP_ACCEPT_LANGUAGE="fr")
    assert _subject_in("sv") != _subject_in("fr")
    assert _subject_in("sv") in mail.outbox[-1].subject


def test_the_worker_renders_the_code_in_the_language_of_the_page_it_was_asked_from(member):
    """The worker has no request: the page's language travels with the task."""
    from comptoir.accounts.tasks import send_login_code

    member.user.language = ""
    member.user.save(update_fields=["language"])
    with translation.override("en"):
        send_login_code.call(email=member.user.email, code="ABCD-EFGH", reauthentication=False, language="nl")
    assert _subject_in("nl") != _subject_in("en")
    assert _subject_in("nl") in mail.outbox[-1].subject
