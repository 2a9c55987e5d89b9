"""School imports: enrolment CSV, 15:15 notifications and SS 12000 snapshots.

Every identity number is one of Skatteverket's official test numbers.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.utils import timezone

from demo.generators import official_born_in
from imports.models import ImportRun
from organisations.models import Municipality
from schooling import importer
from schooling.models import Enrolment, SchoolNotification, SchoolUnit
from schooling.readers import ENROLMENT_COLUMNS, NOTIFICATION_COLUMNS
from tests.factories import PersonFactory
from tests.imports.builders import latest_run, run_import, write_file, wrong_check_digit

pytestmark = pytest.mark.django_db

HOME = "0183"
PUPILS = official_born_in(2009)  # upper secondary age
NOT_REGISTERED = official_born_in(2010)[0]  # an official number nobody imported
UNIT = ("18340101", "Sundbybergs gymnasium")
OTHER_UNIT = ("18350201", "Solna fristående gymnasium")
STARTED = date(2025, 8, 20)
LEFT = date(2026, 3, 13)


# ------------------------------------------------------------------ helpers


def run_command(*paths: Path, force: bool = False) -> str:
    return run_import("import_school", *paths, force=force)


def enrolment_csv(*rows: tuple, columns: tuple[str, ...] = ENROLMENT_COLUMNS) -> str:
    lines = [",".join(columns)]
    lines += [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def enrolment(number: str, *, unit=UNIT, programme="NA", start=STARTED, end=None, reason=""):
    return (
        number,
        unit[0],
        unit[1],
        "gymnasieskola",
        programme,
        start.isoformat(),
        end.isoformat() if end else "",
        reason,
    )


def notification(number: str, event: str, day: date, *, unit=OTHER_UNIT):
    return (number, unit[0], unit[1], event, day.isoformat())


def notification_csv(*rows: tuple) -> str:
    return enrolment_csv(*rows, columns=NOTIFICATION_COLUMNS)


def school_state() -> dict:
    return {
        "enrolments": sorted(
            Enrolment.objects.values_list(
                "person__identity_number",
                "school_unit__code",
                "school_form",
                "programme_code",
                "start_date",
                "end_date",
                "end_reason",
                "source",
            ),
            key=str,
        ),
        "notifications": sorted(
            SchoolNotification.objects.values_list(
                "person__identity_number", "school_unit__code", "event", "event_date"
            ),
            key=str,
        ),
        "units": sorted(SchoolUnit.objects.values_list("code", "name")),
    }


def enrolments_of(number: str) -> list[tuple]:
    return list(
        Enrolment.objects.filter(person__identity_number=number)
        .order_by("start_date", "id")
        .values_list("school_unit__code", "programme_code", "start_date", "end_date", "end_reason")
    )


@pytest.fixture
def pupils():
    """Three young people in Sundbyberg's register."""
    return [PersonFactory(identity_number=n) for n in PUPILS[:3]]


# ------------------------------------------------------------------ enrolment CSV


def test_an_enrolment_csv_creates_enrolments(pupils, tmp_path):
    content = enrolment_csv(
        enrolment(PUPILS[0]),
        enrolment(PUPILS[1], programme="TE"),
        enrolment(PUPILS[2], unit=OTHER_UNIT, programme="IMS"),
    )

    run_command(write_file(tmp_path, "inskrivningar.csv", content))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged, run.skipped) == (3, 0, 0, 0)
    assert enrolments_of(PUPILS[0]) == [(UNIT[0], "NA", STARTED, None, "")]
    assert enrolments_of(PUPILS[2]) == [(OTHER_UNIT[0], "IMS", STARTED, None, "")]
    assert SchoolUnit.objects.get(code=UNIT[0]).name == UNIT[1]
    assert set(Enrolment.objects.values_list("source", flat=True)) == {Enrolment.Source.CSV}
    assert not Path(run.stored_path).exists()


