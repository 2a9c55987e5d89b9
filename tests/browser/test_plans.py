"""Individual plans and "my day" in a real browser, each page checked with axe-core.

A counsellor writes a plan from the case page (first without a goal), revises
it while a colleague saves the same version (the conflict page), prints it and
looks at their day.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.actions import plans as plan_actions
from casework.models import Plan, Responsible
from organisations.permissions import Role
from tests.browser.conftest import app_for, log_in
from tests.factories import CaseFactory, PersonFactory, PersonMeasureFactory, UserFactory, member

pytestmark = pytest.mark.browser

# Swedish once the translation exists, the English source string until then.
WRITE_A_PLAN = re.compile("Skriv en plan|Write a plan")
SAVE_THE_PLAN = re.compile("Spara planen|Save the plan")
REVISE = re.compile("Revidera planen|Revise the plan")
MY_DAY = re.compile("Min dag|My day")


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def world(site):
    counsellor = member(UserFactory(username="syv.p", first_name="Sara"), "0183", Role.COUNSELLOR)
    colleague = member(UserFactory(username="chef.p"), "0183", Role.UNIT_MANAGER)
    person = PersonFactory(first_name="Alva", last_name="Lind")
    CaseFactory(person=person, handler=counsellor, assigned_at=timezone.now())
    PersonMeasureFactory(
        person=person, measure__name="Motiverande samtal", responsible=Responsible.MUNICIPALITY
    )
    return {
        "counsellor": counsellor,
        "key": app_for(counsellor),
        "colleague": colleague,
        "person": person,
    }


def test_a_counsellor_writes_revises_and_prints_a_plan(world, page, assert_accessible):
    person = world["person"]
    log_in(page, world["counsellor"], world["key"])
    page.goto(f"/persons/{person.pk}/case/")
    page.get_by_role("link", name=WRITE_A_PLAN).click()
    expect(page).to_have_url(re.compile(r"/plans/new/$"))
    assert_accessible(page, "the new plan form")

    page.locator("textarea[name=goal]").fill("")
    page.get_by_role("button", name=SAVE_THE_PLAN).click()
    expect(page.locator("#id_goal")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the plan form with errors")

    page.locator("textarea[name=goal]").fill("Börja på gymnasiet i augusti.")
    page.locator("textarea[name=own_words]").fill("Jag vill bli elektriker.")
    page.locator("input[name=measures]").first.check()
    page.locator("input[name=follow_up_on]").fill(day(7))
    page.locator("input[name=evaluate_on]").fill(day(30))
    page.get_by_role("button", name=SAVE_THE_PLAN).click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("main")).to_contain_text("Motiverande samtal")
    assert_accessible(page, "the plan page")
    plan = Plan.objects.get(person=person)

    # A colleague saves a new version while the counsellor is writing.
    page.get_by_role("link", name=REVISE).first.click()
    plan_actions.revise_plan(
        by=world["colleague"],
        plan=plan,
        based_on=1,
        goal="Kollegans version",
        follow_up_on=timezone.localdate() + timedelta(days=7),
        evaluate_on=timezone.localdate() + timedelta(days=30),
    )
    page.locator("textarea[name=goal]").fill("Saras version")
    page.get_by_role("button", name=SAVE_THE_PLAN).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(".current-plan")).to_contain_text("Kollegans version")
    expect(page.locator("textarea[name=goal]")).to_have_value("Saras version")
    assert_accessible(page, "the conflict page")
    page.get_by_role("button", name=SAVE_THE_PLAN).click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("main")).to_contain_text("Saras version")
    plan.refresh_from_db()
    assert plan.version == 3

    page.goto(f"/persons/{person.pk}/plans/{plan.pk}/revisions/1/")
    expect(page.locator("main")).to_contain_text("Börja på gymnasiet i augusti.")
    assert_accessible(page, "an earlier version")
    response = page.request.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/")
    assert response.headers["content-type"] == "application/pdf"

    page.goto(f"/persons/{person.pk}/case/")
    expect(page.locator("main")).to_contain_text("Saras version")
    assert_accessible(page, "the case page with a plan")


def test_my_day_is_in_the_menu(world, page, assert_accessible):
    log_in(page, world["counsellor"], world["key"])
    page.get_by_role("link", name=MY_DAY).click()
    expect(page).to_have_url(re.compile(r"/my-day/$"))
    expect(page.locator("#assigned ~ table").first).to_contain_text("Alva Lind")
    assert_accessible(page, "my day")
