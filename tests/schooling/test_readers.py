"""Tests for the school file readers and the programme code lists.

Pure Python: run with ``pytest -p no:django``. Every identity number comes from
Skatteverket's list of test personnummer; none is made up here.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schooling import programmes
from schooling.readers import (
    END_REASONS,
    ENROLMENT_COLUMNS,
    NOTIFICATION_COLUMNS,
    NOTIFICATION_EVENTS,
    SCHOOL_FORMS,
    EnrolmentRow,
    NotificationRow,
    SchoolFileError,
    Ss12000Enrolment,
    Ss12000Person,
    read_enrolment_csv,
    read_ss12000_persons,
    sniff_school_file,
)

TEST_NUMBERS_FILE = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "skatteverket"
    / "testpersonnummer_all_1890-2023.json"
)
TEST_NUMBERS: list[str] = json.loads(TEST_NUMBERS_FILE.read_text(encoding="utf-8"))


def born(prefix: str, nth: int = 0) -> str:
    """The nth test personnummer whose 12 digits start with ``prefix``."""
    return [number for number in TEST_NUMBERS if number.startswith(prefix)][nth]


PUPIL = born("2007")
OTHER_PUPIL = born("2008", 3)
CENTENARIAN = born("1912")  # for the 10-digit '+' form
# A real test number with its check digit changed: invalid on purpose.
WRONG_CHECK_DIGIT = PUPIL[:-1] + str((int(PUPIL[-1]) + 1) % 10)

SCHOOL_UNIT = "12345678"
ENROLMENT_HEADER = ",".join(ENROLMENT_COLUMNS)
NOTIFICATION_HEADER = ",".join(NOTIFICATION_COLUMNS)


def enrolment_line(**changes: str) -> str:
    """A valid enrolment data line in the documented column order, with changes."""
    values = {
        "identity_number": PUPIL,
        "school_unit_code": SCHOOL_UNIT,
        "school_unit_name": "Norra gymnasiet",
        "school_form": "gymnasieskola",
        "programme_code": "NA",
        "start_date": "2023-08-21",
        "end_date": "",
        "end_reason": "",
    }
    values.update(changes)
    return ",".join(values[name] for name in ENROLMENT_COLUMNS)


def notification_line(**changes: str) -> str:
    values = {
        "identity_number": PUPIL,
        "school_unit_code": SCHOOL_UNIT,
        "school_unit_name": "Norra gymnasiet",
        "event": "left",
        "event_date": "2024-03-01",
    }
    values.update(changes)
    return ",".join(values[name] for name in NOTIFICATION_COLUMNS)


def file_bytes(*lines: str, newline: str = "\r\n") -> bytes:
    return "".join(line + newline for line in lines).encode("utf-8")


def read(data: bytes, **kwargs) -> list[EnrolmentRow | NotificationRow]:
    return list(read_enrolment_csv(io.BytesIO(data), **kwargs))


def read_error(data: bytes, **kwargs) -> SchoolFileError:
    with pytest.raises(SchoolFileError) as caught:
        read(data, **kwargs)
    return caught.value


def enrolment_error(**changes: str) -> str:
    """The message for a one-row enrolment file whose row has ``changes``."""
    return str(read_error(file_bytes(ENROLMENT_HEADER, enrolment_line(**changes))))


def test_the_identity_numbers_used_here_are_skatteverkets_test_numbers():
    assert {PUPIL, OTHER_PUPIL, CENTENARIAN} <= set(TEST_NUMBERS)
    assert WRONG_CHECK_DIGIT not in TEST_NUMBERS


# --- programmes ----------------------------------------------------------------


def test_the_18_national_programmes_of_gy11():
    assert sorted(programmes.NATIONAL_PROGRAMMES) == sorted(
        "BA BF EE EK ES FT HA HU HT HV IN NA NB RL SA TE VF VO".split()
    )
    assert programmes.NATIONAL_PROGRAMMES["NA"] == "Naturvetenskapsprogrammet"
    assert all(name.endswith("programmet") for name in programmes.NATIONAL_PROGRAMMES.values())


def test_introduction_programmes_current_and_before_2019():
    assert programmes.INTRODUCTION_PROGRAMMES["IMA"] == "Individuellt alternativ"
    assert programmes.INTRODUCTION_PROGRAMMES["IMS"] == "Språkintroduktion"
    assert programmes.INTRODUCTION_PROGRAMMES["IMV"] == "Programinriktat val"
    assert programmes.INTRODUCTION_PROGRAMMES["IMY"] == "Yrkesintroduktion"
    assert set(programmes.CURRENT_INTRODUCTION_PROGRAMMES) == {"IMA", "IMS", "IMV", "IMY"}
    assert {"IMPRE", "IMIND", "IMYRK", "IMSPR", "IMPRO"} <= set(programmes.INTRODUCTION_PROGRAMMES)


@pytest.mark.parametrize("code", ["NA", "TE", "VO", "HU"])
def test_is_national_programme(code):
    assert programmes.is_national_programme(code)
    assert not programmes.is_introduction_programme(code)
    assert programmes.is_gymnasieskola_programme(code)


@pytest.mark.parametrize("code", ["IMA", "IMS", "IMV", "IMY", "IMPRE", "IMIND", "IMYRK"])
def test_is_introduction_programme(code):
    assert programmes.is_introduction_programme(code)
    assert not programmes.is_national_programme(code)
    assert programmes.is_gymnasieskola_programme(code)


def test_introduction_is_decided_by_the_prefix():
    assert programmes.is_introduction_programme("IMXYZ")
    assert not programmes.is_gymnasieskola_programme("IMXYZ")


@pytest.mark.parametrize("code", ["", "na", "NANAT", "IB", "XX", "N"])
def test_not_national_programmes(code):
    assert not programmes.is_national_programme(code)


@pytest.mark.parametrize("code", ["AB", "HVO12", "X1"])
def test_anpassad_gymnasieskola_code_form(code):
    assert programmes.is_anpassad_gymnasieskola_code(code)


@pytest.mark.parametrize("code", ["", "A", "ABCDEF", "ab", "A-B", "ÅÄ"])
def test_not_anpassad_gymnasieskola_code_form(code):
    assert not programmes.is_anpassad_gymnasieskola_code(code)


def test_programme_name():
    assert programmes.programme_name("TE") == "Teknikprogrammet"
    assert programmes.programme_name("IMPRE") == "Preparandutbildning"
    assert programmes.programme_name("ZZ") is None


# --- sniffing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_bytes", "kind"),
    [
        (file_bytes(ENROLMENT_HEADER, enrolment_line()), "enrolment_csv"),
        (file_bytes(NOTIFICATION_HEADER, notification_line()), "notification_csv"),
        (b"\xef\xbb\xbf" + file_bytes(ENROLMENT_HEADER), "enrolment_csv"),
        (
            b"event_date,event,identity_number,school_unit_code,school_unit_name\n",
            "notification_csv",
        ),
        (b'{"data": []}', "ss12000_json"),
        (b"\xef\xbb\xbf\n  [ {", "ss12000_json"),
        # Cut inside the header: the complete column names still tell.
        (ENROLMENT_HEADER.encode()[:70], "enrolment_csv"),
        (ENROLMENT_HEADER.encode(), "enrolment_csv"),
    ],
)
def test_sniff_school_file(first_bytes, kind):
    assert sniff_school_file(first_bytes) == kind


@pytest.mark.parametrize(
    "first_bytes",
    [b"", b"  \r\n\n", b"name,age\n1,2\n", b"<?xml version='1.0'?>", b"\xff\xfe\x00\x01"],
)
def test_sniff_rejects_other_files(first_bytes):
    with pytest.raises(SchoolFileError):
        sniff_school_file(first_bytes)


def test_sniff_rejects_a_header_that_mixes_both_kinds():
    with pytest.raises(SchoolFileError, match="mixes"):
        sniff_school_file(b"identity_number,event,school_form\n")


@given(st.binary())
def test_sniff_never_raises_anything_but_school_file_error(data):
    try:
        assert sniff_school_file(data) in {"enrolment_csv", "notification_csv", "ss12000_json"}
    except SchoolFileError:
        pass


# --- enrolment CSV: good files -----------------------------------------------------


def test_reads_an_enrolment_file():
    data = file_bytes(
        ENROLMENT_HEADER,
        enrolment_line(),
        enrolment_line(
            identity_number=OTHER_PUPIL,
            school_form="grundskola",
            programme_code="",
            school_unit_name="Södra skolan",
            start_date="2015-08-17",
            end_date="2024-06-12",
            end_reason="examen",
        ),
    )
    assert read(data) == [
        EnrolmentRow(
            line=2,
            identity_number=PUPIL,
            school_unit_code=SCHOOL_UNIT,
            school_unit_name="Norra gymnasiet",
            school_form="gymnasieskola",
            programme_code="NA",
            start_date=date(2023, 8, 21),
            end_date=None,
            end_reason="",
        ),
        # Completed compulsory school: kept exactly as reported.
        EnrolmentRow(
            line=3,
            identity_number=OTHER_PUPIL,
            school_unit_code=SCHOOL_UNIT,
            school_unit_name="Södra skolan",
            school_form="grundskola",
            programme_code="",
            start_date=date(2015, 8, 17),
            end_date=date(2024, 6, 12),
            end_reason="examen",
        ),
    ]


def test_reads_a_notification_file():
    data = file_bytes(
        NOTIFICATION_HEADER,
        notification_line(),
        notification_line(event="started", event_date="2024-01-08"),
        notification_line(event="absence", identity_number=OTHER_PUPIL),
    )
    rows = read(data)
    assert rows[0] == NotificationRow(
        line=2,
        identity_number=PUPIL,
        school_unit_code=SCHOOL_UNIT,
        school_unit_name="Norra gymnasiet",
        event="left",
        event_date=date(2024, 3, 1),
    )
    assert [(row.line, row.event) for row in rows] == [(2, "left"), (3, "started"), (4, "absence")]
    assert rows[2].identity_number == OTHER_PUPIL


@pytest.mark.parametrize("event", NOTIFICATION_EVENTS)
def test_every_notification_event(event):
    [row] = read(file_bytes(NOTIFICATION_HEADER, notification_line(event=event)))
    assert row.event == event


def test_reads_from_a_path_a_str_path_and_a_file(tmp_path):
    data = file_bytes(ENROLMENT_HEADER, enrolment_line())
    target = tmp_path / "skola.csv"
    target.write_bytes(data)
    from_path = list(read_enrolment_csv(target))
    assert from_path == list(read_enrolment_csv(str(target))) == read(data)
    with target.open("rb") as stream:
        assert list(read_enrolment_csv(stream)) == from_path
        assert not stream.closed  # the caller's file is the caller's to close


def test_a_text_file_object_is_a_programming_error():
    with pytest.raises(TypeError):
        list(read_enrolment_csv(io.StringIO(ENROLMENT_HEADER)))


def test_a_byte_order_mark_is_allowed():
    [row] = read(b"\xef\xbb\xbf" + file_bytes(ENROLMENT_HEADER, enrolment_line()))
    assert row.identity_number == PUPIL


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_endings(newline):
    data = file_bytes(ENROLMENT_HEADER, enrolment_line(), enrolment_line(), newline=newline)
    assert [row.line for row in read(data)] == [2, 3]


def test_the_last_line_needs_no_newline():
    data = file_bytes(ENROLMENT_HEADER) + enrolment_line().encode()
    assert len(read(data)) == 1


def test_header_only_is_a_file_without_rows():
    assert read(file_bytes(ENROLMENT_HEADER)) == []
    assert read(file_bytes(NOTIFICATION_HEADER)) == []


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\r\n  \n"])
def test_an_empty_file_is_an_error(data):
    error = read_error(data)
    assert "empty" in str(error)
    assert error.line is None


def test_blank_lines_are_skipped_and_lines_are_counted_physically():
    data = file_bytes("", ENROLMENT_HEADER, "", enrolment_line(), "   ", "", enrolment_line(), "")
    assert [row.line for row in read(data)] == [4, 7]
    bad = file_bytes(ENROLMENT_HEADER, "", enrolment_line(school_form="x"))
    assert read_error(bad).line == 3


def test_columns_in_any_order():
    columns = list(reversed(ENROLMENT_COLUMNS))
    values = {
        "identity_number": PUPIL,
        "school_unit_code": SCHOOL_UNIT,
        "school_unit_name": "Norra",
        "school_form": "gymnasieskola",
        "programme_code": "TE",
        "start_date": "2022-08-22",
        "end_date": "2023-01-31",
        "end_reason": "avbrott",
    }
    data = file_bytes(",".join(columns), ",".join(values[name] for name in columns))
    [row] = read(data)
    assert (row.programme_code, row.end_date, row.end_reason) == (
        "TE",
        date(2023, 1, 31),
        "avbrott",
    )


def test_values_and_column_names_are_stripped():
    header = ", ".join(NOTIFICATION_COLUMNS)
    line = f"  {PUPIL} ,{SCHOOL_UNIT} , Norra gymnasiet ,left ,2024-03-01 "
    [row] = read(file_bytes(header, line))
    assert row.identity_number == PUPIL
    assert row.school_unit_name == "Norra gymnasiet"


def test_quoted_fields_with_commas_and_newlines():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NOTIFICATION_COLUMNS)
    writer.writerow([PUPIL, SCHOOL_UNIT, 'Skolan "Norra",\nhus B', "left", "2024-03-01"])
    writer.writerow([PUPIL, SCHOOL_UNIT, "Södra", "absence", "2024-03-02"])
    rows = read(buffer.getvalue().encode())
    assert rows[0].school_unit_name == 'Skolan "Norra",\nhus B'
    # A record's line is the line it starts on.
    assert [row.line for row in rows] == [2, 4]


def test_rows_before_an_error_have_been_yielded():
    rows = read_enrolment_csv(
        io.BytesIO(file_bytes(ENROLMENT_HEADER, enrolment_line(), enrolment_line(start_date="x")))
    )
    assert next(rows).line == 2
    with pytest.raises(SchoolFileError):
        next(rows)


# --- enrolment CSV: header errors ---------------------------------------------------


def test_a_missing_column_is_named():
    header = ",".join(name for name in ENROLMENT_COLUMNS if name != "end_reason")
    error = read_error(file_bytes(header))
    assert error.line == 1
    assert "missing column 'end_reason'" in str(error)


def test_all_missing_columns_are_named():
    header = "identity_number,school_form,start_date"
    message = str(read_error(file_bytes(header)))
    for name in ("school_unit_code", "school_unit_name", "programme_code", "end_date"):
        assert repr(name) in message


def test_an_unknown_extra_column_is_an_error():
    error = read_error(file_bytes(ENROLMENT_HEADER + ",comment", enrolment_line() + ",hej"))
    assert error.line == 1
    assert "unknown column 'comment'" in str(error)


def test_an_empty_column_name_is_unknown():
    assert "unknown column ''" in str(read_error(file_bytes(ENROLMENT_HEADER + ",")))


def test_a_duplicate_column_is_an_error():
    assert "appears twice" in str(read_error(file_bytes(ENROLMENT_HEADER + ",end_date")))


def test_a_header_mixing_both_kinds_is_an_error():
    assert "mixes" in str(read_error(file_bytes(ENROLMENT_HEADER + ",event")))


@pytest.mark.parametrize("header", ["name,age", "identity_number,school_unit_code", "a"])
def test_an_unrecognised_header_is_an_error(header):
    error = read_error(file_bytes(header))
    assert error.line == 1
    assert "unrecognised header" in str(error)


def test_header_names_are_case_sensitive():
    assert "unrecognised header" in str(read_error(file_bytes(ENROLMENT_HEADER.upper())))


# --- enrolment CSV: row errors -------------------------------------------------------


def test_error_message_and_attributes():
    error = read_error(file_bytes(ENROLMENT_HEADER, enrolment_line(school_form="gymnasium")))
    assert str(error) == (
        "Line 2: unknown school_form 'gymnasium' (expected one of grundskola, gymnasieskola, "
        "anpassad_gymnasieskola, motsvarande, komvux, folkhogskola)"
    )
    assert error.line == 2
    assert error.message.startswith("unknown school_form 'gymnasium'")


def test_school_file_error_without_a_line():
    error = SchoolFileError("the file is empty")
    assert (str(error), error.line, error.message) == (
        "the file is empty",
        None,
        "the file is empty",
    )


@pytest.mark.parametrize("fields", ["1,2,3", enrolment_line() + ",extra"])
def test_wrong_number_of_fields(fields):
    error = read_error(file_bytes(ENROLMENT_HEADER, enrolment_line(), fields))
    assert error.line == 3
    assert "expected 8 fields" in str(error)


def test_wrong_number_of_fields_in_a_notification_file():
    error = read_error(file_bytes(NOTIFICATION_HEADER, "a,b,c,d,e,f"))
    assert str(error) == "Line 2: expected 5 fields, found 6"


@pytest.mark.parametrize(
    "written",
    [
        PUPIL,
        f"{PUPIL[:8]}-{PUPIL[8:]}",
        f"{PUPIL[2:8]}-{PUPIL[8:]}",
        PUPIL[2:],
    ],
)
def test_identity_numbers_in_any_written_form_are_normalised(written):
    [row] = read(file_bytes(ENROLMENT_HEADER, enrolment_line(identity_number=written)))
    assert row.identity_number == PUPIL


def test_ten_digit_forms_use_today_as_reference():
    plus = f"{CENTENARIAN[2:8]}+{CENTENARIAN[8:]}"
    minus = f"{CENTENARIAN[2:8]}-{CENTENARIAN[8:]}"
    data = file_bytes(NOTIFICATION_HEADER, notification_line(identity_number=plus))
    assert read(data, today=date(2024, 1, 1))[0].identity_number == CENTENARIAN
    data = file_bytes(NOTIFICATION_HEADER, notification_line(identity_number=minus))
    assert read(data, today=date(2024, 1, 1))[0].identity_number == "20" + CENTENARIAN[2:]
    # Without today, the reader uses the real date: still a valid 12-digit number.
    assert read(data)[0].identity_number.endswith(CENTENARIAN[2:])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (WRONG_CHECK_DIGIT, "wrong check digit"),
        ("12345", "is not an identity number"),
        ("ABCDEFGHIJKL", "is not an identity number"),
        ("", "identity_number is empty"),
    ],
)
def test_invalid_identity_numbers(value, expected):
    message = enrolment_error(identity_number=value)
    assert message.startswith("Line 2: ")
    assert expected in message


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567A", "", "１２３４５６７８"])
def test_school_unit_code_must_be_8_digits(value):
    assert "school_unit_code" in enrolment_error(school_unit_code=value)


def test_school_unit_name_is_required():
    assert enrolment_error(school_unit_name="") == "Line 2: school_unit_name is empty"


@pytest.mark.parametrize("school_form", SCHOOL_FORMS)
def test_every_school_form(school_form):
    code = "NA" if school_form == "gymnasieskola" else ""
    line = enrolment_line(school_form=school_form, programme_code=code)
    assert read(file_bytes(ENROLMENT_HEADER, line))[0].school_form == school_form


@pytest.mark.parametrize("school_form", ["", "Gymnasieskola", "gymnasium", "särskola"])
def test_unknown_school_form(school_form):
    assert "school_form" in enrolment_error(school_form=school_form)


@pytest.mark.parametrize(
    "code", [*programmes.NATIONAL_PROGRAMMES, *programmes.INTRODUCTION_PROGRAMMES]
)
def test_gymnasieskola_accepts_national_and_introduction_programmes(code):
    [row] = read(file_bytes(ENROLMENT_HEADER, enrolment_line(programme_code=code)))
    assert row.programme_code == code


def test_gymnasieskola_requires_a_programme_code():
    assert enrolment_error(programme_code="") == "Line 2: programme_code is empty"


@pytest.mark.parametrize("code", ["na", "NANAT", "IB", "IMX", "XX"])
def test_gymnasieskola_rejects_other_programme_codes(code):
    assert f"unknown programme_code '{code}' for gymnasieskola" in enrolment_error(
        programme_code=code
    )


@pytest.mark.parametrize(
    ("school_form", "code"),
    [
        ("anpassad_gymnasieskola", ""),
        ("anpassad_gymnasieskola", "HVO"),
        ("anpassad_gymnasieskola", "ABC12"),
        ("grundskola", ""),
        ("komvux", ""),
        ("motsvarande", "IB"),
        ("folkhogskola", ""),
    ],
)
def test_programme_code_is_optional_for_other_school_forms(school_form, code):
    line = enrolment_line(school_form=school_form, programme_code=code)
    assert read(file_bytes(ENROLMENT_HEADER, line))[0].programme_code == code


@pytest.mark.parametrize("code", ["A", "ABCDEF", "hvo", "H-V"])
def test_other_programme_codes_must_look_like_codes(code):
    message = enrolment_error(school_form="anpassad_gymnasieskola", programme_code=code)
    assert f"programme_code '{code}'" in message


def test_not_a_real_date():
    message = enrolment_error(end_date="2023-02-30", end_reason="avbrott")
    assert message == "Line 2: end_date '2023-02-30' is not a real date"


@pytest.mark.parametrize("value", ["2023/08/21", "20230821", "21-08-2023", "2023-8-21", "igår"])
def test_dates_must_be_iso(value):
    assert enrolment_error(start_date=value) == (
        f"Line 2: start_date '{value}' is not a date in the form YYYY-MM-DD"
    )


@pytest.mark.parametrize("value", ["2023-13-01", "2023-00-10", "0000-01-01", "2024-04-31"])
def test_dates_must_be_real(value):
    assert enrolment_error(start_date=value).endswith("is not a real date")


def test_leap_day():
    [row] = read(file_bytes(ENROLMENT_HEADER, enrolment_line(start_date="2024-02-29")))
    assert row.start_date == date(2024, 2, 29)


def test_start_date_is_required():
    assert enrolment_error(start_date="") == "Line 2: start_date is empty"


def test_end_date_not_before_start_date():
    message = enrolment_error(start_date="2023-08-21", end_date="2023-08-20")
    assert message == "Line 2: end_date 2023-08-20 is before start_date 2023-08-21"
    line = enrolment_line(start_date="2023-08-21", end_date="2023-08-21")
    assert read(file_bytes(ENROLMENT_HEADER, line))[0].end_date == date(2023, 8, 21)


def test_end_date_without_end_reason_is_allowed():
    [row] = read(file_bytes(ENROLMENT_HEADER, enrolment_line(end_date="2024-06-14")))
    assert (row.end_date, row.end_reason) == (date(2024, 6, 14), "")


@pytest.mark.parametrize("reason", END_REASONS)
def test_every_end_reason(reason):
    line = enrolment_line(end_date="2024-06-14", end_reason=reason)
    assert read(file_bytes(ENROLMENT_HEADER, line))[0].end_reason == reason


def test_unknown_end_reason():
    message = enrolment_error(end_date="2024-06-14", end_reason="slutat")
    assert message.startswith("Line 2: unknown end_reason 'slutat' (expected one of examen,")


def test_end_reason_requires_an_end_date():
    message = enrolment_error(end_reason="avbrott")
    assert message == "Line 2: end_reason 'avbrott' requires an end_date"


def test_unknown_notification_event():
    data = file_bytes(NOTIFICATION_HEADER, notification_line(event="moved"))
    assert str(read_error(data)).startswith("Line 2: unknown event 'moved' (expected one of")


@pytest.mark.parametrize(
    ("event_date", "expected"),
    [("", "event_date is empty"), ("2023-02-29", "is not a real date"), ("1/3", "YYYY-MM-DD")],
)
def test_notification_event_date(event_date, expected):
    data = file_bytes(NOTIFICATION_HEADER, notification_line(event_date=event_date))
    assert expected in str(read_error(data))


def test_invalid_utf8_names_the_line():
    data = file_bytes(ENROLMENT_HEADER, enrolment_line()) + "Göteborg,".encode("latin-1") + b"\n"
    error = read_error(data)
    assert error.line == 3
    assert "UTF-8" in str(error)


def test_a_latin1_header_is_invalid_utf8_on_line_1():
    assert read_error(NOTIFICATION_HEADER.encode() + b",\xe5\n").line == 1


@pytest.mark.parametrize(
    "bad_line",
    [
        f'{PUPIL},{SCHOOL_UNIT},"Norra"x,left,2024-03-01',  # text after a closing quote
        f'{PUPIL},{SCHOOL_UNIT},"Norra,left,2024-03-01',  # quote never closed
    ],
)
def test_malformed_quoting_names_the_line(bad_line):
    error = read_error(file_bytes(NOTIFICATION_HEADER, notification_line(), bad_line))
    assert error.line == 3
    assert "malformed CSV" in str(error)


def test_a_lone_carriage_return_line_end_is_malformed():
    data = (NOTIFICATION_HEADER + "\r" + notification_line() + "\r").encode()
    assert "malformed CSV" in str(read_error(data))


# --- enrolment CSV: properties ---------------------------------------------------------

names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda text: text.strip() == text
)
school_unit_codes = st.from_regex(r"\A[0-9]{8}\Z")
written_numbers = st.sampled_from(TEST_NUMBERS).flatmap(
    lambda number: st.sampled_from([number, f"{number[:8]}-{number[8:]}"]).map(
        lambda written: (number, written)
    )
)


@st.composite
def enrolments(draw) -> tuple[dict[str, str], dict]:
    """A valid enrolment: (the CSV values, the expected EnrolmentRow fields)."""
    number, written = draw(written_numbers)
    school_form = draw(st.sampled_from(SCHOOL_FORMS))
    if school_form == "gymnasieskola":
        programme_code = draw(
            st.sampled_from([*programmes.NATIONAL_PROGRAMMES, *programmes.INTRODUCTION_PROGRAMMES])
        )
    else:
        programme_code = draw(st.just("") | st.from_regex(r"\A[A-Z0-9]{2,5}\Z"))
    start_date = draw(st.dates())
    end_date = draw(st.none() | st.dates(min_value=start_date))
    end_reason = "" if end_date is None else draw(st.sampled_from(("", *END_REASONS)))
    expected = {
        "identity_number": number,
        "school_unit_code": draw(school_unit_codes),
        "school_unit_name": draw(names),
        "school_form": school_form,
        "programme_code": programme_code,
        "start_date": start_date,
        "end_date": end_date,
        "end_reason": end_reason,
    }
    written_values = {
        **expected,
        "identity_number": written,
        "start_date": start_date.isoformat(),
        "end_date": "" if end_date is None else end_date.isoformat(),
    }
    return written_values, expected


@st.composite
def notifications(draw) -> tuple[dict[str, str], dict]:
    number, written = draw(written_numbers)
    event_date = draw(st.dates())
    expected = {
        "identity_number": number,
        "school_unit_code": draw(school_unit_codes),
        "school_unit_name": draw(names),
        "event": draw(st.sampled_from(NOTIFICATION_EVENTS)),
        "event_date": event_date,
    }
    return {**expected, "identity_number": written, "event_date": event_date.isoformat()}, expected


def write_csv(columns, records, *, newline, bom, blank_lines):
    """Write ``records`` with the csv module; return the bytes and each record's line."""
    buffer = io.StringIO(newline="")
    # With LF line ends the csv module leaves a lone CR in a value unquoted,
    # which no reader can tell from a line end; quoting every value avoids it.
    quoting = csv.QUOTE_MINIMAL if newline == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(buffer, lineterminator=newline, quoting=quoting)
    writer.writerow(columns)
    lines = []
    for (written, _), blank in zip(records, blank_lines, strict=True):
        buffer.write(newline * blank)
        lines.append(buffer.getvalue().count("\n") + 1)
        writer.writerow([written[name] for name in columns])
    data = buffer.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data if bom else data), lines


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(
        [
            (ENROLMENT_COLUMNS, enrolments(), EnrolmentRow),
            (NOTIFICATION_COLUMNS, notifications(), NotificationRow),
        ]
    ).flatmap(
        lambda kind: st.tuples(
            st.permutations(kind[0]), st.lists(kind[1], max_size=8), st.just(kind[2])
        )
    ),
    newline=st.sampled_from(["\r\n", "\n"]),
    bom=st.booleans(),
    data=st.data(),
)
def test_valid_rows_round_trip(kind, newline, bom, data):
    columns, records, row_class = kind
    blank_lines = data.draw(
        st.lists(st.integers(0, 2), min_size=len(records), max_size=len(records))
    )
    content, lines = write_csv(columns, records, newline=newline, bom=bom, blank_lines=blank_lines)
    expected = [
        row_class(line=line, **fields) for line, (_, fields) in zip(lines, records, strict=True)
    ]
    assert read(content) == expected


