"""Seed 002: staff choose the tags, seasons and brands a customer sees when they give access, one or many."""

import re

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
    Brand.objects.create(name="Bosk", slug="bosk")
    Tag.objects.create(slug="promo", name_en="Promo")
    client.force_login(staff_user)
    page = client.get(f"/backoffice/companies/company/{company.pk}/change/").content.decode()
    assert f'href="/backoffice/companies/company/{company.pk}/visibility/"' in page
    form = client.get(f"/backoffice/companies/company/{company.pk}/visibility/").content.decode()
    assert 'name="visible_brands"' in form
    assert 'name="visible_tags"' in form


def _bulk_give_access(client, companies, **choices):
    return client.post(
        "/backoffice/companies/company/",
        {"action": "give_access", "_selected_action": [c.pk for c in companies], "apply": "1", **choices},
    )


def test_bulk_invitation_without_a_selection_keeps_each_customers_selection(client, staff_user):
    bosk, kavel = Brand.objects.create(name="Bosk", slug="bosk"), Brand.objects.create(name="Kavel", slug="kavel")
    summer = Season.objects.create(code="summer", name_en="Summer")
    first = CompanyFactory(email="orders@first.test")
    first.visible_brands.set([bosk])
    second = CompanyFactory(email="orders@second.test")
    second.visible_brands.set([kavel])
    second.visible_seasons.set([summer])
    client.force_login(staff_user)
    assert _bulk_give_access(client, [first, second]).status_code == 302
    assert Invitation.objects.count() == 2
    assert list(first.visible_brands.all()) == [bosk]
    assert (list(second.visible_brands.all()), list(second.visible_seasons.all())) == ([kavel], [summer])
    assert not AuditEvent.objects.filter(action="company.visibility_changed").exists()


def test_bulk_invitation_page_says_nothing_chosen_keeps_the_selection(client, staff_user):
    client.force_login(staff_user)
    first, second = CompanyFactory(), CompanyFactory()
    page = client.post(
        "/backoffice/companies/company/", {"action": "give_access", "_selected_action": [first.pk, second.pk]}
    )
    assert "each customer then keeps its current selection" in page.content.decode()


def test_single_invitation_dialog_ticks_the_customers_current_selection(client, staff_user, company):
    Brand.objects.create(name="Bosk", slug="bosk")  # offered, not ticked
    kavel = Brand.objects.create(name="Kavel", slug="kavel")
    tag = Tag.objects.create(slug="promo", name_en="Promo")
    company.visible_brands.set([kavel])
    company.visible_tags.set([tag])
    client.force_login(staff_user)
    page = client.get(f"/backoffice/companies/company/{company.pk}/give-access/").content.decode()
    ticked = set(re.findall(r'<input type="checkbox" name="(\w+)" value="(\d+)"[^>]*checked', page))
    assert ticked == {("visible_brands", str(kavel.pk)), ("visible_tags", str(tag.pk))}
