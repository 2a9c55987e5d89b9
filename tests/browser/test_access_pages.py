"""The access, secrecy and audit pages in a real browser, each checked with axe-core.

A manager follows up the audit log after a counsellor opened a protected
identity with a stated reason; an administrator gives a role, previews
gallring and produces a register extract.
"""

import re

import pytest
from playwright.sync_api import expect

from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PartnerFactory, PersonFactory, UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def people(site):
    protected = PersonFactory(first_name="Elsa", last_name="Skyddad", sekretessmarkering=True)
    ordinary = PersonFactory(first_name="Hugo", last_name="Vanlig")
    for person in (protected, ordinary):
        ResponsibilityPeriod.objects.create(
            municipality=person.municipality,
            person=person,
            kind=Kind.KAA,
            start=person.birth_date.replace(year=person.birth_date.year + 16),
            start_reason=StartReason.NEVER_STARTED,
        )
    PartnerFactory(name="Arbetsförmedlingen Sundbyberg")
    return {"protected": protected, "ordinary": ordinary}


@pytest.fixture
def staff(site):
    counsellor = member(UserFactory(username="syv.b"), "0183", Role.COUNSELLOR)
    manager = member(UserFactory(username="chef.b"), "0183", Role.UNIT_MANAGER)
    administrator = member(UserFactory(username="admin.b"), "0183", Role.ADMINISTRATOR)
    UserFactory(username="ny.kollega")
    return {
        "counsellor": (counsellor, app_for(counsellor)),
        "manager": (manager, app_for(manager)),
        "administrator": (administrator, app_for(administrator)),
    }


def test_a_protected_identity_is_opened_with_a_reason_and_followed_up(
    people, staff, page, assert_accessible
):
    counsellor, key = staff["counsellor"]
    log_in(page, counsellor, key)
    page.goto(f"/persons/{people['protected'].pk}/")
    expect(page).to_have_url(re.compile(r"/purpose/$"))
    assert_accessible(page, "the purpose page")
    page.get_by_label("Varför öppnar du personen?").fill("Uppföljning av samtal")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Elsa")
    assert_accessible(page, "a protected person's page")

    page.goto(f"/persons/{people['ordinary'].pk}/")
    page.locator("summary").click()
    page.get_by_label("Öppna för").select_option(label="Arbetsförmedlingen Sundbyberg")
    page.get_by_label("Skäl").fill("Skriftligt samtycke")
    page.get_by_label("Giltigt till").fill("2099-12-31")
    page.get_by_role("button", name="Öppna åtkomst").click()
    expect(page.locator("main")).to_contain_text("Arbetsförmedlingen Sundbyberg")
    assert_accessible(page, "the person page with a grant")
    page.get_by_role("button", name="Logga ut").click()

    manager, key = staff["manager"]
    log_in(page, manager, key)
    page.get_by_role("link", name="Logguppföljning").click()
    expect(page.locator("main")).to_contain_text("Uppföljning av samtal")
    assert_accessible(page, "the audit follow-up")


def test_the_administrators_pages(people, staff, page, assert_accessible):
    administrator, key = staff["administrator"]
    log_in(page, administrator, key, landing=re.compile(r"/$|/imports/$|/administration/"))
    page.goto("/administration/users/")
    assert_accessible(page, "users and roles")
    page.get_by_label("Användarnamn").fill("ny.kollega")
    page.get_by_label("Organisation eller enhet").select_option(index=1)
    page.get_by_label("Roll:", exact=True).select_option(label="Analytiker")
    page.get_by_role("button", name="Ge rollen").click()
    expect(page.locator("main")).to_contain_text("ny.kollega")

    page.goto("/administration/roles/")
    expect(page.locator("main")).to_contain_text("Ungdomsambassadör")
    assert_accessible(page, "the roles")

    page.goto("/audit/settings/")
    assert_accessible(page, "the audit thresholds")

    page.goto("/administration/retention/")
    expect(page.locator("main")).to_contain_text("Gallring")
    assert_accessible(page, "gallring")

    page.goto("/administration/subject-access/")
    page.get_by_label("Personnummer").fill("000000-0000")
    page.get_by_role("button", name="Ta fram utdraget").click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert_accessible(page, "the register extract with an error")