def read_quietly(data: bytes) -> None:
    """Read a whole file; a SchoolFileError is fine, anything else fails the test."""
    try:
        read(data)
    except SchoolFileError as error:
        assert str(error)


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_school_file_error(data):
    read_quietly(data)


@given(st.text(max_size=2000))
def test_arbitrary_text_raises_only_school_file_error(text):
    read_quietly(text.encode("utf-8"))


@given(st.sampled_from([ENROLMENT_HEADER, NOTIFICATION_HEADER]), st.text(max_size=2000))
def test_arbitrary_text_after_a_header_raises_only_school_file_error(header, body):
    read_quietly(f"{header}\n{body}".encode())


# Pieces of valid and invalid values, so generated rows get far into the checks.
fragments = st.sampled_from(
    [
        PUPIL,
        WRONG_CHECK_DIGIT,
        PUPIL[2:],
        SCHOOL_UNIT,
        "Norra",
        *SCHOOL_FORMS,
        "NA",
        "IMS",
        "HVO",
        "2023-08-21",
        "2023-02-30",
        "2024-06-14",
        *END_REASONS,
        *NOTIFICATION_EVENTS,
        "",
        " ",
        '"',
        "x",
        "\ufeff",
    ]
)


@given(
    st.sampled_from([ENROLMENT_HEADER, NOTIFICATION_HEADER]),
    st.lists(st.lists(fragments, min_size=4, max_size=9), max_size=5),
)
def test_near_valid_rows_raise_only_school_file_error(header, rows):
    body = "\n".join(",".join(row) for row in rows)
    read_quietly(f"{header}\n{body}\n".encode())


