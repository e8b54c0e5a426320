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


def test_inline_member_change_in_the_back_office_is_audited(client, staff_user, admin_membership):
    from comptoir.core.models import AuditEvent

    client.force_login(staff_user)
    company = admin_membership.company
    url = f"/backoffice/companies/company/{company.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update({"name": company.name, "vat_number": company.vat_number, "language": company.language})
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update(
            {
                f"{fs.prefix}-TOTAL_FORMS": str(len(fs.forms)),
                f"{fs.prefix}-INITIAL_FORMS": str(len(fs.forms)),
                f"{fs.prefix}-MIN_NUM_FORMS": "0",
                f"{fs.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[f"{fs.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    member_prefix = next(
        f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == "Membership"
    )
    data.pop(f"{member_prefix}-0-is_active", None)  # untick "active"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    admin_membership.refresh_from_db()
    assert not admin_membership.is_active
    assert AuditEvent.objects.filter(
        action="membership.changed", actor=staff_user, target_id=str(admin_membership.pk)
    ).exists()
