"""Benchmark: plan indicators at 10 years × 500 org units × 50 data elements.

Run from the repository root::

    .venv/bin/python benchmarks/indicators.py [--db URL] [--requests 200] [--keep] [--profile]

It builds a separate benchmark database (never the one in KECHUANG_DATABASE_URL), loads the real
plan file, adds 500 org units under the plan's district and 250,000 approved figures through the
real bulk import, then measures in-process (Django's test Client, no HTTP, no network):

* page and API latency (p50/p95/max) and queries per request;
* ``compute_plan`` alone for the district (a roll-up of 500 units) and for one unit;
* the full recompute, ``compute_all_units(plan)``.

It prints a markdown table; paste the numbers into docs/benchmarks.md by hand. It is a script,
not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "data" / "plans" / "dushanzi-2021-2025.yaml"
PLAN_CODE = "dushanzi-2021-2025"
DEFAULT_DB = "sqlite:///var/bench-indicators.sqlite3"

UNITS = 500
ELEMENTS = 50
YEARS = range(2016, 2026)  # ten years; the plan itself covers 2020 (baseline) to 2025
UNIT_PREFIX = "B"
SYNTHETIC_PREFIX = "BENCH_E"
SOURCE = "基准测试合成数据 / benchmark synthetic data"
SEED = 20_210_101


# --- environment, before Django starts -------------------------------------------------------


def database_url(raw: str) -> str:
    """The URL with a relative SQLite path made absolute under the repository root."""
    parts = urlsplit(raw)
    if parts.scheme == "sqlite":
        path = Path(unquote(parts.path[1:]))
        if not path.is_absolute():
            path = ROOT / path
        return f"sqlite:///{path}"
    if parts.scheme in {"postgres", "postgresql"}:
        return raw
    raise SystemExit(f"--db: unsupported scheme {parts.scheme!r} (sqlite:/// or postgres://)")


def database_name(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path[1:] if parts.scheme == "sqlite" else parts.path.lstrip("/"))


def describe_db(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return f"SQLite file {database_name(url)}"
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{database_name(url)}"


def prepare_environment(url: str) -> None:
    os.environ["KECHUANG_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    os.environ["KECHUANG_DEBUG"] = "0"
    # The test Client sends Host: testserver; only this process ever sees these settings.
    hosts = os.environ.get("KECHUANG_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    os.environ["KECHUANG_ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver"]))
    os.environ.setdefault("KECHUANG_LOG_LEVEL", "ERROR")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def remove_sqlite_file(url: str) -> None:
    path = Path(database_name(url))
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def reset_postgres_schema() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cur.execute("CREATE SCHEMA public")


# --- machine facts ---------------------------------------------------------------------------


def machine_facts(url: str) -> list[tuple[str, str]]:
    import sqlite3

    import django
    from django.db import connection

    cpu = "unknown"
    mem = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"^model name\s*:\s*(.+)$", text, re.M).group(1).strip()
    except (OSError, AttributeError):
        pass
    try:
        kb = int(re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            server = f"PostgreSQL {cur.fetchone()[0]}"
    else:
        server = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
    return [
        ("date (UTC)", time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())),
        ("nproc", nproc.strip()),
        ("CPU", cpu),
        ("memory", mem),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("SQLite library", sqlite3.sqlite_version),
        ("database", f"{server}; {describe_db(url)}"),
    ]


# --- the dataset -----------------------------------------------------------------------------


def money(x: float) -> Decimal:
    return Decimal(round(x))


def count(x: float) -> Decimal:
    return Decimal(max(0, round(x)))


def plan_series(rng: random.Random, years: range) -> dict[str, dict[int, Decimal]]:
    """One unit's figures for the plan's elements: consistent, growing, of realistic size.

    The validation rules hold (FTE ≤ headcount, firms with R&D ≤ firms, trade ≤ contracts…),
    so the dashboard shows the cost of checking rules, not a wall of violations.
    """
    gdp0 = 10 ** rng.uniform(8, 10)  # 1e8–1e10 yuan
    growth = rng.uniform(0.02, 0.08)
    pop0 = 10 ** rng.uniform(3, 5)  # 1e3–1e5 people
    rd_share0, rd_step = rng.uniform(0.01, 0.02), rng.uniform(0.0, 0.002)
    budget_share = rng.uniform(0.10, 0.20)
    st_share0 = rng.uniform(0.01, 0.025)
    ind_share = rng.uniform(0.5, 1.5)
    ind_rd0 = rng.uniform(0.003, 0.012)
    firms0 = rng.uniform(5, 200)
    firm_rd0 = rng.uniform(0.10, 0.30)
    ent0 = rng.uniform(200, 20_000)
    hnte0 = rng.uniform(0, 25)
    sme0 = rng.uniform(0, 40)
    patents0 = rng.uniform(0, 400)
    out: dict[str, dict[int, Decimal]] = {}

    def put(code: str, year: int, value: Decimal) -> None:
        out.setdefault(code, {})[year] = value

    for i, year in enumerate(years):
        noise = rng.uniform(0.98, 1.02)
        gdp = gdp0 * (1 + growth) ** i * noise
        pop = pop0 * (1.005**i) * rng.uniform(0.99, 1.01)
        budget = gdp * budget_share * rng.uniform(0.95, 1.05)
        st = budget * (st_share0 + 0.001 * i)
        ind_rev = gdp * ind_share * rng.uniform(0.95, 1.05)
        firms = count(firms0 * (1.02**i))
        rd_people = count(pop * rng.uniform(0.002, 0.02))
        contract = gdp * rng.uniform(0.001, 0.01)
        patents = count(patents0 * (1.08**i))
        put("GDP", year, money(gdp))
        put("RD_EXP", year, money(gdp * (rd_share0 + rd_step * i)))
        put("GEN_BUDGET_EXP", year, money(budget))
        put("FISCAL_ST_EXP", year, money(st))
        put("FISCAL_ST_CLASS", year, money(st * rng.uniform(0.6, 0.9)))
        put("IND_REVENUE", year, money(ind_rev))
        put("IND_RD_EXP", year, money(ind_rev * (ind_rd0 + 0.0005 * i)))
        put("IND_FIRMS", year, firms)
        put("IND_FIRMS_RD", year, count(float(firms) * min(1.0, firm_rd0 + 0.01 * i)))
        put("HNTE_COUNT", year, count(hnte0 * (1.1**i)))
        put("HNTE_IND_REVENUE", year, money(ind_rev * rng.uniform(0.05, 0.30)))
        put("ENTERPRISES", year, count(ent0 * (1.04**i)))
        put("RD_PERSONNEL", year, rd_people)
        put(
            "RD_FTE",
            year,
            (rd_people * Decimal(str(rng.uniform(0.5, 0.9)))).quantize(Decimal("0.1")),
        )
        put("POPULATION", year, count(pop))
        put("TECH_CONTRACT_VALUE", year, money(contract))
        put("TECH_TRADE_VALUE", year, money(contract * rng.uniform(0.3, 0.9)))
        put("INVENTION_PATENTS", year, patents)
        put("HV_INVENTION_PATENTS", year, count(float(patents) * rng.uniform(0.2, 0.5)))
        put("TECH_SME_COUNT", year, count(sme0 * (1.1**i)))
    return out


def other_series(rng: random.Random, value_type: str, years: range) -> dict[int, Decimal]:
    """Synthetic elements (and any plan element not known above): a noisy growing figure."""
    base = 10 ** (rng.uniform(6, 9) if value_type == "money" else rng.uniform(1, 4))
    growth = rng.uniform(-0.02, 0.08)
    return {
        y: count(base * (1 + growth) ** i * rng.uniform(0.95, 1.05)) for i, y in enumerate(years)
    }


def ensure_structure(region):
    """500 org units under the district and elements up to 50; returns (units, elements)."""
    from kechuang.accounts.models import Organization
    from kechuang.indicators.models import DataElement, OrgUnit

    wanted = [f"{UNIT_PREFIX}{n:03d}" for n in range(1, UNITS + 1)]
    have = set(OrgUnit.objects.filter(code__in=wanted).values_list("code", flat=True))
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                code=code,
                name=f"基准测试单元{code}",
                name_en=f"Benchmark unit {code}",
                parent=region,
                path=f"{region.path}{code}/",
            )
            for code in wanted
            if code not in have
        ],
        batch_size=500,
    )
    owner = Organization.objects.get(code="tjj")
    existing = list(DataElement.objects.exclude(code__startswith=SYNTHETIC_PREFIX))
    have_synthetic = set(
        DataElement.objects.filter(code__startswith=SYNTHETIC_PREFIX).values_list("code", flat=True)
    )
    kinds = [("money", "元"), ("count", "个"), ("number", "项")]
    new = []
    for n in range(len(existing) + 1, ELEMENTS + 1):
        code = f"{SYNTHETIC_PREFIX}{n:02d}"
        kind, unit = kinds[n % len(kinds)]
        if code not in have_synthetic:
            new.append(
                DataElement(
                    code=code,
                    name=f"基准测试数据元{n:02d}",
                    name_en=f"Benchmark element {n:02d}",
                    unit=unit,
                    value_type=kind,
                    aggregation=DataElement.Aggregation.SUM,
                    owner=owner,
                    source=SOURCE,
                )
            )
    DataElement.objects.bulk_create(new)
    units = list(OrgUnit.objects.filter(code__in=wanted).order_by("code"))
    elements = list(DataElement.objects.order_by("code"))
    return units, elements


def unit_rows(index: int, code: str, elements, line: Iterator[int]):
    from kechuang.indicators.services import ImportRow

    rng = random.Random(SEED * 1000 + index)
    known = plan_series(rng, YEARS)
    for e in elements:
        series = known.get(e.code) or other_series(rng, e.value_type, YEARS)
        for year in YEARS:
            yield ImportRow(
                line=next(line),
                element=e.code,
                year=year,
                org_unit=code,
                value=series[year],
                source=SOURCE,
            )


def load_values(admin, units, elements, chunk_units: int) -> tuple[int, float, int]:
    """Import every figure through services.import_values, ``chunk_units`` units per file."""
    from kechuang.indicators.services import import_values

    created = 0
    chunks = 0
    t0 = time.perf_counter()
    for start in range(0, len(units), chunk_units):
        part = units[start : start + chunk_units]
        line = iter(range(2, 10**9))  # row 1 is the header in a real sheet
        rows = [
            row
            for offset, u in enumerate(part)
            for row in unit_rows(start + offset, u.code, elements, line)
        ]
        t = time.perf_counter()
        result = import_values(
            admin, rows, file_name=f"bench-indicators-{chunks + 1:02d}.csv", approve=True
        )
        created += result.created + result.updated
        chunks += 1
        print(
            f"  chunk {chunks:2d}: {len(rows):,} rows, {result.created:,} created, "
            f"{result.unchanged:,} unchanged in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
    return created, time.perf_counter() - t0, chunks


def users():
    from kechuang.accounts.models import Organization, User

    kjj = Organization.objects.get(code="kjj")

    def user(name: str, role: str):
        u, made = User.objects.get_or_create(
            username=name, defaults={"role": role, "organization": kjj}
        )
        if made:
            u.set_unusable_password()
            u.save(update_fields=["password"])
        return u

    return user("bench_admin", User.Role.ADMIN), user("bench_staff", User.Role.STAFF)


def dataset_complete(units) -> bool:
    from kechuang.indicators.models import DataValue

    n = DataValue.objects.filter(is_current=True, org_unit__in=units).count()
    return len(units) == UNITS and n == UNITS * ELEMENTS * len(YEARS)


# --- measurements ----------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return seconds * 1000


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94], max(samples)


def timed(fn: Callable[[], object], n: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    gc.collect()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def capture(fn: Callable[[], object]):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return ctx.captured_queries


def getter(client, url: str) -> Callable[[], object]:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        return response

    return get


def profile(fn: Callable[[], object], title: str, top: int = 25) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    print(f"\n### cProfile: {title} (top {top} by cumulative time)\n")
    print(out.getvalue().rstrip())


def summarise(sql: str) -> str:
    """``SELECT … FROM "table" …`` shortened to the statement and the tables it touches."""
    verb = sql.split(None, 1)[0].upper()
    tables = list(dict.fromkeys(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"(\w+)"', sql)))
    return f"{verb} {', '.join(tables)}" if tables else sql[:80]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def print_queries(queries, title: str, top: int = 8) -> None:
    # Django times execute() only: on SQLite rows that stream during fetch are not included.
    print(f"\n### Queries: {title} ({len(queries)}; slowest {top} by execute() time)\n")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:top]:
        sql = q["sql"]
        print(f"  {float(q['time']) * 1000:7.1f} ms  {sql[:300]}{' …' if len(sql) > 300 else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per URL first")
    parser.add_argument("--keep", action="store_true", help="reuse the database if complete")
    parser.add_argument("--chunk-units", type=int, default=50, help="org units per import call")
    parser.add_argument("--recompute-runs", type=int, default=3)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one dashboard request and one recompute"
    )
    args = parser.parse_args(argv)
    if args.requests < 2:
        parser.error("--requests must be at least 2")

    url = database_url(args.db)
    if not args.keep and "bench" not in database_name(url).lower():
        # The run drops everything in it: refuse anything that does not look like a bench DB.
        parser.error(f"refusing to recreate {database_name(url)!r}: its name must contain 'bench'")
    prepare_environment(url)
    if not args.keep and url.startswith("sqlite"):
        remove_sqlite_file(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kechuang.indicators.models import DataValue, OrgUnit
    from kechuang.indicators.selectors import compute_all_units, compute_plan
    from kechuang.plans.loader import load_plan
    from kechuang.plans.models import Plan

    facts = machine_facts(url)
    print("## Machine\n")
    for k, v in facts:
        print(f"- {k}: {v}")

    if not args.keep and connection.vendor == "postgresql":
        reset_postgres_schema()
    print("\n## Setup\n")
    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"- migrate: {time.perf_counter() - t:.1f} s")
    if not Plan.objects.filter(code=PLAN_CODE).exists():
        t = time.perf_counter()
        load_plan(PLAN_FILE)
        print(f"- load_plan({PLAN_FILE.name}): {time.perf_counter() - t:.2f} s")
    plan = Plan.objects.select_related("region").get(code=PLAN_CODE)
    region = plan.region
    admin, staff = users()
    units, elements = ensure_structure(region)
    expected = UNITS * ELEMENTS * len(YEARS)
    load = None
    if dataset_complete(units):
        print(f"- dataset already loaded ({expected:,} values): --keep, not reloading")
    else:
        print(
            f"- importing {len(units)} units × {len(elements)} elements × {len(YEARS)} years "
            f"= {len(units) * len(elements) * len(YEARS):,} values "
            f"({args.chunk_units} units per import_values call)"
        )
        load = load_values(admin, units, elements, args.chunk_units)
        n, secs, chunks = load
        print(f"- import: {n:,} values in {secs:.1f} s = {n / secs:,.0f} values/s ({chunks} calls)")
    if connection.vendor == "postgresql":
        # autovacuum would analyse the fresh table within a minute; do it now for stable plans.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    total = DataValue.objects.count()
    current = DataValue.objects.filter(is_current=True).count()
    direct = DataValue.objects.filter(is_current=True, org_unit=region).count()
    below = OrgUnit.objects.filter(parent=region).count()
    print(
        f"- data values: {total:,} ({current:,} current); org units under {region.code}: "
        f"{below}; the district's own figures: {direct} (the plan's stated baselines)"
    )
    if load is None:
        print("- data elements:", len(elements))

    staff_client = Client()
    staff_client.force_login(staff)
    anon = Client()
    b001 = OrgUnit.objects.get(code=f"{UNIT_PREFIX}001")
    endpoints = [
        ("`/dashboard/` (district, staff)", getter(staff_client, "/dashboard/")),
        (f"`/plans/{PLAN_CODE}/` (public, anonymous)", getter(anon, f"/plans/{PLAN_CODE}/")),
        (
            f"`/api/plans/{PLAN_CODE}/indicators` (district, staff)",
            getter(staff_client, f"/api/plans/{PLAN_CODE}/indicators"),
        ),
        (
            f"`/api/plans/{PLAN_CODE}/indicators?org_unit=B001` (one unit, staff)",
            getter(staff_client, f"/api/plans/{PLAN_CODE}/indicators?org_unit=B001"),
        ),
        ("`compute_plan(plan)` (district, no HTTP)", lambda: compute_plan(plan)),
        ("`compute_plan(plan, B001)` (one unit, no HTTP)", lambda: compute_plan(plan, b001)),
    ]
    print(f"\n## Latency ({args.requests} requests each after {args.warmup} warm-up)\n")
    print(f"- load average before: {loadavg()}")
    rows = []
    captured = {}
    for label, fn in endpoints:
        queries = capture(fn)
        captured[label] = queries
        p50, p95, mx = percentiles(timed(fn, args.requests, args.warmup))
        rows.append((label, ms(p50), ms(p95), ms(mx), len(queries)))
        print(
            f"  {label}: p50 {ms(p50):.1f} ms, p95 {ms(p95):.1f} ms, max {ms(mx):.1f} ms, "
            f"{len(queries)} queries",
            flush=True,
        )
    print(f"- load average after: {loadavg()}")
    print("\n## Queries per request\n")
    for label, queries in captured.items():
        print(f"{label}: {len(queries)}")
        for q in queries:
            print(f"    {summarise(q['sql'])}")

    print(f"\n## Full recompute (compute_all_units, {args.recompute_runs} runs)\n")
    runs = []
    for _ in range(args.recompute_runs):
        gc.collect()
        t = time.perf_counter()
        compute_all_units(plan)
        runs.append(time.perf_counter() - t)
    holder: list = []
    rq = capture(lambda: holder.append(compute_all_units(plan)))
    result = holder[0]
    n_units = len(result)
    n_ind = len(next(iter(result.values()))) if result else 0
    n_values = sum(len(s) for series in result.values() for s in series.values())
    failed = {
        unit_id
        for unit_id, series in result.items()
        for s in series.values()
        for v in s
        if v.value is None
    }
    n_ok = sum(
        1 for series in result.values() for s in series.values() for v in s if v.value is not None
    )
    codes = dict(OrgUnit.objects.filter(pk__in=failed).values_list("pk", "code"))
    print(
        f"  best {min(runs):.3f} s, median {statistics.median(runs):.3f} s; {len(rq)} queries; "
        f"{n_units} units × {n_ind} indicators × {len(plan.years)} years = {n_values:,} values "
        f"({n_ok:,} computed, {n_values - n_ok:,} without a value, in units "
        f"{', '.join(sorted(codes.values())) or '-'})"
    )
    # For comparison only: what a per-unit loop over the page's selector would cost.
    gc.collect()
    t = time.perf_counter()
    for u in [region, *units]:
        compute_plan(plan, u)
    per_unit_loop = time.perf_counter() - t
    print(
        f"  compute_plan for each of the {len(units) + 1} units (roll-up, status, warnings): "
        f"{per_unit_loop:.2f} s (one run)"
    )

    print("\n## Results (paste into docs/benchmarks.md)\n")
    print(
        f"Database: {describe_db(url)}. {args.requests} requests per row after "
        f"{args.warmup} warm-up; load average {loadavg()}.\n"
    )
    print("| Measurement | p50 ms | p95 ms | max ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label, p50, p95, mx, nq in rows:
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {mx:.1f} | {nq} |")
    print()
    print("| Measurement | Result |")
    print("|---|---|")
    if load:
        n, secs, chunks = load
        print(
            f"| Import ({n:,} values, {chunks} `import_values` calls) | {secs:.1f} s, "
            f"{n / secs:,.0f} values/s |"
        )
    print(
        f"| Full recompute `compute_all_units` ({args.recompute_runs} runs) | best "
        f"{min(runs):.3f} s, median {statistics.median(runs):.3f} s ({len(rq)} queries) |"
    )
    print(
        f"| Indicator values produced | {n_units} units × {n_ind} indicators × "
        f"{len(plan.years)} years = {n_values:,} ({n_ok:,} with a value) |"
    )
    print(f"| `compute_plan` for every unit, for comparison (1 run) | {per_unit_loop:.2f} s |")
    dash_p95 = rows[0][2]
    print(
        f"\nAim: dashboard p95 < 100 ms → {dash_p95:.1f} ms "
        f"({'met' if dash_p95 < 100 else 'MISSED'}); full recompute < 2 s → "
        f"{min(runs):.2f} s ({'met' if min(runs) < 2 else 'MISSED'})"
    )

    if args.profile:
        print_queries(captured[endpoints[0][0]], "one dashboard request")
        profile(endpoints[0][1], "one /dashboard/ request")
        print_queries(rq, "compute_all_units")
        profile(lambda: compute_all_units(plan), "compute_all_units(plan)")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
