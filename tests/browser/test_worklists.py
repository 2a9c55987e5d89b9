"""Worklists in a real browser, each page checked with axe-core (WCAG 2.1 A and AA).

A counsellor opens the overview, filters a list, assigns a young person to
herself, saves the view, and closes the case of a young person who has left.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case
from organisations.permissions import Role
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PersonFactory, UserFactory, member
from worklists.models import SavedView

pytestmark = pytest.mark.browser

# Swedish once the translation exists, the English source string until then.
WORKLISTS = re.compile("Arbetslistor|Worklists")
NEVER_CONTACTED = re.compile("^(Aldrig kontaktade|Never contacted)$")
ENDED = re.compile("^(Avslutade, ännu inte stängda|Ended, not yet closed)$")
SHOW = re.compile("^(Visa|Show)$")
ASSIGN = re.compile("^(Tilldela|Assign)$")
CLOSE = re.compile("^(Stäng ärendena|Close the cases)$")
SAVE_VIEW = re.compile("Spara filtren som en vy|Save these filters as a view")


@pytest.fixture
def young_people(site):
    today = timezone.localdate()
    people = {}
    for first, last, end in (("Alva", "Lind", None), ("Hugo", "Berg", today - timedelta(days=1))):
        person = PersonFactory(first_name=first, last_name=last)
        ResponsibilityPeriod.objects.create(
            municipality=person.municipality,
            person=person,
            kind=Kind.KAA,
            start=today - timedelta(days=100),
            start_reason=StartReason.NEVER_STARTED,
            end=end,
            end_reason=EndReason.TURNED_20 if end else "",
        )
        people[last] = person
    return people


@pytest.fixture
def counsellor(site):
    user = member(UserFactory(username="syv.w", first_name="Sara"), "0183", Role.COUNSELLOR)
    return user, app_for(user)


def test_a_counsellor_works_through_the_worklists(
    young_people, counsellor, page, assert_accessible
):
    user, key = counsellor
    log_in(page, user, key)
    page.get_by_role("link", name=WORKLISTS).click()
    expect(page).to_have_url(re.compile(r"/worklists/$"))
    assert_accessible(page, "the worklist overview")

    page.get_by_role("link", name=NEVER_CONTACTED).click()
    expect(page.locator("main table.worklist")).to_contain_text("Alva Lind")
    page.locator("#id_kind").select_option("kaa")
    page.get_by_role("button", name=SHOW).click()
    expect(page).to_have_url(re.compile(r"kind=kaa"))
    assert_accessible(page, "a filtered worklist")

    page.locator("input[name=person]").first.check()
    page.locator("#assign_handler").select_option(str(user.pk))
    page.get_by_role("button", name=ASSIGN).click()
    expect(page.locator("main table.worklist")).to_contain_text(user.get_full_name())
    assert Case.objects.get(person=young_people["Lind"]).handler == user
    assert_accessible(page, "the worklist after assigning")

    page.locator("input[name=name]").fill("Mina i KAA")
    page.get_by_role("button", name=SAVE_VIEW).click()
    expect(page.get_by_role("link", name="Mina i KAA")).to_be_visible()
    assert SavedView.objects.get(user=user).query == "kind=kaa&sort=name"

    page.get_by_role("link", name=ENDED).first.click()
    expect(page.locator("main table.worklist")).to_contain_text("Hugo Berg")
    assert_accessible(page, "the ended list")
    page.locator("input[name=person]").first.check()
    page.get_by_role("button", name=CLOSE).click()
    expect(page.locator("main table.worklist")).not_to_contain_text("Hugo Berg")
    assert Case.objects.get(person=young_people["Berg"]).closed_on == timezone.localdate()
    assert_accessible(page, "the ended list after closing")
