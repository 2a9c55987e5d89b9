"""Gallring through the ``gallring`` command, with a frozen clock.

Sundbyberg (0183) is the municipality under test; a Haninge (0136) person shows
that a run never reaches another municipality.
"""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from casework.models import Contact, PersonMeasure, PlanRevision
from imports.models import ImportRejection
from letters.models import Letter
from people.models import AccessGrant, Guardian, Person, ResidencePeriod
from responsibility.models import Kind, ResponsibilityPeriod
from retention.models import RetentionRun
from schooling.models import Enrolment, SchoolNotification
from worklists.models import WorklistState

from .builders import (
    CASEWORK,
    access_grant,
    casework_dates,
    casework_on,
    enrolment,
    frozen_on,
    guardian,
    import_run_with_rejection,
    kaa_period,
    moved_away,
    outreach_period,
    rules,
    with_kaa_history,
    young_person,
)

pytestmark = pytest.mark.django_db

BORN_2005 = date(2005, 7, 14)  # turns 21 in 2026: KAA data may be kept through 2026-12-31


def gallring(*args: str) -> str:
    out = io.StringIO()
    call_command("gallring", "--municipality", "0183", *args, stdout=out)
    return out.getvalue()


def exists(person) -> bool:
    return Person.objects.filter(pk=person.pk).exists()


def kinds_of_periods(person) -> set[str]:
    return set(
        ResponsibilityPeriod.objects.filter(person_id=person.pk).values_list("kind", flat=True)
    )


# --------------------------------------------------------------------------- the law


def test_it_keeps_kaa_data_through_31_december_of_the_year_the_person_turns_21():
    person = with_kaa_history(young_person(BORN_2005))
    with frozen_on("2026-12-31"):
        gallring()
    assert exists(person)
    assert kinds_of_periods(person) == {Kind.KAA}
    assert Enrolment.objects.filter(person=person).exists()


def test_it_deletes_kaa_data_after_the_year_the_person_turns_21():
    person = with_kaa_history(young_person(BORN_2005))
    with frozen_on("2027-01-01"):
        gallring()
    assert not exists(person)


def test_it_judges_the_turn_of_the_year_by_swedish_time():
    # 00:30 on 1 January in Stockholm is still 31 December in UTC.
    person = with_kaa_history(young_person(BORN_2005))
    with frozen_on("2027-01-01", hour=0):
        gallring()
    assert not exists(person)


def test_the_date_option_judges_as_on_that_date():
    person = with_kaa_history(young_person(BORN_2005))
    with frozen_on("2026-06-01"):
        gallring("--date", "2026-12-31")
        assert exists(person)
        gallring("--date", "2027-01-01")
    assert not exists(person)
    assert RetentionRun.objects.order_by("id").last().as_of == date(2027, 1, 1)


def test_a_person_born_on_29_february_is_deleted_when_the_year_they_turn_21_ends():
    person = with_kaa_history(young_person(date(2004, 2, 29)))
    with frozen_on("2025-12-31"):
        gallring()
        assert exists(person)
    with frozen_on("2026-01-01"):
        gallring()
    assert not exists(person)


def test_a_younger_person_is_kept():
    younger = with_kaa_history(young_person(date(2006, 7, 14)))
    with frozen_on("2027-01-01"):
        gallring()
    assert exists(younger)
    assert Guardian.objects.filter(person=younger).exists()


def test_it_deletes_only_in_the_municipality_asked_for():
    here = with_kaa_history(young_person(BORN_2005))
    there = with_kaa_history(young_person(BORN_2005, index=1, code="0136"))
    with frozen_on("2027-01-01"):
        gallring()
    assert not exists(here)
    assert exists(there)
    assert kinds_of_periods(there) == {Kind.KAA}


def test_all_runs_every_municipality_with_persons():
    here = with_kaa_history(young_person(BORN_2005))
    there = with_kaa_history(young_person(BORN_2005, index=1, code="0136"))
    with frozen_on("2027-01-01"):
        call_command("gallring", "--all", stdout=io.StringIO())
    assert not exists(here) and not exists(there)
    assert sorted(RetentionRun.objects.values_list("municipality__code", flat=True)) == [
        "0136",
        "0183",
    ]


def test_an_unknown_municipality_code_is_an_error():
    with pytest.raises(CommandError, match="9999"):
        call_command("gallring", "--municipality", "9999", stdout=io.StringIO())