def test_an_end_date_added_later_changes_the_enrolment(pupils, tmp_path):
    run_command(
        write_file(tmp_path, "v1.csv", enrolment_csv(enrolment(PUPILS[0]), enrolment(PUPILS[1])))
    )

    run_command(
        write_file(
            tmp_path,
            "v2.csv",
            enrolment_csv(enrolment(PUPILS[0], end=LEFT, reason="avbrott"), enrolment(PUPILS[1])),
        )
    )

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (0, 1, 1)
    assert enrolments_of(PUPILS[0]) == [(UNIT[0], "NA", STARTED, LEFT, "avbrott")]
    assert enrolments_of(PUPILS[1]) == [(UNIT[0], "NA", STARTED, None, "")]


@pytest.mark.parametrize("batch", [2, 2000])
def test_an_enrolment_twice_in_a_first_import_is_created_once_and_then_changed(
    pupils, tmp_path, monkeypatch, batch
):
    """In the municipality's first school file too, a later row for the same
    enrolment changes it, also when an earlier batch has written it."""
    monkeypatch.setattr(importer, "BATCH", batch)
    content = enrolment_csv(
        enrolment(PUPILS[0]),
        enrolment(PUPILS[1]),
        enrolment(PUPILS[0]),
        enrolment(PUPILS[0], end=LEFT, reason="avbrott"),
    )

    run_command(write_file(tmp_path, "inskrivningar.csv", content))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert run.created == 2
    assert enrolments_of(PUPILS[0]) == [(UNIT[0], "NA", STARTED, LEFT, "avbrott")]


def test_reimporting_the_same_csv_changes_nothing(pupils, tmp_path):
    path = write_file(
        tmp_path, "inskrivningar.csv", enrolment_csv(enrolment(PUPILS[0]), enrolment(PUPILS[1]))
    )
    run_command(path)
    before = school_state()

    output = run_command(path)

    run = latest_run()
    assert run.status == ImportRun.Status.UNCHANGED
    assert "already imported" in run.message
    assert "already imported" in output
    assert school_state() == before


def test_reimporting_the_same_csv_with_force_counts_every_row_unchanged(pupils, tmp_path):
    content = enrolment_csv(enrolment(PUPILS[0]), enrolment(PUPILS[1]))
    run_command(write_file(tmp_path, "inskrivningar.csv", content))
    before = school_state()

    run_command(write_file(tmp_path, "kopia.csv", content), force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged, run.responsibility_changed) == (0, 0, 2, 0)
    assert school_state() == before


def test_rows_for_persons_not_in_the_register_are_skipped_and_counted(pupils, tmp_path):
    # Registered in Haninge, not in Sundbyberg: not Sundbyberg's to record.
    elsewhere = PersonFactory(
        identity_number=PUPILS[5], municipality=Municipality.objects.by_code("0136")
    )
    content = enrolment_csv(
        enrolment(PUPILS[0]),
        enrolment(NOT_REGISTERED),
        enrolment(elsewhere.identity_number),
    )

    run_command(write_file(tmp_path, "inskrivningar.csv", content))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.skipped) == (1, 2)
    assert "Line 3: not in the municipality's population register, skipped." in run.message
    assert "Line 4:" in run.message
    assert NOT_REGISTERED not in run.message  # no identity number in the message
    assert Enrolment.objects.count() == 1
    assert not elsewhere.enrolments.exists()


# ------------------------------------------------------------------ 15:15 notifications


def test_a_started_notification_opens_an_enrolment(pupils, tmp_path):
    run_command(
        write_file(
            tmp_path, "anmalan.csv", notification_csv(notification(PUPILS[0], "started", STARTED))
        )
    )

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert run.created == 1
    assert enrolments_of(PUPILS[0]) == [(OTHER_UNIT[0], "", STARTED, None, "")]
    assert SchoolNotification.objects.get().event == "started"


def test_a_left_notification_closes_the_enrolment_as_interrupted(pupils, tmp_path):
    run_command(
        write_file(
            tmp_path, "started.csv", notification_csv(notification(PUPILS[0], "started", STARTED))
        )
    )

    run_command(
        write_file(tmp_path, "left.csv", notification_csv(notification(PUPILS[0], "left", LEFT)))
    )

    assert latest_run().status == ImportRun.Status.DONE
    assert enrolments_of(PUPILS[0]) == [(OTHER_UNIT[0], "", STARTED, LEFT, "avbrott")]
    assert SchoolNotification.objects.count() == 2


