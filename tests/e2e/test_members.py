"""A7, A10: an administrator deactivates a member and invites a new one; nobody gives a right they lack."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from comptoir.companies.models import Membership
from comptoir.core.permissions import Permission, Role
from tests.e2e.conftest import links_in, login, shot, wait_for_mail
from tests.factories import AdminMembershipFactory, CompanyFactory, MembershipFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def bakery(db):
    company = CompanyFactory(name="Boulangerie Martin")
    AdminMembershipFactory(company=company, user__email="anna@martin.test", user__full_name="Anna Martin")
    MembershipFactory(company=company, user__email="paul@martin.test", user__full_name="Paul Leroy")
    MembershipFactory(
        company=company, user__email="orders@martin.test", user__full_name="Front desk", role="quick_lists_only"
    )
    return company


def member_row(page, email):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=email, exact=True))


def test_deactivated_member_is_refused_on_the_next_request(site, real_mail, new_context, bakery):
    paul = new_context().new_page()
    login(paul, site, real_mail, "paul@martin.test")
    expect(paul.get_by_role("heading", name="Boulangerie Martin")).to_be_visible()

    anna = new_context().new_page()
    login(anna, site, real_mail, "anna@martin.test")
    anna.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(anna.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(member_row(anna, "paul@martin.test")).to_contain_text("Active")

    anna.get_by_role("button", name="Deactivate paul@martin.test").click()

    expect(anna.get_by_role("status")).to_contain_text("paul@martin.test was deactivated.")
    row = member_row(anna, "paul@martin.test")
    expect(row).to_contain_text("Inactive")
    expect(row.get_by_role("button", name="Reactivate paul@martin.test")).to_be_visible()
    shot(anna, "members")

    paul.reload()
    expect(paul).to_have_url(f"{site.url}/me/welcome/")
    expect(paul.get_by_text("You do not work for any active company in this shop yet.")).to_be_visible()
    expect(paul.get_by_role("heading", name="Boulangerie Martin")).to_have_count(0)


def test_invited_person_logs_in_by_code_accepts_and_works_for_the_company(site, real_mail, new_context, bakery):
    anna = new_context().new_page()
    login(anna, site, real_mail, "anna@martin.test")
    anna.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()

    invite = anna.get_by_role("region", name="Invite a member")
    invite.get_by_label("E-mail address").fill("lea@martin.test")
    invite.get_by_label("Role").select_option(label="Order without prices")
    invite.get_by_label("Personal message").fill("Welcome Léa, you will order the flour from now on.")
    shot(anna, "invite-member")
    invite.get_by_role("button", name="Send invitation").click()

    expect(anna.get_by_role("status")).to_contain_text("An invitation was sent to lea@martin.test.")
    expect(anna.get_by_role("region", name="Open invitations")).to_contain_text("lea@martin.test")

    invitation = wait_for_mail(real_mail, "lea@martin.test")
    assert invitation["Subject"].endswith("You are invited to order for Boulangerie Martin")
    link = next(url for url in links_in(invitation) if "/company/invitation/" in url)
    assert link.startswith(site.url)

    lea = new_context().new_page()
    lea.goto(link)
    expect(lea.get_by_role("heading", name="Invitation to work for Boulangerie Martin")).to_be_visible()
    assert link.partition("#")[2] not in lea.url  # the token leaves the address bar and the history
    lea.get_by_role("link", name="Log in to accept").click()
    expect(lea).to_have_url(re.compile(r"/accounts/login/code/\?next=/company/invitation/"))
    login(lea, site, real_mail, "lea@martin.test", navigate=False)

    expect(lea.get_by_text("Your role will be: Order without prices.")).to_be_visible()
    shot(lea, "invitation-accept")
    lea.get_by_role("button", name="Accept the invitation").click()

    expect(lea.get_by_role("status")).to_contain_text("Welcome to Boulangerie Martin.")
    expect(lea.get_by_role("heading", name="Boulangerie Martin")).to_be_visible()
    expect(lea.get_by_text("Your role: Order without prices.")).to_be_visible()


def look(page, name):
    """With COMPTOIR_LOOK_DIR set, photograph the page at desktop and phone widths, to look at (not for the guides)."""
    folder = os.environ.get("COMPTOIR_LOOK_DIR")
    if not folder:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 800})


FORGE_GRANT = """([role]) => {
    document.querySelector("fieldset[disabled]")?.removeAttribute("disabled");
    const form = document.querySelector("form.stack");
    const select = form.querySelector("select[name=role]");
    if (role) {
        select.add(new Option(role, role));
        select.value = role;
    } else {
        const box = document.createElement("input");
        Object.assign(box, {type: "checkbox", name: "granted", value: "see_prices", checked: true});
        form.append(box);
    }
    form.requestSubmit();
}"""


FORGE_INVITE = """() => {
    const select = document.querySelector("#invite ~ form select[name=role]");
    select.add(new Option("see_prices", "see_prices"));
    select.value = "see_prices";
    select.form.requestSubmit();
}"""


def test_carl_cannot_give_himself_or_a_colleague_the_right_to_see_prices(site, real_mail, new_context, bakery):
    carl = MembershipFactory(
        company=bakery,
        user__email="carl@martin.test",
        user__full_name="Carl Carlsson",
        role=Role.ORDER_WITHOUT_PRICES,
        granted_permissions=[Permission.MANAGE_USERS],
    )
    dora = Membership.objects.get(user__email="orders@martin.test")
    page = new_context().new_page()
    login(page, site, real_mail, "carl@martin.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()

    # His own membership: shown, not editable, and a forged form is refused.
    page.get_by_role("link", name="Edit carl@martin.test").click()
    expect(page.get_by_text("You cannot change your own role, rights, approval requirement")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.evaluate(FORGE_GRANT, ["see_prices"])
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("You cannot change your own role, rights")
    look(page, "member-own-refused")

    # A colleague: "See prices" is not offered, and a forged form is refused.
    page.goto(f"{site.url}/company/members/{dora.pk}/")
    expect(page.get_by_label("Role").locator("option", has_text="See prices")).to_have_count(0)
    expect(page.get_by_role("group", name="Extra permissions").get_by_label("See prices")).to_have_count(0)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.evaluate(FORGE_GRANT, [None])
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("You cannot give rights you do not hold: See prices.")
    look(page, "member-grant-refused")

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.evaluate(FORGE_GRANT, ["see_prices"])
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("You cannot give rights you do not hold: See prices")

    # Nor by invitation.
    page.get_by_role("link", name="Cancel").click()
    invite = page.get_by_role("region", name="Invite a member")
    expect(invite.get_by_label("Role").locator("option", has_text="See prices")).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate anna@martin.test")).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate orders@martin.test")).to_be_visible()
    look(page, "members-page")
    invite.get_by_label("E-mail address").fill("lea@martin.test")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.evaluate(FORGE_INVITE)
    assert answer.value.status == 403
    invite = page.get_by_role("region", name="Invite a member")
    expect(invite).to_contain_text("You cannot give rights you do not hold: See prices")
    look(page, "invite-refused")

    for membership in (carl, dora):
        membership.refresh_from_db()
        assert Permission.SEE_PRICES not in membership.permissions
    page.goto(f"{site.url}/")
    expect(page.get_by_text("Your role: Order without prices.")).to_be_visible()
