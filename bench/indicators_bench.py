"""Indicator benchmark on PostgreSQL: every indicator, every municipality, six tertials.

Run through ``bench/indicators`` (see bench/README.md). The benchmark

1. creates a throwaway database ``samverka_bench_ind_<pid>`` and migrates it,
2. generates a national synthetic register with a fixed seed and loads it with
   COPY: 290 municipalities, about 1.2 million people aged 13–25 (``--scale``
   multiplies that), their folkbokföring, schooling, KAA and outreach periods,
   and a year of casework (contacts, occupations, measures),
3. in a fresh process, computes every indicator for all municipalities for the
   six tertials before ``--as-of`` (cold, then once more warm), and — in the
   same process — one hand-written SQL ``GROUP BY`` that counts ``kaa_total``
   for all municipalities and the six tertials at once: the baseline,
4. prints the times, the ratio and the time per indicator, checks that the
   baseline and ``kaa_total`` agree, writes ``bench/out/indicators-<ts>.json``,
5. drops the database, also on failure or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT_DIR = BENCH / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from demo.generators import synthetic_personnummer  # noqa: E402

PEOPLE = 1_200_000
TARGET_SECONDS = 10.0
TERTIALS = 6


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# ------------------------------------------------------------------ the measurement


def measure(as_of: date) -> dict:
    """Runs inside a process with DATABASE_URL set to the benchmark database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")
    import django

    django.setup()
    from django.db import connection

    from followup import indicators
    from followup.periods import last_complete_tertial
    from organisations.models import Municipality

    periods = last_complete_tertial(as_of).trend(TERTIALS)
    ids = tuple(sorted(Municipality.objects.values_list("pk", flat=True)))
    connection.ensure_connection()
    runs = []
    results = {}
    for _run in range(2):  # cold, then warm: what the pages and commands call
        start = time.perf_counter()
        for period in periods:
            found = indicators.compute(ids, period, as_of=as_of)
            results[period.label] = {m: f["kaa_total"].value for m, f in found.items()}
        runs.append(time.perf_counter() - start)
    # Where the time goes: each indicator on its own (the median and the 30-day share
    # then each run the query they share).
    per_indicator: Counter = Counter()
    for period in periods:
        for indicator in indicators.REGISTRY.values():
            began = time.perf_counter()
            indicators.compute(ids, period, as_of=as_of, indicators=[indicator.id])
            per_indicator[indicator.id] += time.perf_counter() - began
    values = ", ".join(
        f"('{p.label}', DATE '{p.start.isoformat()}', DATE '{p.end.isoformat()}')" for p in periods
    )
    baseline_sql = f"""
        SELECT p.label, r.municipality_id, COUNT(DISTINCT r.person_id)
        FROM responsibility_responsibilityperiod r
        JOIN (VALUES {values}) AS p(label, first_day, last_day)
          ON r.start <= p.last_day AND (r."end" IS NULL OR r."end" >= p.first_day)
        WHERE r.kind = 'kaa'
        GROUP BY p.label, r.municipality_id
    """
    baselines = []
    for _run in range(2):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(baseline_sql)
            rows = cursor.fetchall()
        baselines.append(time.perf_counter() - start)
    baseline_counts: dict = {}
    for label, mid, n in rows:
        baseline_counts.setdefault(label, {})[mid] = n
    agree = all(
        {m: n for m, n in results[p.label].items() if n} == baseline_counts.get(p.label, {})
        for p in periods
    )
    return {
        "periods": [p.label for p in periods],
        "municipalities": len(ids),
        "cold_seconds": runs[0],
        "warm_seconds": runs[1],
        "per_indicator_warm": dict(per_indicator),
        "baseline_cold_seconds": baselines[0],
        "baseline_warm_seconds": baselines[1],
        "baseline_agrees_with_kaa_total": agree,
        "kaa_total_per_period": {
            label: sum(counts.values()) for label, counts in baseline_counts.items()
        },
    }


# ------------------------------------------------------------------ the data


