"""Worklist benchmark: server time and queries per worklist page, on SQLite or PostgreSQL.

Run through ``bench/worklists`` (see bench/README.md). The benchmark

1. creates a throwaway database and migrates it: SQLite in a temporary
   ``SAMVERKA_VAR_DIR`` by default, or with ``--database-url`` a new database
   on that PostgreSQL server (the database named in the URL is never touched),
2. builds a tenth of N young people in Sundbyberg's responsibility and counts
   the queries of every page, then grows them to N (default 10,000),
   with contacts, occupations, measures, plans, handlers and enrolments, plus
   a tenth as many whose responsibility has ended (generated personnummer
   with a valid check digit, which is why it only ever runs in its own
   database), and counts the queries again,
3. asks every worklist page (and the overview) ``--requests`` times through
   ``django.test.Client`` as a logged-in counsellor, in turn with a bare view
   that renders the same number of rows from a list in memory with the same
   base template and middleware,
4. prints median and p95 of each, the ratio to the bare view (shown, no
   longer a target), and a PASS or FAIL line per list for the targets: p95 <=
   150 ms at 10,000 people, and the same number of queries at both sizes;
   writes ``bench/out/worklists-<timestamp>.json``,
5. removes the temporary directory and drops the database, also on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import types
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 150.0
TARGET_PEOPLE = 10_000  # the p95 target is for a list of this many young people
MUNICIPALITY = "0183"


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


class PostgresDatabase:
    """A throwaway database on the server of ``url``, created here and dropped at the end.
    The database named in ``url`` is never used: CREATE and DROP connect to ``postgres``."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"--database-url must be a postgres:// URL, not {url!r}")
        self.name = f"samverka_bench_worklists_{os.getpid()}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self._admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.created = False

    def _admin(self):
        import psycopg

        return psycopg.connect(self._admin_url, autocommit=True)

    def create(self) -> None:
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        from django.db import connections

        connections.close_all()
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False


