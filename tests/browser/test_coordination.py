"""The whole chain of coordination in a real browser, each page checked with axe-core.

On the demo data: a school reports an interruption; the KAA team takes it, records the young
person's consent and refers them to Arbetsförmedlingen, which accepts and
reports a start; the team initiates a SIP with the region's youth psychiatry
and social services, all three write their parts, and the plan is established
and printed.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import Consent, Referral, Sip
from demo.coordination import SCHOOL
from demo.management.commands.demo import DEMO_PASSWORD
from organisations.models import Organisation
from responsibility.models import Kind, ResponsibilityPeriod
from tests.browser.conftest import app_for, log_in

pytestmark = pytest.mark.browser

INBOX = re.compile(r"/coordination/inbox/$")


@pytest.fixture
def world(site, settings, tmp_path):
    """The demo municipality at a small size: its KAA team, a school of another
    organiser, Arbetsförmedlingen, the region and social services, and a young
    person in KAA that no actor coordinates around yet."""
    settings.VAR_DIR = tmp_path
    call_command("demo", size=500, stdout=io.StringIO())
    busy = set(Consent.objects.values_list("person_id", flat=True))
    periods = (
        ResponsibilityPeriod.objects.filter(kind=Kind.KAA, person__sekretessmarkering=False)
        .on(timezone.localdate())
        .exclude(person_id__in=busy)
        .select_related("person")
        .order_by("person__identity_number")
    )
    person = periods.first().person
    partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
    organisations = {
        "school": partners.get(school_unit_code=SCHOOL[1]),
        "af": partners.get(category=Organisation.Category.EMPLOYMENT_SERVICE),
        "bup": partners.get(category=Organisation.Category.HEALTH_CARE),
        "social": Organisation.objects.get(
            kind=Organisation.Kind.UNIT,
            category=Organisation.Category.SOCIAL_SERVICES,
            parent=person.municipality,
        ),
    }
    usernames = {
        "team": "syv",
        "school": "skola",
        "af": "af",
        "bup": "region",
        "social": "socialsekreterare",
    }
    users = {key: get_user_model().objects.get(username=name) for key, name in usernames.items()}
    keys = {name: app_for(user) for name, user in users.items()}
    return {"person": person, "organisations": organisations, "users": users, "keys": keys}


def session(browser, site, world, who, landing=INBOX):
    """A browser of its own for each party, logged in."""
    context = browser.new_context(
        base_url=site, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, world["users"][who], world["keys"][who], landing=landing, password=DEMO_PASSWORD)
    return page


def submit(page, form_action: str) -> None:
    page.locator(f"form[action='{form_action}'] button[type=submit]").click()


def test_the_whole_chain_from_a_schools_notice_to_a_printed_sip(
    world, browser, site, assert_accessible
):
    person, organisations = world["person"], world["organisations"]

    # A school reports an interruption.
    school = session(browser, site, world, "school")
    assert_accessible(school, "a school's inbox")
    school.goto("/coordination/school-report/")
    assert_accessible(school, "the school's notice")
    school.locator("select[name=municipality]").select_option(value=str(person.municipality_id))
    school.locator("input[name=identity_number]").fill(person.identity_number)
    school.locator("input[name=event][value=left]").check()
    school.locator("form.stacked button[type=submit]").click()
    expect(school).to_have_url(re.compile(r"/coordination/referrals/\d+/$"))
    assert_accessible(school, "the notice as the school sees it")
    notice = Referral.objects.get(person=person, from_organisation=organisations["school"])

    # The KAA team takes it.
    team = session(browser, site, world, "team", landing=re.compile(r"/responsibility/$"))
    team.goto("/coordination/inbox/")
    expect(team.locator("main")).to_contain_text(person.full_name)
    assert_accessible(team, "the KAA team's inbox")
    team.goto(f"/coordination/referrals/{notice.pk}/")
    assert_accessible(team, "the school's notice as the KAA team sees it")
    team.locator("input[name=answer][value=accept]").check()
    submit(team, f"/coordination/referrals/{notice.pk}/answer/")
    notice.refresh_from_db()
    assert notice.status == "accepted"

    # It records the young person's consent.
    team.goto(f"/coordination/persons/{person.pk}/")
    assert_accessible(team, "the coordination page of the young person")
    team.goto(f"/coordination/persons/{person.pk}/consents/new/")
    assert_accessible(team, "the consent form")
    for key in ("af", "bup", "social"):
        team.locator(f"input[name=organisations][value='{organisations[key].pk}']").check()
    for purpose in ("referral", "sip"):
        team.locator(f"input[name=purposes][value={purpose}]").check()
    team.locator("input[name=permissions][value=view_contact_details]").check()
    team.locator("input[name=given_by][value=young_person]").check()
    if team.locator("input[name=guardians_involvement][value=involved]").count():
        team.locator("input[name=guardians_involvement][value=involved]").check()
    team.locator("input[name=method][value=written]").check()
    next_year = timezone.localdate().replace(year=timezone.localdate().year + 1)
    team.locator("input[name=valid_until]").fill(next_year.isoformat())
    team.locator("form.stacked button[type=submit]").click()
    expect(team).to_have_url(re.compile(r"/coordination/consents/\d+/$"))
    assert_accessible(team, "the consent")

    # ... and refers them to Arbetsförmedlingen.
    team.goto(f"/coordination/persons/{person.pk}/referrals/new/")
    assert_accessible(team, "the referral form")
    team.locator("select[name=to_organisation]").select_option(value=str(organisations["af"].pk))
    team.locator("select[name=reason]").select_option(
        label="Arbete, praktik eller arbetsmarknadsinsats"
    )
    team.locator("input[name=passed_on][value=view_contact_details]").check()
    team.locator("textarea[name=message]").fill("Vill ha hjälp att hitta praktik.")
    team.locator("form.stacked button[type=submit]").click()
    expect(team).to_have_url(re.compile(r"/coordination/referrals/\d+/$"))
    referral = Referral.objects.filter(person=person).exclude(pk=notice.pk).get()

    # Arbetsförmedlingen accepts and reports a start.
    af = session(browser, site, world, "af")
    expect(af.locator("main")).to_contain_text(person.full_name)
    af.goto(f"/coordination/referrals/{referral.pk}/")
    assert_accessible(af, "a referral before it is accepted")
    af.locator("input[name=answer][value=accept]").check()
    submit(af, f"/coordination/referrals/{referral.pk}/answer/")
    af.locator("input[name=outcome][value=started]").check()
    submit(af, f"/coordination/referrals/{referral.pk}/outcome/")
    assert_accessible(af, "an accepted referral with its outcome")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("accepted", "started")

    # The team initiates a SIP with youth psychiatry and social services.
    team.goto(f"/coordination/persons/{person.pk}/sips/new/")
    assert_accessible(team, "the SIP start form")
    team.locator("input[name=requested_by][value=young_person]").check()
    team.locator("form.stacked button[type=submit]").click()
    expect(team).to_have_url(re.compile(r"/coordination/sips/\d+/$"))
    sip = Sip.objects.get(person=person)
    for key in ("bup", "social"):
        team.locator("select[name=organisation]").select_option(value=str(organisations[key].pk))
        submit(team, f"/coordination/sips/{sip.pk}/invite/")
    assert_accessible(team, "the SIP while it is prepared")

    # All three write their parts.
    for who in ("bup", "social"):
        party = session(browser, site, world, who)
        party.goto(f"/coordination/sips/{sip.pk}/")
        assert_accessible(party, f"the SIP invitation for {who}")
        party.locator("input[name=accept][value='1']").check()
        submit(party, f"/coordination/sips/{sip.pk}/invitation/")
        party.goto(f"/coordination/sips/{sip.pk}/part/")
        assert_accessible(party, f"the part form for {who}")
        party.locator("textarea[name=measures]").fill(f"Insatser från {organisations[who].name}.")
        party.locator("form.stacked button[type=submit]").click()
        expect(party).to_have_url(re.compile(rf"/coordination/sips/{sip.pk}/$"))
        party.context.close()
    team.goto(f"/coordination/sips/{sip.pk}/part/")
    team.locator("textarea[name=measures]").fill("Motiverande samtal varannan vecka.")
    team.locator("form.stacked button[type=submit]").click()
    team.goto(f"/coordination/sips/{sip.pk}/plan/")
    assert_accessible(team, "the SIP plan form")
    team.locator("textarea[name=needs]").fill("Stöd för att börja studera igen.")
    team.locator("textarea[name=goals]").fill("Börja på komvux i januari.")
    team.locator("textarea[name=own_views]").fill("Jag vill plugga.")
    team.locator("select[name=overall_responsible]").select_option(
        value=str(organisations["social"].pk)
    )
    in_a_month = timezone.localdate() + timezone.timedelta(days=30)
    team.locator("input[name=follow_up_on]").fill(in_a_month.isoformat())
    team.locator("form.stacked button[type=submit]").click()
    expect(team).to_have_url(re.compile(rf"/coordination/sips/{sip.pk}/$"))

    # The plan is established and printed.
    submit(team, f"/coordination/sips/{sip.pk}/establish/")
    expect(team.locator("main")).to_contain_text("Stöd för att börja studera igen.")
    assert_accessible(team, "the established SIP")
    sip.refresh_from_db()
    assert sip.status == "established"
    team.goto(f"/coordination/sips/{sip.pk}/versions/1/")
    assert_accessible(team, "the first version of the SIP")
    team.goto("/coordination/sips/?status=established")
    expect(team.locator("main table")).to_contain_text(person.full_name)
    assert_accessible(team, "the municipality's SIPs by status")
    printed = team.request.get(f"/coordination/sips/{sip.pk}/pdf/")
    assert printed.status == 200
    assert printed.headers["content-type"] == "application/pdf"
    for page in (school, team, af):
        page.context.close()
