"""A7, A10: an administrator deactivates a member and invites a new one."""

import re

import pytest
from playwright.sync_api import expect

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
