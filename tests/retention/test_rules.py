"""The gallring rules on their own: one person's facts, one date, one verdict."""

from dataclasses import replace
from datetime import date

import pytest

from retention.rules import Facts, Verdict, kaa_deadline, left_kaa_scope_on, verdict
from samverka.dates import add_months


def facts(born: date, **changes) -> Facts:
    """A person with KAA data in the past, not in KAA today and never in outreach."""
    base = Facts(
        birth_year=born.year,
        birth_date=born,
        in_kaa=False,
        has_kaa_data=True,
        deregistered_on=None,
        moved_away_on=None,
        outreach_open=False,
        last_outreach_end=None,
    )
    return replace(base, **changes)


def judged(person: Facts, today: str, *, months_after_scope=None, outreach_months=12) -> Verdict:
    return verdict(
        person,
        date.fromisoformat(today),
        kaa_months_after_scope=months_after_scope,
        outreach_months=outreach_months,
    )


# --------------------------------------------------------------------------- the law


def test_the_kaa_deadline_is_31_december_of_the_year_the_person_turns_21():
    assert kaa_deadline(2005) == date(2026, 12, 31)
    assert kaa_deadline(2008) == date(2029, 12, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-07-14", Verdict.KEEP),  # the 21st birthday
        ("2026-12-31", Verdict.KEEP),
        ("2027-01-01", Verdict.DELETE_PERSON),
    ],
)
def test_it_deletes_kaa_data_after_the_year_the_person_turns_21(today, expected):
    assert judged(facts(date(2005, 7, 14)), today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [("2025-12-31", Verdict.KEEP), ("2026-01-01", Verdict.DELETE_PERSON)],
)
def test_a_person_born_on_29_february_is_kept_through_the_year_they_turn_21(today, expected):
    # 2025 has no 29 February: the 21st birthday is not what counts, the year is.
    assert judged(facts(date(2004, 2, 29)), today) == expected


def test_the_statutory_deadline_holds_even_while_the_person_is_in_kaa():
    # A KAA period left open by mistake must not keep data past the law's limit.
    assert judged(facts(date(2005, 7, 14), in_kaa=True), "2027-01-01") == Verdict.DELETE_PERSON


def test_a_young_person_without_any_data_to_delete_is_kept():
    person = facts(date(2008, 5, 1), has_kaa_data=False)
    assert judged(person, "2026-11-24") == Verdict.KEEP


# --------------------------------------------------------------------------- outreach


def test_open_outreach_keeps_the_person_but_not_the_kaa_data():
    person = facts(date(2005, 7, 14), outreach_open=True)
    assert judged(person, "2027-01-01") == Verdict.DELETE_KAA_DATA


def test_open_outreach_without_kaa_data_keeps_everything():
    person = facts(date(2003, 10, 5), has_kaa_data=False, outreach_open=True)
    assert judged(person, "2026-11-24") == Verdict.KEEP


@pytest.mark.parametrize(
    ("today", "expected"),
    [("2028-03-31", Verdict.DELETE_KAA_DATA), ("2028-04-01", Verdict.DELETE_PERSON)],
)
def test_outreach_data_goes_months_after_the_outreach_ended(today, expected):
    person = facts(date(2005, 7, 14), last_outreach_end=date(2027, 3, 31))
    assert judged(person, today, outreach_months=12) == expected


def test_outreach_data_goes_alone_while_kaa_data_may_still_be_kept():
    person = facts(date(2006, 7, 14), last_outreach_end=date(2026, 8, 31))
    assert judged(person, "2026-11-30", outreach_months=3) == Verdict.KEEP
    assert judged(person, "2026-12-01", outreach_months=3) == Verdict.DELETE_OUTREACH_DATA


# --------------------------------------------------------------------------- the earlier rule


def test_the_earlier_rule_counts_from_the_20th_birthday():
    person = facts(date(2006, 7, 14))
    assert judged(person, "2026-10-14", months_after_scope=3) == Verdict.KEEP
    assert judged(person, "2026-10-15", months_after_scope=3) == Verdict.DELETE_PERSON


def test_the_earlier_rule_counts_from_moving_away():
    person = facts(date(2008, 5, 1), moved_away_on=date(2025, 4, 1))
    assert judged(person, "2025-10-01", months_after_scope=6) == Verdict.KEEP
    assert judged(person, "2025-10-02", months_after_scope=6) == Verdict.DELETE_PERSON


def test_the_earlier_rule_counts_from_the_deregistration():
    person = facts(date(2008, 5, 1), deregistered_on=date(2026, 1, 31))
    # One month after 31 January is the last day of February.
    assert judged(person, "2026-02-28", months_after_scope=1) == Verdict.KEEP
    assert judged(person, "2026-03-01", months_after_scope=1) == Verdict.DELETE_PERSON


def test_the_earlier_rule_counts_from_the_first_way_out_of_the_scope():
    person = facts(
        date(2008, 5, 1), moved_away_on=date(2026, 6, 1), deregistered_on=date(2026, 3, 1)
    )
    assert left_kaa_scope_on(person) == date(2026, 3, 1)


def test_the_earlier_rule_never_deletes_while_the_person_is_in_kaa():
    person = facts(date(2008, 5, 1), deregistered_on=date(2026, 1, 10), in_kaa=True)
    assert judged(person, "2026-11-24", months_after_scope=1) == Verdict.KEEP
    assert judged(replace(person, in_kaa=False), "2026-11-24", months_after_scope=1) == (
        Verdict.DELETE_PERSON
    )


def test_without_the_earlier_rule_moving_away_keeps_until_the_statutory_deadline():
    person = facts(date(2008, 5, 1), moved_away_on=date(2025, 4, 1))
    assert judged(person, "2029-12-31") == Verdict.KEEP
    assert judged(person, "2030-01-01") == Verdict.DELETE_PERSON


def test_the_earlier_rule_from_a_29_february_20th_birthday_ends_on_28_february():
    person = facts(date(2008, 2, 29))
    assert left_kaa_scope_on(person) == date(2028, 2, 29)
    # Twelve months after 29 February 2028 is 28 February 2029 (no 29th that year).
    assert judged(person, "2029-02-28", months_after_scope=12) == Verdict.KEEP
    assert judged(person, "2029-03-01", months_after_scope=12) == Verdict.DELETE_PERSON


def test_the_earlier_rule_keeps_outreach_data_of_an_open_outreach():
    person = facts(date(2006, 7, 14), outreach_open=True)
    assert judged(person, "2026-10-15", months_after_scope=3) == Verdict.DELETE_KAA_DATA


# --------------------------------------------------------------------------- months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 11, 30), 14, date(2028, 1, 30)),
        (date(2026, 3, 31), 0, date(2026, 3, 31)),
    ],
)
def test_add_months_ends_on_the_months_last_day_when_it_lacks_the_day(start, months, expected):
    assert add_months(start, months) == expected