def test_a_left_notification_closes_an_enrolment_from_the_enrolment_feed(pupils, tmp_path):
    run_command(
        write_file(tmp_path, "in.csv", enrolment_csv(enrolment(PUPILS[0], unit=OTHER_UNIT)))
    )

    run_command(
        write_file(tmp_path, "left.csv", notification_csv(notification(PUPILS[0], "left", LEFT)))
    )

    assert enrolments_of(PUPILS[0]) == [(OTHER_UNIT[0], "NA", STARTED, LEFT, "avbrott")]


def test_an_absence_notification_is_only_an_event(pupils, tmp_path):
    run_command(
        write_file(tmp_path, "in.csv", enrolment_csv(enrolment(PUPILS[0], unit=OTHER_UNIT)))
    )
    before = enrolments_of(PUPILS[0])

    run_command(
        write_file(
            tmp_path,
            "absence.csv",
            notification_csv(
                notification(PUPILS[0], "absence", LEFT),
                notification(PUPILS[1], "absence", LEFT),
            ),
        )
    )

    run = latest_run()
    assert (run.created, run.responsibility_changed) == (2, 0)
    assert enrolments_of(PUPILS[0]) == before
    assert enrolments_of(PUPILS[1]) == []
    assert SchoolNotification.objects.filter(event="absence").count() == 2


def test_a_notification_twice_is_unchanged(pupils, tmp_path):
    rows = notification(PUPILS[0], "started", STARTED), notification(PUPILS[1], "absence", LEFT)
    run_command(write_file(tmp_path, "a.csv", notification_csv(*rows)))
    before = school_state()

    run_command(write_file(tmp_path, "b.csv", notification_csv(*reversed(rows))))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.unchanged) == (0, 2)
    assert school_state() == before


# ------------------------------------------------------------------ SS 12000 snapshots

SS_UNIT = "5b7c0b1e-6f55-4c8e-9d8a-0c2b9f7e1a01"
SS_OTHER_UNIT = "0e9a1c2d-3b4f-4a5e-8c6d-7f8091a2b3c4"


def ss_enrolment(unit=SS_UNIT, *, code="NA", start: date | None = STARTED, **extra) -> dict:
    found = {
        "schoolType": "GY",
        "enroledAt": {"id": unit, "displayName": f"Skola {unit[:4]}"},
        "educationCode": code,
        **extra,
    }
    if start is not None:
        found["startDate"] = start.isoformat()
    return found


def ss_person(number: str, *enrolments: dict) -> dict:
    return {
        "civicNo": {"value": number, "nationality": "SE"},
        "givenName": "Elev",
        "familyName": "Testsson",
        "enrolments": list(enrolments),
    }


def snapshot(*persons: dict) -> str:
    return json.dumps({"data": list(persons)}, ensure_ascii=False)


def test_an_ss12000_snapshot_starts_the_enrolments_that_appear(pupils, tmp_path):
    today = timezone.localdate()
    content = snapshot(
        ss_person(PUPILS[0], ss_enrolment()),
        ss_person(PUPILS[1], ss_enrolment(code="TE", start=None)),
        ss_person(PUPILS[2], ss_enrolment(schoolType="FSK", code="")),  # not followed
        ss_person(NOT_REGISTERED, ss_enrolment()),
    )

    run_command(write_file(tmp_path, "ss12000.json", content))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.skipped) == (2, 1)
    assert enrolments_of(PUPILS[2]) == []
    assert "Person 4: not in the municipality's population register" in run.message
    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, None, "")]
    # Without a start date, the snapshot's date is when it was first seen.
    assert enrolments_of(PUPILS[1]) == [(SS_UNIT, "TE", today, None, "")]
    assert set(Enrolment.objects.values_list("source", flat=True)) == {Enrolment.Source.SS12000}