# --- SS12000 JSON -----------------------------------------------------------------------

UNIT_ID = "0e4ab6b7-74a6-4a2a-9c4a-3f1c0e8f2a11"
PROGRAMME_ID = "7f7a3e0c-1d7c-4a8e-8f53-0f0a4a5e2b01"


def ss12000_enrolment(**changes) -> dict:
    enrolment = {
        "enroledAt": {"id": UNIT_ID, "displayName": "Norra gymnasiet"},
        "schoolYear": 1,
        "schoolType": "GY",
        "cancelled": False,
        "educationCode": "NA",
        "programme": {"id": PROGRAMME_ID, "displayName": "Naturvetenskapsprogrammet"},
    }
    enrolment.update(changes)
    return {key: value for key, value in enrolment.items() if value is not ...}


def ss12000_person(number: str = PUPIL, **changes) -> dict:
    person = {
        "id": "5d7f2c1a-3b4e-4f6a-9c8d-2e1f0a9b8c7d",
        "givenName": "Tolvan",
        "familyName": "Tolvansson",
        "eduPersonPrincipalNames": [],
        "civicNo": {"value": number, "nationality": "SE"},
        "enrolments": [ss12000_enrolment()],
    }
    person.update(changes)
    return {key: value for key, value in person.items() if value is not ...}