def setup_django(var_dir: Path, database_url: str | None) -> None:
    os.environ["SAMVERKA_VAR_DIR"] = str(var_dir)
    # Only ever the throwaway database: the SQLite file in var_dir, or the one made here.
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["SAMVERKA_DEBUG"] = "0"  # as in production: no query log, cached templates
    os.environ["SAMVERKA_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverka.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# ------------------------------------------------------------------ the data


class Population:
    """Young people in Sundbyberg's responsibility with what casework leaves behind,
    grown in steps (``grow``); the staff, the measure and the school are made once."""

    def __init__(self, seed: int, today: date):
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from casework.models import Measure, MeasureKind, OccupationKind
        from demo.generators import FEMALE, MALE
        from organisations.models import Membership, Municipality, kaa_unit_of
        from organisations.permissions import Role
        from schooling.models import SchoolUnit

        self.rng = rng = random.Random(seed)
        self.today = today
        self.municipality = Municipality.objects.by_code(MUNICIPALITY)
        unit = kaa_unit_of(self.municipality.pk)
        self.staff = []
        for i in range(8):
            user = get_user_model().objects.create(
                username=f"syv{i}",
                first_name=rng.choice(FEMALE + MALE),
                last_name=f"Vägledare{i}",
            )
            Membership.objects.create(user=user, organisation=unit, role=Role.COUNSELLOR)
            self.staff.append(user)
        TOTPDevice.objects.create(user=self.staff[0], name="bench", confirmed=True)
        self.user = self.staff[0]
        self.kinds = list(OccupationKind.objects.filter(municipality__isnull=True))
        self.measure = Measure.objects.create(
            municipality=self.municipality,
            name="Studievägledning",
            kind=MeasureKind.GUIDANCE,
            owner=unit,
        )
        self.school = SchoolUnit.objects.create(code="12345678", name="Komvux Sundbyberg")
        self.seen: set[str] = set()
        self.counts: dict[str, int] = {}

    @property
    def size(self) -> int:
        return self.counts.get("in_kaa", 0) + self.counts.get("in_outreach", 0)

    def grow(self, size: int) -> None:
        """``size`` more people in the responsibility (80 % KAA, 20 % outreach) and a
        tenth as many whose responsibility has ended; then the worklist state is made
        from the rows and the planner's statistics are refreshed."""
        from django.db import connection
        from django.utils import timezone

        from casework.models import (
            Case,
            Channel,
            Contact,
            Occupation,
            Outcome,
            PersonMeasure,
            Plan,
            Responsible,
        )
        from demo.generators import FEMALE, MALE, SURNAMES, synthetic_numbers
        from people.identity import parse
        from people.models import Person, ResidencePeriod
        from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
        from samverka.dates import add_years
        from schooling.models import Enrolment
        from worklists import state

        rng, today, municipality, staff = self.rng, self.today, self.municipality, self.staff
        seen = self.seen
        in_kaa = int(size * 0.8)
        # Synthetic numbers: the database is the benchmark's own and dropped after it.
        kaa = synthetic_numbers(
            rng, in_kaa, add_years(today, -20) + timedelta(days=1), add_years(today, -16), seen=seen
        )
        outreach = synthetic_numbers(
            rng,
            size - in_kaa,
            add_years(today, -26) + timedelta(days=1),
            add_years(today, -20),
            seen=seen,
        )
        ended = synthetic_numbers(
            rng, size // 10, add_years(today, -21), add_years(today, -20), seen=seen
        )

        def person(number: str) -> Person:
            birth = parse(number).birth_date
            return Person(
                municipality=municipality,
                identity_number=number,
                birth_date=birth,
                birth_year=birth.year,
                first_name=rng.choice(FEMALE + MALE),
                last_name=rng.choice(SURNAMES),
                street="Storgatan 1",
                postal_code="17231",
                city="SUNDBYBERG",
                sekretessmarkering=rng.random() < 0.002,
            )

        persons = Person.objects.bulk_create(
            [person(n) for n in kaa + outreach + ended], batch_size=2000
        )
        ResidencePeriod.objects.bulk_create(
            [
                ResidencePeriod(
                    municipality=municipality,
                    person=p,
                    municipality_code=MUNICIPALITY,
                    start=p.birth_date,
                )
                for p in persons
            ],
            batch_size=2000,
        )
        periods = []
        for i, p in enumerate(persons):
            if i < len(kaa):
                start = today - timedelta(days=rng.randint(0, 700))
                start = max(start, add_years(p.birth_date, 16))
                periods.append(
                    ResponsibilityPeriod(
                        municipality=municipality,
                        person=p,
                        kind=Kind.KAA,
                        start=start,
                        start_reason=StartReason.INTERRUPTED,
                        end=add_years(p.birth_date, 20) - timedelta(days=1),
                        end_reason=EndReason.TURNED_20,
                    )
                )
            elif i < len(kaa) + len(outreach):
                start = max(
                    today - timedelta(days=rng.randint(0, 500)), add_years(p.birth_date, 20)
                )
                periods.append(
                    ResponsibilityPeriod(
                        municipality=municipality,
                        person=p,
                        kind=Kind.OUTREACH,
                        start=start,
                        start_reason=StartReason.REGISTERED_WITH_CONSENT,
                        end=add_years(p.birth_date, 26) - timedelta(days=1),
                        end_reason=EndReason.AGE_LIMIT,
                        registered_by=staff[0],
                    )
                )
            else:
                periods.append(
                    ResponsibilityPeriod(
                        municipality=municipality,
                        person=p,
                        kind=Kind.KAA,
                        start=add_years(p.birth_date, 17),
                        start_reason=StartReason.INTERRUPTED,
                        end=add_years(p.birth_date, 20) - timedelta(days=1),
                        end_reason=EndReason.TURNED_20,
                    )
                )
        ResponsibilityPeriod.objects.bulk_create(periods, batch_size=2000)

        now = timezone.now()
        contacts, occupations, offers, plans, cases, enrolments = [], [], [], [], [], []
        for p in persons:
            for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
                contacts.append(
                    Contact(
                        municipality=municipality,
                        person=p,
                        channel=rng.choice(Channel.values),
                        at=now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600)),
                        outcome=rng.choice(
                            (Outcome.NOT_REACHED, Outcome.NOT_REACHED, Outcome.REACHED)
                        ),
                        by=rng.choice(staff),
                    )
                )
            if rng.random() < 0.6:
                start = today - timedelta(days=rng.randint(0, 300))
                occupations.append(
                    Occupation(
                        municipality=municipality,
                        person=p,
                        kind=rng.choice(self.kinds),
                        source="school",
                        start=start,
                        review_by=start + timedelta(days=90),
                        recorded_by=rng.choice(staff),
                    )
                )
            if rng.random() < 0.4:
                offers.append(
                    PersonMeasure(
                        municipality=municipality,
                        person=p,
                        measure=self.measure,
                        offered_on=today - timedelta(days=rng.randint(0, 400)),
                        responsible=Responsible.MUNICIPALITY,
                    )
                )
            if rng.random() < 0.25:
                plans.append(
                    Plan(
                        municipality=municipality,
                        person=p,
                        goal="Börja studera",
                        follow_up_on=today + timedelta(days=rng.randint(-60, 60)),
                        evaluate_on=today + timedelta(days=rng.randint(0, 120)),
                    )
                )
            if rng.random() < 0.5:
                cases.append(
                    Case(
                        municipality=municipality,
                        person=p,
                        handler=rng.choice(staff),
                        assigned_at=now,
                    )
                )
            if rng.random() < 0.1:
                enrolments.append(
                    Enrolment(
                        municipality=municipality,
                        person=p,
                        school_unit=self.school,
                        school_form="komvux",
                        start_date=today - timedelta(days=rng.randint(1, 200)),
                        source="csv",
                    )
                )
        for model, rows in (
            (Contact, contacts),
            (Occupation, occupations),
            (PersonMeasure, offers),
            (Plan, plans),
            (Case, cases),
            (Enrolment, enrolments),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
        # Written in bulk, past the actions: the worklists' state is made from the rows.
        state.rebuild()
        with connection.cursor() as cursor:
            # As autovacuum would have done on a server: statistics, and on PostgreSQL
            # the visibility map that lets an index serve a count alone.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        for key, value in (
            ("in_kaa", len(kaa)),
            ("in_outreach", len(outreach)),
            ("ended", len(ended)),
            ("contacts", len(contacts)),
            ("occupations", len(occupations)),
            ("measures", len(offers)),
            ("plans", len(plans)),
            ("cases", len(cases)),
            ("enrolments", len(enrolments)),
        ):
            self.counts[key] = self.counts.get(key, 0) + value


