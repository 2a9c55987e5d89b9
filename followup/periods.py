"""Periods the follow-up reports on: tertials, half-years, years and any date range.

Written as Sundbyberg's plan and the statistics to SCB write them:

* ``2026T1`` (January–April), ``2026T2`` (May–August), ``2026T3`` (September–December);
* ``2026H1`` (January–June), ``2026H2`` (July–December);
* ``2026``, the calendar year ("bokslut");
* ``2026-01-01..2026-03-31``, any range of days, both ends included.

A :class:`Period` knows the one before it, so a trend is ``period.trend(6)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from samverka.dates import add_months

# Far enough back and ahead for any register Samverka holds; keeps typos like 20260 out.
FIRST_YEAR = 1990
LAST_YEAR = 2100

TERTIAL = "tertial"
HALF_YEAR = "half_year"
YEAR = "year"
RANGE = "range"

_TERTIAL = re.compile(r"^(\d{4})T([1-3])$")
_HALF_YEAR = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """The text is not a period Samverka understands; the message says what to write."""

    code = "period"


@dataclass(frozen=True, order=True)
class Period:
    """From ``start`` through ``end`` (both included), with the label it was written as."""

    start: date
    end: date
    kind: str
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def number(self) -> int | None:
        """The tertial (1–3) or half-year (1–2) within the year."""
        if self.kind in (TERTIAL, HALF_YEAR):
            return int(self.label[-1])
        return None

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self, n: int = 1) -> Period:
        """The period ``n`` steps before this one, of the same kind and length.

        A range steps back by its own number of days, so two consecutive
        ranges never overlap.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if self.kind == TERTIAL:
            index = self.year * 3 + self.number - 1 - n
            return tertial(index // 3, index % 3 + 1)
        if self.kind == HALF_YEAR:
            index = self.year * 2 + self.number - 1 - n
            return half_year(index // 2, index % 2 + 1)
        if self.kind == YEAR:
            return year(self.year - n)
        shift = timedelta(days=self.days * n)
        return date_range(self.start - shift, self.end - shift)

    def trend(self, n: int) -> list[Period]:
        """The ``n`` periods ending with this one, oldest first."""
        return [self.previous(k) for k in range(n - 1, -1, -1)]

    @property
    def dhis2(self) -> str | None:
        """The DHIS2 period id, or None: DHIS2 has no four-month or free period.

        Half-years are DHIS2's six-monthly ``2026S1``/``2026S2``, years ``2026``
        (docs/followup.md, "Aggregate exchange").
        """
        if self.kind == HALF_YEAR:
            return f"{self.year}S{self.number}"
        if self.kind == YEAR:
            return str(self.year)
        return None


def tertial(year_: int, number: int) -> Period:
    _check_year(year_)
    start = date(year_, 4 * (number - 1) + 1, 1)
    end = add_months(start, 4) - timedelta(days=1)
    return Period(start, end, TERTIAL, f"{year_}T{number}")


def half_year(year_: int, number: int) -> Period:
    _check_year(year_)
    start = date(year_, 6 * (number - 1) + 1, 1)
    end = add_months(start, 6) - timedelta(days=1)
    return Period(start, end, HALF_YEAR, f"{year_}H{number}")


def year(year_: int) -> Period:
    _check_year(year_)
    return Period(date(year_, 1, 1), date(year_, 12, 31), YEAR, str(year_))


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(
            _("The period ends (%(end)s) before it starts (%(start)s).")
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    _check_year(start.year)
    _check_year(end.year)
    return Period(start, end, RANGE, f"{start.isoformat()}..{end.isoformat()}")


def parse_period(text: str) -> Period:
    """Read a period as users and files write it; PeriodError says what is wrong."""
    cleaned = (text or "").strip().upper()
    if not cleaned:
        raise PeriodError(_("Give a period, for example 2026T2, 2026H1 or 2026."))
    if match := _TERTIAL.match(cleaned):
        return tertial(int(match[1]), int(match[2]))
    if match := _HALF_YEAR.match(cleaned):
        return half_year(int(match[1]), int(match[2]))
    if match := _YEAR.match(cleaned):
        return year(int(match[1]))
    if match := _RANGE.match(cleaned):
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            raise PeriodError(
                _("%(text)s has a date that does not exist.") % {"text": text.strip()}
            ) from None
        return date_range(start, end)
    raise PeriodError(
        _(
            "%(text)s is not a period. Write a tertial (2026T1, 2026T2, 2026T3), a half-year "
            "(2026H1, 2026H2), a year (2026) or two dates (2026-01-01..2026-03-31)."
        )
        % {"text": text.strip()}
    )


def parse_half_year(text: str) -> Period:
    """A half-year, as the statistics to SCB need; any other period is refused."""
    period = parse_period(text)
    if period.kind != HALF_YEAR:
        raise PeriodError(
            _("%(text)s is not a half-year: write 2026H1 or 2026H2.") % {"text": text.strip()}
        )
    return period


def current_tertial(today: date) -> Period:
    return tertial(today.year, (today.month - 1) // 4 + 1)


def last_complete_tertial(today: date) -> Period:
    """The latest tertial that has ended by ``today``."""
    now = current_tertial(today)
    return now if now.end <= today else now.previous()


def _check_year(value: int) -> None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise PeriodError(
            _("The year %(year)s is outside %(first)s–%(last)s.")
            % {"year": value, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
