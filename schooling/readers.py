"""Readers for the files schools send to Samverka.

Three formats are read, all without Django so that the readers can be used and
tested on their own:

* an enrolment CSV: one row per enrolment (inskrivning) at a school unit;
* a notification CSV: the notifications a school sends to the home
  municipality under skollagen 15 kap. 15 § (started, left, absence);
* an SS12000 JSON document of persons with their enrolments, as exported by
  school administration systems (Skolverket's interpretation of SS12000).

Every problem in a file raises ``SchoolFileError`` with a message that says
what is wrong and where (a physical line, or a person's position), so the
message can be shown to the person who uploaded the file as it is.

``source`` is a path (``str`` or ``os.PathLike``) or a binary file object
(anything with a ``read(size)`` method returning bytes). A file opened here is
closed here; a file object passed in is left open for the caller.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import IO, Any, NamedTuple

from people.identity import InvalidIdentityNumber, parse
from schooling.programmes import is_anpassad_gymnasieskola_code, is_gymnasieskola_programme

__all__ = [
    "SCHOOL_FORMS",
    "END_REASONS",
    "NOTIFICATION_EVENTS",
    "ENROLMENT_COLUMNS",
    "NOTIFICATION_COLUMNS",
    "SS12000_SCHOOL_TYPES",
    "EnrolmentRow",
    "NotificationRow",
    "Ss12000Enrolment",
    "Ss12000Person",
    "SchoolFileError",
    "read_enrolment_csv",
    "read_ss12000_persons",
    "sniff_school_file",
]

SCHOOL_FORMS = (
    "grundskola",
    "gymnasieskola",
    "anpassad_gymnasieskola",
    "motsvarande",
    "komvux",
    "folkhogskola",
)
"""The school forms an enrolment may have (column ``school_form``)."""

END_REASONS = ("examen", "studiebevis", "gymnasiebevis", "avbrott", "byte")
"""Why an enrolment ended (column ``end_reason``); empty while it is ongoing."""

NOTIFICATION_EVENTS = ("started", "left", "absence")  # skollagen 15 kap. 15 §
"""What a 15:15 notification reports (column ``event``)."""

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

SS12000_SCHOOL_TYPES: dict[str, str] = {
    "GR": "grundskola",
    "GY": "gymnasieskola",
    "GYS": "anpassad_gymnasieskola",
    "FHS": "folkhogskola",
    # Sfi and komvux som särskild utbildning (formerly särvux) are part of
    # komvux in skollagen (20 and 21 kap.), so every adult type is komvux.
    "VUX": "komvux",
    "VUXSFI": "komvux",
    "VUXGR": "komvux",
    "VUXGY": "komvux",
    "VUXSARGR": "komvux",
    "VUXSARTR": "komvux",
    "VUXSARGY": "komvux",
    "SFI": "komvux",
    "SARVUX": "komvux",
    "SARVUXGR": "komvux",
    "SARVUXGY": "komvux",
}
"""SS12000 ``schoolType`` -> school form. Enrolments of other types are skipped."""

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SCHOOL_UNIT_CODE = re.compile(r"[0-9]{8}")  # Skolverket's skolenhetskod
_CHUNK_SIZE = 64 * 1024


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


@dataclass(frozen=True)
class Ss12000Enrolment:
    """An SS12000 enrolment of a school type Samverka follows.

    ``school_unit_code`` is the SS12000 ``enroledAt.id`` (the school unit's
    object id, a UUID in SS12000), not Skolverket's 8-digit skolenhetskod.
    """

    school_unit_code: str
    school_unit_name: str
    school_form: str
    programme_code: str
    start_date: date | None
    end_date: date | None
    cancelled: bool


@dataclass(frozen=True)
class Ss12000Person:
    """An SS12000 person. ``index`` is the 1-based position in the file."""

    index: int
    identity_number: str
    given_name: str
    family_name: str
    enrolments: tuple[Ss12000Enrolment, ...]


class SchoolFileError(Exception):
    """A school file cannot be read. ``str()`` is ready to show to the uploader."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.message if self.line is None else f"Line {self.line}: {self.message}"