def read_json(document) -> list[Ss12000Person]:
    return list(read_ss12000_persons(io.BytesIO(json.dumps(document).encode())))


def json_error(document) -> str:
    with pytest.raises(SchoolFileError) as caught:
        read_json(document)
    return str(caught.value)


def test_reads_a_persons_document():
    [person] = read_json({"data": [ss12000_person()], "pageToken": None})
    assert person == Ss12000Person(
        index=1,
        identity_number=PUPIL,
        given_name="Tolvan",
        family_name="Tolvansson",
        enrolments=(
            Ss12000Enrolment(
                school_unit_code=UNIT_ID,
                school_unit_name="Norra gymnasiet",
                school_form="gymnasieskola",
                programme_code="NA",
                start_date=None,
                end_date=None,
                cancelled=False,
            ),
        ),
    )


def test_reads_a_bare_list_of_persons():
    persons = read_json([ss12000_person(), ss12000_person(OTHER_PUPIL)])
    assert [(p.index, p.identity_number) for p in persons] == [(1, PUPIL), (2, OTHER_PUPIL)]


def test_reads_from_a_path_with_a_byte_order_mark(tmp_path):
    target = tmp_path / "persons.json"
    target.write_bytes(b"\xef\xbb\xbf" + json.dumps([ss12000_person()]).encode())
    assert [p.identity_number for p in read_ss12000_persons(target)] == [PUPIL]


