"""A believable municipality of young people, from Skatteverket's test numbers only.

``build_population`` decides who lives here, where they went to school and
what happened to them; ``write_files`` writes it as the files the real
sources send (a Navet grunduttag and ändringsavisering, a school CSV and a
15:15 notification CSV). The demo then loads those files through the real
importers, so the demo exercises the production path.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings

from people.identity import parse
from people.navet import (
    NavetAddress,
    NavetDate,
    NavetFileInfo,
    NavetPost,
    NavetRelation,
    NavetResidence,
    write_navet,
)
from samverka.dates import add_years
from schooling.readers import ENROLMENT_COLUMNS, NOTIFICATION_COLUMNS

from .names import FEMALE, MALE, STREETS, SURNAMES

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


def _numbers(name: str) -> list[str]:
    path = Path(settings.SAMVERKA_DATA_DIR) / "skatteverket" / name
    return json.loads(path.read_text())


def _postal_codes(municipality_code: str) -> list[tuple[str, str]]:
    path = Path(settings.SAMVERKA_DATA_DIR) / "geo" / "postal_to_municipality.csv"
    with open(path, encoding="utf-8") as f:
        return [
            (r["postal_code"], r["locality"])
            for r in csv.DictReader(f)
            if r["municipality_code"] == municipality_code
        ]


def _aug(year: int) -> date:
    return date(year, 8, 20)


def _june(year: int) -> date:
    return date(year, 6, 12)


def build_population(
    *, size: int, municipality_code: str, today: date, seed: int = 2026
) -> list[DemoPerson]:
    rng = random.Random(seed)
    youngest = add_years(today, -13)
    oldest = add_years(today, -26) + timedelta(days=1)
    candidates = [
        n
        for n in _numbers("testpersonnummer_all_1890-2023.json")
        if oldest <= parse(n).birth_date <= youngest
    ]
    if len(candidates) < size:
        raise ValueError(f"Only {len(candidates)} test numbers fall in ages 13–25; ask for fewer.")
    chosen = sorted(rng.sample(candidates, size))
    coordination = sorted(
        n
        for n in _numbers("testsamordningsnummer_all_1914-2023.json")
        if parse(n).birth_date and oldest <= parse(n).birth_date <= youngest
    )[: max(1, size // 400)]
    parents = [
        n for n in _numbers("testpersonnummer_all_1890-2023.json") if "1965" <= n[:4] <= "1988"
    ]
    postal = _postal_codes(municipality_code)
    if not postal:
        raise ValueError(f"No postal codes for municipality {municipality_code}.")

    people = [_person(rng, n, today, postal, parents) for n in chosen]
    for n in coordination:
        person = _person(rng, n, today, postal, parents)
        person.coordination = True
        person.schooling = []
        people.append(person)
    _add_changes(rng, people, today)
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
        street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
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


def _navet_date(day: date | None) -> NavetDate | None:
    return NavetDate.from_raw(day.strftime("%Y%m%d")) if day else None


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
        history.append(NavetResidence(_navet_date(person.previous_since), person.previous_code))
    if change and change[0] == "moved_out":
        history.append(NavetResidence(_navet_date(person.residence_since), municipality_code))
    residence = None
    if not person.coordination and dereg_code is None:
        residence = NavetResidence(_navet_date(since), code)
    address = None
    if not person.coordination and dereg_code is None:
        address = NavetAddress("", "", person.street, person.postal_code, person.city)
    if protected:
        address = None  # Navet sends no address for a protected identity
    under_18 = add_years(person.birth, 18) > today
    relations = (
        tuple(NavetRelation(g[0], "V", None, None, g[1], g[2]) for g in person.guardians)
        if under_18
        else ()
    )
    return NavetPost(
        identity_number=person.identity,
        sekretessmarkering=protected,
        skyddad_folkbokforing=False,
        birth_date=_navet_date(person.birth),
        first_name=person.first_name,
        middle_name="",
        last_name=person.last_name,
        residence=residence,
        history=tuple(history),
        address=address,
        deregistration_code=dereg_code,
        deregistration_date=_navet_date(dereg_date),
        immigration_date=_navet_date(person.immigration),
        relations=relations,
    )


def _file_info(kind: str, count: int, today: date, number: int = 1, of: int = 1) -> NavetFileInfo:
    return NavetFileInfo(
        order_type=kind,
        product="NAVET",
        order_id=f"DEMO{today:%Y%m%d}{number:06d}",
        file_name=f"NAVET_{kind[:10]}_{number:03d}",
        effective_date=today.strftime("%Y%m%d"),
        post_count=count,
        post_count_total=count,
        file_count=of,
        file_number=number,
        job_id=1,
    )


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
    write_navet(paths["grunduttag"], grund, file_info=_file_info("GRUNDUTTAG", len(grund), today))
    changed = [to_post(p, municipality_code, today, after_change=True) for p in people if p.change]
    write_navet(
        paths["andring"], changed, file_info=_file_info("ANDRINGSAVISERING", len(changed), today)
    )
    with open(paths["school"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(ENROLMENT_COLUMNS)
        for p in people:
            for s in p.schooling:
                w.writerow(
                    [
                        p.identity,
                        s.unit[0],
                        s.unit[1],
                        s.form,
                        s.programme,
                        s.start.isoformat(),
                        s.end.isoformat() if s.end else "",
                        s.reason,
                    ]
                )
    with open(paths["notifications"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(NOTIFICATION_COLUMNS)
        for p in people:
            for event, unit, day in p.notifications:
                w.writerow([p.identity, unit[0], unit[1], event, day.isoformat()])
    return paths
