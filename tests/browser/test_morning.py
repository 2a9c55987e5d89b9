"""A counsellor's morning and an ambassador's field visit, on the demo data.

The demo (the README's first command, at a small size) gives a municipality
with two years of casework. The counsellor opens the worklist, takes a young
person nobody has contacted yet, reaches them, records what they do, offers a
measure, writes and prints a plan, and sees them leave the worklist. The
ambassador logs a field contact on a phone and may not write a plan. Every
page is checked with axe-core (WCAG 2.1 A and AA).
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Contact, Measure, Plan
from demo.management.commands.demo import DEMO_PASSWORD
from responsibility.models import Kind, ResponsibilityPeriod
from tests.browser.conftest import app_for, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WORKLISTS = re.compile("^(Arbetslistor|Worklists)$")
NEVER_CONTACTED = re.compile("aldrig kontaktade|never contacted", re.I)
SAVE_CONTACT = re.compile("Spara kontakten|Save the contact")
RECORD_OCCUPATION = re.compile("Registrera sysselsättning|Record occupation")
OFFER_A_MEASURE = re.compile("Erbjud en åtgärd|Offer a measure")
WRITE_A_PLAN = re.compile("Skriv en plan|Write a plan")
SAVE_THE_PLAN = re.compile("Spara planen|Save the plan")


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def demo(site, settings, tmp_path):
    """The demo municipality at a small size, its staff with their authenticator apps."""
    settings.VAR_DIR = tmp_path
    call_command("demo", size=500, stdout=io.StringIO())
    users = get_user_model().objects
    return {name: users.get(username=name) for name in ("syv", "ambassador")}


def never_contacted() -> list:
    """Young people in KAA today with no contact at all, in the worklist's order."""
    today = timezone.localdate()
    contacted = set(Contact.objects.values_list("person_id", flat=True))
    periods = (
        ResponsibilityPeriod.objects.filter(kind=Kind.KAA)
        .on(today)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__identity_number")
    )
    return [p.person for p in periods if p.person_id not in contacted]


def test_a_counsellors_morning(demo, page, assert_accessible):
    counsellor = demo["syv"]
    key = app_for(counsellor)
    person = never_contacted()[0]
    measure = Measure.objects.get(name="Motiverande samtal")
    name = person.full_name

    log_in(page, counsellor, key, password=DEMO_PASSWORD)
    page.get_by_role("link", name=WORKLISTS).click()
    page.get_by_role("link", name=NEVER_CONTACTED).first.click()
    rows = page.locator("main table tbody")
    expect(rows).to_contain_text(name)
    assert_accessible(page, "the never-contacted worklist on the demo data")

    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/persons/{person.pk}/"))
    assert_accessible(page, "the young person's page")

    # Reached by phone.
    page.goto(f"/persons/{person.pk}/contacts/new/")
    page.locator("input[name=channel][value=phone]").check()
    page.locator("input[name=outcome][value=reached]").check()
    page.locator("textarea[name=note]").fill("Vill prata om studier.")
    page.get_by_role("button", name=SAVE_CONTACT).click()
    expect(page).to_have_url(re.compile(rf"/persons/{person.pk}/case/$"))
    expect(page.locator("main table.timeline")).to_contain_text("Vill prata om studier.")
    assert_accessible(page, "the case page after the contact")

    # What they do now.
    page.goto(f"/persons/{person.pk}/occupations/new/")
    page.locator("select[name=kind]").select_option(label="Ingen sysselsättning")
    page.locator("select[name=source]").select_option(value="young_person")
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/case/$"))

    # A measure, accepted at once.
    page.get_by_role("link", name=OFFER_A_MEASURE).first.click()
    expect(page).to_have_url(re.compile(r"/measures/new/$"))
    assert_accessible(page, "the offer form")
    page.locator("select[name=measure]").select_option(value=str(measure.pk))
    page.locator("input[name=responsible][value=municipality]").check()
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/case/$"))
    expect(page.locator("main")).to_contain_text("Motiverande samtal")

    # The plan, printed for the young person.
    page.get_by_role("link", name=WRITE_A_PLAN).click()
    assert_accessible(page, "the plan form")
    page.locator("textarea[name=goal]").fill("Börja studera på komvux i januari.")
    page.locator("textarea[name=own_words]").fill("Jag vill bli undersköterska.")
    page.locator("input[name=measures]").first.check()
    page.locator("input[name=follow_up_on]").fill(day(14))
    page.locator("input[name=evaluate_on]").fill(day(90))
    page.get_by_role("button", name=SAVE_THE_PLAN).click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    assert_accessible(page, "the plan")
    plan = Plan.objects.get(person=person)
    pdf = page.request.get(f"/persons/{person.pk}/plans/{plan.pk}/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Reached: no longer on the never-contacted list.
    page.get_by_role("link", name=WORKLISTS).click()
    page.get_by_role("link", name=NEVER_CONTACTED).first.click()
    expect(page.locator("main table tbody")).not_to_contain_text(name)


def test_an_ambassador_logs_a_field_visit_and_may_not_write_a_plan(demo, page, assert_accessible):
    ambassador = demo["ambassador"]
    key = app_for(ambassador)
    person = never_contacted()[-1]
    page.set_viewport_size(PHONE)
    log_in(page, ambassador, key, password=DEMO_PASSWORD)

    page.goto(f"/persons/{person.pk}/contacts/quick/")
    assert_accessible(page, "the quick contact form on a phone")
    page.locator("input[name=channel][value=field]").check()
    page.locator("input[name=outcome][value=reached]").check()
    page.get_by_role("button", name=SAVE_CONTACT).click()
    expect(page).to_have_url(re.compile(rf"/persons/{person.pk}/case/$"))
    expect(page.locator("main table.timeline")).to_contain_text(
        re.compile("Uppsökande i fält|Field outreach")
    )
    assert_accessible(page, "the case page on a phone")
    expect(page.get_by_role("link", name=WRITE_A_PLAN)).to_have_count(0)

    refused = page.goto(f"/persons/{person.pk}/plans/new/")
    assert refused.status == 403
    expect(page.locator("main")).to_be_visible()
    assert_accessible(page, "the refusal")
