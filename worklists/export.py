"""A worklist as a file: CSV (semicolon, UTF-8 with BOM, as Swedish Excel reads it) or Excel.

No addresses and no contact details at all: an exported list is for planning
the work, and reaching a young person happens in Samverka, where a protected
identity's details stay hidden. So a protected person's address can never be
in a file.
"""

import csv
import io
import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import lists, rules

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table(rows: list, scope: rules.Scope, worklist: lists.Worklist) -> list[list]:
    """The header and one line per row, as plain values."""
    header = [
        _("Name"),
        _("Identity number"),
        _("Responsibility"),
        _("Age"),
        str(worklist.date_label),
        _("Last contact"),
        _("Attempts since the period started"),
    ]
    if scope.may_see_occupation:
        header.append(_("Occupation"))
    header.append(_("Handler"))
    lines = [header]
    for row in rows:
        last = timezone.localtime(row.last_contact) if row.last_contact else None
        line = [
            row.person.full_name,
            row.person.formatted_identity_number,
            _("KAA") if row.is_kaa else _("Outreach"),
            row.age,
            row.list_date,
            last.replace(tzinfo=None, second=0, microsecond=0) if last else None,
            row.attempts,
        ]
        if scope.may_see_occupation:
            line.append(row.occupation_name or "")
        line.append(row.handler_label)
        lines.append(line)
    return lines


def _safe(value):
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(_safe(value))


def to_csv(lines: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in lines:
        writer.writerow([_text(v) for v in line])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(lines: list[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    # Excel allows 31 characters in a sheet name, and none of []:*?/\ in it.
    sheet = workbook.create_sheet(title=re.sub(r"[][:*?/\\]", " ", title)[:31])
    for line in lines:
        sheet.append([_safe(v) for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
