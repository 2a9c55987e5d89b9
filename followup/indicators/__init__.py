"""Every indicator, defined once: what it means, how it is computed, and its figures.

An :class:`Indicator` carries its title, formula, numerator and denominator
(shown on /followup/indicators/) and a compute function that runs a few
aggregate queries for a *set* of municipalities and a period, grouped by
municipality. Roll-ups (a samordningsförbund, a county, the nation) add the
municipalities' figures up (``figures.*.total``).

The definitions themselves live in :mod:`.definitions`; read docs/followup.md
for the choices behind them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db import connection, transaction
from django.utils.functional import Promise

from followup.periods import Period

from .figures import Count, Distribution, Measurement, Median, Share


class Kind(StrEnum):
    COUNT = "count"
    SHARE = "share"
    MEDIAN = "median"
    DISTRIBUTION = "distribution"
    EXTERNAL = "external"


FIGURE_TYPES = {
    Kind.COUNT: Count,
    Kind.SHARE: Share,
    Kind.MEDIAN: Median,
    Kind.DISTRIBUTION: Distribution,
    Kind.EXTERNAL: Measurement,
}


@dataclass(frozen=True)
class Context:
    """What one computation is about: the municipalities, the period, and today.

    ``as_of`` caps what has "ended in P": an expected end in the future (the
    20th birthday is stored ahead) has not happened yet.
    """

    municipality_ids: tuple[int, ...]
    period: Period
    as_of: date
    # Results two indicators share within one computation (never across periods).
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def ended_by(self) -> date:
        return min(self.period.end, self.as_of)


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: Kind
    title: Promise
    description: Promise
    formula: Promise
    compute: Callable[[Context], dict]
    numerator: Promise | None = None
    denominator: Promise | None = None
    goal: int | None = None  # Sundbyberg's goal 1–5 (domain.md §6)
    # Which way is better, for the dashboard's short text; None for distributions.
    higher_is_better: bool | None = None
    # A share whose denominator is another indicator's count: suppression keeps them alike.
    denominator_of: str | None = None
    unit: str = ""
    # The rows the figure counts (with ``hit`` for a share's numerator): the
    # people behind a number. None where there is no list to show.
    rows: Callable[[Context], object] | None = None

    @property
    def figure_type(self):
        return FIGURE_TYPES[self.kind]

    def empty(self):
        return self.figure_type()


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.id in REGISTRY:
        raise ValueError(f"Indicator {indicator.id} is defined twice.")
    REGISTRY[indicator.id] = indicator
    return indicator


def get(indicator_id: str) -> Indicator:
    return REGISTRY[indicator_id]


def goals() -> list[Indicator]:
    """The five goals in order (domain.md §6)."""
    return sorted((i for i in REGISTRY.values() if i.goal), key=lambda i: i.goal)


def compute(
    municipality_ids: Iterable[int],
    period: Period,
    *,
    as_of: date,
    indicators: Iterable[str] | None = None,
) -> dict[int, dict[str, object]]:
    """Every municipality's figure of every indicator: ``{municipality_id: {id: figure}}``.

    Each indicator runs its own few queries for all the municipalities at once.
    A municipality with nothing to count gets the empty figure (0, 0 of 0, …).
    """
    ids = tuple(sorted(set(municipality_ids)))
    context = Context(ids, period, as_of)
    wanted = [REGISTRY[i] for i in indicators] if indicators is not None else REGISTRY.values()
    result: dict[int, dict[str, object]] = {mid: {} for mid in ids}
    with transaction.atomic(), without_jit():
        for indicator in wanted:
            found = indicator.compute(context) if ids else {}
            for mid in ids:
                result[mid][indicator.id] = found.get(mid) or indicator.empty()
    return result


@contextmanager
def without_jit():
    """PostgreSQL's JIT compiler spends more time compiling these short aggregates
    than it saves (bench/README.md, docs/adr/0008): it is switched off for this
    transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    yield


NUMERATOR = "numerator"
DENOMINATOR = "denominator"
VALUE = "value"


def people_behind(indicator: Indicator, context: Context, part: str):
    """The person ids behind one number of the indicator (a count, numerator or denominator)."""
    if indicator.rows is None:
        raise ValueError(f"{indicator.id} has no list of people.")
    rows = indicator.rows(context)
    if part == NUMERATOR and indicator.kind == Kind.SHARE:
        rows = rows.filter(hit=True)
    elif part == DENOMINATOR and indicator.kind == Kind.MEDIAN:
        rows = rows.filter(first_day__isnull=False)
    elif part not in (VALUE, DENOMINATOR):
        raise ValueError(f"{indicator.id} has no part {part}.")
    return rows.order_by().values("person_id")


def total(indicator: Indicator, figures: list):
    """The roll-up of several municipalities' figures of one indicator."""
    return indicator.figure_type.total(figures)


# Importing the definitions fills REGISTRY.
from . import definitions  # noqa: E402, F401
