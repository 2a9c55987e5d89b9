"""Writes of the follow-up. Each is one transaction with its audit event.

``by=None`` is the operator at the command line (``manage.py``), who already
holds the server; from the web every action checks the user's permission.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.access import has_permission
from organisations.models import Municipality, Organisation
from organisations.permissions import Permission

from . import indicators
from .dhis2 import read_data_value_set
from .indicators.definitions import UNEMPLOYMENT
from .models import AggregateValue, Comment, SeriesValue, StatisticsCode, Target, Variable
from .periods import PeriodError, parse_period

SERIES_COLUMNS = ("municipality_code", "period", "value", "source")
MAX_ERRORS = 50


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return _("%(created)s new, %(changed)s changed, %(unchanged)s unchanged") % {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


def _require(by, municipality_id: int, permission: Permission) -> None:
    if by is not None and not has_permission(by, municipality_id, permission):
        raise PermissionDenied


def _refuse(errors: list[str], code: str) -> None:
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(_("… and %(n)s more errors.") % {"n": len(errors) - MAX_ERRORS})
        raise ValidationError(shown, code=code)


# External series --------------------------------------------------------------------------


def read_series(text: str) -> tuple[list[tuple[int, str, str, Decimal, str]], list[str]]:
    """Parse ``municipality_code,period,value,source``: rows and every error with its line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != SERIES_COLUMNS:
        return [], [
            _("Line 1: the header must be %(columns)s.") % {"columns": ",".join(SERIES_COLUMNS)}
        ]
    codes = dict(Municipality.objects.values_list("code", "pk"))
    rows, errors, seen = [], [], {}
    for line, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(SERIES_COLUMNS):
            errors.append(
                _("Line %(line)s: expected 4 fields, found %(n)s.")
                % {"line": line, "n": len(fields)}
            )
            continue
        code, period_text, value_text, source = (f.strip() for f in fields)
        problems = []
        if code not in codes:
            problems.append(_("unknown municipality code %(code)r") % {"code": code})
        try:
            period = parse_period(period_text)
        except PeriodError as error:
            problems.append(str(error))
            period = None
        try:
            value = Decimal(value_text.replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("the value %(value)r is not a number") % {"value": value_text})
            value = None
        if not source:
            problems.append(_("the source is empty"))
        elif len(source) > 200:
            problems.append(_("the source is longer than 200 characters"))
        if problems:
            errors.append(
                _("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        key = (code, period.label)
        if key in seen:
            errors.append(
                _("Line %(line)s: %(code)s %(period)s is already given on line %(first)s.")
                % {"line": line, "code": code, "period": period.label, "first": seen[key]}
            )
            continue
        seen[key] = line
        rows.append((codes[code], code, period.label, value, source))
    if not rows and not errors:
        errors.append(_("The file has no rows."))
    return rows, errors


@transaction.atomic
def import_series(*, by, text: str, file_name: str, series: str = UNEMPLOYMENT) -> ImportResult:
    """All rows or none; the same file again changes nothing."""
    rows, errors = read_series(text)
    _refuse(errors, "series_file")
    for municipality_id, *_rest in rows:
        _require(by, municipality_id, Permission.RUN_IMPORT)
    existing = {
        (v.municipality_id, v.period): v
        for v in SeriesValue.objects.filter(series=series, municipality_id__in={r[0] for r in rows})
    }
    created = changed = unchanged = 0
    for municipality_id, _code, period, value, source in rows:
        found = existing.get((municipality_id, period))
        if found is None:
            SeriesValue.objects.create(
                series=series,
                municipality_id=municipality_id,
                period=period,
                value=value,
                source=source,
            )
            created += 1
        elif found.value != value or found.source != source:
            found.value, found.source = value, source
            found.save(update_fields=["value", "source", "imported_at"])
            changed += 1
        else:
            unchanged += 1
    result = ImportResult(created, changed, unchanged)
    record(
        by=by,
        kind=AuditEvent.Kind.IMPORT,
        action="followup.series_import",
        channel="cli" if by is None else "web",
        detail={
            "series": series,
            "file": file_name[:100],
            "created": created,
            "changed": changed,
            "unchanged": unchanged,
        },
    )
    return result


# Aggregates from other instances ------------------------------------------------------------


@transaction.atomic
def import_aggregates(*, by, data: bytes | str, file_name: str) -> ImportResult:
    """A DHIS2 dataValueSets file of other instances' figures: all values or none.

    For each municipality and period in the file, its values replace what an
    earlier file gave for them; the same file again changes nothing.
    """
    values, errors = read_data_value_set(data)
    _refuse(errors, "aggregate_file")
    codes = dict(Municipality.objects.values_list("code", "pk"))
    pairs = {(codes[v.org_unit], v.period) for v in values}
    for municipality_id, _period in pairs:
        _require(by, municipality_id, Permission.RUN_IMPORT)
    old = {}
    for municipality_id, period in pairs:
        for a in AggregateValue.objects.filter(municipality_id=municipality_id, period=period):
            old[(municipality_id, period, a.indicator, a.component)] = a.value
    new = {(codes[v.org_unit], v.period, v.indicator, v.component): v.value for v in values}
    created = sum(1 for k in new if k not in old)
    changed = sum(1 for k, v in new.items() if k in old and old[k] != v)
    unchanged = sum(1 for k, v in new.items() if k in old and old[k] == v)
    removed = sum(1 for k in old if k not in new)
    if created or changed or removed:
        for municipality_id, period in pairs:
            AggregateValue.objects.filter(municipality_id=municipality_id, period=period).delete()
        AggregateValue.objects.bulk_create(
            AggregateValue(
                municipality_id=mid,
                period=period,
                indicator=indicator,
                component=component,
                value=value,
                source=file_name[:200],
            )
            for (mid, period, indicator, component), value in new.items()
        )
    record(
        by=by,
        kind=AuditEvent.Kind.IMPORT,
        action="followup.aggregate_import",
        channel="cli" if by is None else "web",
        detail={
            "file": file_name[:100],
            "municipalities": len({p[0] for p in pairs}),
            "created": created,
            "changed": changed,
            "unchanged": unchanged,
            "removed": removed,
        },
    )
    return ImportResult(created, changed + removed, unchanged)


# The statistics code mapping -----------------------------------------------------------------


@transaction.atomic
def set_statistics_code(
    *,
    by,
    municipality: Organisation,
    variable: str,
    value: str,
    code: str,
    valid_from: date,
) -> StatisticsCode:
    """The municipality's own code for a value from ``valid_from``.

    Half-years before it keep the code they had."""
    if by is None or not has_permission(by, municipality.pk, Permission.MANAGE_SETTINGS):
        raise PermissionDenied
    code = code.strip()
    if variable not in Variable.values:
        raise ValidationError(_("Choose a variable from the list."), code="variable")
    if not StatisticsCode.objects.filter(
        municipality=None, variable=variable, value=value
    ).exists():
        raise ValidationError(_("Choose a value from the list."), code="value")
    if not code or len(code) > 20 or not code.isprintable() or "," in code:
        raise ValidationError(_("Write the code as 1–20 characters without commas."), code="code")
    own = StatisticsCode.objects.filter(municipality=municipality, variable=variable, value=value)
    if own.filter(valid_from__gte=valid_from).exists():
        raise ValidationError(
            _("The municipality already has a code for this value from %(date)s or later.")
            % {"date": own.order_by("-valid_from").first().valid_from.isoformat()},
            code="valid_from",
        )
    default = StatisticsCode.objects.get(municipality=None, variable=variable, value=value)
    own.filter(valid_to__isnull=True).update(valid_to=valid_from - timedelta(days=1))
    created = StatisticsCode.objects.create(
        municipality=municipality,
        variable=variable,
        value=value,
        code=code,
        label=default.label,
        valid_from=valid_from,
        changed_by=by,
    )
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="followup.statistics_code",
        obj=created,
        municipality_id=municipality.pk,
        detail={"variable": variable, "value": value, "code": code, "from": valid_from.isoformat()},
    )
    return created


# Targets and comments ---------------------------------------------------------------------------


def _period_label(text: str) -> str:
    try:
        return parse_period(text).label
    except PeriodError as error:
        raise ValidationError(str(error), code="period") from None


@transaction.atomic
def set_target(
    *, by, municipality: Organisation, indicator_id: str, period: str, value: Decimal | None
) -> Target | None:
    """The target of an indicator for a period; no value removes it."""
    if by is None or not has_permission(by, municipality.pk, Permission.MANAGE_TARGETS):
        raise PermissionDenied
    indicator = indicators.REGISTRY.get(indicator_id)
    if indicator is None or indicator.kind == indicators.Kind.DISTRIBUTION:
        raise ValidationError(_("Choose an indicator from the list."), code="indicator")
    label = _period_label(period)
    if value is not None and value < 0:
        raise ValidationError(_("A target cannot be negative."), code="value")
    if value is not None and indicator.kind == indicators.Kind.SHARE and value > 100:
        raise ValidationError(_("A share is given in per cent: at most 100."), code="value")
    existing = Target.objects.filter(
        municipality=municipality, indicator=indicator_id, period=label
    ).first()
    if value is None:
        if existing is not None:
            existing.delete()
        target = None
    elif existing is None:
        target = Target.objects.create(
            municipality=municipality, indicator=indicator_id, period=label, value=value, set_by=by
        )
    else:
        existing.value, existing.set_by = value, by
        existing.save(update_fields=["value", "set_by", "set_at"])
        target = existing
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="followup.target",
        municipality_id=municipality.pk,
        detail={
            "indicator": indicator_id,
            "period": label,
            "value": None if value is None else str(value),
        },
    )
    return target


