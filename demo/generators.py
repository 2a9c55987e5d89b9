"""Made-up people for the demo, the tests and the benchmarks: one module for all three.

Identity numbers, names, addresses, Navet posts and school rows were written
three times over (demo/, tests/, bench/), each copy drifting on its own. They
live here because the demo is the part of Samverka whose job is believable
data: it is installed with the application, so the tests and bench/ can both
import it, and it already depends on the apps the data is for (people,
schooling). ``samverka/`` would be the wrong home: every app imports that
package, and it must not depend on them in turn. Nothing here reads settings
or touches the database, so a benchmark may import it before Django is set up.

Two kinds of identity numbers, kept apart by name:

* ``official_*``: Skatteverket's published test numbers (``data/skatteverket/``),
  which can never be a real person's. The demo and the tests use only these.
* ``synthetic_*``: made-up numbers with a valid check digit. Any of them may be
  a real person's, so only a scale benchmark, which needs more people than
  Skatteverket publishes, uses them, and only in the throwaway database it
  creates and drops.
"""

from __future__ import annotations

import csv
import json
import random
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from people.identity import luhn_check_digit, parse
from people.navet import (
    NavetAddress,
    NavetDate,
    NavetFileInfo,
    NavetPost,
    NavetRelation,
    NavetResidence,
)

# settings.SAMVERKA_DATA_DIR, without needing the settings.
DATA = Path(__file__).resolve().parents[1] / "data"

# ---------------------------------------------------------------- official numbers


@cache
def official_personnummer() -> tuple[str, ...]:
    """Every official test personnummer (YYYYMMDDNNNC), in Skatteverket's order."""
    path = DATA / "skatteverket" / "testpersonnummer_all_1890-2023.json"
    return tuple(json.loads(path.read_text()))


@cache
def official_samordningsnummer() -> tuple[str, ...]:
    """Every official test samordningsnummer (the day plus 60), in Skatteverket's order."""
    path = DATA / "skatteverket" / "testsamordningsnummer_all_1914-2023.json"
    return tuple(json.loads(path.read_text()))


@cache
def _sorted_personnummer() -> tuple[str, ...]:
    return tuple(sorted(official_personnummer()))


def official_born_in(year: int) -> list[str]:
    return [n for n in official_personnummer() if n.startswith(str(year))]


def official_born_on(day: date, *, index: int = 0) -> str:
    """An official test personnummer for someone born on ``day``."""
    key = day.strftime("%Y%m%d")
    found = [n for n in official_personnummer() if n.startswith(key)]
    if len(found) <= index:
        raise LookupError(f"No official test personnummer number {index} born {day}.")
    return found[index]


def official_born_near(day: date, *, index: int = 0) -> str:
    """The official test personnummer born closest on or after ``day``."""
    numbers = _sorted_personnummer()
    return numbers[bisect_left(numbers, day.strftime("%Y%m%d")) + index]


def official_born_from(day: date) -> Iterator[str]:
    """The official test personnummer born on or after ``day`` in the same year, in order."""
    numbers = _sorted_personnummer()
    for number in numbers[bisect_left(numbers, day.strftime("%Y%m%d")) :]:
        if number[:4] != str(day.year):
            return
        yield number


# ---------------------------------------------------------------- synthetic numbers


def synthetic_personnummer(birth: date, serial: int, *, coordination: bool = False) -> str:
    """A made-up number with a valid check digit: for a benchmark's throwaway database only."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}{serial:03d}"
    return f"{birth.year:04d}{birth.month:02d}{day:02d}{serial:03d}{luhn_check_digit(nine)}"


def synthetic_numbers(
    rng: random.Random,
    count: int,
    first: date,
    last: date,
    *,
    coordination: bool = False,
    seen: set[str] | None = None,
) -> list[str]:
    """``count`` new made-up numbers born from ``first`` to ``last``, in the order drawn.

    ``seen`` holds the numbers already given out, so that successive calls
    never repeat one. For a benchmark's throwaway database only."""
    days = (last - first).days + 1
    if count > days * 999:
        raise ValueError(f"Cannot make {count} distinct numbers in {days} days.")
    seen = set() if seen is None else seen
    found: list[str] = []
    while len(found) < count:
        birth = first + timedelta(days=rng.randrange(days))
        number = synthetic_personnummer(birth, rng.randint(1, 999), coordination=coordination)
        if number not in seen:
            seen.add(number)
            found.append(number)
    return found


# ---------------------------------------------------------------- names and addresses