# ------------------------------------------------------------------ the bare view

BARE_TEMPLATE = """{% extends "base.html" %}{% load i18n %}
{% block title %}Bare{% endblock %}
{% block content %}<h1>Bare</h1>
<table><caption>Rows</caption><thead><tr>
<th scope="col">Name</th><th scope="col">Identity number</th><th scope="col">Responsibility</th>
<th scope="col">Age</th><th scope="col">Since</th><th scope="col">Last contact</th>
<th scope="col">Occupation</th><th scope="col">Handler</th><th scope="col">Log</th>
</tr></thead><tbody>
{% for r in rows %}<tr><th scope="row"><a href="/persons/{{ r.id }}/case/">{{ r.name }}</a></th>
<td>{{ r.number }}</td><td>{{ r.kind }}</td><td>{{ r.age }}</td><td>{{ r.since|date:"Y-m-d" }}</td>
<td>{{ r.last|date:"Y-m-d" }}</td><td>{{ r.occupation }}</td><td>{{ r.handler }}</td>
<td><a href="/persons/{{ r.id }}/contacts/quick/">Log</a></td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


def install_bare_view(rows: int) -> str:
    """A URLconf with the application's routes and /bench/bare/, which renders
    ``rows`` rows from a list in memory."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import clear_url_caches, path

    import samverka.urls

    template = engines["django"].from_string(BARE_TEMPLATE)
    data = [
        {
            "id": i,
            "name": f"Förnamn Efternamn{i}",
            "number": f"20080101-{i:04d}",
            "kind": "KAA",
            "age": 18,
            "since": date(2026, 1, 1),
            "last": date(2026, 2, 1),
            "occupation": "Okänd",
            "handler": "Test Användare",
        }
        for i in range(rows)
    ]

    @login_required
    def bare(request):
        return HttpResponse(template.render({"rows": data}, request))

    module = types.ModuleType("bench_worklists_urls")
    module.urlpatterns = [path("bench/bare/", bare), *samverka.urls.urlpatterns]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    return "/bench/bare/"


