"""One writer per table: the suite fails when a write bypasses the app that owns it.

The worklists' state is derived from casework's rows (docs/adr/0010). It is
right only if every write of those rows goes through a casework action, which
keeps the state in the same transaction; and only the state module writes the
state. This guard watches every INSERT, UPDATE and DELETE the suite makes on
the connections of the test's thread and refuses one that comes from
anywhere else. Test code arranging its data (``tests.*``, the factories) and
migrations may write directly; so may a cascade, when deleting a person or a
user deletes or clears rows that hang on them.
"""

import re
import sys
from contextlib import ExitStack
from pathlib import Path

from django.db import connections
from django.db.models.deletion import Collector

ROOT = Path(__file__).resolve().parents[1]
# The project's own top-level packages; frames of Django, libraries and the
# shared plumbing in samverka/ are skipped to find who asked for the write.
PROJECT = {
    p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "samverka"
} | {"bench"}

CASEWORK_TABLES = {
    "casework_contact",
    "casework_occupation",
    "casework_personmeasure",
    "casework_plan",
    "casework_plan_measures",
    "casework_planrevision",
    "casework_case",
}
STATE_TABLES = {"worklists_workliststate"}
# Table -> the modules that may write it (a prefix of the module's name).
WRITERS = {table: ("casework.",) for table in CASEWORK_TABLES} | {
    table: ("worklists.state",) for table in STATE_TABLES
}
TARGET = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteBypassesOwner(AssertionError):
    """A write to a table that only its owning app may write."""


def _cascade_from_elsewhere(frame) -> bool:
    """Whether the write is Django deleting what hangs on a row of another table."""
    while frame is not None:
        collector = frame.f_locals.get("self")
        if isinstance(collector, Collector):
            origin = getattr(collector, "origin", None)
            model = getattr(origin, "model", None) or type(origin)
            table = getattr(getattr(model, "_meta", None), "db_table", None)
            return table is not None and table not in WRITERS
        frame = frame.f_back
    return False


def _asking_module(frame) -> str:
    """The innermost module of the project's own code on the stack."""
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.split(".")[0] in PROJECT and name != __name__:
            return name
        frame = frame.f_back
    return ""


def guard(execute, sql, params, many, context):
    match = TARGET.match(sql)
    if match and match.group(1) in WRITERS:
        table = match.group(1)
        frame = sys._getframe(1)
        module = _asking_module(frame)
        allowed = (
            module.startswith(WRITERS[table])
            or module.startswith("tests.")
            or ".migrations." in module
            or _cascade_from_elsewhere(frame)
        )
        if not allowed:
            raise WriteBypassesOwner(
                f"{module or 'unknown code'} writes {table} directly: call the action of "
                f"the app that owns it ({WRITERS[table][0].rstrip('.')}), which keeps "
                "the worklists' state in step."
            )
    return execute(sql, params, many, context)


def watching():
    """A context manager that installs the guard on every connection of this thread."""
    stack = ExitStack()
    for connection in connections.all():
        stack.enter_context(connection.execute_wrapper(guard))
    return stack