# --------------------------------------------------------------------------- every table


def test_deletion_removes_the_person_from_every_table():
    person = with_kaa_history(young_person(BORN_2005))
    outreach_period(person, "2025-08-01", "2025-12-31")
    access_grant(person)
    pid = person.pk
    with frozen_on("2027-01-01"):
        gallring()
    for model in (
        ResidencePeriod,
        Guardian,
        Enrolment,
        SchoolNotification,
        ResponsibilityPeriod,
        AccessGrant,
    ):
        assert not model.objects.filter(person_id=pid).exists(), model.__name__
    assert not Person.objects.filter(pk=pid).exists()


def test_the_run_records_counts_and_never_names_or_numbers():
    person = with_kaa_history(young_person(BORN_2005, first_name="Ingrid", last_name="Ekdahl"))
    access_grant(person)
    with frozen_on("2027-01-01"):
        gallring()
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.as_of, run.started_by) == (False, date(2027, 1, 1), None)
    assert run.counts["planned_delete_person"] == 1
    assert run.counts["person"] == 1
    assert run.counts["enrolment"] == 1 and run.counts["guardian"] == 1
    assert run.counts["accessgrant"] == 1
    # Keys are names of tables or verdicts, values are numbers: nothing else.
    assert all(isinstance(v, int) for v in run.counts.values())
    assert all(key.replace("_", "").isalpha() for key in run.counts)
    recorded = json.dumps(run.counts) + str(run)
    for secret in (person.identity_number, person.identity_number[2:], "Ingrid", "Ekdahl"):
        assert secret not in recorded


def test_the_dry_run_deletes_nothing_and_lists_internal_ids_only():
    person = with_kaa_history(young_person(BORN_2005, first_name="Ingrid", last_name="Ekdahl"))
    with frozen_on("2027-01-01"):
        out = gallring("--dry-run")
    assert exists(person)
    assert Enrolment.objects.filter(person=person).exists()
    assert f"0183\tdelete_person\t{person.pk}\n" in out
    for secret in (person.identity_number, person.identity_number[2:8], "Ingrid", "Ekdahl"):
        assert secret not in out
    run = RetentionRun.objects.get()
    assert run.dry_run and run.counts["planned_delete_person"] == 1
    assert "person" not in run.counts


def test_the_dry_run_is_audited_as_a_read_and_the_run_as_a_deletion():
    with_kaa_history(young_person(BORN_2005))
    with frozen_on("2027-01-01"):
        gallring("--dry-run")
        gallring()
    events = AuditEvent.objects.filter(action__startswith="retention.").order_by("id")
    assert [(e.action, e.kind, e.channel) for e in events] == [
        ("retention.dry_run", AuditEvent.Kind.READ, "cli"),
        ("retention.run", AuditEvent.Kind.DELETE, "cli"),
    ]
    run = RetentionRun.objects.get(dry_run=False)
    assert events[1].object_id == str(run.pk)
    assert events[1].detail == run.counts
    assert events[1].municipality.code == "0183"


# --------------------------------------------------------------------------- outreach


def test_open_outreach_keeps_the_person_and_the_outreach_but_not_the_kaa_data():
    person = with_kaa_history(young_person(BORN_2005))
    outreach_period(person, "2026-09-01")
    access_grant(person)
    with frozen_on("2027-01-01"):
        gallring()
    assert exists(person)
    assert kinds_of_periods(person) == {Kind.OUTREACH}
    assert not Enrolment.objects.filter(person=person).exists()
    assert not SchoolNotification.objects.filter(person=person).exists()
    assert not Guardian.objects.filter(person=person).exists()
    assert ResidencePeriod.objects.filter(person=person).exists()
    assert AccessGrant.objects.filter(person=person).exists()
    assert RetentionRun.objects.get().counts["kaa_periods"] == 1


def test_outreach_data_goes_months_after_the_outreach_ended():
    person = young_person(BORN_2005)
    outreach_period(person, "2026-09-01", "2027-03-31")
    rules(outreach_months_after_end=6)
    with frozen_on("2027-09-30"):
        gallring()
        assert exists(person)
    with frozen_on("2027-10-01"):
        gallring()
    assert not exists(person)


