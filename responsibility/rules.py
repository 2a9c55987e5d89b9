"""The rules of kommunernas aktivitetsansvar (skollagen 29 kap. 9 §), with dates.

Pure functions, no database: ``kaa_periods(facts, policy)`` turns what we know
about one person into the periods during which the municipality is responsible
for them, each with the reason it began and the reason it ended.

How it works: the answer can only change on a date when a fact changes (a
birthday, a move, an enrolment starting or ending, a new rule set). We
evaluate the conditions on each such date with the rule set in force that
day, and merge equal neighbours into periods. See docs/responsibility.md for
the rules in words, including the decisions the law leaves to us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from samverka.dates import add_years

ONE_DAY = timedelta(days=1)

# Blocking conditions, in the order they are checked.
NOT_RESIDENT = "not_resident"
NO_BIRTH_DATE = "no_birth_date"
TURNED_20 = "turned_20"
COMPULSORY_NOT_COMPLETED = "compulsory_not_completed"
ARRIVED_AFTER_COMPULSORY_AGE = "arrived_after_compulsory_age"
COMPLETED = "completed"
IN_EDUCATION = "in_education"


@dataclass(frozen=True)
class RuleSet:
    """The KAA rules in force from ``valid_from`` through ``valid_to``."""

    name: str
    valid_from: date
    valid_to: date | None
    introduction_programme_counts: bool
    includes_arrivals_after_compulsory_age: bool


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        name="skollagen 29:9 before 2018-07-01",
        valid_from=date.min,
        valid_to=date(2018, 6, 30),
        # Before: students on an introduction programme were inside KAA, and
        # people folkbokförda after compulsory-school age were outside it.
        introduction_programme_counts=False,
        includes_arrivals_after_compulsory_age=False,
    ),
    RuleSet(
        name="skollagen 29:9 from 2018-07-01 (SFS 2018:608)",
        valid_from=date(2018, 7, 1),
        valid_to=None,
        introduction_programme_counts=True,
        includes_arrivals_after_compulsory_age=True,
    ),
)


def rule_set_on(day: date) -> RuleSet:
    for rule_set in RULE_SETS:
        if rule_set.valid_from <= day and (rule_set.valid_to is None or day <= rule_set.valid_to):
            return rule_set
    raise LookupError(f"No KAA rule set covers {day}.")


@dataclass(frozen=True)
class Policy:
    """A municipality's own settings for the rules the law leaves open."""

    municipality_code: str
    komvux_counts: bool = False
    folkhogskola_counts: bool = False
    summer_grace_month: int = 9
    summer_grace_day: int = 15
    school_change_grace_days: int = 14


# The facts are named tuples rather than frozen dataclasses: an import builds
# them for hundreds of thousands of persons, and a named tuple is built faster.
class Residence(NamedTuple):
    municipality_code: str
    start: date
    end: date | None  # last day, inclusive


class Schooling(NamedTuple):
    school_form: str
    programme_code: str
    start: date
    end: date | None  # last day, inclusive
    end_reason: str = ""


class Facts(NamedTuple):
    birth_date: date | None
    residences: tuple[Residence, ...] = ()
    enrolments: tuple[Schooling, ...] = ()
    immigration_date: date | None = None
    deregistration_reason: str = ""
    deregistration_date: date | None = None


@dataclass(frozen=True)
class Period:
    start: date
    start_reason: str
    end: date | None  # last day, inclusive
    end_reason: str
    rule_set: str = field(default="", compare=False)


def twentieth_birthday(birth_date: date) -> date:
    return add_years(birth_date, 20)


def assumed_compulsory_completion(birth_date: date) -> date:
    """30 June of the year the person turns 16, where the school has not told us."""
    return date(birth_date.year + 16, 6, 30)


UPPER_SECONDARY_FORMS = ("gymnasieskola", "anpassad_gymnasieskola", "motsvarande")