def test_civic_numbers_are_normalised():
    [person] = read_json([ss12000_person(f"{PUPIL[:8]}-{PUPIL[8:]}")])
    assert person.identity_number == PUPIL


@pytest.mark.parametrize(
    ("school_type", "school_form"),
    [
        ("GY", "gymnasieskola"),
        ("GYS", "anpassad_gymnasieskola"),
        ("GR", "grundskola"),
        ("VUX", "komvux"),
        ("VUXGY", "komvux"),
        ("SFI", "komvux"),
        ("FHS", "folkhogskola"),
    ],
)
def test_school_types(school_type, school_form):
    [person] = read_json([ss12000_person(enrolments=[ss12000_enrolment(schoolType=school_type)])])
    assert person.enrolments[0].school_form == school_form


@pytest.mark.parametrize("school_type", ["FS", "FKLASS", "GRS", "SP", "YH", "HS", "NOT_A_TYPE"])
def test_other_school_types_are_skipped(school_type):
    enrolments = [ss12000_enrolment(schoolType=school_type), ss12000_enrolment()]
    [person] = read_json([ss12000_person(enrolments=enrolments)])
    assert [e.school_form for e in person.enrolments] == ["gymnasieskola"]


def test_a_person_without_followed_enrolments_is_still_read():
    persons = read_json(
        [
            ss12000_person(enrolments=[ss12000_enrolment(schoolType="FS")]),
            ss12000_person(OTHER_PUPIL, enrolments=...),
        ]
    )
    assert [p.enrolments for p in persons] == [(), ()]


