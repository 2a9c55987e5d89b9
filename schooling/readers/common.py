"""What the readers of school files share: the code lists, the error, reading
the source and checking single values. See schooling.readers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from functools import lru_cache
from typing import IO

from people.identity import InvalidIdentityNumber, parse
from schooling.programmes import is_anpassad_gymnasieskola_code, is_gymnasieskola_programme

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


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SCHOOL_UNIT_CODE = re.compile(r"[0-9]{8}")  # Skolverket's skolenhetskod
_CHUNK_SIZE = 64 * 1024


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
