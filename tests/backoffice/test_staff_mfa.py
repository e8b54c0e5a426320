"""SECURITY 9: where required, staff reach the back office only with a second factor."""

from allauth.mfa.models import Authenticator


def test_staff_without_authenticator_is_sent_to_set_one_up(client, staff_user, settings):
    settings.COMPTOIR_STAFF_MFA_REQUIRED = True
    client.force_login(staff_user)
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_staff_with_totp_reaches_the_back_office(client, staff_user, settings):
    settings.COMPTOIR_STAFF_MFA_REQUIRED = True
    Authenticator.objects.create(user=staff_user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(staff_user)
    assert client.get("/backoffice/").status_code == 200