# ------------------------------------------------------------------ measuring


def client_for(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def stats(times: list[float], cpu: list[float]) -> dict:
    times = sorted(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return {
        "median_ms": statistics.median(times),
        "p95_ms": p95,
        "max_ms": times[-1],
        "cpu_median_ms": statistics.median(cpu),
    }


def timed_get(client, url: str) -> tuple[float, float]:
    """Wall and CPU time of one request. The CPU time is this process's own (SQLite
    runs in it too), so it changes less than wall time when the machine is busy."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    used = (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return elapsed, used


def measure(client, url: str, bare_url: str, requests: int, warmup: int = 3) -> dict:
    """The page and the bare view, asked in turn, so both meet the same load."""
    for _ in range(warmup):
        timed_get(client, url)
        timed_get(client, bare_url)
    page, page_cpu, bare, bare_cpu = [], [], [], []
    for _ in range(requests):
        wall, cpu = timed_get(client, url)
        page.append(wall)
        page_cpu.append(cpu)
        wall, cpu = timed_get(client, bare_url)
        bare.append(wall)
        bare_cpu.append(cpu)
    result = stats(page, page_cpu)
    result["bare"] = stats(bare, bare_cpu)
    result["ratio_p95"] = result["p95_ms"] / result["bare"]["p95_ms"]
    result["ratio_median"] = result["median_ms"] / result["bare"]["median_ms"]
    result["ratio_cpu"] = result["cpu_median_ms"] / result["bare"]["cpu_median_ms"]
    return result


def query_count(client, url: str) -> dict:
    """The queries of one request (after one to warm the caches), not timed, and the
    rows the page showed: a page with no rows writes no audit events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timed_get(client, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return {"queries": len(captured), "rows": response.content.count(b'<th scope="row">')}


def page_urls() -> dict[str, str]:
    from worklists.lists import WORKLISTS

    urls = {"overview": "/worklists/"}
    urls.update({slug: f"/worklists/{slug}/" for slug in WORKLISTS})
    return urls


def run(args) -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="samverka_bench_worklists_"))
    database = PostgresDatabase(args.database_url) if args.database_url else None
    try:
        if database is not None:
            database.create()
            log(f"Throwaway database {database.name} on {urlsplit(database.url).hostname}")
        else:
            log(f"Throwaway SQLite database in {var_dir}")
        setup_django(var_dir, database.url if database else None)
        from django.utils import timezone

        from worklists.queries import PAGE_SIZE

        engine = database_name()
        today = timezone.localdate()
        urls = page_urls()
        population = Population(args.seed, today)
        small = args.people // 10
        started = time.perf_counter()
        population.grow(small)
        log(f"Built {population.counts} in {time.perf_counter() - started:.1f} s")
        bare_url = install_bare_view(PAGE_SIZE)
        client = client_for(population.user)
        queries = {slug: {"small": query_count(client, url)} for slug, url in urls.items()}
        empty = [slug for slug in urls if slug != "overview" and not queries[slug]["small"]["rows"]]
        if empty:
            log(f"Empty at {small:,} people, queries not comparable: {', '.join(empty)}")
        started = time.perf_counter()
        population.grow(args.people - small)
        log(f"Grew to {population.counts} in {time.perf_counter() - started:.1f} s (not measured)")
        for slug, url in urls.items():
            queries[slug]["full"] = query_count(client, url)
        load_before = os.getloadavg()
        results = {}
        for slug, url in urls.items():
            results[slug] = measure(client, url, bare_url, args.requests)
            results[slug]["url"] = url
            results[slug]["queries"] = queries[slug]
        load_after = os.getloadavg()
        failed = report(results, engine=engine, people=population.size, small=small)
        OUT_DIR.mkdir(exist_ok=True)
        out = OUT_DIR / f"worklists-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(
            json.dumps(
                {
                    "database": engine,
                    "people": population.size,
                    "people_counted_small": small,
                    "requests": args.requests,
                    "seed": args.seed,
                    "date": today.isoformat(),
                    "rows_per_page": PAGE_SIZE,
                    "data": population.counts,
                    "targets": {
                        "p95_ms": TARGET_P95_MS,
                        "at_people": TARGET_PEOPLE,
                        "queries": "the same at both sizes",
                    },
                    "pages": results,
                    "load_before": load_before,
                    "load_after": load_after,
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                    "targets_met": not failed,
                },
                indent=2,
            )
        )
        log(f"Load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; wrote {out}")
        return 1 if failed else 0
    finally:
        if database is not None:
            database.drop()
        shutil.rmtree(var_dir, ignore_errors=True)


