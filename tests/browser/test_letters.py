"""Letters in a real browser, each page checked with axe-core (WCAG 2.1 A and AA).

A unit manager opens the letters, reads a letter's preview, chooses who gets
the first letter, sees how many, makes the letters and reads the batch, where a
young person with a protected identity is listed for handling by hand.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PersonFactory, UserFactory, member

pytestmark = pytest.mark.browser

# Swedish once the translation exists, the English source string until then.
SHOW_HOW_MANY = re.compile("Visa hur många|Show how many")
MAKE_LETTERS = re.compile("Skapa breven|Make the letters")


@pytest.fixture
def young_people(site):
    for first, last, protected in (("Alva", "Lind", False), ("Hugo", "Skyddad", True)):
        person = PersonFactory(first_name=first, last_name=last, sekretessmarkering=protected)
        ResponsibilityPeriod.objects.create(
            municipality=person.municipality,
            person=person,
            kind=Kind.KAA,
            start=timezone.localdate().replace(day=1),
            start_reason=StartReason.NEVER_STARTED,
        )


@pytest.fixture
def manager(site):
    user = member(
        UserFactory(username="chef.brev", email="chef@sundbyberg.se"), "0183", Role.UNIT_MANAGER
    )
    return user, app_for(user)


def test_a_manager_sends_the_first_letter(young_people, manager, page, assert_accessible):
    user, key = manager
    log_in(page, user, key)

    page.goto("/letters/")
    expect(page.locator("h1")).to_contain_text("Sundbyberg")
    assert_accessible(page, "the letters")

    page.get_by_role("link", name="Påminnelse", exact=True).click()
    expect(page.locator(".preview")).to_contain_text("Hej Alva!")
    assert_accessible(page, "a letter's edit page")

    page.goto("/letters/batches/new/")
    page.locator("#id_template").select_option(label="Första brevet")
    page.locator("#id_contact_phone").fill("08-706 80 00")
    page.get_by_role("button", name=SHOW_HOW_MANY).click()
    expect(page.locator(".preview")).to_be_visible()
    assert_accessible(page, "the batch's preview")

    page.get_by_role("button", name=MAKE_LETTERS).click()
    expect(page).to_have_url(re.compile(r"/letters/batches/\d+/$"))
    expect(page.locator("main")).to_contain_text("Alva Lind")
    expect(page.locator("main")).to_contain_text("Hugo Skyddad")
    assert_accessible(page, "the batch")