class _Person:
    """The derived dates for one person, computed once."""

    def __init__(self, facts: Facts, policy: Policy):
        self.facts = facts
        self.policy = policy
        self.birth = facts.birth_date
        self.turns_20 = twentieth_birthday(self.birth) if self.birth is not None else None
        # The periods of residence in the policy's municipality, as (start, end).
        self.home = [
            (r.start, r.end)
            for r in facts.residences
            if r.municipality_code == policy.municipality_code
        ]
        self.compulsory_done: date | None = None
        self.in_compulsory_school = False
        self.arrived_late = False
        if self.birth is not None:
            compulsory = [e for e in facts.enrolments if e.school_form == "grundskola"]
            passed = [e.end for e in compulsory if e.end_reason == "examen" and e.end]
            age_limit = assumed_compulsory_completion(self.birth)
            if passed:
                self.compulsory_done = min(passed)
            elif any(e.end is None for e in compulsory):
                # Still in compulsory school: not done, whatever the age.
                self.in_compulsory_school = True
            elif compulsory:
                # Left without a reported completion: the duty to attend school
                # lasts at least until the summer of the year the person turns 16.
                self.compulsory_done = max(max(e.end for e in compulsory), age_limit)
            elif facts.immigration_date and facts.immigration_date > age_limit:
                self.arrived_late = True
            else:
                self.compulsory_done = age_limit
        self.completed_on = min(
            (e.end for e in facts.enrolments if e.end and _is_completion(e)), default=None
        )
        self.covers = self._education_covers()

    def _may_count(self, enrolment: Schooling) -> bool:
        """Whether the enrolment counts under some rule set."""
        return any(self._counts(enrolment, rule_set) for rule_set in RULE_SETS) or (
            enrolment.school_form == "gymnasieskola"
        )

    def _counts(self, enrolment: Schooling, rule_set: RuleSet) -> bool:
        form = enrolment.school_form
        if form == "gymnasieskola":
            if enrolment.programme_code.upper().startswith("IM"):
                return rule_set.introduction_programme_counts
            return True
        if form in ("anpassad_gymnasieskola", "motsvarande"):
            return True
        if form == "komvux":
            return self.policy.komvux_counts
        if form == "folkhogskola":
            return self.policy.folkhogskola_counts
        return False

    def _education_covers(self) -> list[tuple[date, date | None, Schooling | None]]:
        """Intervals that keep a person out of KAA: enrolments, and the grace
        periods after compulsory school and between two schools."""
        covers: list[tuple[date, date | None, Schooling | None]] = []
        upper = sorted(
            (e for e in self.facts.enrolments if e.school_form != "grundskola"),
            key=lambda e: e.start,
        )
        for e in upper:
            covers.append((e.start, e.end, e))
        if self.compulsory_done is not None:
            done = self.compulsory_done
            covers.append(
                (done + ONE_DAY, self._cut_at_next_start(done, self._grace_end(done)), None)
            )
        for e in upper:
            if e.end is not None and e.end_reason in ("byte", ""):
                # The grace after a school carries that school: it keeps the
                # person out only where the school itself would have.
                covers.append(
                    (e.end + ONE_DAY, self._cut_at_next_start(e.end, self._grace_end(e.end)), e)
                )
        return covers

    def _grace_end(self, left_school: date) -> date:
        """The last day a school leaver is not yet expected to have started anew:
        the summer until the policy's date in September, otherwise a few days."""
        if 5 <= left_school.month <= 8:
            return date(
                left_school.year, self.policy.summer_grace_month, self.policy.summer_grace_day
            )
        return left_school + timedelta(days=self.policy.school_change_grace_days)

    def _cut_at_next_start(self, after: date, grace_end: date) -> date:
        # Only a school that may keep the person out of KAA ends the grace.
        starts = [e.start for e in self.facts.enrolments if e.start > after and self._may_count(e)]
        if starts and min(starts) - ONE_DAY < grace_end:
            return min(starts) - ONE_DAY
        return grace_end

    def resident(self, day: date) -> bool:
        if self.facts.deregistration_date and day >= self.facts.deregistration_date:
            return False
        return any(start <= day and (end is None or day <= end) for start, end in self.home)

    def covering(
        self, day: date, rule_set: RuleSet
    ) -> tuple[date, date | None, Schooling | None] | None:
        for start, end, enrolment in self.covers:
            if start <= day and (end is None or day <= end):
                if enrolment is None or self._counts(enrolment, rule_set):
                    return start, end, enrolment
        return None

    def blocking(self, day: date, rule_set: RuleSet) -> str | None:
        """Why the person is not in KAA on ``day``, or None if they are."""
        if not self.resident(day):
            return NOT_RESIDENT
        if self.birth is None:
            return NO_BIRTH_DATE
        if day >= self.turns_20:
            return TURNED_20
        if self.arrived_late:
            if not rule_set.includes_arrivals_after_compulsory_age:
                return ARRIVED_AFTER_COMPULSORY_AGE
        elif self.in_compulsory_school or day <= self.compulsory_done:
            return COMPULSORY_NOT_COMPLETED
        if self.completed_on is not None and day > self.completed_on:
            return COMPLETED
        if self.covering(day, rule_set) is not None:
            return IN_EDUCATION
        return None

    def change_dates(self) -> list[date]:
        f = self.facts
        dates = {rs.valid_from for rs in RULE_SETS if rs.valid_from != date.min}
        for r in f.residences:
            dates.add(r.start)
            if r.end:
                dates.add(r.end + ONE_DAY)
        for start, end, _enrolment in self.covers:
            dates.add(start)
            if end:
                dates.add(end + ONE_DAY)
        if self.turns_20:
            dates.add(self.turns_20)
        if self.compulsory_done:
            dates.add(self.compulsory_done + ONE_DAY)
        if self.completed_on:
            dates.add(self.completed_on + ONE_DAY)
        for d in (f.immigration_date, f.deregistration_date):
            if d:
                dates.add(d)
        if self.birth:
            # Nothing before the 13th birthday can matter, nor anything after the
            # 20th: from then on the person is out of KAA whatever happens.
            floor = add_years(self.birth, 13)
            dates = {d for d in dates if floor <= d <= self.turns_20}
        return sorted(dates)


