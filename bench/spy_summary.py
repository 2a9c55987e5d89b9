#!/usr/bin/env python3
"""Summarise a py-spy raw (collapsed stacks) profile: where the wall time goes.

    spy_summary.py PROFILE.txt [--top 30]

``bench/import --py-spy`` records each import with ``py-spy record --idle``,
so samples include time spent waiting for PostgreSQL. Prints

* the share of samples inside the project's functions (inclusive), which
  answers "which step of the import costs what";
* the share by leaf function (exclusive), which answers "what is the CPU or
  the wait actually doing"; waiting for the database shows up as psycopg's
  ``wait``/``_execute_send``/``fetch`` leaves.
"""

import argparse
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>.+?):(?P<line>\d+)\)$")
PROJECT_DIRS = ("people/", "schooling/", "responsibility/", "imports/", "organisations/", "audit/")


def _short(file: str) -> str:
    file = file.split("site-packages/")[-1]
    return file.replace(str(ROOT) + "/", "")


def _parse(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame)
    if not match:
        return frame, ""
    return match["func"], _short(match["file"])


def _category(func: str, file: str) -> str:
    """A coarse bucket for a leaf frame."""
    if file.startswith("psycopg/") and func in {"wait", "_execute_send", "wait_c", "_fetch_many"}:
        return "waiting for PostgreSQL (psycopg wait)"
    if file.startswith("psycopg/"):
        return "psycopg (adapting parameters, rows)"
    if file.startswith("django/db/models"):
        return "Django ORM (models, compiler, fields)"
    if file.startswith("django/"):
        return "Django (other)"
    if file.startswith("lxml") or "etree" in func or file.startswith("people/navet"):
        return "Navet reader (lxml, schema, fields)"
    if file.startswith(PROJECT_DIRS):
        return f"project code ({file.split('/')[0]})"
    return "Python stdlib / other"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    inclusive: Counter = Counter()
    leaves: Counter = Counter()
    categories: Counter = Counter()
    total = 0
    for line in Path(args.profile).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [_parse(f) for f in stack.split(";")]
        seen = set()
        for func, file in frames:
            if file.startswith(PROJECT_DIRS) or file.startswith("django/db/models/query.py"):
                key = f"{file}:{func}"
                if key not in seen:
                    seen.add(key)
                    inclusive[key] += n
        func, file = frames[-1]
        leaves[f"{file}:{func}"] += n
        categories[_category(func, file)] += n

    def show(title: str, counter: Counter, top: int) -> None:
        print(f"== {title}")
        for key, n in counter.most_common(top):
            print(f"{100 * n / total:6.1f}%  {key}")
        print()

    print(f"{total} samples\n")
    show("by category of the leaf frame", categories, 20)
    show("inclusive, project functions and QuerySet methods", inclusive, args.top)
    show("exclusive (leaf frames)", leaves, args.top)


if __name__ == "__main__":
    main()
