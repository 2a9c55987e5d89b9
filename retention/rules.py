"""What gallring deletes, decided for one person on one date. Pure: no database.

* KAA data (the KAA periods, schooling, the schools' notifications, guardians)
  goes at the latest when the calendar year in which the person turns 21 has
  ended (förordning 2006:39 7 §), earlier by the municipality's own rule:
  ``kaa_months_after_scope`` months after the person left the scope of KAA
  (turned 20, moved away, deregistered), unless they are in KAA on that date.
* Outreach data (the outreach periods) goes ``outreach_months_after_end``
  months after the last outreach period ended, never while one is open.
* The person (name, number, address, folkbokföring, grants) goes when
  neither KAA data nor outreach data may be kept any longer.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from samverka.dates import add_months, add_years


class Verdict(StrEnum):
    KEEP = "keep"
    DELETE_KAA_DATA = "delete_kaa_data"
    DELETE_OUTREACH_DATA = "delete_outreach_data"
    DELETE_PERSON = "delete_person"


@dataclass(frozen=True)
class Facts:
    birth_year: int
    birth_date: date | None
    in_kaa: bool  # a KAA period covers the date
    has_kaa_data: bool
    deregistered_on: date | None
    moved_away_on: date | None  # no longer folkbokförd in the municipality since
    outreach_open: bool
    last_outreach_end: date | None  # None when never in outreach or one is open


def kaa_deadline(birth_year: int) -> date:
    """The last day KAA data may be kept: 31 December of the year the person turns 21."""
    return date(birth_year + 21, 12, 31)


def left_kaa_scope_on(facts: Facts) -> date | None:
    """The first day the person could no longer be in KAA, if that has happened."""
    candidates = [d for d in (facts.deregistered_on, facts.moved_away_on) if d]
    if facts.birth_date is not None:
        candidates.append(add_years(facts.birth_date, 20))
    return min(candidates) if candidates else None


def kaa_data_expired(facts: Facts, today: date, months_after_scope: int | None) -> bool:
    if today > kaa_deadline(facts.birth_year):
        return True
    if months_after_scope is None or facts.in_kaa:
        return False
    left = left_kaa_scope_on(facts)
    return left is not None and left <= today and add_months(left, months_after_scope) < today


def outreach_data_expired(facts: Facts, today: date, months_after_end: int) -> bool:
    if facts.outreach_open:
        return False
    if facts.last_outreach_end is None:
        return True
    return add_months(facts.last_outreach_end, months_after_end) < today


def verdict(
    facts: Facts, today: date, *, kaa_months_after_scope: int | None, outreach_months: int
) -> Verdict:
    kaa_gone = kaa_data_expired(facts, today, kaa_months_after_scope)
    outreach_gone = outreach_data_expired(facts, today, outreach_months)
    if kaa_gone and outreach_gone:
        return Verdict.DELETE_PERSON
    if kaa_gone and facts.has_kaa_data:
        return Verdict.DELETE_KAA_DATA
    if outreach_gone and facts.last_outreach_end is not None:
        return Verdict.DELETE_OUTREACH_DATA
    return Verdict.KEEP
