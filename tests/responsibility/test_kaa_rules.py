"""The rules of kommunernas aktivitetsansvar (skollagen 29 kap. 9 §), one test per rule.

Every test builds the facts about one young person by hand and asks
``kaa_periods`` for the periods in which Sundbyberg (0183) is responsible.
Periods have an inclusive ``end``: the last day in KAA. The law is summarised
in /work/shared/domain.md §3.
"""

from datetime import date, timedelta

import pytest

from responsibility.rules import (
    Facts,
    Period,
    Policy,
    Residence,
    Schooling,
    assumed_compulsory_completion,
    kaa_periods,
    twentieth_birthday,
)
from samverka.dates import add_years, age_on

HERE = "0183"  # Sundbyberg
ELSEWHERE = "0180"  # Stockholm
POLICY = Policy(municipality_code=HERE)
ONE_DAY = timedelta(days=1)

# An ordinary young person in these tests: born 10 March 2008, folkbokförd in
# Sundbyberg since birth, leaves compulsory school in June 2024 (assumed 30 June)
# and turns 20 on 10 March 2028.
BORN = date(2008, 3, 10)
LAST_DAY_BEFORE_20 = date(2028, 3, 9)


# --------------------------------------------------------------------------- builders


def lives(start: date, end: date | None = None, code: str = HERE) -> Residence:
    return Residence(code, start, end)


def person(
    birth: date | None = BORN,
    *enrolments: Schooling,
    residences: tuple[Residence, ...] | None = None,
    **more,
) -> Facts:
    """Facts about one person; by default folkbokförd in Sundbyberg since birth."""
    if residences is None:
        residences = (lives(birth),)
    return Facts(birth_date=birth, residences=residences, enrolments=enrolments, **more)


def gymnasium(
    start: date, end: date | None = None, reason: str = "", programme: str = "NA"
) -> Schooling:
    return Schooling("gymnasieskola", programme, start, end, reason)


def school(form: str, start: date, end: date | None = None, reason: str = "") -> Schooling:
    return Schooling(form, "", start, end, reason)


def kaa(facts: Facts, policy: Policy = POLICY) -> list[Period]:
    return kaa_periods(facts, policy)


def in_kaa(periods: list[Period], day: date) -> bool:
    return any(p.start <= day and (p.end is None or day <= p.end) for p in periods)


def period(start: date, start_reason: str, end: date | None, end_reason: str = "") -> Period:
    return Period(start, start_reason, end, end_reason)


# ------------------------------------------------- entering after compulsory school


def test_never_starting_upper_secondary_enters_after_the_summer_grace():
    periods = kaa(person())

    assert periods == [
        period(date(2024, 9, 16), "never_started", LAST_DAY_BEFORE_20, "turned_20"),
    ]
    # The summer after compulsory school is not a gap in education ...
    for day in (date(2024, 6, 30), date(2024, 7, 1), date(2024, 8, 31), date(2024, 9, 15)):
        assert not in_kaa(periods, day), day
    # ... but from 16 September a young person who never started is in KAA.
    assert in_kaa(periods, date(2024, 9, 16))


def test_starting_upper_secondary_in_august_keeps_the_young_person_out():
    assert kaa(person(BORN, gymnasium(date(2024, 8, 19)))) == []


def test_starting_upper_secondary_after_the_grace_ends_responsibility():
    assert kaa(person(BORN, gymnasium(date(2024, 10, 14)))) == [
        period(date(2024, 9, 16), "never_started", date(2024, 10, 13), "started_education"),
    ]


def test_summer_grace_end_is_a_municipal_setting():
    policy = Policy(municipality_code=HERE, summer_grace_month=8, summer_grace_day=31)

    assert kaa(person(), policy)[0].start == date(2024, 9, 1)


def test_nobody_is_in_kaa_before_completing_compulsory_school():
    periods = kaa(person())

    assert not in_kaa(periods, date(2024, 3, 10))  # 16th birthday, still in year 9
    assert not in_kaa(periods, date(2024, 6, 30))


@pytest.mark.parametrize(
    "birth", [date(2008, 1, 1), date(2008, 3, 10), date(2008, 12, 31)], ids=str
)
def test_unknown_compulsory_completion_is_assumed_30_june_of_the_year_turning_16(birth):
    assert assumed_compulsory_completion(birth) == date(2024, 6, 30)
    # Without a summer grace the young person enters the day after the assumed date.
    no_grace = Policy(municipality_code=HERE, summer_grace_month=6, summer_grace_day=30)
    assert kaa(person(birth), no_grace)[0] == period(
        date(2024, 7, 1), "never_started", add_years(birth, 20) - ONE_DAY, "turned_20"
    )


