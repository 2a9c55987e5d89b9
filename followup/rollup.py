"""Whose figures: a municipality, or a roll-up to a samordningsförbund, a county or the nation.

A roll-up is the sum of its municipalities' figures. A municipality that runs
its own Samverka instance sends its figures (``import_aggregates``); for a
period in which it has sent figures, those are used instead of the local
register. A figure the municipality suppressed before sending is unknown, and
so is any total it belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from followup import indicators
from followup.models import AggregateValue
from followup.periods import Period
from organisations.models import Municipality, Organisation

MUNICIPALITY = "municipality"
FORBUND = "samordningsforbund"
COUNTY = "county"
NATION = "nation"


@dataclass(frozen=True)
class Row:
    """A line of a roll-up's table: a municipality, or a county of the nation."""

    key: str  # the SCB code
    name: str
    municipality_ids: tuple[int, ...]


@dataclass(frozen=True)
class Scope:
    kind: str
    key: str  # municipality or county code, the förbund's id, or "SE"
    name: str
    rows: tuple[Row, ...]

    @property
    def is_roll_up(self) -> bool:
        return self.kind != MUNICIPALITY

    @property
    def municipality_ids(self) -> tuple[int, ...]:
        return tuple(sorted({mid for row in self.rows for mid in row.municipality_ids}))

    @property
    def param(self) -> str:
        """How the scope is written in a URL: ``municipality:0183``, ``county:01``…"""
        return f"{self.kind}:{self.key}" if self.kind != NATION else NATION


def _municipality_row(m: Organisation) -> Row:
    return Row(m.code, m.name, (m.pk,))


def municipality_scope(municipality: Organisation) -> Scope:
    return Scope(
        MUNICIPALITY, municipality.code, municipality.name, (_municipality_row(municipality),)
    )


def forbund_scope(forbund: Organisation) -> Scope:
    members = forbund.member_municipalities.order_by("code")
    return Scope(
        FORBUND, str(forbund.pk), forbund.name, tuple(_municipality_row(m) for m in members)
    )


def county_scope(county: Organisation) -> Scope:
    members = Municipality.objects.filter(parent=county).order_by("code")
    return Scope(COUNTY, county.code, county.name, tuple(_municipality_row(m) for m in members))


def nation_scope() -> Scope:
    """The nation, one row per county."""
    nation = Organisation.objects.get(kind=Organisation.Kind.NATION)
    by_county: dict[int, list[int]] = defaultdict(list)
    for mid, county in Municipality.objects.values_list("pk", "parent_id"):
        by_county[county].append(mid)
    counties = Organisation.objects.filter(kind=Organisation.Kind.COUNTY).order_by("code")
    rows = tuple(Row(c.code, c.name, tuple(sorted(by_county[c.pk]))) for c in counties)
    return Scope(NATION, nation.code, nation.name, rows)


def find_forbund(name: str) -> Organisation:
    """A samordningsförbund by its name (or the start of it, if only one matches)."""
    # Compared in Python: there are a few dozen, and SQLite folds only ASCII case.
    wanted = " ".join(name.split()).casefold()
    forbund = list(Organisation.objects.filter(kind=Organisation.Kind.SAMORDNINGSFORBUND))
    exact = [f for f in forbund if f.name.casefold() == wanted]
    found = exact or [f for f in forbund if wanted in f.name.casefold()]
    if len(found) != 1:
        raise LookupError(
            _("No samordningsförbund is called %(name)s.") % {"name": name}
            if not found
            else _("Several samordningsförbund match %(name)s: write the whole name.")
            % {"name": name}
        )
    return found[0]


@dataclass
class Figures:
    """Each row's figure of each indicator, and the scope's total. ``None`` is unknown."""

    scope: Scope
    period: Period
    rows: dict[str, dict[str, object | None]] = field(default_factory=dict)
    total: dict[str, object | None] = field(default_factory=dict)
    # Municipalities whose figures came from their own instance.
    imported: frozenset[int] = frozenset()


def imported_figures(municipality_ids, period: Period) -> dict[int, dict[str, object | None]]:
    """Figures other instances sent for ``period``: ``{municipality: {indicator: figure}}``.

    A municipality that sent anything for the period counts as running its own
    instance: indicators it left out (suppressed) are unknown (None).
    """
    parts: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    values = AggregateValue.objects.filter(
        municipality_id__in=list(municipality_ids), period=period.label
    ).values_list("municipality_id", "indicator", "component", "value")
    for mid, indicator_id, component, value in values:
        parts[mid][indicator_id][component] = value
    found: dict[int, dict[str, object | None]] = {}
    for mid, by_indicator in parts.items():
        found[mid] = {}
        for indicator in indicators.REGISTRY.values():
            given = by_indicator.get(indicator.id)
            found[mid][indicator.id] = (
                indicator.figure_type.from_components(given) if given else None
            )
    return found


def figures(scope: Scope, period: Period, *, as_of: date, only=None) -> Figures:
    """Compute the scope's figures: local ones, replaced by those sent from other instances.

    ``only``: the indicator ids wanted (all by default).
    """
    wanted = list(only) if only is not None else list(indicators.REGISTRY)
    sent = imported_figures(scope.municipality_ids, period)
    local_ids = [mid for mid in scope.municipality_ids if mid not in sent]
    per_municipality = indicators.compute(local_ids, period, as_of=as_of, indicators=wanted)
    per_municipality.update(sent)
    result = Figures(scope, period, imported=frozenset(sent))
    for row in scope.rows:
        result.rows[row.key] = _sum([per_municipality[m] for m in row.municipality_ids], wanted)
    result.total = _sum([per_municipality[m] for m in scope.municipality_ids], wanted)
    return result


def _sum(figure_sets: list[dict[str, object | None]], wanted: list[str]) -> dict:
    total: dict[str, object | None] = {}
    for indicator in (indicators.get(i) for i in wanted):
        items = [f[indicator.id] for f in figure_sets]
        if any(item is None for item in items):
            total[indicator.id] = None
        else:
            total[indicator.id] = indicators.total(indicator, items)
    return total