def add_years(day: date, years: int) -> date:
    from samverka.dates import add_years as add

    return add(day, years)


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    total = sum(w for _v, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


START_REASONS = [
    ("interrupted", 30),
    ("studiebevis", 10),
    ("never_started", 35),
    ("moved_in", 15),
    ("arrived_after_compulsory_age", 10),
]
END_REASONS = [
    ("started_education", 50),
    ("moved_out", 15),
    ("completed", 5),
    ("emigrated", 3),
    ("no_longer_meets_conditions", 2),
]
OUTCOMES = [("not_reached", 45), ("reached", 45), ("declined", 10)]
OCCUPATIONS = [
    "none",
    "unknown",
    "work_part_time",
    "work_full_time",
    "internship",
    "komvux",
    "folkhogskola",
    "other_activity",
]
MEASURE_ENDS = [
    ("studies", 30),
    ("work", 20),
    ("completed", 25),
    ("interrupted", 15),
    ("other", 10),
]
SCHOOL_UNIT = 1


class Loader:
    """Generates the register and writes it with COPY, table by table."""

    def __init__(self, url: str, scale: float, seed: int, as_of: date):
        import psycopg

        self.url = url
        self.conn = psycopg.connect(url)
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.people = max(1000, int(PEOPLE * scale))
        self.window = date(as_of.year - 3, 1, 1)  # KAA periods may start before the tertials
        self.casework_from = as_of - timedelta(days=365)
        self.counts: Counter = Counter()
        self.offered: set[int] = set()  # persons with a first offer already

    def municipalities(self) -> list[tuple[int, str, int]]:
        """(id, code, KAA unit id) of every municipality."""
        return self.conn.execute(
            "SELECT m.id, m.code, u.id FROM organisations_organisation m"
            " JOIN organisations_organisation u ON u.parent_id = m.id"
            " AND u.kind = 'unit' AND u.category = 'kaa'"
            " WHERE m.kind = 'municipality' ORDER BY m.code"
        ).fetchall()

    def run(self) -> dict:
        rng = self.rng
        municipalities = self.municipalities()
        # Municipalities differ in size: log-normal weights (Stockholm to Bjurholm).
        weights = [math.exp(rng.gauss(0, 1.1)) for _ in municipalities]
        kinds = dict(self.conn.execute("SELECT code, id FROM casework_occupationkind").fetchall())
        now = datetime.now().astimezone()
        self.conn.execute(
            "INSERT INTO schooling_schoolunit (id, code, name) VALUES (%s, 'BENCH', 'Gymnasiet')",
            (SCHOOL_UNIT,),
        )
        measures = {}
        with self._copy(
            "casework_measure",
            "id municipality_id name kind owner_id description min_age max_age active created_at",
        ) as copy:
            next_id = 1
            for mid, _code, unit in municipalities:
                for kind, name in (
                    ("guidance", "Studie- och yrkesvägledning"),
                    ("motivational", "Motiverande samtal"),
                ):
                    copy.write_row((next_id, mid, name, kind, unit, "", 16, 24, True, now))
                    measures[(mid, kind)] = next_id
                    next_id += 1
        chosen = rng.choices(range(len(municipalities)), weights=weights, k=self.people)
        youngest = add_years(self.as_of, -13)
        span = (youngest - (add_years(self.as_of, -26) + timedelta(days=1))).days
        serials: Counter = Counter()
        person_cols = (
            "id municipality_id identity_number birth_date birth_year first_name middle_name"
            " last_name care_of street street2 postal_code city email phone sekretessmarkering"
            " skyddad_folkbokforing deregistration_reason navet_digest created_at updated_at"
        )
        tables = {
            "people_person": person_cols,
            "people_residenceperiod": "municipality_id person_id municipality_code start",
            "responsibility_responsibilityperiod": (
                'municipality_id person_id kind start start_reason "end" end_reason rule_set'
                " consent_note"
            ),
            "schooling_enrolment": (
                "municipality_id person_id school_unit_id school_form programme_code start_date"
                " end_date end_reason source"
            ),
            "casework_contact": "municipality_id person_id channel at outcome note created_at",
            "casework_occupation": (
                "municipality_id person_id kind_id source start review_by recorded_at"
            ),
            "casework_personmeasure": (
                'municipality_id person_id measure_id offered_on answer answered_on start "end"'
                " end_reason responsible note first_offer created_at updated_at"
            ),
        }
        # One connection per table: a connection carries one COPY at a time. The
        # person rows commit first, so the others' deferred foreign keys find them.
        import psycopg

        connections = {table: psycopg.connect(self.url) for table in tables}
        copies, managers = {}, {}
        try:
            for table, columns in tables.items():
                # Keep the context manager: it closes the COPY when collected.
                managers[table] = (
                    connections[table]
                    .cursor()
                    .copy(f"COPY {table} ({', '.join(columns.split())}) FROM STDIN")
                )
                copies[table] = managers[table].__enter__()
            for pid in range(1, self.people + 1):
                index = chosen[pid - 1]
                mid, code, _unit = municipalities[index]
                birth = youngest - timedelta(days=rng.randrange(span))
                serials[birth] += 1
                number = synthetic_personnummer(birth, serials[birth] % 1000 or 999)
                copies["people_person"].write_row(
                    (
                        pid,
                        mid,
                        number,
                        birth,
                        birth.year,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        False,
                        False,
                        "",
                        "",
                        now,
                        now,
                    )
                )
                copies["people_residenceperiod"].write_row((mid, pid, code, birth))
                self.counts["people"] += 1
                self._life(copies, pid, mid, birth, measures, kinds, now)
            self.conn.commit()  # the school unit and the measures
            for table in tables:
                managers[table].__exit__(None, None, None)
                connections[table].commit()
        finally:
            for connection in connections.values():
                connection.close()
        self.conn.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", (self.people,)
        )
        series = [
            (mid, label, round(rng.uniform(3, 12), 1))
            for mid, _c, _u in municipalities
            for label in self._tertial_labels()
        ]
        with self._copy(
            "followup_seriesvalue", "series municipality_id period value source imported_at"
        ) as copy:
            for mid, label, value in series:
                copy.write_row(("unemployment_20_24", mid, label, value, "bench", now))
        self.conn.commit()
        self.conn.close()
        return dict(self.counts)

    def _tertial_labels(self) -> list[str]:
        from followup.periods import last_complete_tertial

        return [p.label for p in last_complete_tertial(self.as_of).trend(TERTIALS)]

    def _copy(self, table: str, columns: str):
        return self.conn.cursor().copy(f"COPY {table} ({', '.join(columns.split())}) FROM STDIN")

    def _life(self, copies, pid, mid, birth, measures, kinds, now) -> None:
        """A young person's schooling, KAA or outreach and casework, drawn at random."""
        rng, as_of = self.rng, self.as_of
        turns_16, turns_20 = add_years(birth, 16), add_years(birth, 20)
        enrol = copies["schooling_enrolment"]
        first = max(turns_16, self.window)
        last = min(turns_20 - timedelta(days=1), as_of)
        if first <= last and rng.random() < 0.16:
            start = first + timedelta(days=rng.randrange((last - first).days + 1))
            self._kaa(copies, pid, mid, birth, start, measures, kinds, now)
            return
        if turns_16 <= as_of:
            school_start = date(turns_16.year, 8, 20)
            school_end = date(turns_16.year + 3, 6, 10)
            if school_start <= as_of:
                if rng.random() < 0.04:
                    gone = school_start + timedelta(days=rng.randrange(60, 900))
                    if gone <= as_of:
                        enrol.write_row(
                            (
                                mid,
                                pid,
                                SCHOOL_UNIT,
                                "gymnasieskola",
                                "NA",
                                school_start,
                                gone,
                                "avbrott",
                                "csv",
                            )
                        )
                        self.counts["enrolments"] += 1
                        return
                done = school_end <= as_of
                enrol.write_row(
                    (
                        mid,
                        pid,
                        SCHOOL_UNIT,
                        "gymnasieskola",
                        "NA",
                        school_start,
                        school_end if done else None,
                        "examen" if done else "",
                        "csv",
                    )
                )
                self.counts["enrolments"] += 1
        if turns_20 <= as_of and rng.random() < 0.02:
            self._outreach(copies, pid, mid, birth, kinds, now)

    def _kaa(self, copies, pid, mid, birth, start, measures, kinds, now, *, resumed=None) -> None:
        rng, as_of = self.rng, self.as_of
        turns_20 = add_years(birth, 20)
        second = resumed is not None
        why = "interrupted" if second else pick(rng, START_REASONS)
        enrol = copies["schooling_enrolment"]
        if why == "interrupted":
            enrol.write_row(
                (
                    mid,
                    pid,
                    SCHOOL_UNIT,
                    "gymnasieskola",
                    "IMV" if second else "NA",
                    resumed if second else start - timedelta(days=rng.randrange(60, 700)),
                    start - timedelta(days=1),
                    "avbrott",
                    "csv",
                )
            )
            self.counts["enrolments"] += 1
        end, end_why = None, ""
        if rng.random() < 0.6:
            end = start + timedelta(days=rng.randrange(20, 600))
            end_why = pick(rng, END_REASONS)
        if end is None or end >= turns_20:
            end, end_why = turns_20 - timedelta(days=1), "turned_20"
        if end > as_of and end_why != "turned_20":
            end, end_why = turns_20 - timedelta(days=1), "turned_20"
        copies["responsibility_responsibilityperiod"].write_row(
            (mid, pid, "kaa", start, why, end, end_why, "bench", "")
        )
        self.counts["kaa_periods"] += 1
        self._casework(copies, pid, mid, start, end, measures, kinds, now)
        if end_why == "started_education" and end < as_of:
            back = end + timedelta(days=1)
            if not second and rng.random() < 0.25:
                again = back + timedelta(days=rng.randrange(20, 200))
                if again < min(turns_20, as_of):
                    self._kaa(copies, pid, mid, birth, again, measures, kinds, now, resumed=back)
                    return
            enrol.write_row((mid, pid, SCHOOL_UNIT, "gymnasieskola", "IMV", back, None, "", "csv"))
            self.counts["enrolments"] += 1

    def _casework(self, copies, pid, mid, start, end, measures, kinds, now) -> None:
        rng = self.rng
        first, last = max(start, self.casework_from), min(end, self.as_of)
        if first > last:
            return
        day = first + timedelta(days=min(int(rng.expovariate(1 / 20)), (last - first).days))
        reached_on = None
        for _attempt in range(rng.randrange(0, 6)):
            if day > last:
                break
            outcome = pick(rng, OUTCOMES)
            at = datetime(day.year, day.month, day.day, rng.randrange(8, 17)).astimezone()
            copies["casework_contact"].write_row((mid, pid, "phone", at, outcome, "", now))
            self.counts["contacts"] += 1
            if outcome != "not_reached" and reached_on is None:
                reached_on = day
            day += timedelta(days=rng.randrange(2, 40))
        if reached_on is None:
            return
        copies["casework_occupation"].write_row(
            (
                mid,
                pid,
                kinds[rng.choice(OCCUPATIONS)],
                "young_person",
                reached_on,
                reached_on + timedelta(days=90),
                now,
            )
        )
        self.counts["occupations"] += 1
        if rng.random() < 0.7:
            offered = reached_on + timedelta(days=rng.randrange(0, 14))
            if offered > self.as_of:
                return
            answer = pick(rng, [("accepted", 75), ("declined", 20), ("pending", 5)])
            begun = offered + timedelta(days=7) if answer == "accepted" else None
            ended, why = None, ""
            if begun and rng.random() < 0.65:
                ended = begun + timedelta(days=rng.randrange(30, 200))
                if ended > self.as_of:
                    ended = None
                else:
                    why = pick(rng, MEASURE_ENDS)
            kind = rng.choice(["guidance", "motivational"])
            first_offer = pid not in self.offered
            self.offered.add(pid)
            copies["casework_personmeasure"].write_row(
                (
                    mid,
                    pid,
                    measures[(mid, kind)],
                    offered,
                    answer,
                    None if answer == "pending" else offered,
                    begun,
                    ended,
                    why,
                    "municipality",
                    "",
                    first_offer,
                    now,
                    now,
                )
            )
            self.counts["measures"] += 1

    def _outreach(self, copies, pid, mid, birth, kinds, now) -> None:
        rng, as_of = self.rng, self.as_of
        first = max(add_years(birth, 20), self.window)
        last = min(add_years(birth, 26) - timedelta(days=1), as_of)
        if first > last:
            return
        start = first + timedelta(days=rng.randrange((last - first).days + 1))
        end = start + timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.4 else None
        if end is not None and end > as_of:
            end = None
        copies["responsibility_responsibilityperiod"].write_row(
            (
                mid,
                pid,
                "outreach",
                start,
                "registered_with_consent",
                end,
                "closed" if end else "",
                "",
                "samtycke",
            )
        )
        self.counts["outreach_periods"] += 1
        if rng.random() < 0.3:
            began = start + timedelta(days=rng.randrange(10, 200))
            if began <= as_of:
                copies["schooling_enrolment"].write_row(
                    (mid, pid, SCHOOL_UNIT, "komvux", "", began, None, "", "csv")
                )
                self.counts["enrolments"] += 1