def test_programme_code_prefers_education_code_then_programme_display_name():
    enrolments = [
        ss12000_enrolment(),
        ss12000_enrolment(educationCode=...),
        ss12000_enrolment(educationCode=..., programme=...),
        ss12000_enrolment(educationCode="", programme={"id": PROGRAMME_ID}),
    ]
    [person] = read_json([ss12000_person(enrolments=enrolments)])
    assert [e.programme_code for e in person.enrolments] == [
        "NA",
        "Naturvetenskapsprogrammet",
        "",
        "",
    ]


def test_school_unit_name_is_optional():
    enrolment = ss12000_enrolment(enroledAt={"id": UNIT_ID})
    [person] = read_json([ss12000_person(enrolments=[enrolment])])
    assert (person.enrolments[0].school_unit_code, person.enrolments[0].school_unit_name) == (
        UNIT_ID,
        "",
    )


def test_cancelled_and_dates_when_present():
    enrolment = ss12000_enrolment(cancelled=True, startDate="2023-08-21", endDate="2024-01-31")
    [person] = read_json([ss12000_person(enrolments=[enrolment])])
    assert person.enrolments[0].cancelled is True
    assert person.enrolments[0].start_date == date(2023, 8, 21)
    assert person.enrolments[0].end_date == date(2024, 1, 31)