def test_only_the_outreach_data_goes_while_kaa_data_may_still_be_kept():
    person = with_kaa_history(young_person(date(2006, 7, 14)))
    outreach_period(person, "2026-07-20", "2026-08-31")
    rules(outreach_months_after_end=3)
    with frozen_on("2026-12-01"):
        gallring()
    assert exists(person)
    assert kinds_of_periods(person) == {Kind.KAA}
    assert RetentionRun.objects.get().counts["outreach_periods"] == 1


def test_kaa_casework_goes_with_the_kaa_data_and_outreach_casework_stays():
    """The team's rows before the first outreach start are KAA's (retention.casework)."""
    person = with_kaa_history(young_person(BORN_2005))
    outreach_period(person, "2026-09-01")
    casework_on(person, "2024-03-12")
    casework_on(person, "2026-08-31")  # the last day before outreach: still KAA's
    casework_on(person, "2026-09-01")
    with frozen_on("2027-01-01"):
        gallring()
    assert casework_dates(person) == {label: [date(2026, 9, 1)] for label in CASEWORK}
    # The worklists' state follows: what is left is outreach's.
    kept = WorklistState.objects.get(person_id=person.pk)
    assert kept.last_reached_on == date(2026, 9, 1) and kept.last_offered_on == date(2026, 9, 1)
    counts = RetentionRun.objects.get().counts
    assert {label: counts[label] for label in CASEWORK} == {label: 2 for label in CASEWORK}


def test_outreach_casework_goes_with_the_outreach_data_and_kaa_casework_stays():
    person = with_kaa_history(young_person(date(2006, 7, 14)))
    outreach_period(person, "2026-07-20", "2026-08-31")
    casework_on(person, "2025-05-05")
    casework_on(person, "2026-08-10")
    rules(outreach_months_after_end=3)
    with frozen_on("2026-12-01"):
        gallring()
    assert casework_dates(person) == {label: [date(2025, 5, 5)] for label in CASEWORK}
    assert RetentionRun.objects.get().counts["contacts"] == 1


def test_casework_alone_is_kaa_data_that_goes_at_the_deadline():
    """No KAA period, no schooling: a contact before outreach is still the KAA register's."""
    person = young_person(BORN_2005)
    outreach_period(person, "2026-09-01")
    casework_on(person, "2026-06-01")
    with frozen_on("2026-12-31"):
        gallring()
    assert casework_dates(person)["contacts"] == [date(2026, 6, 1)]
    with frozen_on("2027-01-01"):
        gallring()
    assert exists(person)
    assert casework_dates(person) == {label: [] for label in CASEWORK}
    assert not WorklistState.objects.filter(person_id=person.pk, last_contact_at__isnull=False)


def test_a_person_never_in_outreach_goes_with_all_their_casework():
    person = with_kaa_history(young_person(BORN_2005))
    casework_on(person, "2025-01-20")
    access_grant(person)
    with frozen_on("2027-01-01"):
        gallring()
    assert not exists(person)
    assert not Contact.objects.exists() and not Letter.objects.exists()
    assert not PersonMeasure.objects.exists() and not PlanRevision.objects.exists()


def test_an_outreach_that_starts_later_keeps_the_person():
    person = young_person(BORN_2005)
    outreach_period(person, "2027-02-01")
    with frozen_on("2027-01-01"):
        gallring()
    assert exists(person)


# --------------------------------------------------------------------------- the earlier rule


def test_the_earlier_rule_deletes_kaa_data_months_after_the_person_turned_20():
    person = with_kaa_history(young_person(date(2006, 7, 14)))  # 20 on 2026-07-14
    rules(kaa_months_after_scope=3)
    with frozen_on("2026-10-14"):
        gallring()
        assert exists(person)
    with frozen_on("2026-10-15"):
        gallring()
    assert not exists(person)


def test_without_the_earlier_rule_kaa_data_stays_until_the_legal_deadline():
    person = with_kaa_history(young_person(date(2006, 7, 14)))
    with frozen_on("2026-10-15"):
        gallring()
    assert exists(person) and Enrolment.objects.filter(person=person).exists()


def test_the_earlier_rule_deletes_kaa_data_months_after_the_deregistration():
    person = young_person(
        date(2008, 5, 1), deregistration_reason="UV", deregistration_date=date(2026, 1, 31)
    )
    enrolment(person)
    guardian(person)
    rules(kaa_months_after_scope=1)
    with frozen_on("2026-02-28"):
        gallring()
        assert exists(person)
    with frozen_on("2026-03-01"):
        gallring()
    assert not exists(person)


