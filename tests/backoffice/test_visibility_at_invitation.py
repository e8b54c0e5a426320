"""Seed 002: staff choose the tags, seasons and brands a customer sees when they give access, one or many."""

from comptoir.catalog.models import Brand, Season, Tag
from comptoir.companies.models import Invitation
from comptoir.core.models import AuditEvent
from tests.factories import CompanyFactory


def test_single_invitation_opens_the_chosen_selection(client, staff_user, company):
    brand = Brand.objects.create(name="Bosk", slug="bosk")
    tag = Tag.objects.create(slug="promo", name_en="Promo")
    client.force_login(staff_user)
    response = client.post(
        f"/backoffice/companies/company/{company.pk}/give-access/",
        {
            "email": "buyer@acme.test",
            "role": "administrator",
            "private_message": "Hello",
            "visible_brands": [brand.pk],
            "visible_tags": [tag.pk],
        },
    )
    assert response.status_code == 302
    assert list(company.visible_brands.all()) == [brand]
    assert list(company.visible_tags.all()) == [tag]
    assert Invitation.objects.get(company=company).email == "buyer@acme.test"
    assert AuditEvent.objects.filter(action="company.visibility_changed", actor=staff_user).exists()


def test_bulk_invitation_asks_for_the_selection_then_invites_each_customer(client, staff_user):
    season = Season.objects.create(code="summer", name_en="Summer")
    first = CompanyFactory(email="orders@first.test")
    second = CompanyFactory(email="orders@second.test")
    client.force_login(staff_user)
    url = "/backoffice/companies/company/"
    ask = client.post(url, {"action": "give_access", "_selected_action": [first.pk, second.pk]})
    assert ask.status_code == 200
    assert "Give access to several customers" in ask.content.decode()
    assert not Invitation.objects.exists()
    done = client.post(
        url,
        {
            "action": "give_access",
            "_selected_action": [first.pk, second.pk],
            "visible_seasons": [season.pk],
            "apply": "1",
        },
    )
    assert done.status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {"orders@first.test", "orders@second.test"}
    assert list(first.visible_seasons.all()) == [season]
    assert list(second.visible_seasons.all()) == [season]


def test_customer_profile_edits_the_visible_selection(client, staff_user, company):
    client.force_login(staff_user)
    page = client.get(f"/backoffice/companies/company/{company.pk}/change/").content.decode()
    assert 'name="visible_brands"' in page
    assert 'name="visible_tags"' in page