def test_an_ss12000_enrolment_that_disappears_ends_the_day_before_the_snapshot(pupils, tmp_path):
    today = timezone.localdate()
    run_command(
        write_file(
            tmp_path,
            "day1.json",
            snapshot(ss_person(PUPILS[0], ss_enrolment()), ss_person(PUPILS[1], ss_enrolment())),
        )
    )

    run_command(
        write_file(
            tmp_path,
            "day2.json",
            snapshot(ss_person(PUPILS[0], ss_enrolment()), ss_person(PUPILS[1])),
        )
    )

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (0, 1, 1)
    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, None, "")]
    assert enrolments_of(PUPILS[1]) == [(SS_UNIT, "NA", STARTED, today - timedelta(days=1), "")]


def test_a_cancelled_ss12000_enrolment_ends_like_a_disappeared_one(pupils, tmp_path):
    today = timezone.localdate()
    run_command(write_file(tmp_path, "day1.json", snapshot(ss_person(PUPILS[0], ss_enrolment()))))

    run_command(
        write_file(
            tmp_path,
            "day2.json",
            snapshot(ss_person(PUPILS[0], ss_enrolment(cancelled=True))),
        )
    )

    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, today - timedelta(days=1), "")]


def test_an_ss12000_move_to_another_school_ends_one_and_starts_the_other(pupils, tmp_path):
    today = timezone.localdate()
    run_command(
        write_file(
            tmp_path,
            "day1.json",
            snapshot(
                ss_person(PUPILS[0], ss_enrolment()),
                ss_person(PUPILS[1], ss_enrolment(SS_OTHER_UNIT)),
                ss_person(PUPILS[2], ss_enrolment()),
            ),
        )
    )

    run_command(
        write_file(
            tmp_path,
            "day2.json",
            snapshot(
                ss_person(PUPILS[0], ss_enrolment(SS_OTHER_UNIT, start=None)),
                ss_person(PUPILS[1], ss_enrolment(SS_OTHER_UNIT)),
                ss_person(PUPILS[2], ss_enrolment()),
            ),
        )
    )

    assert enrolments_of(PUPILS[0]) == [
        (SS_UNIT, "NA", STARTED, today - timedelta(days=1), ""),
        (SS_OTHER_UNIT, "NA", today, None, ""),
    ]


def test_the_same_ss12000_snapshot_twice_changes_nothing(pupils, tmp_path):
    content = snapshot(ss_person(PUPILS[0], ss_enrolment()), ss_person(PUPILS[1], ss_enrolment()))
    run_command(write_file(tmp_path, "day1.json", content))
    before = school_state()

    run_command(write_file(tmp_path, "day1_again.json", content))
    assert latest_run().status == ImportRun.Status.UNCHANGED
    run_command(write_file(tmp_path, "day1_forced.json", content), force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.changed, run.unchanged) == (0, 0, 2)
    assert school_state() == before


def test_an_ss12000_snapshot_with_an_ended_enrolment_can_be_imported_again(pupils, tmp_path):
    """Full SS 12000 carries endDate; the same snapshot re-applied must not duplicate it."""
    content = snapshot(
        ss_person(PUPILS[0], ss_enrolment(endDate=LEFT.isoformat())),
        ss_person(PUPILS[1], ss_enrolment()),
    )
    run_command(write_file(tmp_path, "day1.json", content))
    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, LEFT, "")]
    before = school_state()

    run_command(write_file(tmp_path, "day1_forced.json", content), force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.created == 0
    assert school_state() == before


def test_an_ss12000_end_date_reported_later_ends_the_open_enrolment(pupils, tmp_path):
    run_command(write_file(tmp_path, "day1.json", snapshot(ss_person(PUPILS[0], ss_enrolment()))))

    run_command(
        write_file(
            tmp_path,
            "day2.json",
            snapshot(ss_person(PUPILS[0], ss_enrolment(endDate=LEFT.isoformat()))),
        )
    )

    run = latest_run()
    assert run.status == ImportRun.Status.DONE, run.message
    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, LEFT, "")]


