"""The values an indicator produces for one municipality, and how they add up.

Every figure can be summed over municipalities (a roll-up) and written as the
JSON of ``manage.py indicators``: a count ``{"value": n}``, a share
``{"numerator": n, "denominator": d, "value": n/d}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

SHARE_DECIMALS = 4


@dataclass(frozen=True)
class Count:
    value: int = 0

    def as_json(self) -> dict:
        return {"value": self.value}

    @staticmethod
    def total(items: list[Count]) -> Count:
        return Count(sum(i.value for i in items))

    def components(self) -> dict[str, Decimal | int]:
        return {"default": self.value}

    @staticmethod
    def from_components(parts: dict[str, Decimal]) -> Count | None:
        return Count(int(parts["default"])) if "default" in parts else None


@dataclass(frozen=True)
class Share:
    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return round(self.numerator / self.denominator, SHARE_DECIMALS)

    def as_json(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value}

    @staticmethod
    def total(items: list[Share]) -> Share:
        return Share(sum(i.numerator for i in items), sum(i.denominator for i in items))

    def components(self) -> dict[str, int]:
        return {"numerator": self.numerator, "denominator": self.denominator}

    @staticmethod
    def from_components(parts: dict[str, Decimal]) -> Share | None:
        if "numerator" in parts and "denominator" in parts:
            return Share(int(parts["numerator"]), int(parts["denominator"]))
        return None


@dataclass(frozen=True)
class Median:
    """The median of whole days, kept as its histogram so that roll-ups pool the days."""

    histogram: tuple[tuple[int, int], ...] = ()

    @property
    def denominator(self) -> int:
        return sum(n for _days, n in self.histogram)

    @property
    def value(self) -> float | None:
        total = self.denominator
        if not total:
            return None
        # The two middle observations (the same one when the total is odd).
        wanted = {(total - 1) // 2, total // 2}
        found, seen = [], 0
        for days, n in sorted(self.histogram):
            for position in wanted:
                if seen <= position < seen + n:
                    found.append(days)
            seen += n
        return sum(found) / len(found)

    def as_json(self) -> dict:
        return {"value": self.value, "denominator": self.denominator}

    @staticmethod
    def total(items: list[Median]) -> Median:
        pooled: Counter = Counter()
        for item in items:
            for days, n in item.histogram:
                pooled[days] += n
        return Median(tuple(sorted(pooled.items())))

    def components(self) -> dict[str, float | int | None]:
        return {"median": self.value, "denominator": self.denominator}

    @staticmethod
    def from_components(parts: dict[str, Decimal]) -> Median | None:
        # Another instance sends the median only: it cannot be pooled with others.
        return None


@dataclass(frozen=True)
class Distribution:
    """Counts by category, by gender and by age (two tables with the same row totals)."""

    by_gender: tuple[tuple[tuple[str, str], int], ...] = ()
    by_age: tuple[tuple[tuple[str, str], int], ...] = ()

    @staticmethod
    def from_cells(cells: dict[tuple[str, str, str], int]) -> Distribution:
        """From counts by (category, gender, age)."""
        gender: Counter = Counter()
        age: Counter = Counter()
        for (category, g, a), n in cells.items():
            gender[(category, g)] += n
            age[(category, a)] += n
        return Distribution(tuple(sorted(gender.items())), tuple(sorted(age.items())))

    @property
    def value(self) -> int:
        return sum(n for _key, n in self.by_gender)

    def categories(self) -> dict[str, int]:
        totals: Counter = Counter()
        for (category, _g), n in self.by_gender:
            totals[category] += n
        return dict(totals)

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "by_gender": [{"category": c, "gender": g, "value": n} for (c, g), n in self.by_gender],
            "by_age": [{"category": c, "age": a, "value": n} for (c, a), n in self.by_age],
        }

    @staticmethod
    def total(items: list[Distribution]) -> Distribution:
        gender: Counter = Counter()
        age: Counter = Counter()
        for item in items:
            gender.update(dict(item.by_gender))
            age.update(dict(item.by_age))
        return Distribution(tuple(sorted(gender.items())), tuple(sorted(age.items())))

    def components(self) -> dict[str, int]:
        parts = {f"gender.{c}.{g}": n for (c, g), n in self.by_gender}
        parts.update({f"age.{c}.{a}": n for (c, a), n in self.by_age})
        return parts

    @staticmethod
    def from_components(parts: dict[str, Decimal]) -> Distribution | None:
        """From another instance's cells; None when it hid some (fewer than ``cells``)."""
        gender, age = {}, {}
        for key, n in parts.items():
            if key == "cells":
                continue
            table, category, column = key.split(".", 2)
            (gender if table == "gender" else age)[(category, column)] = int(n)
        if len(gender) + len(age) < int(parts.get("cells", 0)):
            return None
        return Distribution(tuple(sorted(gender.items())), tuple(sorted(age.items())))


@dataclass(frozen=True)
class Measurement:
    """A figure from outside Samverka (an imported series): it cannot be summed."""

    value: float | None = None
    source: str = field(default="", compare=False)

    def as_json(self) -> dict:
        return {"value": self.value}

    @staticmethod
    def total(items: list[Measurement]) -> Measurement:
        if len(items) == 1:
            return items[0]
        return Measurement(None)

    def components(self) -> dict[str, float | None]:
        return {"default": self.value}

    @staticmethod
    def from_components(parts: dict[str, Decimal]) -> Measurement | None:
        return Measurement(float(parts["default"])) if "default" in parts else None