class _Invalid(Exception):
    """A problem in one value; the caller adds where it is (line or person)."""


# --- Sources -----------------------------------------------------------------


@contextmanager
def _binary_stream(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """Open a path for binary reading, or pass a file object through unclosed."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            yield stream
    elif hasattr(source, "read"):
        with nullcontext(source) as stream:
            yield stream
    else:
        raise TypeError(f"source must be a path or a binary file object, not {type(source)!r}")


def _read_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK_SIZE):
        if isinstance(chunk, str):
            raise TypeError("source must be opened in binary mode")
        yield bytes(chunk)


def _raw_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Split a binary stream on b"\\n", keeping line ends.

    Only LF splits a line, so line numbers match what text editors show, and
    a byte b"\\n" never occurs inside a multi-byte UTF-8 character, so each line
    can be decoded on its own.
    """
    pending: list[bytes] = []
    for chunk in _read_chunks(stream):
        *complete, rest = chunk.split(b"\n")
        for part in complete:
            pending.append(part)
            yield b"".join(pending) + b"\n"
            pending = []
        pending.append(rest)
    if tail := b"".join(pending):
        yield tail


def _text_lines(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[str]:
    """The decoded physical lines of a UTF-8 file, without a leading BOM."""
    with _binary_stream(source) as stream:
        for number, raw in enumerate(_raw_lines(stream), start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise SchoolFileError("the file is not valid UTF-8", line=number) from None
            yield text.removeprefix("\ufeff") if number == 1 else text


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


# --- Values ------------------------------------------------------------------


def _required(name: str, value: str) -> str:
    if not value:
        raise _Invalid(f"{name} is empty")
    return value


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        what = f"unknown {name} '{value}'" if value else f"{name} is empty"
        raise _Invalid(f"{what} (expected one of {', '.join(allowed)})")
    return value


# Remembered for the rows that follow: one person's rows usually come together.
@lru_cache(maxsize=256)
def _identity_number(name: str, value: str, today: date) -> str:
    try:
        return parse(_required(name, value), today=today).value
    except InvalidIdentityNumber as exc:
        raise _Invalid(f"invalid {name}: {exc}") from None


# Remembered, as the two below: a file names few school units and programmes.
@lru_cache(maxsize=4096)
def _school_unit_code(value: str) -> str:
    if not _SCHOOL_UNIT_CODE.fullmatch(_required("school_unit_code", value)):
        raise _Invalid(f"school_unit_code '{value}' is not a skolenhetskod of 8 digits")
    return value


@lru_cache(maxsize=4096)
def _programme_code(school_form: str, value: str) -> str:
    if school_form == "gymnasieskola":
        if not is_gymnasieskola_programme(_required("programme_code", value)):
            raise _Invalid(
                f"unknown programme_code '{value}' for gymnasieskola "
                "(expected a national or introduction programme code)"
            )
    elif value and not is_anpassad_gymnasieskola_code(value):
        raise _Invalid(
            f"programme_code '{value}' is not a programme code (2-5 letters A-Z or digits)"
        )
    return value


# Remembered: a file holds few distinct dates (terms start and end on the same days).
@lru_cache(maxsize=4096)
def _iso_date(name: str, value: str) -> date:
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        raise _Invalid(f"{name} '{value}' is not a date in the form YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _Invalid(f"{name} '{value}' is not a real date") from None


# --- SS12000 JSON ------------------------------------------------------------


def read_ss12000_persons(
    source: str | os.PathLike[str] | IO[bytes], *, today: date | None = None
) -> Iterator[Ss12000Person]:
    """Read persons from an SS12000 JSON document (UTF-8, a BOM is allowed).

    The document is a ``Persons`` object, ``{"data": [Person, ...]}``, or a bare
    list of ``Person``. Enrolments whose ``schoolType`` is not in
    ``SS12000_SCHOOL_TYPES`` are left out; a person is yielded even when none
    is left. Errors name the person by 1-based position: "Person 4: ...".
    """
    today = today or date.today()
    with _binary_stream(source) as stream:
        raw = b"".join(_read_chunks(stream))
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SchoolFileError("the file is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise SchoolFileError(f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        # Valid JSON that Python will not load: absurdly long numbers or nesting.
        raise SchoolFileError(f"not valid JSON: {exc}") from None

    if isinstance(document, dict) and isinstance(document.get("data"), list):
        persons = document["data"]
    elif isinstance(document, list):
        persons = document
    else:
        raise SchoolFileError(
            'expected an SS12000 Persons object {"data": [...]} or a list of persons'
        )
    for index, person in enumerate(persons, start=1):
        try:
            result = _ss12000_person(index, person, today)
        except _Invalid as exc:
            raise SchoolFileError(f"Person {index}: {exc}") from None
        yield result


def _ss12000_person(index: int, person: Any, today: date) -> Ss12000Person:
    if not isinstance(person, dict):
        raise _Invalid("is not an object")
    civic_no = person.get("civicNo")
    if civic_no is None:
        raise _Invalid("civicNo is missing")
    if not isinstance(civic_no, dict) or not isinstance(civic_no.get("value"), str):
        raise _Invalid("civicNo.value is missing or not text")
    identity_number = _identity_number("civicNo.value", civic_no["value"], today)
    enrolments = person.get("enrolments")
    if enrolments is None:
        enrolments = []
    if not isinstance(enrolments, list):
        raise _Invalid("enrolments is not a list")
    kept = []
    for number, enrolment in enumerate(enrolments, start=1):
        try:
            if (read := _ss12000_enrolment(enrolment)) is not None:
                kept.append(read)
        except _Invalid as exc:
            raise _Invalid(f"enrolment {number}: {exc}") from None
    return Ss12000Person(
        index=index,
        identity_number=identity_number,
        given_name=_text(person, "givenName"),
        family_name=_text(person, "familyName"),
        enrolments=tuple(kept),
    )


def _ss12000_enrolment(enrolment: Any) -> Ss12000Enrolment | None:
    """One enrolment, or None when its school type is not followed."""
    if not isinstance(enrolment, dict):
        raise _Invalid("is not an object")
    school_type = enrolment.get("schoolType")
    if not isinstance(school_type, str):
        raise _Invalid("schoolType is missing or not text")
    school_form = SS12000_SCHOOL_TYPES.get(school_type)
    if school_form is None:
        return None
    enroled_at = enrolment.get("enroledAt")
    if not isinstance(enroled_at, dict) or not _text(enroled_at, "id", "enroledAt.id"):
        raise _Invalid("enroledAt.id is missing")
    # educationCode is a code; programme is a reference whose id is an opaque
    # UUID, so its displayName is the best stand-in when there is no code.
    programme = enrolment.get("programme")
    programme_code = _text(enrolment, "educationCode") or (
        _text(programme, "displayName", "programme.displayName")
        if isinstance(programme, dict)
        else ""
    )
    # The Skolverket reference spec has no dates on Enrolment; full SS12000
    # has startDate and endDate, so they are read when present.
    start_date = _optional_date(enrolment, "startDate")
    end_date = _optional_date(enrolment, "endDate")
    if start_date is not None and end_date is not None and end_date < start_date:
        raise _Invalid(f"endDate {end_date} is before startDate {start_date}")
    cancelled = enrolment.get("cancelled", False)
    if not isinstance(cancelled, bool):
        raise _Invalid("cancelled is not true or false")
    return Ss12000Enrolment(
        school_unit_code=enroled_at["id"].strip(),
        school_unit_name=_text(enroled_at, "displayName", "enroledAt.displayName"),
        school_form=school_form,
        programme_code=programme_code,
        start_date=start_date,
        end_date=end_date,
        cancelled=cancelled,
    )


def _text(obj: dict[str, Any], key: str, label: str | None = None) -> str:
    """An optional text property, stripped; '' when absent or null."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid(f"{label or key} is not text")
    return value.strip()


def _optional_date(obj: dict[str, Any], key: str) -> date | None:
    value = _text(obj, key)
    return _iso_date(key, value) if value else None


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