def test_an_ss12000_enrolment_back_after_a_missing_day_is_open_again(pupils, tmp_path):
    both = snapshot(ss_person(PUPILS[0], ss_enrolment()), ss_person(PUPILS[1], ss_enrolment()))
    run_command(write_file(tmp_path, "day1.json", both))
    run_command(
        write_file(
            tmp_path,
            "day2.json",
            snapshot(ss_person(PUPILS[1], ss_enrolment()), ss_person(PUPILS[0])),
        )
    )
    assert enrolments_of(PUPILS[0])[0][3] is not None

    run_command(write_file(tmp_path, "day3.json", both + "\n"))

    run = latest_run()
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.created, run.changed, run.unchanged) == (0, 1, 1)
    assert enrolments_of(PUPILS[0]) == [(SS_UNIT, "NA", STARTED, None, "")]


def test_an_earlier_ended_ss12000_enrolment_leaves_the_current_one_open(pupils, tmp_path):
    """Back in the same programme at the same school: two enrolments, the old one ended."""
    earlier = date(2023, 8, 21), date(2024, 2, 9)
    content = snapshot(
        ss_person(
            PUPILS[0],
            ss_enrolment(start=earlier[0], endDate=earlier[1].isoformat()),
            ss_enrolment(),
        )
    )

    run_command(write_file(tmp_path, "day1.json", content))
    run_command(write_file(tmp_path, "day1_forced.json", content), force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.created, run.changed, run.unchanged) == (0, 0, 2)
    assert enrolments_of(PUPILS[0]) == [
        (SS_UNIT, "NA", earlier[0], earlier[1], ""),
        (SS_UNIT, "NA", STARTED, None, ""),
    ]


def test_an_ended_ss12000_enrolment_without_a_start_date_is_not_duplicated(pupils, tmp_path):
    content = snapshot(
        ss_person(PUPILS[0], ss_enrolment(start=None, endDate=LEFT.isoformat())),
        ss_person(PUPILS[1], ss_enrolment()),
    )
    run_command(write_file(tmp_path, "day1.json", content))
    before = school_state()

    run_command(write_file(tmp_path, "day1_forced.json", content), force=True)

    run = latest_run()
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.created, run.changed, run.unchanged) == (0, 0, 2)
    assert school_state() == before


# ------------------------------------------------------------------ bad files

VALID = enrolment(PUPILS[0])


def _replace(row: tuple, column: str, value: str) -> tuple:
    values = list(row)
    values[ENROLMENT_COLUMNS.index(column)] = value
    return tuple(values)


BAD_ROWS = {
    "bad date": (_replace(VALID, "start_date", "2025-02-30"), "not a real date"),
    "date in the wrong form": (_replace(VALID, "start_date", "20.8.2025"), "YYYY-MM-DD"),
    "unknown school form": (_replace(VALID, "school_form", "hogskola"), "unknown school_form"),
    "unknown programme code": (_replace(VALID, "programme_code", "XX"), "programme_code"),
    "unknown end reason": (
        _replace(_replace(VALID, "end_date", LEFT.isoformat()), "end_reason", "rymt"),
        "unknown end_reason",
    ),
    "invalid identity number": (
        _replace(VALID, "identity_number", wrong_check_digit(PUPILS[1])),
        "check digit",
    ),
    "missing field": (VALID[:-1], "expected 8 fields"),
}


def _good_rows(count: int) -> list[tuple]:
    """``count`` distinct rows for the three pupils, one school year start per row."""
    first = date(2000, 1, 1)
    return [
        enrolment(PUPILS[i % 3], start=first + timedelta(days=i), programme="NA")
        for i in range(count)
    ]


