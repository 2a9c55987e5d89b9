"""Figures as they may be shown: the tables of the follow-up page and what an export sends.

A municipality's own figures are shown as they are. A roll-up (and every
export) goes through :mod:`followup.suppression`: all its tables form one grid,
so that a figure hidden in one table is hidden wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup import indicators
from followup.indicators import Indicator, Kind
from followup.indicators.sql import AGE_BANDS, GENDERS
from followup.suppression import (
    HIDDEN,
    SMALLEST_SHARE_DENOMINATOR,
    Grid,
    Protected,
    protect,
)
from responsibility.models import EndReason, StartReason

TOTAL = "total"
NOT_AVAILABLE = "–"

GENDER_LABELS = {"female": gettext_lazy("Women"), "male": gettext_lazy("Men")}
AGE_LABELS = {
    "15": gettext_lazy("15 or younger"),
    "16": "16",
    "17": "17",
    "18": "18",
    "19": "19",
    "20": gettext_lazy("20 or older"),
    "unknown": gettext_lazy("Age unknown"),
}
OCCUPATION_LABELS = {
    "work": gettext_lazy("Work"),
    "studies": gettext_lazy("Studies"),
    "other_activity": gettext_lazy("Other activity"),
    "none": gettext_lazy("No occupation"),
    "unknown": gettext_lazy("Unknown"),
    "other": gettext_lazy("Other (the municipality's own kinds)"),
}


def category_label(indicator_id: str, category: str) -> str:
    if indicator_id == "registration_reasons":
        return str(dict(StartReason.choices).get(category, category))
    if indicator_id == "deregistration_reasons":
        return str(dict(EndReason.choices).get(category, category))
    return str(OCCUPATION_LABELS.get(category, category))


def percent(value: float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    # Rounded first: number_format cuts decimals off rather than rounding them.
    return f"{formats.number_format(round(value * 100, 1), 1)} %"


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return NOT_AVAILABLE
    return formats.number_format(
        round(value, decimals), decimals, use_l10n=True, force_grouping=True
    )


@dataclass
class Cell:
    text: str
    value: float | int | None = None  # None when hidden or unknown
    url: str = ""  # the list of people behind the number, for those who may see it

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    total: tuple[str, list[Cell]] | None = None


@dataclass
class Shown:
    """One indicator as it may be shown for a scope: a headline and its tables."""

    indicator: Indicator
    headline: Cell
    detail: str = ""  # e.g. "412 of 530"
    tables: list[Table] = field(default_factory=list)


class Publication:
    """The figures of every row (and the total) of a scope, protected when needed."""

    def __init__(self, rows: dict[str, dict], total: dict | None, *, suppress: bool):
        self.rows = rows  # {row key: {indicator id: figure or None}}
        self.total = total
        self.suppress = suppress
        self.grid = Grid()
        self._links: dict[tuple[str, str], bool] = {}
        keys = list(rows) + ([TOTAL] if total is not None else [])
        # Distributions are published for the scope as a whole (or the one row).
        self.distribution_key = TOTAL if total is not None else keys[0]
        for indicator in indicators.REGISTRY.values():
            for key in keys:
                if indicator.kind != Kind.DISTRIBUTION or key == self.distribution_key:
                    self._add(indicator, key)
            if total is not None:
                self._add_column_lines(indicator, list(rows))
        self.protected = (
            protect(self.grid)
            if suppress
            else Protected(dict(self.grid.values), frozenset(), frozenset())
        )

    # --- what is where -------------------------------------------------------------

    def figure(self, indicator_id: str, key: str):
        return (self.total if key == TOTAL else self.rows[key]).get(indicator_id)

    def _linked(self, indicator: Indicator, key: str) -> bool:
        """Whether the share's denominator is the very figure of ``denominator_of``."""
        if (indicator.id, key) not in self._links:
            own = self.figure(indicator.id, key)
            other = self.figure(indicator.denominator_of, key) if indicator.denominator_of else None
            self._links[(indicator.id, key)] = (
                own is not None and other is not None and own.denominator == other.value
            )
        return self._links[(indicator.id, key)]

    def count_position(self, indicator: Indicator, key: str):
        return (indicator.id, key)

    def numerator_position(self, indicator: Indicator, key: str):
        return (indicator.id, "n", key)

    def denominator_position(self, indicator: Indicator, key: str):
        if indicator.kind == Kind.SHARE and self._linked(indicator, key):
            return (indicator.denominator_of, key)
        return (indicator.id, "d", key)

    def _distribution_total_position(self, indicator: Indicator, key: str, value: int):
        """A distribution's total is the same figure as another indicator's, where it is."""
        linked = {
            "occupation_at_last_contact": ("kaa_total", self.count_position),
            "registration_reasons": (
                "first_contact_within_30_days_share",
                self.denominator_position,
            ),
        }.get(indicator.id)
        if linked:
            other_id, where = linked
            other = self.figure(other_id, key)
            other_value = getattr(other, "denominator", getattr(other, "value", None))
            if other is not None and other_value == value:
                return where(indicators.get(other_id), key)
        return (indicator.id, key, "all")

    # --- building the grid --------------------------------------------------------------

    def _add(self, indicator: Indicator, key: str) -> None:
        figure = self.figure(indicator.id, key)
        if figure is None:
            return
        if indicator.kind == Kind.COUNT:
            self.grid.add(self.count_position(indicator, key), figure.value)
        elif indicator.kind == Kind.SHARE:
            self.grid.add(self.numerator_position(indicator, key), figure.numerator)
            self.grid.add(self.denominator_position(indicator, key), figure.denominator)
        elif indicator.kind == Kind.MEDIAN:
            self.grid.add(self.denominator_position(indicator, key), figure.denominator)
        elif indicator.kind == Kind.DISTRIBUTION:
            self._add_distribution(indicator, key, figure)

    def _add_column_lines(self, indicator: Indicator, keys: list[str]) -> None:
        figures = [self.figure(indicator.id, k) for k in keys + [TOTAL]]
        if any(f is None for f in figures):
            return
        if indicator.kind == Kind.COUNT:
            where = [self.count_position]
        elif indicator.kind == Kind.SHARE:
            where = [self.numerator_position, self.denominator_position]
        elif indicator.kind == Kind.MEDIAN:
            where = [self.denominator_position]
        else:
            return
        for position in where:
            self.grid.add_line([position(indicator, k) for k in keys], position(indicator, TOTAL))

    def _add_distribution(self, indicator: Indicator, key: str, figure) -> None:
        grand = self._distribution_total_position(indicator, key, figure.value)
        self.grid.add(grand, figure.value)
        categories = figure.categories()
        for category, n in categories.items():
            self.grid.add((indicator.id, key, "category", category), n)
        for table, cells, columns in (
            ("gender", dict(figure.by_gender), GENDERS),
            ("age", dict(figure.by_age), AGE_BANDS),
        ):
            for column in columns:
                members = []
                for category in categories:
                    position = (indicator.id, key, table, category, column)
                    self.grid.add(position, cells.get((category, column), 0))
                    members.append(position)
                column_total = (indicator.id, key, table, "all", column)
                self.grid.add(column_total, sum(cells.get((c, column), 0) for c in categories))
                self.grid.add_line(members, column_total)
            for category in categories:
                self.grid.add_line(
                    [(indicator.id, key, table, category, column) for column in columns],
                    (indicator.id, key, "category", category),
                )
            self.grid.add_line([(indicator.id, key, table, "all", c) for c in columns], grand)
        self.grid.add_line([(indicator.id, key, "category", c) for c in categories], grand)

    # --- reading it back ------------------------------------------------------------

    def cell(self, position) -> Cell:
        if position not in self.grid.values:
            return Cell(NOT_AVAILABLE)
        value = self.protected.value(position)
        return Cell(number(value) if value is not None else self.protected.text(position), value)

    def count_cell(self, indicator: Indicator, key: str) -> Cell:
        return self.cell(self.count_position(indicator, key))

    def share_cells(self, indicator: Indicator, key: str) -> tuple[Cell, Cell, Cell]:
        """Numerator, denominator and the share (hidden where it would give a count away)."""
        figure = self.figure(indicator.id, key)
        n_at = self.numerator_position(indicator, key)
        d_at = self.denominator_position(indicator, key)
        numerator, denominator = self.cell(n_at), self.cell(d_at)
        if figure is None or figure.value is None:
            return numerator, denominator, Cell(NOT_AVAILABLE)
        if self.suppress and not self.protected.shows_share(n_at, d_at):
            return numerator, denominator, Cell(HIDDEN)
        return numerator, denominator, Cell(percent(figure.value), figure.value)

    def median_cells(self, indicator: Indicator, key: str) -> tuple[Cell, Cell]:
        figure = self.figure(indicator.id, key)
        d_at = self.denominator_position(indicator, key)
        denominator = self.cell(d_at)
        if figure is None or figure.value is None:
            return Cell(NOT_AVAILABLE), denominator
        if self.suppress and (
            denominator.value is None or denominator.value < SMALLEST_SHARE_DENOMINATOR
        ):
            return Cell(HIDDEN), denominator
        return Cell(number(figure.value, 1), figure.value), denominator

    def external_cell(self, indicator: Indicator, key: str) -> Cell:
        figure = self.figure(indicator.id, key)
        if figure is None or figure.value is None:
            return Cell(NOT_AVAILABLE)
        return Cell(f"{number(figure.value, 1)} {indicator.unit}".strip(), figure.value)

    def distribution_total_cell(self, indicator: Indicator, key: str) -> Cell:
        figure = self.figure(indicator.id, key)
        if figure is None:
            return Cell(NOT_AVAILABLE)
        return self.cell(self._distribution_total_position(indicator, key, figure.value))

    def distribution_tables(self, indicator: Indicator, key: str) -> list[Table]:
        figure = self.figure(indicator.id, key)
        if figure is None:
            return []
        categories = sorted(figure.categories(), key=lambda c: category_label(indicator.id, c))
        grand = self.cell(self._distribution_total_position(indicator, key, figure.value))
        tables = []
        for table, columns, labels, caption in (
            ("gender", GENDERS, GENDER_LABELS, _("%(title)s by gender")),
            ("age", AGE_BANDS, AGE_LABELS, _("%(title)s by age at the end of the period")),
        ):
            used = [
                c for c in columns if table == "gender" or c != "unknown" or self._any(figure, c)
            ]
            rows = []
            for category in categories:
                cells = [self.cell((indicator.id, key, table, category, c)) for c in used]
                cells.append(self.cell((indicator.id, key, "category", category)))
                rows.append((category_label(indicator.id, category), cells))
            totals = [self.cell((indicator.id, key, table, "all", c)) for c in used] + [grand]
            tables.append(
                Table(
                    caption % {"title": indicator.title},
                    [str(labels[c]) for c in used] + [_("Total")],
                    rows,
                    (_("Total"), totals),
                )
            )
        return tables

    @staticmethod
    def _any(figure, age: str) -> bool:
        return any(a == age and n for (_c, a), n in figure.by_age)