def test_missing_optional_person_fields():
    [person] = read_json([ss12000_person(givenName=..., familyName=None)])
    assert (person.given_name, person.family_name) == ("", "")


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (ss12000_person(civicNo=...), "Person 2: civicNo is missing"),
        (ss12000_person(civicNo={}), "Person 2: civicNo.value is missing or not text"),
        (ss12000_person(civicNo={"value": int(PUPIL)}), "Person 2: civicNo.value is missing"),
        (ss12000_person(WRONG_CHECK_DIGIT), "Person 2: invalid civicNo.value: "),
        (ss12000_person(""), "Person 2: civicNo.value is empty"),
        ("Tolvan", "Person 2: is not an object"),
        (ss12000_person(givenName=7), "Person 2: givenName is not text"),
        (ss12000_person(enrolments={}), "Person 2: enrolments is not a list"),
        (ss12000_person(enrolments=[None]), "Person 2: enrolment 1: is not an object"),
        (
            ss12000_person(enrolments=[ss12000_enrolment(), ss12000_enrolment(schoolType=...)]),
            "Person 2: enrolment 2: schoolType is missing",
        ),
        (
            ss12000_person(enrolments=[ss12000_enrolment(enroledAt=...)]),
            "Person 2: enrolment 1: enroledAt.id is missing",
        ),
        (
            ss12000_person(enrolments=[ss12000_enrolment(enroledAt={"displayName": "X"})]),
            "Person 2: enrolment 1: enroledAt.id is missing",
        ),
        (
            ss12000_person(enrolments=[ss12000_enrolment(cancelled="nej")]),
            "Person 2: enrolment 1: cancelled is not true or false",
        ),
        (
            ss12000_person(enrolments=[ss12000_enrolment(startDate="2023-02-30")]),
            "Person 2: enrolment 1: startDate '2023-02-30' is not a real date",
        ),
        (
            ss12000_person(
                enrolments=[ss12000_enrolment(startDate="2024-01-01", endDate="2023-12-31")]
            ),
            "Person 2: enrolment 1: endDate 2023-12-31 is before startDate 2024-01-01",
        ),
        (
            ss12000_person(enrolments=[ss12000_enrolment(educationCode=["NA"])]),
            "Person 2: enrolment 1: educationCode is not text",
        ),
    ],
)
def test_person_errors_name_the_person(person, expected):
    assert json_error({"data": [ss12000_person(OTHER_PUPIL), person]}).startswith(expected)


