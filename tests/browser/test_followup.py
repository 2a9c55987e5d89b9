"""The follow-up in a real browser, each page checked with axe-core (WCAG 2.1 A and AA).

A unit manager opens the dashboard, follows a number to the people behind it,
sets a target, downloads the board report (PDF and Excel) and the KAA file.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Answer, Channel, Contact, Outcome
from followup.periods import last_complete_tertial
from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PersonFactory, UserFactory, member
from tests.followup.builders import offer

pytestmark = pytest.mark.browser

# Swedish once the translation exists, the English source string until then.
FOLLOW_UP = re.compile("^(Uppföljning|Follow-up)$")
SAVE_TARGET = re.compile("Spara målvärdet|Save the target")
BOARD_REPORT = re.compile("^(Nämndrapport|Board report)$")
PDF = re.compile("PDF")
EXCEL = re.compile("Excel")
KAA_STATISTICS = re.compile("^(KAA-statistik|KAA statistics)$")
DOWNLOAD_FILE = re.compile("Ladda ned filen|Download the file")


@pytest.fixture
def young_people(site):
    """Three young people in KAA during the last complete tertial; one offered a measure."""
    tertial = last_complete_tertial(timezone.localdate())
    people = []
    for first, last in (("Alva", "Lind"), ("Hugo", "Berg"), ("Maja", "Holm")):
        person = PersonFactory(first_name=first, last_name=last)
        ResponsibilityPeriod.objects.create(
            municipality=person.municipality,
            person=person,
            kind=Kind.KAA,
            start=tertial.start,
            start_reason=StartReason.NEVER_STARTED,
        )
        people.append(person)
    Contact.objects.create(
        municipality=people[0].municipality,
        person=people[0],
        channel=Channel.PHONE,
        outcome=Outcome.REACHED,
        at=timezone.now() - timedelta(days=(timezone.localdate() - tertial.start).days - 3),
    )
    offer(people[0], tertial.start + timedelta(days=5), answer=Answer.ACCEPTED)
    return people


@pytest.fixture
def manager(site):
    user = member(UserFactory(username="chef.b"), "0183", Role.UNIT_MANAGER)
    return user, app_for(user)


def test_a_manager_follows_up_the_goals(young_people, manager, page, assert_accessible):
    user, key = manager
    log_in(page, user, key)

    page.get_by_role("link", name=FOLLOW_UP).click()
    expect(page).to_have_url(re.compile(r"/followup/$"))
    expect(page.locator("svg[role=img]")).to_have_count(5)
    assert_accessible(page, "the follow-up dashboard")

    # A number opens the list of people behind it: the three in KAA (goal 2's denominator).
    page.locator('a[href*="indicator=kaa_offered_share"][href*="part=denominator"]').last.click()
    expect(page).to_have_url(re.compile(r"/followup/people/"))
    for name in ("Alva Lind", "Hugo Berg", "Maja Holm"):
        expect(page.locator("main table")).to_contain_text(name)
    assert_accessible(page, "the people behind a number")
    page.go_back()

    # A target for goal 2, then the dashboard measures against it.
    page.locator('a[href*="targets/?indicator=kaa_offered_share"]').click()
    expect(page).to_have_url(re.compile(r"/followup/targets/"))
    assert_accessible(page, "the target form")
    page.locator("#id_value").fill("90")
    page.get_by_role("button", name=SAVE_TARGET).click()
    expect(page).to_have_url(re.compile(r"/followup/\?scope="))
    expect(page.locator("#indicator-kaa_offered_share").locator("..")).to_contain_text("90,0 %")

    page.get_by_role("link", name=BOARD_REPORT).first.click()
    expect(page).to_have_url(re.compile(r"/followup/board-report/"))
    assert_accessible(page, "the board report")
    with page.expect_download() as pdf:
        page.get_by_role("link", name=PDF).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name=EXCEL).click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name=KAA_STATISTICS).click()
    expect(page).to_have_url(re.compile(r"/followup/kaa-statistics/"))
    assert_accessible(page, "the KAA statistics report")
    with page.expect_download() as csv_file:
        page.get_by_role("link", name=DOWNLOAD_FILE).click()
    assert csv_file.value.suggested_filename.endswith(".csv")