def report(results: dict, *, engine: str, people: int, small: int) -> list[str]:
    """The figures of every page, then a PASS or FAIL line per list; the lists that
    missed a target. The ratio to the bare view is shown, not judged."""
    print()
    print(f"{engine}, {people:,} young people in responsibility")
    print(
        f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'bare median':>12} {'bare p95':>9}"
        f" {'x bare p95':>11} {'x bare median':>14} {'cpu ms':>7} {'bare cpu':>9}"
        f" {'x bare cpu':>11} {'queries':>8}"
    )
    for slug, r in results.items():
        print(
            f"{slug:<16} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f}"
            f" {r['bare']['median_ms']:>12.1f} {r['bare']['p95_ms']:>9.1f}"
            f" {r['ratio_p95']:>11.2f} {r['ratio_median']:>14.2f} {r['cpu_median_ms']:>7.1f}"
            f" {r['bare']['cpu_median_ms']:>9.1f} {r['ratio_cpu']:>11.2f}"
            f" {r['queries']['full']['queries']:>8}"
        )
    print()
    note = "" if people >= TARGET_PEOPLE else f" (the target is for {TARGET_PEOPLE:,} people)"
    print(
        f"Targets for each list page on {engine}: p95 <= {TARGET_P95_MS:.0f} ms at"
        f" {people:,} people{note}; the same number of queries at {small:,} and at"
        f" {people:,} people. The overview is shown, not judged."
    )
    failed = []
    for slug, r in results.items():
        if slug == "overview":
            continue
        at_small, at_full = r["queries"]["small"], r["queries"]["full"]
        fast = r["p95_ms"] <= TARGET_P95_MS
        # A page with no rows writes no audit events: compare only lists with rows.
        constant = at_small["queries"] == at_full["queries"] and at_small["rows"] > 0
        r["targets_met"] = fast and constant
        if not r["targets_met"]:
            failed.append(slug)
        why = "" if constant else " (not constant)" if at_small["rows"] else " (empty at first)"
        print(
            f"{'PASS' if r['targets_met'] else 'FAIL'}  {slug:<16}"
            f" p95 {r['p95_ms']:.1f} ms {'<=' if fast else '>'} {TARGET_P95_MS:.0f} ms;"
            f" queries {at_small['queries']} at {small:,} and {at_full['queries']} at"
            f" {people:,} people{why}"
        )
    print("All met." if not failed else "Missed: " + ", ".join(failed))
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="people in responsibility")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="run on PostgreSQL: the server of this postgres:// URL, in a throwaway database"
        " made and dropped here (the database named in the URL is never touched);"
        " by default a throwaway SQLite file. DATABASE_URL is ignored.",
    )
    args = parser.parse_args()
    if args.people < 1000:
        parser.error("--people must be at least 1000")
    # Killed (a timeout, Ctrl-C from a wrapper): still drop the database on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return run(args)
    except Exception as error:  # noqa: BLE001 - report and exit 2, as bench/import does
        log(f"The benchmark failed: {error!r}")
        raise SystemExit(2) from error


if __name__ == "__main__":
    sys.exit(main())
