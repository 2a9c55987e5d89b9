"""An SS12000 JSON document of persons with their enrolments."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from .common import (
    SchoolFileError,
    _binary_stream,
    _identity_number,
    _Invalid,
    _iso_date,
    _read_chunks,
)

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