def test_the_identity_number_is_checked_first():
    person = ss12000_person(WRONG_CHECK_DIGIT, enrolments=7)
    assert "invalid civicNo.value" in json_error([person])


@pytest.mark.parametrize(
    "document", [{"persons": []}, {"data": {}}, "persons", 42, None, {"data": None}]
)
def test_wrong_shape(document):
    assert "expected an SS12000 Persons object" in json_error(document)


def test_not_json_names_the_line():
    with pytest.raises(SchoolFileError) as caught:
        list(read_ss12000_persons(io.BytesIO(b'{"data": [\n\n  {"civicNo": }]}')))
    assert caught.value.line == 3
    assert "not valid JSON" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"identity_number,event"])
def test_empty_or_csv_is_not_json(data):
    with pytest.raises(SchoolFileError, match="not valid JSON"):
        list(read_ss12000_persons(io.BytesIO(data)))


def test_json_must_be_utf8():
    data = json.dumps([ss12000_person()], ensure_ascii=False).encode("utf-16")
    with pytest.raises(SchoolFileError, match="UTF-8"):
        list(read_ss12000_persons(io.BytesIO(data)))


def test_absurd_json_is_a_school_file_error():
    for data in (b"[" * 100_000, b"[" + b"9" * 5000 + b"]"):
        with pytest.raises(SchoolFileError):
            list(read_ss12000_persons(io.BytesIO(data)))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.sampled_from(TEST_NUMBERS),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "data",
                    "civicNo",
                    "value",
                    "enrolments",
                    "enroledAt",
                    "id",
                    "schoolType",
                    "cancelled",
                    "educationCode",
                    "programme",
                    "displayName",
                    "startDate",
                    "endDate",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(json_values)
def test_arbitrary_json_raises_only_school_file_error(document):
    try:
        read_json(document)
    except SchoolFileError as error:
        assert str(error)


@given(st.binary(max_size=500))
def test_arbitrary_bytes_as_json_raise_only_school_file_error(data):
    try:
        list(read_ss12000_persons(io.BytesIO(data)))
    except SchoolFileError as error:
        assert str(error)
