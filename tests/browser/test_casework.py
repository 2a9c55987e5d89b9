"""Casework in a real browser, each page checked with axe-core (WCAG 2.1 A and AA).

An ambassador on a phone-sized window picks a young person from the worklist
and logs a field contact in a few taps; a counsellor records occupation and
reads the case timeline.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Channel, Contact, Outcome
from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PersonFactory, UserFactory, member
from worklists import state

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Swedish once the translation exists, the English source string until then.
WORKLISTS = re.compile("Arbetslistor|Worklists")
LOG_A_CONTACT = re.compile("Logga en kontakt|Log a contact")
SAVE_CONTACT = re.compile("Spara kontakten|Save the contact")
NEVER_CONTACTED = re.compile("^(Aldrig kontaktade|Never contacted)$")


@pytest.fixture
def young_people(site):
    people = {}
    for first, last in (("Alva", "Lind"), ("Hugo", "Berg")):
        person = PersonFactory(first_name=first, last_name=last, phone="070-1234567")
        ResponsibilityPeriod.objects.create(
            municipality=person.municipality,
            person=person,
            kind=Kind.KAA,
            start=timezone.localdate().replace(day=1),
            start_reason=StartReason.NEVER_STARTED,
        )
        people[last] = person
    for _ in range(3):
        Contact.objects.create(
            municipality=people["Berg"].municipality,
            person=people["Berg"],
            channel=Channel.LETTER,
            outcome=Outcome.NOT_REACHED,
            at=timezone.now(),
        )
    state.refresh([people["Berg"].pk])  # as the actions do
    return people


@pytest.fixture
def staff(site):
    ambassador = member(UserFactory(username="ambassador.b"), "0183", Role.AMBASSADOR)
    counsellor = member(UserFactory(username="syv.c"), "0183", Role.COUNSELLOR)
    return {
        "ambassador": (ambassador, app_for(ambassador)),
        "counsellor": (counsellor, app_for(counsellor)),
    }


def test_an_ambassador_logs_a_field_contact_on_a_phone(
    young_people, staff, page, assert_accessible
):
    page.set_viewport_size(PHONE)
    ambassador, key = staff["ambassador"]
    log_in(page, ambassador, key)
    page.get_by_role("link", name=WORKLISTS).click()
    assert_accessible(page, "the worklist overview on a phone")
    page.get_by_role("link", name=NEVER_CONTACTED).click()
    expect(page.locator("main table")).to_contain_text("Alva Lind")
    assert_accessible(page, "the never-contacted worklist on a phone")

    page.get_by_role("link", name=re.compile("Alva Lind")).last.click()  # "Log a contact: …"
    expect(page).to_have_url(re.compile(r"/contacts/quick/$"))
    assert_accessible(page, "the quick contact form on a phone")
    page.locator("input[name=channel][value=field]").check()
    page.locator("input[name=outcome][value=reached]").check()
    button = page.get_by_role("button", name=SAVE_CONTACT)
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    button.click()  # the time was already filled in: now

    expect(page).to_have_url(re.compile(rf"/persons/{young_people['Lind'].pk}/case/$"))
    expect(page.locator("main table.timeline")).to_contain_text("Uppsökande i fält")
    assert_accessible(page, "the case timeline on a phone")
    contact = Contact.objects.get(person=young_people["Lind"])
    assert (contact.channel, contact.outcome, contact.by) == ("field", "reached", ambassador)

    page.goto("/worklists/never-contacted/")
    expect(page.locator("main table")).not_to_contain_text("Alva Lind")
    refused = page.goto(f"/persons/{young_people['Lind'].pk}/occupations/new/")
    assert refused.status == 403


def test_a_counsellor_records_occupation_and_reads_the_case(
    young_people, staff, page, assert_accessible
):
    counsellor, key = staff["counsellor"]
    log_in(page, counsellor, key)
    page.goto("/worklists/not-reached/")
    expect(page.locator("main table")).to_contain_text("Hugo Berg")
    assert_accessible(page, "the not-reached worklist")

    person = young_people["Berg"]
    page.goto(f"/persons/{person.pk}/")
    assert_accessible(page, "the person page with the casework links")
    page.get_by_role("link", name=LOG_A_CONTACT).first.click()
    assert_accessible(page, "the contact form")
    page.locator("input[name=channel][value=phone]").check()
    page.locator("input[name=outcome][value=reached]").check()
    page.locator("textarea[name=note]").fill("Vill börja på komvux.")
    page.get_by_role("button", name=SAVE_CONTACT).click()
    expect(page.locator("main table.timeline")).to_contain_text("Vill börja på komvux.")

    page.goto(f"/persons/{person.pk}/occupations/new/")
    assert_accessible(page, "the occupation form")
    page.locator("select[name=kind]").select_option(label="Komvux")
    page.locator("select[name=source]").select_option(value="young_person")
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/case/$"))
    expect(page.locator("main table.timeline")).to_contain_text("Komvux")
    assert_accessible(page, "the case timeline")


@pytest.fixture
def administrator(site):
    administrator = member(UserFactory(username="admin.c"), "0183", Role.ADMINISTRATOR)
    return administrator, app_for(administrator)


def test_an_administrator_extends_the_occupation_list(administrator, page, assert_accessible):
    user, key = administrator
    log_in(page, user, key, landing=re.compile(r"/"))
    page.goto("/administration/occupations/")
    assert_accessible(page, "the occupation list")
    page.locator("input[name=name]").fill("Sfi")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Sfi")
    assert_accessible(page, "the occupation list after adding")
