"""Aggregate exchange in DHIS2's ``dataValueSets`` JSON.

One data value per municipality (``orgUnit`` = its SCB code), period and part
of an indicator (``dataElement`` = the indicator id, ``categoryOptionCombo`` =
the part: ``default`` for a count, ``numerator``/``denominator`` for a share,
``median``/``denominator`` for the median, ``gender.<category>.<gender>`` and
``age.<category>.<age>`` for a distribution). Identifiers are codes: a DHIS2
instance imports with ``idScheme=CODE`` (docs/followup.md).

Periods: half-years are DHIS2's ``2026S1``/``2026S2`` and years ``2026``.
DHIS2 has no four-month period, and our figures (people in KAA during a
tertial) cannot be summed from months, so a tertial travels as Samverka's own
``2026T1``: another Samverka instance reads it, DHIS2 does not.

Suppression is applied before anything leaves: a hidden figure is left out,
and a distribution says how many cells it has (``cells``), so the receiver
knows when some were left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from organisations.models import Municipality

from . import indicators
from .indicators import Kind
from .indicators.sql import AGE_BANDS, GENDERS
from .periods import HALF_YEAR, TERTIAL, YEAR, Period, PeriodError, parse_period
from .publication import Publication

DATA_SET = "samverka-kaa-followup"
_DHIS2_HALF_YEAR = re.compile(r"^(\d{4})S([12])$")
_CATEGORY = re.compile(r"^[a-z0-9_]{1,60}$")


@dataclass(frozen=True)
class DataValue:
    indicator: str
    component: str
    org_unit: str
    period: str  # Samverka's label: 2026H1, 2026, 2026T1
    value: Decimal


def dhis2_period(period: Period) -> str:
    if period.kind in (HALF_YEAR, YEAR):
        return period.dhis2
    if period.kind == TERTIAL:
        return period.label
    raise PeriodError(
        _("Figures are exchanged for a tertial, a half-year or a year, not for %(period)s.")
        % {"period": period.label}
    )


def period_from_dhis2(text: str) -> Period:
    """``2026S1`` → 2026H1, ``2026`` → 2026, ``2026T1`` (Samverka's own) → 2026T1."""
    text = str(text).strip()
    if match := _DHIS2_HALF_YEAR.match(text):
        return parse_period(f"{match[1]}H{match[2]}")
    period = parse_period(text)
    if period.kind not in (TERTIAL, YEAR):
        raise PeriodError(
            _("%(text)s is not a period of the exchange (2026S1, 2026S2, 2026 or 2026T1).")
            % {"text": text}
        )
    return period


# Writing -----------------------------------------------------------------------------


def exported_components(publication: Publication, key: str) -> list[tuple[str, str, Decimal]]:
    """(indicator, component, value) of one municipality, without what suppression hides."""
    parts = []
    for indicator in indicators.REGISTRY.values():
        if indicator.kind == Kind.COUNT:
            cell = publication.count_cell(indicator, key)
            if cell.value is not None:
                parts.append((indicator.id, "default", cell.value))
        elif indicator.kind == Kind.SHARE:
            n, d, _share = publication.share_cells(indicator, key)
            for name, cell in (("numerator", n), ("denominator", d)):
                if cell.value is not None:
                    parts.append((indicator.id, name, cell.value))
        elif indicator.kind == Kind.MEDIAN:
            median, d = publication.median_cells(indicator, key)
            for name, cell in (("median", median), ("denominator", d)):
                if cell.value is not None:
                    parts.append((indicator.id, name, cell.value))
        elif indicator.kind == Kind.EXTERNAL:
            cell = publication.external_cell(indicator, key)
            if cell.value is not None:
                parts.append((indicator.id, "default", cell.value))
        else:
            parts.extend(_distribution_parts(publication, indicator, key))
    return parts


def _distribution_parts(publication: Publication, indicator, key: str):
    figure = publication.figure(indicator.id, key)
    if figure is None:
        return []
    parts, cells = [], 0
    for table, found in (("gender", dict(figure.by_gender)), ("age", dict(figure.by_age))):
        for (category, column), n in sorted(found.items()):
            cell = publication.cell((indicator.id, key, table, category, column))
            if n or cell.value is None:
                cells += 1
            if n and cell.value is not None:
                parts.append((indicator.id, f"{table}.{category}.{column}", n))
    if cells:
        parts.append((indicator.id, "cells", cells))
    return parts


def export(municipalities: list, periods: list[Period], *, as_of: date) -> dict:
    """The dataValueSets document of the municipalities' figures for the periods."""
    values = []
    for period in periods:
        dhis2 = dhis2_period(period)
        found = indicators.compute([m.pk for m in municipalities], period, as_of=as_of)
        for municipality in municipalities:
            publication = Publication(
                {municipality.code: found[municipality.pk]}, None, suppress=True
            )
            for indicator_id, component, value in exported_components(
                publication, municipality.code
            ):
                values.append(
                    {
                        "dataElement": indicator_id,
                        "period": dhis2,
                        "orgUnit": municipality.code,
                        "categoryOptionCombo": component,
                        "value": _text(value),
                    }
                )
    return {"dataSet": DATA_SET, "completeDate": as_of.isoformat(), "dataValues": values}


def _text(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# Reading ------------------------------------------------------------------------------


def read_data_value_set(data: bytes | str) -> tuple[list[DataValue], list[str]]:
    """Parse and check a dataValueSets document: its values and every error found."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        return [], [_("The file is not JSON: %(error)s.") % {"error": error}]
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        return [], [_("The file is not a dataValueSets document: it has no dataValues list.")]
    codes = set(Municipality.objects.values_list("code", flat=True))
    values: list[DataValue] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    for index, item in enumerate(document["dataValues"], start=1):
        where = _("Data value %(n)s") % {"n": index}
        if not isinstance(item, dict):
            errors.append(_("%(where)s: not an object.") % {"where": where})
            continue
        problems = []
        indicator = indicators.REGISTRY.get(str(item.get("dataElement", "")))
        if indicator is None:
            problems.append(_("unknown dataElement %(value)r") % {"value": item.get("dataElement")})
        org_unit = str(item.get("orgUnit", document.get("orgUnit", "")))
        if org_unit not in codes:
            problems.append(_("unknown orgUnit %(value)r") % {"value": org_unit})
        try:
            period = period_from_dhis2(item.get("period", document.get("period", "")))
        except PeriodError as error:
            problems.append(str(error))
            period = None
        component = str(item.get("categoryOptionCombo", "default"))
        if indicator is not None and not _valid_component(indicator, component):
            problems.append(
                _("categoryOptionCombo %(value)r does not belong to %(indicator)s")
                % {"value": component, "indicator": indicator.id}
            )
        value = _number(item.get("value"))
        if value is None:
            problems.append(_("the value %(value)r is not a number") % {"value": item.get("value")})
        elif (
            indicator is not None
            and _whole(indicator, component)
            and (value < 0 or value != value.to_integral_value())
        ):
            problems.append(
                _("the value %(value)s must be a whole number of at least 0") % {"value": value}
            )
        if problems:
            errors.append(
                _("%(where)s: %(problems)s.") % {"where": where, "problems": "; ".join(problems)}
            )
            continue
        key = (indicator.id, component, org_unit, period.label)
        if key in seen:
            errors.append(
                _("%(where)s: the same figure as data value %(first)s.")
                % {"where": where, "first": seen[key]}
            )
            continue
        seen[key] = index
        values.append(DataValue(indicator.id, component, org_unit, period.label, value))
    errors.extend(_contradictions(values))
    if not values and not errors:
        errors.append(_("The file has no data values."))
    return values, errors


def _valid_component(indicator, component: str) -> bool:
    if indicator.kind in (Kind.COUNT, Kind.EXTERNAL):
        return component == "default"
    if indicator.kind == Kind.SHARE:
        return component in ("numerator", "denominator")
    if indicator.kind == Kind.MEDIAN:
        return component in ("median", "denominator")
    if component == "cells":
        return True
    parts = component.split(".")
    if len(parts) != 3 or not _CATEGORY.match(parts[1]):
        return False
    return (parts[0] == "gender" and parts[2] in GENDERS) or (
        parts[0] == "age" and parts[2] in AGE_BANDS
    )


def _whole(indicator, component: str) -> bool:
    return not (indicator.kind == Kind.EXTERNAL or component == "median")


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _contradictions(values: list[DataValue]) -> list[str]:
    """A numerator larger than its denominator cannot be right."""
    parts: dict[tuple, dict[str, Decimal]] = {}
    for v in values:
        parts.setdefault((v.indicator, v.org_unit, v.period), {})[v.component] = v.value
    errors = []
    for (indicator_id, org_unit, period), found in sorted(parts.items()):
        if (
            "numerator" in found
            and "denominator" in found
            and found["numerator"] > found["denominator"]
        ):
            errors.append(
                _(
                    "%(indicator)s for %(org_unit)s %(period)s: "
                    "the numerator is larger than the denominator."
                )
                % {"indicator": indicator_id, "org_unit": org_unit, "period": period}
            )
    return errors
