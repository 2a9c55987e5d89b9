"""A believable municipality of young people, from Skatteverket's test numbers only.

``build_population`` decides who lives here, where they went to school and
what happened to them; ``write_files`` writes it as the files the real
sources send (a Navet grunduttag and ändringsavisering, a school CSV and a
15:15 notification CSV). The demo then loads those files through the real
importers, so the demo exercises the production path.

``people_from`` gives each number its life; the import benchmark calls it
with synthetic numbers (see ``demo.generators``) for a register larger than
Skatteverket's test numbers allow.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from demo.navet_writer import write_navet
from people.identity import parse
from people.navet import NavetAddress, NavetPost
from samverka.dates import add_years
from schooling.readers import ENROLMENT_COLUMNS, NOTIFICATION_COLUMNS

from .generators import (
    FEMALE,
    MALE,
    SURNAMES,
    navet_file_info,
    navet_post,
    official_personnummer,
    official_samordningsnummer,
    postal_codes,
    street,
    write_csv,
)

NEIGHBOURS = ("0180", "0184", "0186", "0182", "0162", "0163")
NATIONAL = ("BA", "BF", "EE", "EK", "ES", "FT", "HA", "HU", "HT", "IN", "NA", "SA", "TE", "VO")
INTRODUCTION = ("IMA", "IMS", "IMV", "IMY")
UPPER_SECONDARY_UNITS = (
    ("18340101", "Sundbybergs gymnasium"),
    ("18340102", "Hallonbergens gymnasium"),
    ("18340103", "Rissne yrkesgymnasium"),
    ("18340104", "Ursviks estetiska gymnasium"),
    ("18350201", "Solna fristående gymnasium"),
)
COMPULSORY_UNITS = (
    ("18320001", "Ängskolan"),
    ("18320002", "Örvallsskolan"),
    ("18320003", "Tulegatans skola"),
)
KOMVUX_UNIT = ("18360001", "Komvux Sundbyberg")


@dataclass
class SchoolRecord:
    unit: tuple[str, str]
    form: str
    programme: str
    start: date
    end: date | None
    reason: str = ""


@dataclass
class DemoPerson:
    identity: str
    female: bool
    birth: date
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    residence_since: date
    previous_code: str | None = None
    previous_since: date | None = None
    immigration: date | None = None
    protected: bool = False
    coordination: bool = False
    guardians: list[tuple[str, str, str]] = field(default_factory=list)
    schooling: list[SchoolRecord] = field(default_factory=list)
    notifications: list[tuple[str, tuple[str, str], date]] = field(default_factory=list)
    change: tuple | None = None  # applied by the ändringsavisering


def _aug(year: int) -> date:
    return date(year, 8, 20)


def _june(year: int) -> date:
    return date(year, 6, 12)


def build_population(
    *, size: int, municipality_code: str, today: date, seed: int = 2026
) -> list[DemoPerson]:
    """``size`` young people aged 13–25 with official test numbers, one in 400 more
    with a samordningsnummer, and the changes of the ändringsavisering."""
    rng = random.Random(seed)
    youngest, oldest = age_span(today)
    candidates = [n for n in official_personnummer() if oldest <= parse(n).birth_date <= youngest]
    if len(candidates) < size:
        raise ValueError(f"Only {len(candidates)} test numbers fall in ages 13–25; ask for fewer.")
    chosen = sorted(rng.sample(candidates, size))
    coordination = sorted(
        n
        for n in official_samordningsnummer()
        if parse(n).birth_date and oldest <= parse(n).birth_date <= youngest
    )[: max(1, size // 400)]
    parents = [n for n in official_personnummer() if "1965" <= n[:4] <= "1988"]
    postal = postal_codes(municipality_code)
    if not postal:
        raise ValueError(f"No postal codes for municipality {municipality_code}.")
    people = people_from(
        rng, chosen, coordination=coordination, parents=parents, postal=postal, today=today
    )
    _add_changes(rng, people, today)
    return people


def age_span(today: date) -> tuple[date, date]:
    """The youngest and the oldest birth date of a young person aged 13–25 ``today``."""
    return add_years(today, -13), add_years(today, -26) + timedelta(days=1)


def people_from(
    rng: random.Random,
    numbers: list[str],
    *,
    coordination: list[str],
    parents: list[str],
    postal: list[tuple[str, str]],
    today: date,
) -> list[DemoPerson]:
    """A life for each number; those with a samordningsnummer have no school here."""
    people = [_person(rng, n, today, postal, parents) for n in numbers]
    for n in coordination:
        person = _person(rng, n, today, postal, parents)
        person.coordination = True
        person.schooling = []
        people.append(person)
    return people


def _person(rng, number, today, postal, parents) -> DemoPerson:
    identity = parse(number)
    female = identity.is_female
    birth = identity.birth_date
    code, city = rng.choice(postal)
    person = DemoPerson(
        identity=number,
        female=female,
        birth=birth,
        first_name=rng.choice(FEMALE if female else MALE),
        last_name=rng.choice(SURNAMES),
        street=street(rng),
        postal_code=code,
        city=city.upper(),
        residence_since=birth,
        protected=rng.random() < 0.002,
    )
    surname = person.last_name
    for parent in rng.sample(parents, rng.choice((1, 2, 2, 2))):
        parent_female = parse(parent).is_female
        person.guardians.append((parent, rng.choice(FEMALE if parent_female else MALE), surname))

    roll = rng.random()
    if roll < 0.08:
        # Moved here from a neighbouring municipality.
        person.previous_code = rng.choice(NEIGHBOURS)
        person.previous_since = birth
        person.residence_since = birth + timedelta(
            days=rng.randint(365 * 4, max(365 * 4 + 1, (today - birth).days - 30))
        )
    compulsory_done = _june(birth.year + 16)
    if roll > 0.985 and add_years(birth, 17) < today:
        # Came to Sweden after compulsory-school age.
        person.immigration = add_years(birth, 16) + timedelta(days=rng.randint(200, 500))
        person.residence_since = person.immigration
        person.previous_code = None
        if rng.random() < 0.6 and person.immigration + timedelta(days=60) <= today:
            start = person.immigration + timedelta(days=60)
            person.schooling.append(
                SchoolRecord(rng.choice(UPPER_SECONDARY_UNITS), "gymnasieskola", "IMS", start, None)
            )
        return person

    compulsory_unit = rng.choice(COMPULSORY_UNITS)
    if compulsory_done > today:
        person.schooling.append(
            SchoolRecord(compulsory_unit, "grundskola", "", _aug(birth.year + 7), None)
        )
        return person
    if rng.random() < 0.97:
        person.schooling.append(
            SchoolRecord(
                compulsory_unit, "grundskola", "", _aug(birth.year + 7), compulsory_done, "examen"
            )
        )
    _upper_secondary(rng, person, _aug(compulsory_done.year), today)
    return person


def _ended(end: date, today: date) -> date | None:
    return end if end <= today else None


def _upper_secondary(rng, person: DemoPerson, start: date, today: date) -> None:
    if start > today:
        return
    roll = rng.random()
    if roll < 0.02:
        return  # never started
    unit = rng.choice(UPPER_SECONDARY_UNITS)
    if roll < 0.10:
        end = _june(start.year + 1)
        if rng.random() < 0.65:
            person.schooling.append(
                SchoolRecord(
                    unit,
                    "gymnasieskola",
                    rng.choice(INTRODUCTION),
                    start,
                    _ended(end, today),
                    "byte" if end <= today else "",
                )
            )
            _national(rng, person, _aug(start.year + 1), today)
        else:
            stop = start + timedelta(days=rng.randint(40, 300))
            person.schooling.append(
                SchoolRecord(
                    unit,
                    "gymnasieskola",
                    rng.choice(INTRODUCTION),
                    start,
                    _ended(stop, today),
                    "avbrott" if stop <= today else "",
                )
            )
        return
    _national(rng, person, start, today)


def _national(rng, person: DemoPerson, start: date, today: date) -> None:
    if start > today:
        return
    unit = rng.choice(UPPER_SECONDARY_UNITS)
    programme = rng.choice(NATIONAL)
    planned_end = _june(start.year + 3)
    roll = rng.random()
    if roll < 0.075:
        stop = start + timedelta(days=rng.randint(45, 900))
        if stop > today:
            person.schooling.append(SchoolRecord(unit, "gymnasieskola", programme, start, None))
            return
        person.schooling.append(
            SchoolRecord(unit, "gymnasieskola", programme, start, stop, "avbrott")
        )
        if unit[0].startswith("1835"):
            person.notifications.append(("left", unit, stop))
        if rng.random() < 0.45:
            _national(rng, person, _aug(stop.year + (1 if stop.month >= 8 else 0)), today)
        return
    if roll < 0.12:
        moved = start + timedelta(days=rng.randint(60, 700))
        if moved <= today and moved < planned_end:
            other = rng.choice([u for u in UPPER_SECONDARY_UNITS if u != unit])
            person.schooling.append(
                SchoolRecord(unit, "gymnasieskola", programme, start, moved, "byte")
            )
            restart = moved + timedelta(days=rng.randint(3, 10))
            if restart <= today:
                person.schooling.append(
                    SchoolRecord(
                        other,
                        "gymnasieskola",
                        programme,
                        restart,
                        _ended(planned_end, today),
                        "examen" if planned_end <= today else "",
                    )
                )
            return
    outcome = "studiebevis" if roll > 0.92 else "examen"
    person.schooling.append(
        SchoolRecord(
            unit,
            "gymnasieskola",
            programme,
            start,
            _ended(planned_end, today),
            outcome if planned_end <= today else "",
        )
    )
    if outcome == "studiebevis" and planned_end <= today and rng.random() < 0.3:
        komvux_start = _aug(planned_end.year) + timedelta(days=5)
        if komvux_start <= today:
            person.schooling.append(SchoolRecord(KOMVUX_UNIT, "komvux", "", komvux_start, None))


def _add_changes(rng, people: list[DemoPerson], today: date) -> None:
    """Moves out, deaths, emigrations and new protected identities, for the ändringsavisering."""
    recent = [today - timedelta(days=d) for d in range(20, 150)]
    adults = [p for p in people if not p.coordination]
    for person in rng.sample(adults, max(1, len(adults) // 50)):
        person.change = ("moved_out", rng.choice(recent), rng.choice(NEIGHBOURS))
    untouched = [p for p in adults if p.change is None]
    for person in rng.sample(untouched, max(1, len(adults) // 1000)):
        person.change = ("dead", rng.choice(recent))
    untouched = [p for p in adults if p.change is None]
    for person in rng.sample(untouched, max(1, len(adults) // 500)):
        person.change = ("emigrated", rng.choice(recent))
    untouched = [p for p in adults if p.change is None and not p.protected]
    for person in rng.sample(untouched, 2):
        person.change = ("protected",)


def to_post(
    person: DemoPerson, municipality_code: str, today: date, *, after_change: bool
) -> NavetPost:
    change = person.change if after_change else None
    code, since = municipality_code, person.residence_since
    dereg_code, dereg_date = None, None
    protected = person.protected or (change is not None and change[0] == "protected")
    if change and change[0] == "moved_out":
        code, since = change[2], change[1]
    elif change and change[0] in ("dead", "emigrated"):
        dereg_code, dereg_date = ("AV" if change[0] == "dead" else "UV"), change[1]
    history = []
    if person.previous_code:
        history.append((person.previous_since, person.previous_code))
    if change and change[0] == "moved_out":
        history.append((person.residence_since, municipality_code))
    residence = None
    if not person.coordination and dereg_code is None:
        residence = (since, code)
    address = None
    if not person.coordination and dereg_code is None:
        address = NavetAddress("", "", person.street, person.postal_code, person.city)
    if protected:
        address = None  # Navet sends no address for a protected identity
    under_18 = add_years(person.birth, 18) > today
    return navet_post(
        person.identity,
        first_name=person.first_name,
        last_name=person.last_name,
        birth=person.birth,
        residence=residence,
        history=history,
        address=address,
        protected=protected,
        guardians=person.guardians if under_18 else (),
        deregistration=(dereg_code, dereg_date) if dereg_code else None,
        immigration=person.immigration,
    )


def file_info(kind: str, count: int, today: date):
    """The head of the demo's one-file delivery."""
    return navet_file_info(kind, count, on=today, prefix="DEMO")


