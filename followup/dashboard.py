"""The goals' trends: six periods, the target, a chart, its data table and a short text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.access import municipality_ids_with
from organisations.permissions import Permission

from . import charts, rollup
from .indicators import Indicator, Kind
from .models import Target
from .periods import Period
from .publication import TOTAL, Cell, Publication, Shown, Table, cells, number, percent

TREND = 6
# Whoever sees the people behind a number sees their casework too: KAA caseworkers.
PEOPLE_PERMISSIONS = (
    Permission.VIEW_AGGREGATES,
    Permission.VIEW_PERSON,
    Permission.VIEW_RESPONSIBILITY,
    Permission.VIEW_SCHOOLING,
    Permission.LOG_CONTACT,
    Permission.OFFER_MEASURE,
)


def may_see_people(user, municipality_id: int) -> bool:
    return all(municipality_id in municipality_ids_with(user, p) for p in PEOPLE_PERMISSIONS)


@dataclass
class Trend:
    indicator: Indicator
    shown: Shown
    table: Table
    chart: str
    text: str
    points: list[charts.Point] = field(default_factory=list)


def publication_for(found: rollup.Figures) -> Publication:
    if found.scope.is_roll_up:
        return Publication(found.rows, found.total, suppress=True)
    return Publication(found.rows, None, suppress=False)


def headline_key(found: rollup.Figures) -> str:
    return TOTAL if found.scope.is_roll_up else found.scope.rows[0].key


def plotted(indicator: Indicator, cell: Cell) -> float | None:
    """The number a chart plots: shares in per cent."""
    if cell.value is None:
        return None
    return cell.value * 100 if indicator.kind == Kind.SHARE else float(cell.value)


def target_text(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return ""
    if indicator.kind == Kind.SHARE:
        return percent(float(value) / 100)
    return f"{number(float(value), 1 if value != int(value) else 0)} {indicator.unit}".strip()


def people_url(indicator: Indicator, municipality_code: str, period: Period, part: str) -> str:
    query = urlencode(
        {
            "indicator": indicator.id,
            "part": part,
            "period": period.label,
            "municipality": municipality_code,
        }
    )
    return f"{reverse('followup_people')}?{query}"


def link_cells(indicator: Indicator, row: list[Cell], code: str, period: Period) -> None:
    """Numbers of the own municipality open the list of people behind them."""
    if indicator.rows is None:
        return
    if indicator.kind == Kind.COUNT:
        parts = ["value"]
    elif indicator.kind == Kind.SHARE:
        parts = ["numerator", "denominator"]
    elif indicator.kind == Kind.MEDIAN:
        parts = [None, "denominator"]
    else:
        return
    for cell, part in zip(row, parts, strict=False):
        if part and cell.value is not None:
            cell.url = people_url(indicator, code, period, part)


def short_text(indicator: Indicator, points: list[charts.Point]) -> str:
    """One or two sentences: where the figure is, which way it moved, the target."""
    known = [p for p in points if p.value is not None]
    if not known:
        return _("No figure for these periods.")
    last = known[-1]
    text = _("%(value)s in %(period)s.") % {"value": last.value_text, "period": last.label}
    if len(known) > 1:
        before = known[-2]
        if last.value > before.value:
            moved = _("up from %(value)s in %(period)s")
        elif last.value < before.value:
            moved = _("down from %(value)s in %(period)s")
        else:
            moved = _("unchanged since %(period)s")
        moved = moved % {"value": before.value_text, "period": before.label}
        text += " " + moved[:1].upper() + moved[1:]
        if indicator.higher_is_better is not None and last.value != before.value:
            better = (last.value > before.value) == indicator.higher_is_better
            text += ", " + (_("which is better") if better else _("which is worse"))
        text += "."
    if last.target is not None:
        met = (
            last.value >= last.target
            if indicator.higher_is_better is not False
            else last.value <= last.target
        )
        sentence = (
            _("The target %(target)s is reached.")
            if met
            else _("The target %(target)s is not reached.")
        )
        text += " " + sentence % {"target": target_text(indicator, Decimal(str(last.target)))}
    return text


def trends(
    user,
    scope: rollup.Scope,
    period: Period,
    found: rollup.Figures,
    items: list[Shown],
    *,
    as_of: date,
) -> list[Trend]:
    """The goals with their last ``TREND`` periods, ending with ``period``."""
    goals = [s for s in items if s.indicator.goal]
    goal_ids = [s.indicator.id for s in goals]
    periods = period.trend(TREND)
    by_period = {period.label: (found, publication_for(found))}
    for earlier in periods[:-1]:
        earlier_found = rollup.figures(scope, earlier, as_of=as_of, only=goal_ids)
        by_period[earlier.label] = (earlier_found, publication_for(earlier_found))
    targets: dict[tuple[str, str], Decimal] = {}
    own = None if scope.is_roll_up else scope.rows[0]
    if own is not None:
        for t in Target.objects.filter(
            municipality_id=own.municipality_ids[0],
            indicator__in=goal_ids,
            period__in=[p.label for p in periods],
        ):
            targets[(t.indicator, t.period)] = t.value
    linkable = own is not None and may_see_people(user, own.municipality_ids[0])
    result = []
    for shown in goals:
        indicator = shown.indicator
        rows, points = [], []
        for p in periods:
            p_found, publication = by_period[p.label]
            row = cells(publication, indicator, headline_key(p_found))
            if linkable:
                link_cells(indicator, row, own.key, p)
            target = targets.get((indicator.id, p.label))
            headline = row[-1] if indicator.kind == Kind.SHARE else row[0]
            points.append(
                charts.Point(
                    p.label,
                    plotted(indicator, headline),
                    float(target) if target is not None else None,
                    headline.text,
                )
            )
            row = [*row, Cell(target_text(indicator, target) or "–")] if own else row
            rows.append((p.label, row))
        columns = list(shown.tables[0].columns) if shown.tables else []
        if own is not None:
            columns.append(_("Target"))
        text = short_text(indicator, points)
        unit = "%" if indicator.kind == Kind.SHARE else str(indicator.unit)
        chart = charts.svg(
            f"chart-{indicator.id}",
            _("%(title)s, %(first)s–%(last)s")
            % {
                "title": indicator.title,
                "first": periods[0].label,
                "last": periods[-1].label,
            },
            text,
            points,
            unit,
            str(indicator.title),
            _("Target"),
        )
        table = Table(_("%(title)s by period") % {"title": indicator.title}, columns, rows)
        result.append(Trend(indicator, shown, table, chart, text, points))
    return result