def test_reported_compulsory_completion_replaces_the_assumption():
    # Repeated a year: the school reports completion in June 2025, a year late.
    grundskola = school("grundskola", date(2014, 8, 18), date(2025, 6, 11), "examen")

    periods = kaa(person(BORN, grundskola))

    assert not in_kaa(periods, date(2024, 10, 1))
    assert periods == [
        period(date(2025, 9, 16), "never_started", LAST_DAY_BEFORE_20, "turned_20"),
    ]


# --------------------------------------------------------------- the 20th birthday


@pytest.mark.parametrize(
    ("birth", "birthday", "last_day"),
    [
        (date(2008, 3, 10), date(2028, 3, 10), date(2028, 3, 9)),
        # 20 years after a leap day is a leap year: the birthday is 29 February.
        (date(2004, 2, 29), date(2024, 2, 29), date(2024, 2, 28)),
        (date(2008, 2, 29), date(2028, 2, 29), date(2028, 2, 28)),
        (date(2007, 3, 1), date(2027, 3, 1), date(2027, 2, 28)),
    ],
    ids=str,
)
def test_the_20th_birthday_ends_responsibility_the_day_before(birth, birthday, last_day):
    assert twentieth_birthday(birth) == birthday

    periods = kaa(person(birth))

    assert periods[-1].end == last_day
    assert periods[-1].end_reason == "turned_20"
    assert in_kaa(periods, last_day)
    assert not in_kaa(periods, birthday)


def test_add_years_from_29_february_lands_on_28_february_in_a_common_year():
    leap_born = date(2004, 2, 29)

    assert add_years(leap_born, 20) == date(2024, 2, 29)
    assert add_years(leap_born, 21) == date(2025, 2, 28)
    assert add_years(leap_born, 26) == date(2030, 2, 28)  # outreach's upper age limit
    assert age_on(leap_born, date(2030, 2, 27)) == 25
    assert age_on(leap_born, date(2030, 2, 28)) == 26


# --------------------------------------------------------- the rule change 2018-07-01


def test_introduction_programme_student_was_in_kaa_until_the_rule_change():
    born = date(2000, 5, 5)
    im = gymnasium(date(2016, 8, 22), programme="IMIND")

    periods = kaa(person(born, im))

    assert periods == [
        period(date(2016, 8, 22), "introduction_programme", date(2018, 6, 30), "rule_change"),
    ]
    assert periods[0].rule_set == "skollagen 29:9 before 2018-07-01"
    assert not in_kaa(periods, date(2018, 7, 1))


def test_introduction_programme_keeps_out_of_kaa_after_the_rule_change():
    born = date(2003, 4, 4)

    assert kaa(person(born, gymnasium(date(2019, 8, 19), programme="IMS"))) == []


def test_national_programme_kept_out_of_kaa_before_the_rule_change():
    born = date(2000, 5, 5)

    assert kaa(person(born, gymnasium(date(2016, 8, 22), programme="NA"))) == []


def test_interrupting_an_introduction_programme_after_the_rule_change_enters_kaa():
    born = date(2003, 4, 4)
    im = gymnasium(date(2019, 8, 19), date(2020, 3, 13), "avbrott", programme="IMA")

    assert kaa(person(born, im)) == [
        period(date(2020, 3, 14), "interrupted", date(2023, 4, 3), "turned_20"),
    ]


def test_folkbokford_after_compulsory_age_entered_kaa_with_the_rule_change():
    born = date(2001, 3, 3)
    arrived = date(2017, 10, 2)

    periods = kaa(person(born, residences=(lives(arrived),), immigration_date=arrived))

    assert periods == [
        period(date(2018, 7, 1), "rule_change", date(2021, 3, 2), "turned_20"),
    ]
    assert not in_kaa(periods, date(2018, 6, 30))


def test_folkbokford_after_compulsory_age_enters_kaa_on_arrival_since_2018():
    born = date(2004, 4, 4)
    arrived = date(2021, 3, 1)

    assert kaa(person(born, residences=(lives(arrived),), immigration_date=arrived)) == [
        period(arrived, "arrived_after_compulsory_age", date(2024, 4, 3), "turned_20"),
    ]


def test_folkbokford_before_the_end_of_compulsory_age_follows_the_ordinary_rules():
    arrived = date(2020, 1, 15)

    assert kaa(person(BORN, residences=(lives(arrived),), immigration_date=arrived)) == [
        period(date(2024, 9, 16), "never_started", LAST_DAY_BEFORE_20, "turned_20"),
    ]


# ------------------------------------------------------------------ home municipality