def enrolment_rows(people: list[DemoPerson]) -> Iterator[list[str]]:
    """The rows of the schools' enrolment CSV (``ENROLMENT_COLUMNS``)."""
    for p in people:
        for s in p.schooling:
            yield [
                p.identity,
                s.unit[0],
                s.unit[1],
                s.form,
                s.programme,
                s.start.isoformat(),
                s.end.isoformat() if s.end else "",
                s.reason,
            ]


def write_files(
    people: list[DemoPerson], *, directory: Path, municipality_code: str, today: date
) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "grunduttag": directory / "navet_grunduttag_001.xml",
        "andring": directory / "navet_andringsavisering_001.xml",
        "school": directory / "skola_inskrivningar.csv",
        "notifications": directory / "skola_anmalningar_15_15.csv",
    }
    grund = [to_post(p, municipality_code, today, after_change=False) for p in people]
    write_navet(paths["grunduttag"], grund, file_info=file_info("GRUNDUTTAG", len(grund), today))
    changed = [to_post(p, municipality_code, today, after_change=True) for p in people if p.change]
    write_navet(
        paths["andring"], changed, file_info=file_info("ANDRINGSAVISERING", len(changed), today)
    )
    write_csv(paths["school"], ENROLMENT_COLUMNS, enrolment_rows(people))
    write_csv(
        paths["notifications"],
        NOTIFICATION_COLUMNS,
        (
            [p.identity, unit[0], unit[1], event, day.isoformat()]
            for p in people
            for event, unit, day in p.notifications
        ),
    )
    return paths
