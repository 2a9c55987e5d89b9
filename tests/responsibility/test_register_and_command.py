"""The responsibility register through its public surfaces.

A Navet file and a school CSV go in through the import commands; who is in
Sundbyberg's (0183) KAA comes out of the ``responsibility`` command and the
person page. Outreach (20-25) is entered only by hand, with consent.
Every identity number is an official Skatteverket test number.
"""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import generators
from demo.generators import official_born_on, official_personnummer, official_samordningsnummer
from demo.navet_writer import write_navet
from people.identity import parse
from people.models import Person
from people.navet import NavetAddress, NavetPost
from responsibility.actions import close_outreach, register_outreach
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import add_years
from schooling.readers import ENROLMENT_COLUMNS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HERE = "0183"  # Sundbyberg
STOCKHOLM = "0180"
ASKED_ON = "2026-11-24"

# The young people of the scenario, by official test number.
NEVER_STARTED = official_born_on(date(2010, 3, 15))  # leaves year 9 in June 2026, starts nothing
STARTED = official_born_on(date(2010, 4, 20))  # starts Naturvetenskap in August 2026
INTERRUPTED = official_born_on(date(2009, 6, 5))  # drops out in February 2026
STUDIEBEVIS = official_born_on(date(2007, 9, 10))  # leaves in June 2026 with a studiebevis
EXAMEN = official_born_on(date(2007, 4, 12))  # gymnasieexamen in June 2026
MOVED_IN = official_born_on(date(2009, 1, 30))  # moves from Stockholm in March 2026
ARRIVED = official_born_on(date(2008, 8, 12))  # folkbokförd in Sweden in October 2025, aged 17
TURNED_20 = official_born_on(date(2006, 7, 14))  # never started, turns 20 in July 2026
ADULT = official_born_on(date(2003, 10, 5))  # 23 years old: outreach age, but never automatically
SAMORDNINGSNUMMER = next(
    n for n in official_samordningsnummer() if n.startswith("20080475")
)  # born 15 April 2008, not folkbokförd


# --------------------------------------------------------------------------- builders


def day(value: str | date) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def navet_post(
    number: str,
    *,
    since: str | date | None = None,
    code: str | None = HERE,
    history: tuple[tuple[str | date, str], ...] = (),
    immigrated: str | date | None = None,
    deregistered: tuple[str, str] | None = None,
) -> NavetPost:
    """A Navet post as Skatteverket would send it, dates as ISO strings or dates.

    ``since`` defaults to the birth date; ``code=None`` means not folkbokförd
    (a samordningsnummer, or deregistered).
    """
    residence = None if code is None else (day(since or parse(number).birth_date), code)
    return generators.navet_post(
        number,
        first_name="Test",
        last_name=f"Person {number[-4:]}",
        residence=residence,
        history=[(day(s), c) for s, c in history],
        address=NavetAddress("", "Storgatan 1", "", "17231", "SUNDBYBERG") if residence else None,
        deregistration=(deregistered[0], day(deregistered[1])) if deregistered else None,
        immigration=day(immigrated) if immigrated else None,
    )


def enrolment(
    number: str,
    form: str,
    programme: str,
    start: str,
    end: str = "",
    reason: str = "",
) -> list[str]:
    return [number, "12345678", "Sundbybergs gymnasium", form, programme, start, end, reason]


def import_navet(path: Path, posts: list[NavetPost]) -> str:
    write_navet(path, posts)
    out = io.StringIO()
    call_command("import_navet", str(path), municipality=HERE, stdout=out)
    return out.getvalue()


def import_school(path: Path, rows: list[list[str]]) -> str:
    generators.write_csv(path, ENROLMENT_COLUMNS, rows)
    out = io.StringIO()
    call_command("import_school", str(path), municipality=HERE, stdout=out)
    return out.getvalue()


def responsibility(**options) -> str:
    out = io.StringIO()
    options = {"municipality": HERE, "date": ASKED_ON, "kind": "kaa", "format": "csv", **options}
    call_command("responsibility", stdout=out, **options)
    return out.getvalue()


def lines(*rows: str) -> str:
    return "".join(f"{row}\n" for row in rows)


def person(number: str) -> Person:
    return Person.objects.get(municipality__code=HERE, identity_number=number)


def kaa_of(number: str) -> list[tuple]:
    return list(
        ResponsibilityPeriod.objects.filter(person=person(number), kind=Kind.KAA)
        .order_by("start")
        .values_list("start", "start_reason", "end", "end_reason")
    )


# --------------------------------------------------------------------------- scenario


