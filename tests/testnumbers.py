"""Skatteverket's official test identity numbers: the only ones tests may use."""

import json
from datetime import date
from functools import cache
from pathlib import Path

from people.identity import parse

DATA = Path(__file__).resolve().parents[1] / "data" / "skatteverket"


@cache
def personnummer_list() -> tuple[str, ...]:
    return tuple(json.loads((DATA / "testpersonnummer_all_1890-2023.json").read_text()))


@cache
def samordningsnummer_list() -> tuple[str, ...]:
    return tuple(json.loads((DATA / "testsamordningsnummer_all_1914-2023.json").read_text()))


def born_on(day: date, *, index: int = 0) -> str:
    """An official test personnummer for someone born on ``day``."""
    key = day.strftime("%Y%m%d")
    found = [n for n in personnummer_list() if n.startswith(key)]
    if len(found) <= index:
        raise LookupError(f"No official test personnummer number {index} born {day}.")
    return found[index]


def born_near(day: date, *, index: int = 0) -> str:
    """The official test personnummer born closest on or after ``day`` (same year)."""
    numbers = sorted(n for n in personnummer_list() if n[:8] >= day.strftime("%Y%m%d"))
    return numbers[index]


def numbers_born_in(year: int) -> list[str]:
    return [n for n in personnummer_list() if n.startswith(str(year))]


def birth_date(number: str) -> date:
    return parse(number).birth_date