def test_moving_out_ends_and_moving_back_restarts_responsibility():
    residences = (
        lives(BORN, date(2025, 3, 31)),
        lives(date(2025, 4, 1), date(2025, 8, 31), code=ELSEWHERE),
        lives(date(2025, 9, 1)),
    )
    facts = person(BORN, residences=residences)

    assert kaa(facts) == [
        period(date(2024, 9, 16), "never_started", date(2025, 3, 31), "moved_out"),
        period(date(2025, 9, 1), "moved_in", LAST_DAY_BEFORE_20, "turned_20"),
    ]
    # Meanwhile the other municipality is the home municipality.
    assert kaa(facts, Policy(municipality_code=ELSEWHERE)) == [
        period(date(2025, 4, 1), "moved_in", date(2025, 8, 31), "moved_out"),
    ]


def test_a_young_person_folkbokford_elsewhere_is_not_ours():
    assert kaa(person(BORN, residences=(lives(BORN, code=ELSEWHERE),))) == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [("AV", "died"), ("UV", "emigrated"), ("OB", "deregistered"), ("AN", "deregistered")],
)
def test_deregistration_ends_responsibility(code, reason):
    facts = person(BORN, deregistration_reason=code, deregistration_date=date(2025, 5, 10))

    assert kaa(facts) == [period(date(2024, 9, 16), "never_started", date(2025, 5, 9), reason)]


def test_samordningsnummer_without_folkbokforing_is_never_in_kaa():
    assert kaa(person(BORN, residences=())) == []


def test_no_birth_date_is_never_in_kaa():
    assert kaa(person(None, residences=(lives(date(2010, 1, 1)),))) == []


# ------------------------------------------------------------- completing or leaving


def test_gymnasieexamen_takes_the_young_person_out_for_good():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2027, 6, 11), "examen"),
        school("komvux", date(2027, 8, 16), date(2027, 10, 1), "avbrott"),
        residences=(
            lives(BORN, date(2027, 6, 30)),
            lives(date(2027, 7, 1), date(2027, 7, 31), code=ELSEWHERE),
            lives(date(2027, 8, 1)),
        ),
    )

    assert kaa(facts) == []


def test_completing_with_an_examen_while_in_kaa_ends_it_as_completed():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 2, 14), "avbrott"),
        school("komvux", date(2025, 8, 18), date(2027, 6, 4), "examen"),
        gymnasium(date(2027, 8, 16), date(2027, 10, 1), "avbrott"),
    )

    assert kaa(facts) == [
        period(date(2025, 2, 15), "interrupted", date(2027, 6, 4), "completed"),
    ]


def test_equivalent_education_completed_with_an_examen_completes():
    facts = person(BORN, school("motsvarande", date(2024, 8, 19), date(2027, 6, 11), "examen"))

    assert kaa(facts) == []


def test_studiebevis_is_not_enough_and_enters_kaa():
    facts = person(BORN, gymnasium(date(2024, 8, 19), date(2027, 6, 11), "studiebevis"))

    assert kaa(facts) == [
        period(date(2027, 6, 12), "studiebevis", LAST_DAY_BEFORE_20, "turned_20"),
    ]


def test_gymnasiebevis_from_anpassad_gymnasieskola_completes():
    born = date(2008, 10, 20)
    anpassad = school(
        "anpassad_gymnasieskola", date(2024, 8, 19), date(2028, 6, 9), "gymnasiebevis"
    )

    assert kaa(person(born, anpassad)) == []


def test_leaving_anpassad_gymnasieskola_without_gymnasiebevis_enters_kaa():
    born = date(2008, 10, 20)
    anpassad = school("anpassad_gymnasieskola", date(2024, 8, 19), date(2026, 4, 17), "avbrott")

    assert kaa(person(born, anpassad)) == [
        period(date(2026, 4, 18), "interrupted", date(2028, 10, 19), "turned_20"),
    ]


# ------------------------------------------------------- interruptions and school changes


def test_interruption_enters_the_next_day_and_a_return_to_school_ends_it():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 2, 14), "avbrott"),
        gymnasium(date(2025, 8, 18), programme="EK"),
    )

    periods = kaa(facts)

    assert periods == [
        period(date(2025, 2, 15), "interrupted", date(2025, 8, 17), "started_education"),
    ]
    assert not in_kaa(periods, date(2025, 2, 14))


def test_interruption_in_june_gets_no_summer_grace():
    facts = person(BORN, gymnasium(date(2024, 8, 19), date(2025, 6, 5), "avbrott"))

    assert kaa(facts)[0].start == date(2025, 6, 6)


@pytest.mark.parametrize(
    "next_start",
    [date(2025, 2, 3), date(2025, 2, 14), date(2025, 2, 15)],  # gap of 2, 13 and 14 days
    ids=str,
)
def test_changing_school_with_a_short_gap_is_not_a_gap(next_start):
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 1, 31), "byte"),
        gymnasium(next_start, programme="TE"),
    )

    assert kaa(facts) == []