# ------------------------------------------------------------------ the driver


def run(argv=None) -> int:
    from import_bench import Database, Terminated, _on_sigterm

    parser = argparse.ArgumentParser(prog="bench/indicators", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = about 1.2 million people")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument(
        "--server",
        default=os.environ.get("SAMVERKA_BENCH_SERVER", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="keep the database afterwards (its URL is printed) to study query plans",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    python = os.environ.get("SAMVERKA_BENCH_PYTHON", str(ROOT / ".venv" / "bin" / "python"))
    db = Database(args.server, f"samverka_bench_ind_{os.getpid()}")
    workdir = Path(tempfile.mkdtemp(prefix="samverka-bench-ind-"))
    env = {
        **os.environ,
        "DATABASE_URL": db.url,
        "SAMVERKA_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "samverka.settings",
    }
    try:
        db.create()
        log(f"database {db.name}: migrating")
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log(f"generating and loading about {int(PEOPLE * args.scale):,} people (not measured)")
        started = time.perf_counter()
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SAMVERKA_VAR_DIR")})
        counts = Loader(db.url, args.scale, args.seed, args.as_of).run()
        log(f"loaded in {time.perf_counter() - started:.0f} s: {counts}")
        db.vacuum_analyze()
        log("measuring in a fresh process")
        measured = subprocess.run(
            [python, str(Path(__file__)), "--measure", args.as_of.isoformat()],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(measured.stdout.strip().splitlines()[-1])
        result.update(
            {
                "scale": args.scale,
                "seed": args.seed,
                "as_of": args.as_of.isoformat(),
                "rows": counts,
                "server_version": db.server_version(),
                "load": os.getloadavg(),
                "at": datetime.now().isoformat(timespec="seconds"),
            }
        )
        report(result)
        OUT_DIR.mkdir(exist_ok=True)
        out = OUT_DIR / f"indicators-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(result, indent=2, default=str))
        log(f"written {out.relative_to(ROOT)}")
        passed = (
            result["warm_seconds"] <= TARGET_SECONDS and result["baseline_agrees_with_kaa_total"]
        )
        return 0 if passed else 1
    except (Terminated, KeyboardInterrupt) as stopped:
        log(f"stopped ({stopped}); cleaning up")
        return 2
    except subprocess.CalledProcessError as failed:
        log(f"step failed: {failed}\n{getattr(failed, 'stderr', '') or ''}")
        return 2
    finally:
        if args.keep_db:
            log(f"kept {db.url}")
        else:
            db.drop()
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        workdir.rmdir()


def report(result: dict) -> None:
    cold, warm = result["cold_seconds"], result["warm_seconds"]
    base_cold, base_warm = result["baseline_cold_seconds"], result["baseline_warm_seconds"]
    print()
    print(f"{result['rows'].get('people', 0):,} people, {result['municipalities']} municipalities,")
    print(f"tertials {', '.join(result['periods'])}; as of {result['as_of']}")
    print(f"{'figure':58} {'cold s':>8} {'warm s':>8}")
    print(f"{'all indicators, all municipalities, six tertials':58} {cold:8.2f} {warm:8.2f}")
    label = "baseline: one SQL GROUP BY of kaa_total, six tertials"
    print(f"{label:58} {base_cold:8.3f} {base_warm:8.3f}")
    print(f"{'ratio (indicators / baseline)':58} {cold / base_cold:8.1f} {warm / base_warm:8.1f}")
    verdict = "met" if warm <= TARGET_SECONDS else "MISSED"
    print(f"target: all indicators ≤ {TARGET_SECONDS:.0f} s (warm): {verdict}")
    print(f"baseline agrees with kaa_total: {result['baseline_agrees_with_kaa_total']}")
    print()
    print(f"{'each indicator alone, six tertials (warm)':58} {'':>8} {'s':>8}")
    for indicator_id, seconds in sorted(
        result["per_indicator_warm"].items(), key=lambda kv: -kv[1]
    ):
        print(f"{indicator_id:58} {'':>8} {seconds:8.3f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(date.fromisoformat(sys.argv[2])), default=str))
        sys.exit(0)
    sys.exit(run())
