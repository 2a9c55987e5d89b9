"""Worklist benchmark on SQLite: server time per worklist page against a bare Django view.

Run through ``bench/worklists`` (see bench/README.md). The benchmark

1. creates a throwaway SQLite database in a temporary ``SAMVERKA_VAR_DIR`` and
   migrates it,
2. builds N young people (default 10,000) in Sundbyberg's responsibility,
   with contacts, occupations, measures, plans, handlers and enrolments, plus
   a tenth as many whose responsibility has ended (generated personnummer with
   a valid check digit, which is why it only ever runs in its own database),
3. asks every worklist page (and the overview) ``--requests`` times through
   ``django.test.Client`` as a logged-in counsellor, and the same number of
   times a bare view that renders the same number of rows from a list in
   memory with the same base template and middleware,
4. prints median and p95 of each, with the ratio to the bare view, checks the
   targets and writes ``bench/out/worklists-<timestamp>.json``,
5. removes the temporary directory, also on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import types
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 150.0
TARGET_RATIO = 3.0
MUNICIPALITY = "0183"


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def setup_django(var_dir: Path) -> None:
    os.environ["SAMVERKA_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)  # always SQLite, always the throwaway file
    os.environ["SAMVERKA_DEBUG"] = "0"  # as in production: no query log, cached templates
    os.environ["SAMVERKA_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverka.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ------------------------------------------------------------------ the data


def personnummer(birth: date, serial: int) -> str:
    from people.identity import luhn_check_digit

    nine = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn_check_digit(nine)}"


def numbers(rng: random.Random, count: int, first: date, last: date, seen: set) -> list[str]:
    days = (last - first).days + 1
    found = []
    while len(found) < count:
        number = personnummer(first + timedelta(days=rng.randrange(days)), rng.randint(1, 999))
        if number not in seen:
            seen.add(number)
            found.append(number)
    return found


def build(size: int, seed: int, today: date) -> dict:
    """N people in the responsibility, a tenth more whose responsibility has ended."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casework.models import (
        Case,
        Channel,
        Contact,
        Measure,
        MeasureKind,
        Occupation,
        OccupationKind,
        Outcome,
        PersonMeasure,
        Plan,
        Responsible,
    )
    from demo.names import FEMALE, MALE, SURNAMES
    from organisations.models import Membership, Municipality, kaa_unit_of
    from organisations.permissions import Role
    from people.identity import parse
    from people.models import Person, ResidencePeriod
    from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
    from samverka.dates import add_years
    from schooling.models import Enrolment, SchoolUnit

    rng = random.Random(seed)
    municipality = Municipality.objects.by_code(MUNICIPALITY)
    unit = kaa_unit_of(municipality.pk)
    staff = []
    for i in range(8):
        user = get_user_model().objects.create(
            username=f"syv{i}", first_name=rng.choice(FEMALE + MALE), last_name=f"Vägledare{i}"
        )
        Membership.objects.create(user=user, organisation=unit, role=Role.COUNSELLOR)
        staff.append(user)
    TOTPDevice.objects.create(user=staff[0], name="bench", confirmed=True)

    seen: set[str] = set()
    in_kaa = int(size * 0.8)
    kaa = numbers(
        rng, in_kaa, add_years(today, -20) + timedelta(days=1), add_years(today, -16), seen
    )
    outreach = numbers(
        rng, size - in_kaa, add_years(today, -26) + timedelta(days=1), add_years(today, -20), seen
    )
    ended = numbers(rng, size // 10, add_years(today, -21), add_years(today, -20), seen)

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
            start = max(today - timedelta(days=rng.randint(0, 500)), add_years(p.birth_date, 20))
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
    kinds = list(OccupationKind.objects.filter(municipality__isnull=True))
    measure = Measure.objects.create(
        municipality=municipality, name="Studievägledning", kind=MeasureKind.GUIDANCE, owner=unit
    )
    school = SchoolUnit.objects.create(code="12345678", name="Komvux Sundbyberg")
    for p in persons:
        for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
            contacts.append(
                Contact(
                    municipality=municipality,
                    person=p,
                    channel=rng.choice(Channel.values),
                    at=now - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600)),
                    outcome=rng.choice((Outcome.NOT_REACHED, Outcome.NOT_REACHED, Outcome.REACHED)),
                    by=rng.choice(staff),
                )
            )
        if rng.random() < 0.6:
            start = today - timedelta(days=rng.randint(0, 300))
            occupations.append(
                Occupation(
                    municipality=municipality,
                    person=p,
                    kind=rng.choice(kinds),
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
                    measure=measure,
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
                    municipality=municipality, person=p, handler=rng.choice(staff), assigned_at=now
                )
            )
        if rng.random() < 0.1:
            enrolments.append(
                Enrolment(
                    municipality=municipality,
                    person=p,
                    school_unit=school,
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
    from casework import state

    # Written in bulk, past the actions: the worklists' state is made from the rows.
    state.rebuild()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "user": staff[0],
        "counts": {
            "in_kaa": len(kaa),
            "in_outreach": len(outreach),
            "ended": len(ended),
            "contacts": len(contacts),
            "occupations": len(occupations),
            "measures": len(offers),
            "plans": len(plans),
            "cases": len(cases),
            "enrolments": len(enrolments),
        },
    }


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


def run(args) -> int:
    today = date.today()
    var_dir = Path(tempfile.mkdtemp(prefix="samverka_bench_worklists_"))
    try:
        log(f"Throwaway database in {var_dir}")
        setup_django(var_dir)
        from django.utils import timezone

        from worklists.lists import WORKLISTS
        from worklists.queries import PAGE_SIZE

        today = timezone.localdate()
        started = time.perf_counter()
        built = build(args.people, args.seed, today)
        log(f"Built {built['counts']} in {time.perf_counter() - started:.1f} s (not measured)")
        bare_url = install_bare_view(PAGE_SIZE)
        client = client_for(built["user"])
        load_before = os.getloadavg()
        results = {}
        for slug in ["overview", *WORKLISTS]:
            url = "/worklists/" if slug == "overview" else f"/worklists/{slug}/"
            results[slug] = measure(client, url, bare_url, args.requests)
            results[slug]["url"] = url
        load_after = os.getloadavg()
        failed = report(results)
        OUT_DIR.mkdir(exist_ok=True)
        out = OUT_DIR / f"worklists-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(
            json.dumps(
                {
                    "people": args.people,
                    "requests": args.requests,
                    "seed": args.seed,
                    "date": today.isoformat(),
                    "rows_per_page": PAGE_SIZE,
                    "data": built["counts"],
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
        shutil.rmtree(var_dir, ignore_errors=True)


def report(results: dict) -> list[str]:
    print()
    print(
        f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'bare median':>12} {'bare p95':>9}"
        f" {'x bare p95':>11} {'x bare median':>14} {'cpu ms':>7} {'bare cpu':>9}"
        f" {'x bare cpu':>11}"
    )
    failed = []
    for slug, r in results.items():
        misses = []
        if r["p95_ms"] > TARGET_P95_MS:
            misses.append(f"p95 > {TARGET_P95_MS:.0f} ms")
        if r["ratio_p95"] > TARGET_RATIO:
            misses.append(f"> {TARGET_RATIO:.0f}x bare")
        r["misses"] = misses
        if misses and slug != "overview":
            failed.append(slug)
        print(
            f"{slug:<16} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f}"
            f" {r['bare']['median_ms']:>12.1f} {r['bare']['p95_ms']:>9.1f}"
            f" {r['ratio_p95']:>11.2f} {r['ratio_median']:>14.2f} {r['cpu_median_ms']:>7.1f}"
            f" {r['bare']['cpu_median_ms']:>9.1f} {r['ratio_cpu']:>11.2f}"
            f"  {'; '.join(misses) or 'ok'}"
        )
    print()
    verdict = "All met." if not failed else "Missed: " + ", ".join(failed)
    print(
        f"Targets for each list page: p95 <= {TARGET_P95_MS:.0f} ms and <= {TARGET_RATIO:.0f}x"
        f" the bare view's p95, measured in turn with it (the overview is shown, not"
        f" judged). {verdict}"
    )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="people in responsibility")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    try:
        return run(args)
    except Exception as error:  # noqa: BLE001 - report and exit 2, as bench/import does
        log(f"The benchmark failed: {error!r}")
        raise SystemExit(2) from error


if __name__ == "__main__":
    sys.exit(main())