COLUMNS = {
    Kind.COUNT: (gettext_lazy("Number"),),
    Kind.SHARE: (gettext_lazy("Numerator"), gettext_lazy("Denominator"), gettext_lazy("Share")),
    Kind.MEDIAN: (gettext_lazy("Median, days"), gettext_lazy("Reached")),
    Kind.EXTERNAL: (gettext_lazy("Value"),),
}


def cells(publication: Publication, indicator: Indicator, key: str) -> list[Cell]:
    """One row of an indicator's data table."""
    if indicator.kind == Kind.COUNT:
        return [publication.count_cell(indicator, key)]
    if indicator.kind == Kind.SHARE:
        return list(publication.share_cells(indicator, key))
    if indicator.kind == Kind.MEDIAN:
        return list(publication.median_cells(indicator, key))
    return [publication.external_cell(indicator, key)]


def shown(publication: Publication, row_labels: dict[str, str]) -> list[Shown]:
    """Every indicator with its headline (the scope's figure) and its data tables."""
    result = []
    keys = list(row_labels)
    key = TOTAL if publication.total is not None else keys[0]
    for indicator in indicators.REGISTRY.values():
        if indicator.id not in (publication.total or publication.rows[keys[0]]):
            continue
        if indicator.kind == Kind.DISTRIBUTION:
            headline = publication.distribution_total_cell(indicator, key)
            tables = publication.distribution_tables(indicator, key)
            result.append(Shown(indicator, headline, "", tables))
            continue
        headline = cells(publication, indicator, key)
        item = Shown(indicator, headline[-1] if indicator.kind == Kind.SHARE else headline[0])
        if indicator.kind == Kind.SHARE:
            item.detail = _("%(n)s of %(d)s") % {"n": headline[0].text, "d": headline[1].text}
        elif indicator.kind == Kind.MEDIAN:
            item.detail = _("%(d)s reached") % {"d": headline[1].text}
        rows = [(row_labels[k], cells(publication, indicator, k)) for k in keys]
        total = None
        if publication.total is not None and indicator.kind != Kind.EXTERNAL:
            total = (_("Total"), cells(publication, indicator, TOTAL))
        columns = [str(c) for c in COLUMNS[indicator.kind]]
        item.tables = [Table(str(indicator.title), columns, rows, total)]
        result.append(item)
    return result