@pytest.fixture
def grunduttag(tmp_path):
    """The full extract and the school file, imported through the commands."""
    posts = [
        navet_post(NEVER_STARTED),
        navet_post(STARTED),
        navet_post(INTERRUPTED),
        navet_post(STUDIEBEVIS),
        navet_post(EXAMEN),
        navet_post(
            MOVED_IN, since="2026-03-02", history=((parse(MOVED_IN).birth_date, STOCKHOLM),)
        ),
        navet_post(ARRIVED, since="2025-10-01", immigrated="2025-10-01"),
        navet_post(TURNED_20),
        navet_post(ADULT),
        navet_post(SAMORDNINGSNUMMER, code=None),
    ]
    navet_output = import_navet(tmp_path / "grunduttag.xml", posts)
    school_output = import_school(
        tmp_path / "school.csv",
        [
            enrolment(STARTED, "gymnasieskola", "NA", "2026-08-17"),
            enrolment(INTERRUPTED, "grundskola", "", "2016-08-17", "2025-06-11", "examen"),
            enrolment(INTERRUPTED, "gymnasieskola", "NA", "2025-08-18", "2026-02-13", "avbrott"),
            enrolment(
                STUDIEBEVIS, "gymnasieskola", "SA", "2023-08-21", "2026-06-12", "studiebevis"
            ),
            enrolment(EXAMEN, "gymnasieskola", "TE", "2023-08-21", "2026-06-12", "examen"),
        ],
    )
    return navet_output, school_output


@pytest.fixture
def change_notice(grunduttag, tmp_path):
    """An ändringsavisering: one young person moves to Stockholm, one dies.

    The studiebevis leaver's post is sent again unchanged.
    """
    return import_navet(
        tmp_path / "andring.xml",
        [
            navet_post(
                NEVER_STARTED,
                since="2026-10-05",
                code=STOCKHOLM,
                history=((parse(NEVER_STARTED).birth_date, HERE),),
            ),
            navet_post(
                ARRIVED, code=None, immigrated="2025-10-01", deregistered=("AV", "2026-10-20")
            ),
            navet_post(STUDIEBEVIS),
        ],
    )


# ----------------------------------------------------------------------- the command


def test_who_is_in_kaa_on_a_date(grunduttag):
    assert responsibility() == lines(
        "identity_number,kind,since,reason",
        f"{STUDIEBEVIS},kaa,2026-06-13,studiebevis",
        f"{ARRIVED},kaa,2025-10-01,arrived_after_compulsory_age",
        f"{MOVED_IN},kaa,2026-03-02,moved_in",
        f"{INTERRUPTED},kaa,2026-02-14,interrupted",
        f"{NEVER_STARTED},kaa,2026-09-16,never_started",
    )


def test_the_list_has_twelve_digit_numbers_sorted(grunduttag):
    rows = list(csv.DictReader(io.StringIO(responsibility())))

    numbers = [r["identity_number"] for r in rows]
    assert numbers == sorted(numbers)
    assert all(len(n) == 12 and n.isdigit() for n in numbers)
    assert all(n in official_personnummer() for n in numbers)


def test_the_imports_report_how_many_responsibilities_changed(grunduttag):
    navet_output, school_output = grunduttag

    # Without school data nine of the ten have (had) KAA, the adult and the one
    # who turned 20 included; the samordningsnummer never.
    assert "created 10" in navet_output
    assert "responsibility changed for 9." in navet_output
    # The school file changes four of them: started, interrupted (from
    # June 2025 to February 2026), studiebevis (later) and examen (never).
    assert "created 5" in school_output
    assert "responsibility changed for 4." in school_output


def test_json_lists_the_same_people(grunduttag):
    rows = json.loads(responsibility(format="json"))

    assert [r["identity_number"] for r in rows] == [
        STUDIEBEVIS,
        ARRIVED,
        MOVED_IN,
        INTERRUPTED,
        NEVER_STARTED,
    ]
    assert rows[0] == {
        "identity_number": STUDIEBEVIS,
        "kind": "kaa",
        "since": "2026-06-13",
        "reason": "studiebevis",
    }


def test_changes_since_lists_who_entered_and_who_left(grunduttag):
    assert responsibility(changes_since="2026-06-01") == lines(
        "identity_number,kind,change,date,reason",
        f"{STUDIEBEVIS},kaa,entered,2026-06-13,studiebevis",
        f"{TURNED_20},kaa,left,2026-07-14,turned_20",
        f"{NEVER_STARTED},kaa,entered,2026-09-16,never_started",
    )


def test_changes_since_must_not_be_after_the_date(grunduttag):
    with pytest.raises(CommandError):
        responsibility(changes_since="2026-11-25")