def test_the_earlier_rule_never_deletes_while_the_person_is_in_kaa():
    person = young_person(
        date(2008, 5, 1), deregistration_reason="UV", deregistration_date=date(2026, 1, 31)
    )
    kaa_period(person, "2025-09-16")  # still open
    enrolment(person)
    rules(kaa_months_after_scope=1)
    with frozen_on("2026-11-24"):
        gallring()
    assert exists(person)
    assert kinds_of_periods(person) == {Kind.KAA}
    assert Enrolment.objects.filter(person=person).exists()


def test_the_earlier_rule_from_a_29_february_20th_birthday():
    person = with_kaa_history(young_person(date(2008, 2, 29)))  # 20 on 2028-02-29
    rules(kaa_months_after_scope=12)
    with frozen_on("2029-02-28"):
        gallring()
        assert exists(person)
    with frozen_on("2029-03-01"):
        gallring()
    assert not exists(person)


def test_the_earlier_rule_after_moving_away_without_a_new_folkbokforing():
    person = young_person(date(2008, 5, 1))
    stay = person.residences.get()
    stay.end = date(2025, 3, 31)
    stay.save()
    enrolment(person)
    rules(kaa_months_after_scope=6)
    with frozen_on("2025-10-01"):
        gallring()
        assert exists(person)
    with frozen_on("2025-10-02"):
        gallring()
    assert not exists(person)


def test_the_earlier_rule_deletes_kaa_data_months_after_moving_to_another_municipality():
    person = young_person(date(2008, 5, 1))
    moved_away(person, moved_on="2025-04-01", to_code="0180")  # to Stockholm
    enrolment(person)
    guardian(person)
    rules(kaa_months_after_scope=6)
    with frozen_on("2025-10-01"):
        gallring()
        assert exists(person)
    with frozen_on("2025-10-02"):
        gallring()
    assert not exists(person)


# --------------------------------------------------------------------------- import rejections


def test_import_rejections_older_than_the_municipalitys_limit_are_deleted():
    old = import_run_with_rejection("2026-08-25")  # 91 days before 2026-11-24
    kept = import_run_with_rejection("2026-08-26")  # 90 days before
    with frozen_on("2026-11-24"):
        gallring()
    assert not ImportRejection.objects.filter(pk=old.pk).exists()
    assert ImportRejection.objects.filter(pk=kept.pk).exists()
    assert RetentionRun.objects.get().counts["import_rejections"] == 1


def test_import_rejections_follow_the_municipalitys_own_limit():
    rejection = import_run_with_rejection("2026-11-01")
    rules(import_rejections_days=14)
    with frozen_on("2026-11-24"):
        gallring()
    assert not ImportRejection.objects.filter(pk=rejection.pk).exists()


def test_the_dry_run_keeps_import_rejections_and_other_municipalities_keep_theirs():
    ours = import_run_with_rejection("2026-01-10")
    theirs = import_run_with_rejection("2026-01-10", code="0136")
    with frozen_on("2026-11-24"):
        gallring("--dry-run")
        assert ImportRejection.objects.filter(pk=ours.pk).exists()
        gallring()
    assert not ImportRejection.objects.filter(pk=ours.pk).exists()
    assert ImportRejection.objects.filter(pk=theirs.pk).exists()


# --------------------------------------------------------------------------- audit


def test_audit_events_about_the_person_stay_with_the_internal_id_only(counsellor, client_for):
    person = with_kaa_history(young_person(BORN_2005, first_name="Ingrid", last_name="Ekdahl"))
    pid = person.pk
    with frozen_on("2026-12-30"):
        assert client_for(counsellor).get(f"/persons/{pid}/").status_code == 200
    with frozen_on("2027-01-01"):
        gallring()
    assert not exists(person)
    read = AuditEvent.objects.get(action="person.view")
    assert (read.person_id, read.object_id, read.user) == (pid, str(pid), counsellor)
    everything = json.dumps(
        list(AuditEvent.objects.values("action", "object_id", "detail", "purpose")),
        default=str,
    )
    for secret in (person.identity_number, "Ingrid", "Ekdahl"):
        assert secret not in everything
    assert AuditEvent.objects.filter(action="retention.run", kind=AuditEvent.Kind.DELETE).exists()