@transaction.atomic
def set_comment(
    *, by, municipality: Organisation, indicator_id: str, period: str, text: str
) -> Comment | None:
    """The manager's short comment on a goal for the board report; empty removes it."""
    if by is None or not has_permission(by, municipality.pk, Permission.MANAGE_TARGETS):
        raise PermissionDenied
    if indicator_id not in indicators.REGISTRY:
        raise ValidationError(_("Choose an indicator from the list."), code="indicator")
    label = _period_label(period)
    text = " ".join(text.split())
    if len(text) > 600:
        raise ValidationError(_("Keep the comment to 600 characters."), code="text")
    existing = Comment.objects.filter(
        municipality=municipality, indicator=indicator_id, period=label
    ).first()
    if (existing.text if existing else "") == text:
        return existing  # nothing changed: nothing to write or audit
    if not text:
        if existing is not None:
            existing.delete()
        comment = None
    elif existing is None:
        comment = Comment.objects.create(
            municipality=municipality,
            indicator=indicator_id,
            period=label,
            text=text,
            written_by=by,
        )
    else:
        existing.text, existing.written_by = text, by
        existing.save(update_fields=["text", "written_by", "written_at"])
        comment = existing
    # Events hold no free text: the length says a comment was written.
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="followup.comment",
        municipality_id=municipality.pk,
        detail={"indicator": indicator_id, "period": label, "length": len(text)},
    )
    return comment
