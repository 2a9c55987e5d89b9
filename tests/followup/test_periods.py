"""Periods: tertials, half-years, years and date ranges, and bad input."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.periods import (
    PeriodError,
    last_complete_tertial,
    parse_half_year,
    parse_period,
)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026T1", date(2026, 1, 1), date(2026, 4, 30)),
        ("2026T2", date(2026, 5, 1), date(2026, 8, 31)),
        ("2026T3", date(2026, 9, 1), date(2026, 12, 31)),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-01-01..2026-03-31", date(2026, 1, 1), date(2026, 3, 31)),
        (" 2026t2 ", date(2026, 5, 1), date(2026, 8, 31)),
        ("2024-02-29..2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
    ],
)
def test_parse(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.label == text.strip().upper()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give a period"),
        ("2026T4", "is not a period"),
        ("2026H3", "is not a period"),
        ("26T1", "is not a period"),
        ("2026-02-30..2026-03-01", "does not exist"),
        ("2026-03-01..2026-02-01", r"ends \(2026-02-01\) before it starts"),
        ("1850", "outside"),
        ("2026-01-01", "is not a period"),
    ],
)
def test_bad_input_says_what_is_wrong(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_previous_and_trend_cross_the_year():
    assert parse_period("2026T1").previous().label == "2025T3"
    assert parse_period("2026T2").previous(4).label == "2025T1"
    assert [p.label for p in parse_period("2026T1").trend(4)] == [
        "2025T1",
        "2025T2",
        "2025T3",
        "2026T1",
    ]
    assert parse_period("2026H1").previous().label == "2025H2"
    assert parse_period("2026").previous(2).label == "2024"
    week = parse_period("2026-03-09..2026-03-15")
    assert week.previous().label == "2026-03-02..2026-03-08"


def test_half_year_only_where_scb_needs_it():
    assert parse_half_year("2026H1").label == "2026H1"
    with pytest.raises(PeriodError, match="not a half-year"):
        parse_half_year("2026T1")


def test_dhis2_periods():
    assert parse_period("2026H2").dhis2 == "2026S2"
    assert parse_period("2026").dhis2 == "2026"
    assert parse_period("2026T1").dhis2 is None


def test_last_complete_tertial():
    assert last_complete_tertial(date(2026, 11, 30)).label == "2026T2"
    assert last_complete_tertial(date(2026, 12, 31)).label == "2026T3"
    assert last_complete_tertial(date(2026, 1, 1)).label == "2025T3"


@given(st.sampled_from(["T", "H", ""]), st.integers(2030, 2090), st.integers(1, 30))
def test_consecutive_periods_touch_and_never_overlap(kind, year, steps):
    number = {"T": "1", "H": "1", "": ""}[kind]
    period = parse_period(f"{year}{kind}{number}")
    for _ in range(steps):
        before = period.previous()
        assert (period.start - before.end).days == 1
        period = before