FEMALE = (
    "Alva Alice Maja Elsa Ella Wilma Ebba Olivia Astrid Agnes Saga Freja Vera Alma Selma Lilly "
    "Signe Clara Elvira Ines Linnea Moa Julia Emma Ida Hanna Sara Amanda Matilda Felicia Nora "
    "Tilde Ellen Emilia Lova Stella Leah Nova Majken Hedda Amira Yasmin Sofia Lejla Nour Hawa"
).split()

MALE = (
    "William Liam Noah Hugo Lucas Oliver Elias Adam Alexander Nils Oscar Leo Viktor Filip Ludvig "
    "Axel Theo Isak Melvin Vincent Harry Olle Edvin Arvid Sixten Malte Gustav Emil Anton Albin "
    "Jonathan Samuel David Simon Jacob Max Erik Karl Ali Omar Mohammed Yusuf Amir Elton Sam"
).split()

SURNAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson "
    "Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist "
    "Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Ali Mohammed "
    "Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson "
    "Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Hussein Yilmaz"
).split()

STREETS = (
    "Storgatan",
    "Järnvägsgatan",
    "Landsvägen",
    "Östra Madenvägen",
    "Esplanaden",
    "Kavallerivägen",
    "Sturegatan",
    "Hallonbergsplan",
    "Ursviksvägen",
    "Lötsjövägen",
    "Vegagatan",
    "Golfvägen",
    "Ängsvägen",
    "Fröviksvägen",
    "Rissneleden",
    "Tulegatan",
    "Lysgränd",
    "Bangatan",
    "Ekbacksvägen",
    "Marabouvägen",
    "Bällstavägen",
    "Allévägen",
)


def street(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 60)}"


def postal_codes(municipality_code: str) -> list[tuple[str, str]]:
    """(postal code, locality) of every postal code in the municipality."""
    with open(DATA / "geo" / "postal_to_municipality.csv", encoding="utf-8") as f:
        return [
            (r["postal_code"], r["locality"])
            for r in csv.DictReader(f)
            if r["municipality_code"] == municipality_code
        ]


# ---------------------------------------------------------------- Navet


def navet_date(day: date | None) -> NavetDate | None:
    return None if day is None else NavetDate.from_raw(day.strftime("%Y%m%d"))


def navet_post(
    number: str,
    *,
    first_name: str,
    last_name: str,
    birth: date | None = None,
    residence: tuple[date | None, str] | None = None,
    history: Iterable[tuple[date | None, str]] = (),
    address: NavetAddress | None = None,
    protected: bool = False,
    guardians: Iterable[tuple[str, str, str]] = (),
    deregistration: tuple[str, date] | None = None,
    immigration: date | None = None,
) -> NavetPost:
    """One post as Skatteverket sends it.

    ``residence`` and each of ``history`` are (since, municipality code);
    ``guardians`` are (identity number, first name, last name); ``birth``
    defaults to the number's. Navet sends no address for a protected
    identity, but a test may pass one to see that Samverka drops it.
    """
    return NavetPost(
        identity_number=number,
        sekretessmarkering=protected,
        skyddad_folkbokforing=False,
        birth_date=navet_date(birth or parse(number).birth_date),
        first_name=first_name,
        middle_name="",
        last_name=last_name,
        residence=None
        if residence is None
        else NavetResidence(navet_date(residence[0]), residence[1]),
        history=tuple(NavetResidence(navet_date(day), code) for day, code in history),
        address=address,
        deregistration_code=deregistration[0] if deregistration else None,
        deregistration_date=navet_date(deregistration[1]) if deregistration else None,
        immigration_date=navet_date(immigration),
        relations=tuple(
            NavetRelation(identity, "V", None, None, first, last)
            for identity, first, last in guardians
        ),
    )


def navet_file_info(
    kind: str, count: int, *, on: date, prefix: str, number: int = 1, of: int = 1
) -> NavetFileInfo:
    """The head of part ``number`` of ``of`` of a delivery of ``count`` posts a file."""
    return NavetFileInfo(
        order_type=kind,
        product="NAVET",
        order_id=f"{prefix}{on:%Y%m%d}{number:06d}",
        file_name=f"NAVET_{kind[:10]}_{number:03d}",
        effective_date=on.strftime("%Y%m%d"),
        post_count=count,
        post_count_total=count * of,
        file_count=of,
        file_number=number,
        job_id=1,
    )


# ---------------------------------------------------------------- school files


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    """A school CSV (enrolments or 15:15 notifications); returns the number of rows."""
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written
