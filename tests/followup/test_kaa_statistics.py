"""The KAA statistics file to Skolverket/SCB and its validation report."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from casework.models import Answer, OccupationKind
from followup import statistics
from followup.models import StatisticsCode
from followup.periods import parse_period
from tests.followup import builders as b

H1 = parse_period("2026H1")
AS_OF = date(2026, 11, 30)


def file_rows(world, tmp_path) -> dict[str, dict]:
    out = tmp_path / "kaa.csv"
    call_command(
        "kaa_statistics",
        "--municipality",
        "0183",
        "--half-year",
        "2026H1",
        "--out",
        str(out),
        "--as-of",
        "2026-11-30",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    with open(out, encoding="utf-8") as f:
        return {row["identity_number"]: row for row in csv.DictReader(f)}


def test_one_row_per_person_in_kaa_during_the_half_year(world, tmp_path):
    found = statistics.rows(b.municipality("0183"), H1, as_of=AS_OF)
    by_reason = {r.period.start: r for r in found}
    # A, B, D, E, F, J, K and N; C left before the half-year.
    assert len(found) == 8
    a = by_reason[date(2025, 9, 16)].values
    assert a["registration_reason"] == "1"  # interrupted
    assert a["contact_made"] == "J"
    assert a["first_measure"] == "2"  # study and career guidance
    assert a["first_measure_declined"] == "N"
    assert a["occupation"] == "1"  # part-time work
    assert a["deregistration_date"] == ""
    # B: one row, for his latest period in the half-year.
    b_row = by_reason[date(2026, 4, 10)].values
    assert b_row["registration_reason"] == "1"
    assert b_row["contact_made"] == "J"
    assert b_row["first_measure"] == ""
    assert b_row["occupation"] == "3"  # none
    f = by_reason[date(2025, 10, 1)].values
    assert (f["deregistration_date"], f["deregistration_reason"]) == ("2026-02-28", "4")
    n = by_reason[date(2025, 11, 1)].values
    assert (n["deregistration_date"], n["deregistration_reason"]) == ("2026-04-30", "1")
    assert n["contact_made"] == "N"
    assert n["occupation"] == "9"  # unknown
    j = by_reason[date(2026, 1, 5)].values
    assert (j["first_measure"], j["first_measure_declined"]) == ("2", "")  # not answered yet
    k = by_reason[date(2026, 3, 1)].values
    assert k["registration_reason"] == "9"  # moved in: reason unknown


def test_the_validation_report_lists_what_is_missing(world):
    found = statistics.rows(b.municipality("0183"), H1, as_of=AS_OF)
    issues = {r.period.start: sorted(i.code for i in r.issues) for r in found}
    assert issues == {
        date(2025, 9, 16): [],  # A
        date(2026, 4, 10): ["no_measure"],  # B
        date(2026, 4, 30): ["no_contact"],  # D
        date(2026, 5, 1): ["no_contact"],  # E
        date(2025, 10, 1): ["no_occupation"],  # F
        date(2026, 1, 5): ["offer_unanswered"],  # J
        date(2026, 3, 1): ["no_measure", "no_occupation"],  # K
        date(2025, 11, 1): ["no_contact"],  # N
    }


def test_contradictions_are_errors(db):
    answered = b.person(date(2009, 8, 1))
    b.kaa(answered, date(2026, 2, 1))
    b.offer(answered, date(2026, 2, 5), answer=Answer.DECLINED)  # but no contact logged
    at_school = b.person(date(2009, 8, 1), female=False)
    b.kaa(at_school, date(2026, 2, 1))
    b.contact(at_school, date(2026, 2, 3))
    b.occupation(at_school, date(2026, 3, 1), "upper_secondary")
    found = statistics.rows(b.municipality("0183"), H1, as_of=AS_OF)
    errors = {r.person.pk: [i.code for i in r.errors] for r in found}
    assert errors[answered.pk] == ["answered_without_contact"]
    assert errors[at_school.pk] == ["upper_secondary_in_kaa"]


def test_the_municipality_s_own_codes_and_missing_ones(world):
    sundbyberg = b.municipality("0183")
    StatisticsCode.objects.create(
        municipality=sundbyberg,
        variable="occupation",
        value="work_part_time",
        code="11",
        label="Arbete",
        valid_from=date(2026, 1, 1),
    )
    own_kind = OccupationKind.objects.create(
        municipality=sundbyberg, code="0183-larling", name="Lärling"
    )
    d = statistics.rows(sundbyberg, H1, as_of=AS_OF)
    assert {r.values["occupation"] for r in d if r.period.start == date(2025, 9, 16)} == {"11"}
    # The code applies from 2026: the half-year before keeps the default.
    before = statistics.rows(sundbyberg, parse_period("2025H2"), as_of=AS_OF)
    assert {r.values["occupation"] for r in before if r.period.start == date(2025, 9, 16)} == {
        "3"  # none, recorded 2025-10-01
    }
    # A kind the municipality added has no code until an administrator gives it one.
    person = next(r.person for r in d if r.period.start == date(2026, 1, 5))
    b.occupation(person, date(2026, 6, 1), own_kind.code)
    row = next(r for r in statistics.rows(sundbyberg, H1, as_of=AS_OF) if r.person.pk == person.pk)
    assert row.values["occupation"] == ""
    assert [i.code for i in row.errors] == ["no_code"]
    assert "Lärling" not in row.errors[0].message  # the code, not a name, is shown
    assert "0183-larling" in row.errors[0].message


def test_the_command_writes_the_csv_and_audits_the_export(world, tmp_path):
    found = file_rows(world, tmp_path)
    assert len(found) == 8
    assert list(next(iter(found.values()))) == list(statistics.COLUMNS)
    assert {r["half_year"] for r in found.values()} == {"2026H1"}
    assert AuditEvent.objects.filter(
        action="followup.kaa_statistics", kind=AuditEvent.Kind.EXPORT
    ).exists()
    assert AuditEvent.objects.filter(action="followup.kaa_statistics.export").count() == 8


def test_the_command_wants_a_half_year(db, tmp_path):
    with pytest.raises(CommandError, match="not a half-year"):
        call_command(
            "kaa_statistics",
            "--municipality",
            "0183",
            "--half-year",
            "2026T1",
            "--out",
            str(tmp_path / "x.csv"),
        )
