"""The two CSV files a school sends: enrolments, and 15:15 notifications."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import date
from typing import IO, NamedTuple

from .common import (
    END_REASONS,
    NOTIFICATION_EVENTS,
    SCHOOL_FORMS,
    SchoolFileError,
    _choice,
    _identity_number,
    _Invalid,
    _iso_date,
    _programme_code,
    _required,
    _school_unit_code,
    _text_lines,
)

ENROLMENT_COLUMNS = (
    "identity_number",
    "school_unit_code",
    "school_unit_name",
    "school_form",
    "programme_code",
    "start_date",
    "end_date",
    "end_reason",
)
"""The header of an enrolment CSV, in the documented order (any order is read).
``_enrolment_row`` takes its values in this order."""

NOTIFICATION_COLUMNS = (
    "identity_number",
    "school_unit_code",
    "school_unit_name",
    "event",
    "event_date",
)
"""The header of a 15:15 notification CSV, in the documented order.
``_notification_row`` takes its values in this order."""

# The columns only one of the two headers has: they tell the two files apart.
_ENROLMENT_ONLY = frozenset(ENROLMENT_COLUMNS) - frozenset(NOTIFICATION_COLUMNS)
_NOTIFICATION_ONLY = frozenset(NOTIFICATION_COLUMNS) - frozenset(ENROLMENT_COLUMNS)


# Named tuples rather than frozen dataclasses: a school file has hundreds of
# thousands of rows, and a named tuple is built several times faster.
class EnrolmentRow(NamedTuple):
    """One row of an enrolment CSV. ``line`` is the physical line it starts on."""

    line: int
    identity_number: str
    school_unit_code: str
    school_unit_name: str
    school_form: str
    programme_code: str
    start_date: date
    end_date: date | None
    end_reason: str


class NotificationRow(NamedTuple):
    """One row of a 15:15 notification CSV. ``line`` is the physical line it starts on."""

    line: int
    identity_number: str
    school_unit_code: str
    school_unit_name: str
    event: str
    event_date: date


# --- CSV ---------------------------------------------------------------------


def read_enrolment_csv(
    source: str | os.PathLike[str] | IO[bytes], *, today: date | None = None
) -> Iterator[EnrolmentRow | NotificationRow]:
    """Read an enrolment CSV or a 15:15 notification CSV, row by row.

    The header decides which: the rows are all ``EnrolmentRow`` or all
    ``NotificationRow``. Columns may come in any order. Values are stripped of
    surrounding whitespace, and blank lines are skipped. ``today`` is the
    date of reference for 10-digit identity numbers (default: today).

    Raises ``SchoolFileError`` at the first problem; rows before it have
    already been yielded, so a caller that wants all-or-nothing collects first.
    """
    today = today or date.today()
    reader = csv.reader(_text_lines(source), strict=True)
    columns: tuple[str, ...] | None = None
    order: list[int] = []
    while True:
        # The record starts on the line after the last one the reader consumed.
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SchoolFileError(f"malformed CSV: {exc}", line=line) from None
        if all(not field.strip() for field in fields) and len(fields) <= 1:
            continue  # a blank line
        try:
            if columns is None:
                columns, positions = _read_header(fields)
                order = [positions[name] for name in columns]
                continue
            if len(fields) != len(columns):
                raise _Invalid(f"expected {len(columns)} fields, found {len(fields)}")
            # The values in the documented column order, whatever the file's order.
            values = [fields[index].strip() for index in order]
            if columns is ENROLMENT_COLUMNS:
                row: EnrolmentRow | NotificationRow = _enrolment_row(line, today, *values)
            else:
                row = _notification_row(line, today, *values)
        except _Invalid as exc:
            raise SchoolFileError(str(exc), line=line) from None
        yield row
    if columns is None:
        raise SchoolFileError("the file is empty: expected a header row")


def _header_columns(names: list[str]) -> tuple[str, ...]:
    """Which header ``names`` is: ENROLMENT_COLUMNS or NOTIFICATION_COLUMNS."""
    present = set(names)
    enrolment = sorted(present & _ENROLMENT_ONLY)
    notification = sorted(present & _NOTIFICATION_ONLY)
    if enrolment and notification:
        raise _Invalid(
            f"the header mixes enrolment columns ({', '.join(enrolment)}) "
            f"and notification columns ({', '.join(notification)})"
        )
    if enrolment:
        return ENROLMENT_COLUMNS
    if notification:
        return NOTIFICATION_COLUMNS
    raise _Invalid(
        "unrecognised header: expected the enrolment columns "
        f"{','.join(ENROLMENT_COLUMNS)} or the notification columns "
        f"{','.join(NOTIFICATION_COLUMNS)}"
    )


def _read_header(fields: list[str]) -> tuple[tuple[str, ...], dict[str, int]]:
    """The columns of the file and the position of each in a row."""
    names = [field.strip() for field in fields]
    columns = _header_columns(names)
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name not in columns:
            raise _Invalid(f"unknown column '{name}' (expected {', '.join(columns)})")
        if name in positions:
            raise _Invalid(f"column '{name}' appears twice")
        positions[name] = index
    missing = [name for name in columns if name not in positions]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise _Invalid(f"missing column{plural} {', '.join(repr(n) for n in missing)}")
    return columns, positions


def _enrolment_row(
    line: int,
    today: date,
    identity_number: str,
    school_unit_code: str,
    school_unit_name: str,
    school_form: str,
    programme_code: str,
    start_date: str,
    end_date: str,
    end_reason: str,
) -> EnrolmentRow:
    """The row of ENROLMENT_COLUMNS' values, checked in column order, so the first
    problem on a row is the one reported."""
    identity_number = _identity_number("identity_number", identity_number, today)
    _school_unit_code(school_unit_code)
    _required("school_unit_name", school_unit_name)
    _programme_code(_choice("school_form", school_form, SCHOOL_FORMS), programme_code)
    start = _iso_date("start_date", _required("start_date", start_date))
    end = _iso_date("end_date", end_date) if end_date else None
    if end is not None and end < start:
        raise _Invalid(f"end_date {end} is before start_date {start}")
    if end_reason:
        _choice("end_reason", end_reason, END_REASONS)
        if end is None:
            raise _Invalid(f"end_reason '{end_reason}' requires an end_date")
    # A grundskola row ending in 'examen' records completed compulsory school;
    # it is kept as reported, the register decides what it means.
    return EnrolmentRow(
        line,
        identity_number,
        school_unit_code,
        school_unit_name,
        school_form,
        programme_code,
        start,
        end,
        end_reason,
    )


def _notification_row(
    line: int,
    today: date,
    identity_number: str,
    school_unit_code: str,
    school_unit_name: str,
    event: str,
    event_date: str,
) -> NotificationRow:
    """The row of NOTIFICATION_COLUMNS' values, checked in column order."""
    return NotificationRow(
        line=line,
        identity_number=_identity_number("identity_number", identity_number, today),
        school_unit_code=_school_unit_code(school_unit_code),
        school_unit_name=_required("school_unit_name", school_unit_name),
        event=_choice("event", event, NOTIFICATION_EVENTS),
        event_date=_iso_date("event_date", _required("event_date", event_date)),
    )


# --- Sniffing ----------------------------------------------------------------


def sniff_school_file(first_bytes: bytes) -> str:
    """Tell which kind of school file starts with ``first_bytes``.

    Returns ``"enrolment_csv"``, ``"notification_csv"`` or ``"ss12000_json"``.
    Pass at least the whole first line (a few KiB is plenty). Only the start
    is looked at: the readers still validate the whole file.
    """
    # Replacement characters: the bytes may end inside a character, and
    # encoding errors are reported by the reader with their line number.
    text = first_bytes.decode("utf-8", errors="replace").removeprefix("\ufeff").lstrip()
    if not text:
        raise SchoolFileError("the file is empty")
    if text[0] in "{[":
        return "ss12000_json"
    header = text.split("\n", 1)[0]
    try:
        fields = next(csv.reader([header]), [])
        columns = _header_columns([field.strip() for field in fields])
    except (csv.Error, _Invalid) as exc:
        raise SchoolFileError(
            "not a recognised school file (an enrolment CSV, a 15:15 notification CSV "
            f"or SS12000 JSON): {exc}"
        ) from None
    return "enrolment_csv" if columns is ENROLMENT_COLUMNS else "notification_csv"
