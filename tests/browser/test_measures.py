"""Measures in a real browser, each page checked with axe-core (WCAG 2.1 A and AA).

A unit manager adds a measure to the catalogue; a counsellor offers it to a
young person, documents the answer and the start, and reads the case page.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import PersonMeasure
from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.browser.conftest import app_for, log_in
from tests.factories import PersonFactory, UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def young_person(site):
    person = PersonFactory(first_name="Alva", last_name="Lind")
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start=timezone.localdate().replace(day=1),
        start_reason=StartReason.NEVER_STARTED,
    )
    return person


@pytest.fixture
def staff(site):
    manager = member(UserFactory(username="chef.m"), "0183", Role.UNIT_MANAGER)
    counsellor = member(UserFactory(username="syv.m"), "0183", Role.COUNSELLOR)
    return {"manager": (manager, app_for(manager)), "counsellor": (counsellor, app_for(counsellor))}


def test_a_measure_is_added_offered_and_documented(
    young_person, staff, browser, site, assert_accessible
):
    manager, key = staff["manager"]
    page = browser.new_context(base_url=site, locale="sv-SE").new_page()
    log_in(page, manager, key)
    page.goto("/administration/measures/")
    assert_accessible(page, "the empty catalogue")
    page.goto("/administration/measures/new/")
    page.locator("input[name=name]").fill("Studiemotivation")
    page.locator("select[name=kind]").select_option(value="motivational")
    page.locator("select[name=owner]").select_option(index=2)  # the KAA unit
    page.locator("input[name=min_age]").fill("20")
    page.locator("input[name=max_age]").fill("18")
    page.locator("form.stacked button[type=submit]").click()
    assert_accessible(page, "the measure form with an error")
    page.locator("input[name=min_age]").fill("16")
    page.locator("input[name=capacity]").fill("10")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Studiemotivation")
    assert_accessible(page, "the catalogue with a measure")
    page.context.close()

    counsellor, key = staff["counsellor"]
    page = browser.new_context(base_url=site, locale="sv-SE").new_page()
    log_in(page, counsellor, key)
    page.goto(f"/persons/{young_person.pk}/case/")
    page.locator('a.button-link[href$="/measures/new/"]').click()
    expect(page).to_have_url(re.compile(r"/measures/new/$"))
    assert_accessible(page, "the offer form")
    page.locator("select[name=measure]").select_option(index=1)
    page.locator("input[name=responsible][value=other_actor]").check()
    page.locator("form.stacked button[type=submit]").click()
    assert_accessible(page, "the offer form with an error")
    page.locator("input[name=responsible][value=municipality]").check()
    page.locator("textarea[name=note]").fill("Vill prata om studier.")
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/case/$"))
    assert_accessible(page, "the case page with a measure")

    offer = PersonMeasure.objects.get(person=young_person)
    page.goto(f"/persons/{young_person.pk}/measures/{offer.pk}/edit/")
    assert_accessible(page, "the documentation form")
    today = timezone.localdate().isoformat()
    page.locator("input[name=answer][value=accepted]").check()
    page.locator("input[name=answered_on]").fill(today)
    page.locator("input[name=end]").fill(today)
    page.locator("form.stacked button[type=submit]").click()
    assert_accessible(page, "the documentation form with errors")
    page.locator("input[name=end]").fill("")
    page.locator("input[name=start]").fill(today)
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/case/$"))
    offer.refresh_from_db()
    assert (offer.answer, offer.start) == ("accepted", timezone.localdate())
    page.context.close()