@pytest.mark.parametrize("fault", list(BAD_ROWS))
@pytest.mark.parametrize("good", [2, 2100])
def test_a_bad_line_rejects_the_whole_file_and_stores_nothing(pupils, tmp_path, fault, good):
    run_command(write_file(tmp_path, "first.csv", enrolment_csv(enrolment(PUPILS[0]))))
    before = school_state()
    row, reason = BAD_ROWS[fault]
    bad_line = good + 2  # after the header and the good rows
    content = enrolment_csv(*_good_rows(good), row, enrolment(PUPILS[2]))

    with pytest.raises(CommandError, match="nothing of those files was stored"):
        run_command(write_file(tmp_path, "bad.csv", content))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert (run.created, run.changed, run.unchanged, run.skipped, run.rejected) == (0, 0, 0, 0, 1)
    rejection = run.rejections.get()
    assert rejection.line == bad_line
    assert rejection.message.startswith(f"Line {bad_line}: ")
    assert reason in rejection.message
    assert run.message == rejection.message
    assert school_state() == before


def test_a_csv_missing_a_column_is_rejected_at_its_header(pupils, tmp_path):
    columns = tuple(c for c in ENROLMENT_COLUMNS if c != "end_reason")
    content = enrolment_csv(VALID[:-1], columns=columns)

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "bad.csv", content))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert run.rejections.get().line == 1
    assert run.message == "Line 1: missing column 'end_reason'"
    assert not Enrolment.objects.exists()
    assert not SchoolUnit.objects.exists()


def test_a_csv_in_the_wrong_encoding_is_rejected(pupils, tmp_path):
    row = enrolment(PUPILS[0], unit=("18340101", "Årstaskolan"))
    content = enrolment_csv(VALID, row).encode("latin-1")

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "latin1.csv", content))

    run = latest_run()
    assert run.message == "Line 3: the file is not valid UTF-8"
    assert not Enrolment.objects.exists()


def test_a_bad_notification_line_stores_nothing(pupils, tmp_path):
    content = notification_csv(
        notification(PUPILS[0], "started", STARTED), notification(PUPILS[1], "rymt", LEFT)
    )

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "bad.csv", content))

    run = latest_run()
    assert run.message.startswith("Line 3: unknown event 'rymt'")
    assert not Enrolment.objects.exists()
    assert not SchoolNotification.objects.exists()


def test_a_bad_person_in_an_ss12000_snapshot_stores_nothing(pupils, tmp_path):
    run_command(write_file(tmp_path, "day1.json", snapshot(ss_person(PUPILS[0], ss_enrolment()))))
    before = school_state()
    content = snapshot(
        ss_person(PUPILS[1], ss_enrolment()),
        ss_person(wrong_check_digit(PUPILS[2]), ss_enrolment()),
    )

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "day2.json", content))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("Person 2: invalid civicNo.value")
    assert school_state() == before


def test_broken_json_names_the_line(pupils, tmp_path):
    content = '{"data": [\n  {"civicNo": {"value": "x"}\n'

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "broken.json", content))

    assert latest_run().message.startswith("Line 3: not valid JSON")


def test_a_school_import_killed_after_writing_stores_nothing(pupils, tmp_path, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(importer, "recompute_kaa", broken)

    with pytest.raises(CommandError):
        run_command(write_file(tmp_path, "in.csv", enrolment_csv(*_good_rows(2100))))

    run = latest_run()
    assert run.status == ImportRun.Status.FAILED
    assert run.message == "The import failed because of an internal error. Nothing was stored."
    assert not Enrolment.objects.exists()
    assert not SchoolUnit.objects.exists()


# ------------------------------------------------------------------ the upload page


def test_a_school_file_uploaded_on_the_page_is_imported(
    pupils, client_for, counsellor, django_capture_on_commit_callbacks
):
    client = client_for(counsellor)
    content = enrolment_csv(enrolment(PUPILS[0]), enrolment(NOT_REGISTERED)).encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/",
            {
                "kind": "school",
                "municipality": Municipality.objects.by_code(HOME).pk,
                "file": SimpleUploadedFile("skola.csv", content, content_type="text/csv"),
            },
        )

    run = latest_run()
    assert response.status_code == 302
    assert run.status == ImportRun.Status.DONE
    assert (run.created, run.skipped) == (1, 1)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Line 3: not in the municipality" in page
