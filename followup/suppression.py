"""Disclosure control for figures that leave the municipality (roll-ups and exports).

* **Primary suppression**: a count from 1 to 4 is shown as "<5".
* **Shares** with a denominator under 10 are not shown (nor a share whose
  numerator or denominator is hidden: it would give the count back).
* **Secondary suppression**: a published table also has totals, so one hidden
  cell in a row or column could be worked out by subtraction. Whenever a line
  (a row or column with its total) has exactly one hidden cell, the smallest
  other cell of that line (preferably not zero) is hidden too ("..").
  After that an audit propagates what a reader can infer — the shown values,
  every line's sum, that a "<5" lies between 1 and 4 and a ".." is 0 or at
  least 5 — and hides more until no hidden cell has a single possible value.

The engine works on *positions* (any hashable key) and *lines* (members that
add up to a total). Several tables that share a figure (the number in KAA is
both a count and the denominator of two shares) use the same position, so a
figure hidden in one table is hidden in all.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

SMALLEST_SHOWN = 5
SMALLEST_SHARE_DENOMINATOR = 10
SMALL = "<5"  # a count from 1 to 4
HIDDEN = ".."  # hidden so that a small count cannot be worked out
INFINITY = float("inf")

Position = Hashable


def is_small(value: int | None) -> bool:
    return value is not None and 1 <= value < SMALLEST_SHOWN


@dataclass
class Grid:
    """Figures to publish together, and the sums a reader can check them against."""

    values: dict[Position, int] = field(default_factory=dict)
    lines: list[tuple[tuple[Position, ...], Position]] = field(default_factory=list)

    def add(self, position: Position, value: int) -> Position:
        if position in self.values and self.values[position] != value:
            raise ValueError(f"{position!r} is given two values.")
        self.values[position] = value
        return position

    def add_line(self, members: Iterable[Position], total: Position) -> None:
        members = tuple(members)
        if len(members) > 1 or (len(members) == 1 and members[0] != total):
            self.lines.append((members, total))


@dataclass(frozen=True)
class Protected:
    """Which positions of a grid are hidden, and why."""

    values: dict[Position, int]
    small: frozenset[Position]
    hidden: frozenset[Position]  # the small ones and those hidden to protect them

    def shows(self, position: Position) -> bool:
        return position not in self.hidden

    def text(self, position: Position) -> str:
        """The count as it may be published: the number, "<5" or ".."."""
        if position in self.small:
            return SMALL
        if position in self.hidden:
            return HIDDEN
        return str(self.values[position])

    def value(self, position: Position) -> int | None:
        return None if position in self.hidden else self.values[position]

    def shows_share(self, numerator: Position, denominator: Position) -> bool:
        return (
            self.shows(numerator)
            and self.shows(denominator)
            and self.values[denominator] >= SMALLEST_SHARE_DENOMINATOR
        )


def protect(grid: Grid, hidden: Iterable[Position] = ()) -> Protected:
    """Primary and secondary suppression of ``grid``; ``hidden`` adds positions to hide."""
    small = {p for p, v in grid.values.items() if is_small(v)}
    hide = set(small) | set(hidden)
    labelled = set(small)  # the hidden counts shown as "<5" (the rest as "..")
    for _round in range(len(grid.values) + 2):
        _two_per_line(grid, hide)
        # A hidden zero that can be worked out gives nobody away: zeros are shown anyway.
        exposed = {p for p in inferable(grid, labelled, hide) if grid.values[p] > 0}
        if not exposed:
            break
        before = len(hide)
        for position in sorted(exposed, key=repr):
            for members, total in grid.lines:
                line = (*members, total)
                if position in line and _hide_smallest(grid, line, hide):
                    break
        if len(hide) > before:
            continue
        # Everything around is hidden, yet "<5" (so at least 1) still pins values down,
        # as in a row of four 1s totalling 4: show those small counts as ".." too.
        touched = {
            p
            for members, total in grid.lines
            if exposed & {*members, total}
            for p in (*members, total)
        }
        if not labelled & touched:
            labelled = set()
            if not exposed & small:
                break
        labelled -= touched
    return Protected(dict(grid.values), frozenset(labelled), frozenset(hide))


def _two_per_line(grid: Grid, hide: set) -> None:
    """Until every line has no hidden cell or at least two."""
    changed = True
    while changed:
        changed = False
        for members, total in grid.lines:
            line = (*members, total)
            if sum(p in hide for p in line) == 1 and _hide_smallest(grid, line, hide):
                changed = True


def _hide_smallest(grid: Grid, line: tuple, hide: set) -> bool:
    """Hide the smallest shown cell of the line, a non-zero one if there is one."""
    shown = [p for p in line if p not in hide]
    if not shown:
        return False
    nonzero = [p for p in shown if grid.values[p] > 0]
    chosen = min(nonzero or shown, key=lambda p: (grid.values[p], repr(p)))
    hide.add(chosen)
    return True


def inferable(grid: Grid, small: Iterable[Position], hidden: Iterable[Position]) -> set:
    """Hidden positions whose value a reader can work out exactly.

    Propagates bounds through every line until nothing changes: what is shown is
    known; a "<5" is 1–4; a ".." is 0 or at least 5; members add up to totals.
    """
    small = set(small)
    hidden = set(hidden)
    low: dict[Position, float] = {}
    high: dict[Position, float] = {}
    for position, value in grid.values.items():
        if position in small:
            low[position], high[position] = 1, SMALLEST_SHOWN - 1
        elif position in hidden:
            low[position], high[position] = 0, INFINITY
        else:
            low[position] = high[position] = value
    for _round in range(4 * len(grid.lines) + 10):
        changed = False
        for members, total in grid.lines:
            changed |= _tighten(
                total, sum(low[m] for m in members), sum(high[m] for m in members), low, high
            )
            for member in members:
                others_low = sum(low[m] for m in members if m != member)
                others_high = sum(high[m] for m in members if m != member)
                changed |= _tighten(
                    member, low[total] - others_high, high[total] - others_low, low, high
                )
        for position in hidden - small:
            # A ".." is not 1–4 (those show as "<5"): it is 0 or at least 5.
            if high[position] < SMALLEST_SHOWN and high[position] != 0:
                high[position], changed = 0, True
            if 0 < low[position] < SMALLEST_SHOWN:
                low[position], changed = SMALLEST_SHOWN, True
        if not changed:
            break
    return {p for p in hidden if low[p] == high[p]}


def _tighten(position, lowest: float, highest: float, low: dict, high: dict) -> bool:
    changed = False
    if lowest > low[position]:
        low[position], changed = lowest, True
    if highest < high[position]:
        high[position], changed = highest, True
    return changed