def test_a_samordningsnummer_without_folkbokforing_is_never_in_kaa(grunduttag):
    assert kaa_of(SAMORDNINGSNUMMER) == []


def test_gymnasieexamen_and_upper_secondary_keep_them_out(grunduttag):
    assert kaa_of(EXAMEN) == []
    assert kaa_of(STARTED) == []


# ------------------------------------------------------------------- change notices


def test_a_change_notice_moving_someone_out_ends_their_period(change_notice):
    assert kaa_of(NEVER_STARTED) == [
        (date(2026, 9, 16), "never_started", date(2026, 10, 4), "moved_out"),
    ]
    assert kaa_of(ARRIVED) == [
        (date(2025, 10, 1), "arrived_after_compulsory_age", date(2026, 10, 19), "died"),
    ]
    assert responsibility() == lines(
        "identity_number,kind,since,reason",
        f"{STUDIEBEVIS},kaa,2026-06-13,studiebevis",
        f"{MOVED_IN},kaa,2026-03-02,moved_in",
        f"{INTERRUPTED},kaa,2026-02-14,interrupted",
    )
    assert responsibility(changes_since="2026-10-01") == lines(
        "identity_number,kind,change,date,reason",
        f"{NEVER_STARTED},kaa,left,2026-10-05,moved_out",
        f"{ARRIVED},kaa,left,2026-10-20,died",
    )


def test_recompute_only_touches_the_people_in_the_file(grunduttag, tmp_path):
    def snapshot():
        return {
            number: list(
                ResponsibilityPeriod.objects.filter(person=person(number))
                .order_by("id")
                .values_list("id", "start", "start_reason", "end", "end_reason")
            )
            for number in (INTERRUPTED, STUDIEBEVIS, MOVED_IN, TURNED_20, ADULT)
        }

    before = snapshot()
    moved_before = set(
        ResponsibilityPeriod.objects.filter(person=person(NEVER_STARTED)).values_list(
            "id", flat=True
        )
    )

    output = import_navet(
        tmp_path / "andring.xml",
        [
            navet_post(
                NEVER_STARTED,
                since="2026-10-05",
                code=STOCKHOLM,
                history=((parse(NEVER_STARTED).birth_date, HERE),),
            ),
            navet_post(STUDIEBEVIS),  # unchanged
        ],
    )

    assert "changed 1, unchanged 1" in output
    assert "responsibility changed for 1." in output
    assert snapshot() == before
    moved_after = set(
        ResponsibilityPeriod.objects.filter(person=person(NEVER_STARTED)).values_list(
            "id", flat=True
        )
    )
    assert moved_after and moved_after.isdisjoint(moved_before)


# --------------------------------------------------------------------------- outreach


def test_nobody_enters_outreach_from_an_import(change_notice):
    assert not ResponsibilityPeriod.objects.filter(kind=Kind.OUTREACH).exists()
    # The 23-year-old and the one who turned 20 have only their KAA history.
    assert kaa_of(ADULT) == [
        (date(2019, 9, 16), "never_started", date(2023, 10, 4), "turned_20"),
    ]
    assert kaa_of(TURNED_20) == [
        (date(2022, 9, 16), "never_started", date(2026, 7, 13), "turned_20"),
    ]


def test_outreach_needs_a_note_of_the_consent(counsellor):
    young_adult = PersonFactory(identity_number=ADULT)

    for note in ("", "   "):
        with pytest.raises(ValidationError):
            register_outreach(
                by=counsellor, person=young_adult, start=day(ASKED_ON), consent_note=note
            )
    assert not ResponsibilityPeriod.objects.filter(kind=Kind.OUTREACH).exists()


def test_outreach_starts_on_the_20th_birthday_at_the_earliest(counsellor):
    nineteen = PersonFactory(identity_number=STUDIEBEVIS)  # turns 20 on 2027-09-10

    with pytest.raises(ValidationError):
        register_outreach(
            by=counsellor, person=nineteen, start=date(2027, 9, 9), consent_note="Muntligt"
        )
    period = register_outreach(
        by=counsellor, person=nineteen, start=date(2027, 9, 10), consent_note="Muntligt"
    )

    assert period.start == date(2027, 9, 10)