def _is_completion(e: Schooling) -> bool:
    if e.end_reason == "examen":
        return e.school_form in ("gymnasieskola", "motsvarande", "komvux")
    return e.end_reason == "gymnasiebevis" and e.school_form == "anpassad_gymnasieskola"


def kaa_periods(facts: Facts, policy: Policy) -> list[Period]:
    """Every period in which ``policy``'s municipality has KAA for this person."""
    person = _Person(facts, policy)
    periods: list[Period] = []
    previous_block: str | None = "start"
    open_start: date | None = None
    open_reason = ""
    open_rule = ""
    for day in person.change_dates():
        rule_set = rule_set_on(day)
        block = person.blocking(day, rule_set)
        if block is None and open_start is None:
            open_start = day
            open_reason = _start_reason(person, day, previous_block, rule_set)
            open_rule = rule_set.name
        elif block is not None and open_start is not None:
            periods.append(
                Period(
                    open_start,
                    open_reason,
                    day - ONE_DAY,
                    _end_reason(person, day, block, rule_set),
                    open_rule,
                )
            )
            open_start = None
        previous_block = block
    if open_start is not None:
        periods.append(Period(open_start, open_reason, None, "", open_rule))
    return periods


def _rule_change_decides(person: _Person, day: date, rule_set: RuleSet) -> bool:
    if day != rule_set.valid_from or day == date.min:
        return False
    before = rule_set_on(day - ONE_DAY)
    return (person.blocking(day, before) is None) != (person.blocking(day, rule_set) is None)


def _start_reason(person: _Person, day: date, previous_block: str | None, rule_set: RuleSet) -> str:
    if _rule_change_decides(person, day, rule_set):
        return "rule_change"
    if previous_block == NOT_RESIDENT and any(r.start == day for r in person.facts.residences):
        if person.arrived_late and person.facts.immigration_date == day:
            return "arrived_after_compulsory_age"
        return "moved_in"
    if person.arrived_late:
        return "arrived_after_compulsory_age"
    current = [
        e
        for e in person.facts.enrolments
        if e.school_form == "gymnasieskola" and e.start <= day and (e.end is None or day <= e.end)
    ]
    if current:
        return "introduction_programme"
    ended = [
        e
        for e in person.facts.enrolments
        if e.school_form != "grundskola" and e.end is not None and e.end < day
    ]
    if not ended:
        return "never_started"
    last = max(ended, key=lambda e: e.end)
    return "studiebevis" if last.end_reason == "studiebevis" else "interrupted"


def _end_reason(person: _Person, day: date, block: str, rule_set: RuleSet) -> str:
    if _rule_change_decides(person, day, rule_set):
        return "rule_change"
    if block == NOT_RESIDENT:
        f = person.facts
        if f.deregistration_date and day >= f.deregistration_date:
            return {"AV": "died", "UV": "emigrated"}.get(f.deregistration_reason, "deregistered")
        return "moved_out"
    if block == COMPLETED:
        return "completed"
    if block == IN_EDUCATION:
        return "started_education"
    if block == TURNED_20:
        return "turned_20"
    return "no_longer_meets_conditions"
