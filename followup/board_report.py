"""The board report: the five goals with their trend, target and the manager's comment,
as a print-ready PDF and as an Excel workbook, in Swedish."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font

from samverka.pdf import Document

from . import dashboard, rollup
from .indicators import goals
from .models import Comment
from .periods import Period
from .publication import shown


@dataclass
class GoalReport:
    trend: dashboard.Trend
    comment: str


@dataclass
class Report:
    municipality: object
    period: Period
    produced: date
    goals: list[GoalReport]


def build(user, municipality, period: Period, *, as_of: date) -> Report:
    scope = rollup.municipality_scope(municipality)
    goal_ids = [g.id for g in goals()]
    found = rollup.figures(scope, period, as_of=as_of, only=goal_ids)
    items = shown(dashboard.publication_for(found), {r.key: r.name for r in scope.rows})
    trends = dashboard.trends(user, scope, period, found, items, as_of=as_of)
    comments = dict(
        Comment.objects.filter(
            municipality=municipality, period=period.label, indicator__in=goal_ids
        ).values_list("indicator", "text")
    )
    return Report(
        municipality,
        period,
        as_of,
        [GoalReport(t, comments.get(t.indicator.id, "")) for t in trends],
    )


def _title(report: Report) -> str:
    return _("Follow-up of the activity responsibility: %(name)s, %(period)s") % {
        "name": report.municipality.name,
        "period": report.period.label,
    }


# PDF -------------------------------------------------------------------------------


class _Pdf(Document):
    def footer(self):
        self.set_y(-12)
        self.use("", 8)
        self.cell(0, 5, f"{self.page_no()}", align="C")


def _chart(pdf: _Pdf, points) -> None:
    """A small line chart: the values solid with dots, the target dashed."""
    x0, y0, width, height = pdf.l_margin + 12, pdf.get_y() + 2, 150, 36
    values = [p.value for p in points if p.value is not None]
    values += [p.target for p in points if p.target is not None]
    top = dashboard.charts.nice_top(max(values) if values else 0)
    pdf.set_draw_color(180, 180, 180)
    pdf.set_line_width(0.2)
    pdf.use("", 7)
    for k in range(3):
        level = top * k / 2
        y = y0 + height - height * level / top
        pdf.line(x0, y, x0 + width, y)
        pdf.set_xy(x0 - 12, y - 2)
        pdf.cell(11, 4, f"{level:g}", align="R")
    step = width / max(len(points) - 1, 1)

    def at(i, v):
        return x0 + i * step, y0 + height - height * v / top

    pdf.set_draw_color(11, 79, 138)
    pdf.set_line_width(0.6)
    previous = None
    for i, p in enumerate(points):
        if p.value is None:
            previous = None
            continue
        here = at(i, p.value)
        if previous:
            pdf.line(*previous, *here)
        pdf.ellipse(here[0] - 0.9, here[1] - 0.9, 1.8, 1.8, style="F")
        previous = here
    pdf.set_draw_color(138, 28, 0)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    previous = None
    for i, p in enumerate(points):
        if p.target is None:
            continue
        here = at(i, p.target)
        if previous:
            pdf.line(*previous, *here)
        previous = here
    pdf.set_dash_pattern()
    pdf.set_draw_color(0, 0, 0)
    for i, p in enumerate(points):
        pdf.set_xy(x0 + i * step - 10, y0 + height + 1)
        pdf.cell(20, 4, p.label, align="C")
    pdf.set_y(y0 + height + 7)


def render_pdf(report: Report) -> bytes:
    with translation.override("sv"):
        pdf = _Pdf()
        pdf.set_title(_title(report))
        pdf.set_lang("sv")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        pdf.use("B", 15)
        pdf.multi_cell(0, 8, _title(report), new_x="LMARGIN")
        pdf.use("", 9)
        pdf.multi_cell(
            0,
            5,
            _(
                "From %(start)s through %(end)s. Produced %(day)s from the register and the "
                "casework; every indicator is defined at /followup/indicators/."
            )
            % {
                "start": report.period.start.isoformat(),
                "end": report.period.end.isoformat(),
                "day": report.produced.isoformat(),
            },
            new_x="LMARGIN",
        )
        for goal in report.goals:
            trend = goal.trend
            if pdf.get_y() > 200:
                pdf.add_page()
            pdf.ln(3)
            pdf.use("B", 12)
            pdf.multi_cell(
                0,
                6,
                _("Goal %(n)s: %(title)s")
                % {"n": trend.indicator.goal, "title": trend.indicator.title},
                new_x="LMARGIN",
            )
            pdf.use("", 9)
            pdf.multi_cell(0, 5, trend.text, new_x="LMARGIN")
            _chart(pdf, trend.points)
            pdf.use("B", 8)
            widths = [28] + [int(142 / len(trend.table.columns))] * len(trend.table.columns)
            pdf.cell(widths[0], 5, _("Period"), border="B")
            for width, column in zip(widths[1:], trend.table.columns, strict=True):
                pdf.cell(width, 5, column, border="B", align="R")
            pdf.ln()
            pdf.use("", 8)
            for label, cells in trend.table.rows:
                pdf.cell(widths[0], 5, label)
                for width, cell in zip(widths[1:], cells, strict=True):
                    pdf.cell(width, 5, cell.text, align="R")
                pdf.ln()
            pdf.ln(1)
            pdf.use("B", 9)
            pdf.cell(0, 5, _("Comment"), new_x="LMARGIN", new_y="NEXT")
            pdf.use("", 9)
            pdf.multi_cell(0, 5, goal.comment or "", border=1, new_x="LMARGIN")
        return bytes(pdf.output())


# Excel ------------------------------------------------------------------------------


def render_xlsx(report: Report) -> bytes:
    with translation.override("sv"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Goals")[:31]
        sheet["A1"] = _title(report)
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = _("From %(start)s through %(end)s. Produced %(day)s.") % {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "day": report.produced.isoformat(),
        }
        periods = (
            [label for label, _cells in report.goals[0].trend.table.rows] if report.goals else []
        )
        header = [_("Goal"), _("Indicator"), *periods, _("Target"), _("Comment")]
        sheet.append([])
        sheet.append(header)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for goal in report.goals:
            trend = goal.trend
            points = trend.points
            unit = "%" if trend.indicator.kind == "share" else str(trend.indicator.unit)
            title = f"{trend.indicator.title} ({unit})" if unit else str(trend.indicator.title)
            last_target = next((p.target for p in reversed(points) if p.target is not None), None)
            sheet.append(
                [trend.indicator.goal, title, *[p.value for p in points], last_target, goal.comment]
            )
            sheet.cell(row=sheet.max_row, column=len(header)).alignment = Alignment(wrap_text=True)
        sheet.column_dimensions["B"].width = 48
        sheet.column_dimensions[chr(ord("A") + len(header) - 1)].width = 60
        for index, goal in enumerate(report.goals):
            row = 5 + index
            chart = LineChart()
            chart.title = f"{_('Goal')} {goal.trend.indicator.goal}: {goal.trend.indicator.title}"
            chart.height, chart.width = 6, 14
            chart.add_data(
                Reference(sheet, min_col=3, max_col=2 + len(periods), min_row=row, max_row=row),
                from_rows=True,
                titles_from_data=False,
            )
            chart.set_categories(
                Reference(sheet, min_col=3, max_col=2 + len(periods), min_row=4, max_row=4)
            )
            chart.legend = None
            sheet.add_chart(chart, f"A{7 + len(report.goals) + index * 13}")
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
