"""Trend charts drawn on the server as SVG: no script, no CDN.

A chart is an image with a title and a description (``role="img"``); the
figures themselves are in the data table next to it, which is what a screen
reader reads. Values and the target differ by line style and markers, and the
legend names them, so nothing depends on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 28, 40


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: not available or hidden
    target: float | None = None
    value_text: str = ""


def nice_top(highest: float) -> float:
    """A round upper end of the axis: 1, 2, 2.5 or 5 times a power of ten."""
    if highest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(highest))
    for step in (1, 2, 2.5, 5, 10):
        if highest <= step * power:
            return step * power
    return 10 * power


def _format(value: float, unit: str) -> str:
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{text} {unit}".strip()


def svg(
    chart_id: str,
    title: str,
    description: str,
    points: list[Point],
    unit: str,
    value_label: str,
    target_label: str,
) -> str:
    """The chart as an SVG element; every text is escaped."""
    known = [p.value for p in points if p.value is not None]
    known += [p.target for p in points if p.target is not None]
    top = nice_top(max(known) if known else 0)
    if unit == "%" and top > 100:
        top = 100.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step if len(points) > 1 else LEFT + inner_w / 2

    def y(v: float) -> float:
        return TOP + inner_h - (v / top) * inner_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for k in range(5):
        v = top * k / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">'
            f"{escape(_format(v, unit))}</text>"
        )
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" class="axis">'
            f"{escape(p.label)}</text>"
        )
    targets = [(x(i), y(p.target)) for i, p in enumerate(points) if p.target is not None]
    if targets:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{tx:.1f},{ty:.1f}" for k, (tx, ty) in enumerate(targets)
        )
        parts.append(f'<path d="{path}" class="target"/>')
    segment: list[tuple[float, float]] = []
    lines = []
    for i, p in enumerate(points):
        if p.value is None:
            if segment:
                lines.append(segment)
            segment = []
            continue
        segment.append((x(i), y(p.value)))
    if segment:
        lines.append(segment)
    for line in lines:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{lx:.1f},{ly:.1f}" for k, (lx, ly) in enumerate(line)
        )
        parts.append(f'<path d="{path}" class="value"/>')
    for i, p in enumerate(points):
        if p.value is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="4" class="point">'
                f"<title>{escape(p.label)}: {escape(p.value_text)}</title></circle>"
            )
    # The legend: a solid line with dots for the values, a dashed line for the target.
    parts.append(
        f'<g class="legend"><path d="M{LEFT},12 L{LEFT + 24},12" class="value"/>'
        f'<circle cx="{LEFT + 12}" cy="12" r="4" class="point"/>'
        f'<text x="{LEFT + 30}" y="16">{escape(value_label)}</text>'
    )
    if targets:
        parts.append(
            f'<path d="M{LEFT + 200},12 L{LEFT + 224},12" class="target"/>'
            f'<text x="{LEFT + 230}" y="16">{escape(target_label)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