def as_json(publication: Publication, key: str) -> dict:
    """``{indicator: {"numerator": n, "denominator": d, "value": v}}`` as it may be shown.

    A count has only ``value``. Where suppression hid a figure it reads "<5" or
    ".." and a hidden share or median is null.
    """

    def shown_value(cell: Cell):
        return cell.value if cell.value is not None else _hidden_text(cell)

    result = {}
    for indicator in indicators.REGISTRY.values():
        if indicator.kind == Kind.COUNT:
            result[indicator.id] = {"value": shown_value(publication.count_cell(indicator, key))}
        elif indicator.kind == Kind.SHARE:
            n, d, share = publication.share_cells(indicator, key)
            result[indicator.id] = {
                "numerator": shown_value(n),
                "denominator": shown_value(d),
                "value": share.value,
            }
        elif indicator.kind == Kind.MEDIAN:
            median, d = publication.median_cells(indicator, key)
            result[indicator.id] = {"value": median.value, "denominator": shown_value(d)}
        elif indicator.kind == Kind.EXTERNAL:
            result[indicator.id] = {"value": publication.external_cell(indicator, key).value}
        else:
            result[indicator.id] = _distribution_json(publication, indicator, key, shown_value)
    return result


def _hidden_text(cell: Cell):
    return None if cell.text == NOT_AVAILABLE else cell.text


def _distribution_json(publication: Publication, indicator: Indicator, key: str, shown_value):
    figure = publication.figure(indicator.id, key)
    if figure is None:
        return {"value": None, "by_gender": [], "by_age": []}
    categories = sorted(figure.categories())

    def cells(table: str, column_name: str, columns) -> list[dict]:
        return [
            {
                "category": category,
                column_name: column,
                "value": shown_value(
                    publication.cell((indicator.id, key, table, category, column))
                ),
            }
            for category in categories
            for column in columns
            if (category, column) in dict(getattr(figure, f"by_{table}"))
        ]

    return {
        "value": shown_value(publication.distribution_total_cell(indicator, key)),
        "by_gender": cells("gender", "gender", GENDERS),
        "by_age": cells("age", "age", AGE_BANDS),
    }