def test_outreach_ends_the_day_before_the_26th_birthday(counsellor):
    number = official_born_on(date(2000, 11, 24))  # turns 26 on 2026-11-24
    young_adult = PersonFactory(identity_number=number)

    with pytest.raises(ValidationError):
        register_outreach(
            by=counsellor, person=young_adult, start=date(2026, 11, 24), consent_note="Skriftligt"
        )
    period = register_outreach(
        by=counsellor, person=young_adult, start=date(2026, 11, 23), consent_note="Skriftligt"
    )

    assert (period.kind, period.start_reason) == (Kind.OUTREACH, "registered_with_consent")
    assert (period.end, period.end_reason) == (date(2026, 11, 23), "age_limit")
    assert period.registered_by == counsellor
    assert period.consent_note == "Skriftligt"


def test_outreach_age_limit_for_someone_born_on_29_february(counsellor):
    leap_born = PersonFactory(identity_number=official_born_on(date(2004, 2, 29)))
    assert add_years(leap_born.birth_date, 26) == date(2030, 2, 28)

    with pytest.raises(ValidationError):
        register_outreach(
            by=counsellor, person=leap_born, start=date(2030, 2, 28), consent_note="Muntligt"
        )
    period = register_outreach(
        by=counsellor, person=leap_born, start=date(2024, 2, 29), consent_note="Muntligt"
    )

    assert period.end == date(2030, 2, 27)


def test_outreach_cannot_overlap_itself(counsellor):
    young_adult = PersonFactory(identity_number=ADULT)
    register_outreach(
        by=counsellor, person=young_adult, start=date(2026, 1, 12), consent_note="Muntligt"
    )

    with pytest.raises(ValidationError):
        register_outreach(
            by=counsellor, person=young_adult, start=day(ASKED_ON), consent_note="Muntligt"
        )


def test_close_outreach(counsellor):
    young_adult = PersonFactory(identity_number=ADULT)
    period = register_outreach(
        by=counsellor, person=young_adult, start=date(2026, 1, 12), consent_note="Muntligt"
    )

    with pytest.raises(ValidationError):
        close_outreach(by=counsellor, period=period, end=date(2026, 1, 11))
    with pytest.raises(ValidationError):
        close_outreach(by=counsellor, period=period, end=date(2029, 10, 5))  # after the limit
    closed = close_outreach(by=counsellor, period=period, end=date(2026, 6, 30))

    period.refresh_from_db()
    assert closed.pk == period.pk
    assert (period.end, period.end_reason) == (date(2026, 6, 30), "closed")
    # Closed, a new period can start later, with consent again.
    register_outreach(
        by=counsellor, person=young_adult, start=date(2026, 9, 1), consent_note="Skriftligt"
    )


def test_kaa_cannot_be_closed_by_hand(grunduttag, counsellor):
    kaa_period = ResponsibilityPeriod.objects.get(person=person(INTERRUPTED), kind=Kind.KAA)

    with pytest.raises(ValidationError):
        close_outreach(by=counsellor, period=kaa_period, end=day(ASKED_ON))


def test_an_import_leaves_outreach_alone(grunduttag, counsellor, tmp_path):
    period = register_outreach(
        by=counsellor, person=person(TURNED_20), start=date(2026, 8, 3), consent_note="Muntligt"
    )

    import_navet(tmp_path / "andring.xml", [navet_post(TURNED_20, since="2026-09-01")])

    assert ResponsibilityPeriod.objects.get(kind=Kind.OUTREACH).pk == period.pk
    assert kaa_of(TURNED_20)[-1][-1] == "turned_20"


# ------------------------------------------------------------------------ person page


def test_the_person_page_shows_the_responsibility_history(change_notice, counsellor, client_for):
    response = client_for(counsellor).get(f"/persons/{person(NEVER_STARTED).pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-09-16" in page
    assert "2026-10-04" in page
    # The reasons in Swedish, as the counsellor reads them.
    assert "Har inte börjat gymnasieskolan" in page  # StartReason.NEVER_STARTED
    assert "Flyttade från kommunen" in page  # EndReason.MOVED_OUT


def test_the_person_page_shows_kaa_and_outreach(grunduttag, counsellor, client_for):
    register_outreach(
        by=counsellor, person=person(TURNED_20), start=date(2026, 8, 3), consent_note="Muntligt"
    )

    page = client_for(counsellor).get(f"/persons/{person(TURNED_20).pk}/").content.decode()

    assert "Fyllde 20 år" in page  # EndReason.TURNED_20
    assert "Uppsökande verksamhet (20–25)" in page  # Kind.OUTREACH
    assert "Registrerad av teamet med samtycke" in page  # StartReason.REGISTERED_WITH_CONSENT


def test_another_municipality_cannot_see_the_person(grunduttag, other_counsellor, client_for):
    response = client_for(other_counsellor).get(f"/persons/{person(INTERRUPTED).pk}/")

    assert response.status_code == 404
