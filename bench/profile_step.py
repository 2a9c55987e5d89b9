#!/usr/bin/env python3
"""Run one management command under cProfile, timing every SQL statement.

    profile_step.py OUT_PREFIX COMMAND [ARGS...]

Writes OUT_PREFIX.prof (open with ``python -m pstats`` or snakeviz) and
OUT_PREFIX.txt: the SQL time by statement kind and table, and the top
functions by cumulative and by own time. The summary is also printed.
Used by ``bench/import --profile``; can be run alone against any database
(DATABASE_URL, SAMVERKA_VAR_DIR as for manage.py).
"""

import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


class SqlTimer:
    def __init__(self):
        self.by_kind = defaultdict(lambda: [0, 0.0])  # kind -> [statements, seconds]

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        match = _TABLE.search(sql)
        kind = f"{verb} {match.group(1) if match else ''}".strip()
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = self.by_kind[kind]
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    def report(self, wall: float) -> str:
        total = sum(s for _n, s in self.by_kind.values())
        count = sum(n for n, _s in self.by_kind.values())
        lines = [
            f"wall {wall:.2f} s; SQL {total:.2f} s in {count} statements "
            f"({total / wall:.0%} of wall; the rest is Python, cProfile-inflated)",
            f"{'statement':45} {'count':>8} {'seconds':>9} {'ms/stmt':>8}",
        ]
        for kind, (n, s) in sorted(self.by_kind.items(), key=lambda kv: -kv[1][1])[:25]:
            lines.append(f"{kind[:45]:45} {n:8d} {s:9.2f} {1000 * s / n:8.2f}")
        return "\n".join(lines)


def main() -> None:
    prefix, *command = sys.argv[1:]
    timer = SqlTimer()
    profiler = cProfile.Profile()
    start = time.perf_counter()
    with connection.execute_wrapper(timer):
        profiler.enable()
        try:
            call_command(*command)
        finally:
            profiler.disable()
    wall = time.perf_counter() - start
    profiler.dump_stats(f"{prefix}.prof")
    text = io.StringIO()
    text.write(f"== {' '.join(command)}\n{timer.report(wall)}\n\n")
    for order in ("cumulative", "tottime"):
        text.write(f"== top 35 by {order}\n")
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(35)
    Path(f"{prefix}.txt").write_text(text.getvalue())
    print(text.getvalue())


if __name__ == "__main__":
    main()