def test_changing_school_with_a_longer_gap_is_a_gap():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 1, 31), "byte"),
        gymnasium(date(2025, 3, 3), programme="TE"),
    )

    assert kaa(facts) == [
        period(date(2025, 2, 15), "interrupted", date(2025, 3, 2), "started_education"),
    ]


def test_changing_school_one_day_too_late_is_one_day_in_kaa():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 1, 31), "byte"),
        gymnasium(date(2025, 2, 16), programme="TE"),  # gap of 15 days
    )

    assert kaa(facts) == [
        period(date(2025, 2, 15), "interrupted", date(2025, 2, 15), "started_education"),
    ]


def test_school_change_grace_is_a_municipal_setting():
    facts = person(
        BORN,
        gymnasium(date(2024, 8, 19), date(2025, 1, 31), "byte"),
        gymnasium(date(2025, 3, 3), programme="TE"),
    )

    assert kaa(facts, Policy(municipality_code=HERE, school_change_grace_days=31)) == []


# ------------------------------------------------ komvux and folkhögskola (municipal setting)

INTERRUPTED = gymnasium(date(2024, 8, 19), date(2025, 2, 14), "avbrott")


@pytest.mark.parametrize("form", ["komvux", "folkhogskola"])
def test_komvux_and_folkhogskola_do_not_count_by_default(form):
    facts = person(BORN, INTERRUPTED, school(form, date(2025, 8, 18)))

    assert kaa(facts) == [
        period(date(2025, 2, 15), "interrupted", LAST_DAY_BEFORE_20, "turned_20"),
    ]


@pytest.mark.parametrize(
    ("form", "setting"), [("komvux", "komvux_counts"), ("folkhogskola", "folkhogskola_counts")]
)
def test_komvux_and_folkhogskola_count_when_the_municipality_says_so(form, setting):
    facts = person(BORN, INTERRUPTED, school(form, date(2025, 8, 18)))
    policy = Policy(municipality_code=HERE, **{setting: True})

    assert kaa(facts, policy) == [
        period(date(2025, 2, 15), "interrupted", date(2025, 8, 17), "started_education"),
    ]


def test_the_komvux_setting_does_not_make_folkhogskola_count():
    facts = person(BORN, INTERRUPTED, school("folkhogskola", date(2025, 8, 18)))
    policy = Policy(municipality_code=HERE, komvux_counts=True)

    assert kaa(facts, policy)[0].end == LAST_DAY_BEFORE_20


@pytest.mark.parametrize("reason", ["", "byte"])
def test_leaving_komvux_that_does_not_count_is_no_school_change_grace(reason):
    # Regression: the grace after a school change used to keep the young person
    # out even when the school they left did not count, so leaving komvux
    # "ended" KAA as started_education and restarted it two weeks later.
    komvux = school("komvux", date(2025, 8, 18), date(2025, 10, 31), reason)

    assert kaa(person(BORN, INTERRUPTED, komvux)) == [
        period(date(2025, 2, 15), "interrupted", LAST_DAY_BEFORE_20, "turned_20"),
    ]


def test_changing_introduction_programme_before_2018_stays_in_kaa():
    born = date(2000, 5, 5)
    facts = person(
        born,
        gymnasium(date(2016, 8, 22), date(2017, 1, 31), "byte", programme="IMIND"),
        gymnasium(date(2017, 2, 6), programme="IMSPR"),
    )

    assert kaa(facts) == [
        period(date(2016, 8, 22), "introduction_programme", date(2018, 6, 30), "rule_change"),
    ]


def test_introduction_programme_to_national_programme_before_2018_ends_at_the_start():
    born = date(2000, 5, 5)
    facts = person(
        born,
        gymnasium(date(2016, 8, 22), date(2017, 6, 9), "byte", programme="IMIND"),
        gymnasium(date(2017, 8, 21), programme="NA"),
    )

    assert kaa(facts) == [
        period(date(2016, 8, 22), "introduction_programme", date(2017, 8, 20), "started_education"),
    ]


# ------------------------------------------------------ still in compulsory school


def test_a_pupil_still_in_compulsory_school_is_not_in_kaa_whatever_the_age():
    facts = person(BORN, school("grundskola", date(2015, 8, 20)))
    assert kaa(facts) == []


def test_leaving_compulsory_school_without_grades_counts_from_the_end_of_the_school_duty():
    # Left in March of year 8: the duty lasts until the summer of the year the
    # person turns 16, so the summer grace applies from then.
    facts = person(BORN, school("grundskola", date(2015, 8, 20), date(2023, 3, 15), "byte"))
    assert kaa(facts) == [
        period(date(2024, 9, 16), "never_started", LAST_DAY_BEFORE_20, "turned_20")
    ]


def test_starting_komvux_in_august_does_not_cut_the_summer_grace():
    facts = person(BORN, school("komvux", date(2024, 8, 20)))
    assert kaa(facts)[0].start == date(2024, 9, 16)
