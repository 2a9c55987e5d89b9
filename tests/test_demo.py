import io

import pytest
from django.core.management import call_command
from django.db.models import F

from casework.models import Answer, Contact, Measure, Occupation, PersonMeasure, Plan
from demo.generators import official_personnummer, official_samordningsnummer
from imports.models import ImportRun
from letters.models import LetterTemplate
from people.identity import parse
from people.models import Guardian, Person, ResidencePeriod
from responsibility.models import Kind, ResponsibilityPeriod
from schooling.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_loads_official_test_numbers_through_the_real_importers(
    settings, tmp_path, client
):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", size=400, stdout=out)

    runs = ImportRun.objects.order_by("id")
    assert [r.kind for r in runs] == ["navet", "school", "school", "navet"]
    assert all(r.status == ImportRun.Status.DONE for r in runs)
    official = set(official_personnummer()) | set(official_samordningsnummer())
    numbers = set(Person.objects.values_list("identity_number", flat=True))
    assert len(numbers) >= 400 and numbers <= official
    assert any(parse(n).is_coordination_number for n in numbers)
    assert Person.objects.filter(sekretessmarkering=True).exists()
    assert Person.objects.filter(deregistration_reason__in=["AV", "UV"]).exists()
    assert ResponsibilityPeriod.objects.filter(kind=Kind.KAA).exists()
    assert ResponsibilityPeriod.objects.filter(kind=Kind.OUTREACH).exists()
    assert "Demo login: syv / Samverka-demo-2026" in out.getvalue()
    assert client.login(username="syv", password="Samverka-demo-2026")
    assert_rows_carry_their_persons_municipality()


def assert_rows_carry_their_persons_municipality():
    """The tenant column of the rows the importers write in bulk has no database
    constraint (ADR 0012): every writer must copy it from the person."""
    for model in (ResidencePeriod, Guardian, Enrolment, ResponsibilityPeriod):
        assert model.objects.exists(), model
        wrong = model.objects.exclude(municipality_id=F("person__municipality_id"))
        assert not wrong.exists(), model


def test_running_the_demo_again_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo", size=200, stdout=io.StringIO())
    persons = Person.objects.count()
    contacts = Contact.objects.count()
    call_command("demo", size=200, stdout=io.StringIO())
    assert Person.objects.count() == persons
    assert Contact.objects.count() == contacts
    second = ImportRun.objects.order_by("-id")[:4]
    assert {r.status for r in second} == {ImportRun.Status.UNCHANGED}


def test_the_demo_has_units_partners_a_federation_and_one_grant(settings, tmp_path):
    from django.contrib.auth import get_user_model

    from organisations.models import Organisation

    settings.VAR_DIR = tmp_path
    call_command("demo", size=300, stdout=io.StringIO())
    users = get_user_model().objects
    federation = Organisation.objects.get(kind=Organisation.Kind.SAMORDNINGSFORBUND)
    assert sorted(federation.member_municipalities.values_list("code", flat=True)) == [
        "0136",
        "0138",
        "0192",
    ]
    assert Organisation.objects.filter(kind=Organisation.Kind.PARTNER).count() >= 4
    # Secrecy between units: social services sees nobody until a grant opens a person.
    assert not Person.objects.visible_to(users.get(username="socialsekreterare")).exists()
    assert Person.objects.visible_to(users.get(username="af")).count() == 1
    assert Person.objects.visible_to(users.get(username="syv")).count() == Person.objects.count()


def test_the_demo_has_two_years_of_casework_that_leaves_work_to_do(settings, tmp_path):
    from django.db.models import Count
    from django.utils import timezone

    from casework.models import Case

    settings.VAR_DIR = tmp_path
    call_command("demo", size=1500, stdout=io.StringIO())
    today = timezone.localdate()
    contacts = Contact.objects.all()
    assert contacts.count() > 50
    oldest = min(c.at for c in contacts).date()
    assert (today - oldest).days > 365, "history reaches back more than a year"
    assert max(c.at for c in contacts) <= timezone.now()
    assert Occupation.objects.exists() and Plan.objects.exists()
    assert Measure.objects.filter(active=False).exists(), "a measure no longer offered"
    offers = PersonMeasure.objects.all()
    assert {o.answer for o in offers} >= {Answer.ACCEPTED, Answer.DECLINED}
    # Exactly one first offer per person who was offered anything, and it is the earliest.
    firsts = offers.filter(first_offer=True)
    assert firsts.count() == offers.values("person").distinct().count()
    for first in firsts:
        assert not offers.filter(person=first.person, offered_on__lt=first.offered_on).exists()
    for offer in offers.exclude(start=None):
        assert offer.offered_on <= offer.answered_on <= offer.start <= today
        assert offer.end is None or (offer.start <= offer.end and offer.end_reason)
    # Some young people in KAA today have not been contacted yet.
    in_kaa = ResponsibilityPeriod.objects.filter(kind=Kind.KAA).on(today)
    contacted = set(contacts.values_list("person_id", flat=True))
    assert any(p.person_id not in contacted for p in in_kaa)
    assert Case.objects.filter(closed_on__isnull=False).exists()
    assert LetterTemplate.objects.filter(active=True).count() >= 3
    assert not Case.objects.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_the_demo_has_consents_referrals_and_sips_in_every_state(settings, tmp_path):
    from coordination.models import Consent, Referral, Sip

    settings.VAR_DIR = tmp_path
    call_command("demo", size=1500, stdout=io.StringIO())
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Consent.objects.filter(withdrawn_at__isnull=True).exists()
    assert len(set(Referral.objects.values_list("status", flat=True))) >= 3
    assert len(set(Sip.objects.values_list("status", flat=True))) >= 3


def test_the_demo_has_an_unemployment_series_and_targets(settings, tmp_path):
    from followup.models import SeriesValue, Target

    settings.VAR_DIR = tmp_path
    call_command("demo", size=300, stdout=io.StringIO())
    assert SeriesValue.objects.count() >= 6
    assert Target.objects.filter(indicator="kaa_offered_share").count() == 2
