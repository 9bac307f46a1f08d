"""Benchmark: assessing every rule set for N registry enterprises straight from the database.

Run from the repository root::

    .venv/bin/python benchmarks/criteria_orm.py [--enterprises 100000] [--sample 2000]
                                                [--db URL] [--rebuild]

The dataset is N enterprises, each with 3 approved years of figures (2022–2024, every figure
the rules read), 0–4 IP rights, a certification for one in four and an event for one in
twenty. It is built once into its own database (never the one in KECHUANG_DATABASE_URL) and
reused on the next run unless ``--rebuild``.

Two ways of getting from the registry to six assessments per enterprise are timed, each in a
fresh child process so that its peak RSS (``ru_maxrss``) is its own:

(a) bulk: ``facts_for_many`` over all N (five queries per chunk of 2,000), then ``assess``
    for each of the six rule sets;
(b) naive: a loop over the enterprises calling ``facts_for`` on each (five queries per
    enterprise) and the same assessments — run on ``--sample`` enterprises and extrapolated
    linearly to N (said so in the output).

It prints a markdown table. A script, not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:///var/bench-criteria-orm.sqlite3"
YEARS = (2022, 2023, 2024)
ON = "2025-06-30"
SEED = 20_261_201


def database_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme == "sqlite":
        path = Path(unquote(parts.path[1:]))
        return f"sqlite:///{path if path.is_absolute() else ROOT / path}"
    if parts.scheme in {"postgres", "postgresql"}:
        return raw
    raise SystemExit(f"--db: unsupported scheme {parts.scheme!r}")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()


# --- building the dataset (child process) ----------------------------------------------------


def build(n: int) -> dict:
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, transaction

    from kechuang.accounts.models import Organization
    from kechuang.enterprises.codes import load_industry_codes
    from kechuang.enterprises.models import (
        Certification,
        Enterprise,
        EnterpriseEvent,
        Industry,
        IntellectualProperty,
        YearlyFigures,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Enterprise.objects.count() == n:
        return {"built": False, "seconds": 0.0}
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=OFF")
    load_industry_codes()
    industries = list(Industry.objects.filter(code__in=["C26", "C29", "C35", "I65", "M73"]))
    rng = random.Random(SEED)
    fields = ("新材料", "电子信息", "先进制造与自动化", "")
    batch = 5000
    for start in range(0, n, batch):
        stop = min(start + batch, n)
        with transaction.atomic():
            orgs = Organization.objects.bulk_create(
                [
                    Organization(code=f"bench-{i}", name=f"基准企业{i}", kind="enterprise")
                    for i in range(start, stop)
                ]
            )
            ents = Enterprise.objects.bulk_create(
                [
                    Enterprise(
                        uscc=f"91650202{i:010d}",
                        name=f"新疆独山子基准{i}科技有限公司",
                        registered_on=dt.date(2008 + i % 15, 1 + i % 12, 1 + i % 28),
                        industry=industries[i % len(industries)],
                        high_tech_field=fields[i % len(fields)],
                        organization=org,
                    )
                    for i, org in zip(range(start, stop), orgs, strict=True)
                ]
            )
            figures, ip, certs, events = [], [], [], []
            for e in ents:
                scale = rng.uniform(5e6, 3e8)
                for k, year in enumerate(YEARS):
                    revenue = scale * (1 + 0.1 * k)
                    rd = revenue * rng.uniform(0.01, 0.08)
                    figures.append(
                        YearlyFigures(
                            enterprise=e,
                            year=year,
                            status="approved",
                            main_revenue=Decimal(round(revenue)),
                            other_revenue=Decimal(round(revenue * 0.03)),
                            operating_revenue=Decimal(round(revenue * 1.03)),
                            total_income=Decimal(round(revenue * 1.05)),
                            high_tech_income=Decimal(round(revenue * rng.uniform(0.3, 0.9))),
                            rd_personnel=Decimal(round(rd * 0.5)),
                            rd_direct_inputs=Decimal(round(rd * 0.3)),
                            rd_depreciation=Decimal(round(rd * 0.1)),
                            rd_outsourced_domestic=Decimal(round(rd * 0.1)),
                            employees=Decimal(rng.randint(20, 800)),
                            st_staff=Decimal(rng.randint(2, 120)),
                            rd_staff=Decimal(rng.randint(1, 80)),
                            total_assets=Decimal(round(revenue * 1.4)),
                            liabilities=Decimal(round(revenue * 0.6)),
                            net_profit=Decimal(round(revenue * 0.08)),
                            cost_and_expense_total=Decimal(round(revenue * 0.85)),
                        )
                    )
                for j in range(rng.randint(0, 4)):
                    kind, cls = rng.choice(
                        (
                            ("invention_patent", "I"),
                            ("utility_model", "II"),
                            ("software_copyright", "II"),
                        )
                    )
                    ip.append(
                        IntellectualProperty(
                            enterprise=e,
                            kind=kind,
                            ip_class=cls,
                            number=f"{e.pk}-{j}",
                            title="基准知识产权",
                            granted_on=dt.date(2021 + j % 4, 3, 1),
                        )
                    )
                if e.pk % 4 == 0:
                    certs.append(
                        Certification(
                            enterprise=e,
                            kind="hnte" if e.pk % 8 == 0 else "tech_sme",
                            issued_on=dt.date(2023, 11, 1),
                            expires_on=dt.date(2026, 10, 31),
                        )
                    )
                if e.pk % 20 == 0:
                    events.append(
                        EnterpriseEvent(
                            enterprise=e,
                            category="award",
                            level="provincial",
                            rank=2,
                            date=dt.date(2023, 12, 1),
                        )
                    )
            YearlyFigures.objects.bulk_create(figures, batch_size=2000)
            IntellectualProperty.objects.bulk_create(ip, batch_size=2000)
            Certification.objects.bulk_create(certs, batch_size=2000)
            EnterpriseEvent.objects.bulk_create(events, batch_size=2000)
    return {"built": True, "seconds": time.perf_counter() - started}


# --- the two ways (child processes) ----------------------------------------------------------


def run_bulk(n: int) -> dict:
    import datetime as dt

    from kechuang.core.criteria import CODES, assess
    from kechuang.enterprises.facts import facts_for_many
    from kechuang.enterprises.models import Enterprise

    on = dt.date.fromisoformat(ON)
    started = time.perf_counter()
    outcomes: dict[str, int] = {}
    facts_seconds = 0.0
    count = 0
    mark = time.perf_counter()
    for _, facts in facts_for_many(Enterprise.objects.all(), on=on):
        facts_seconds += time.perf_counter() - mark
        for code in CODES:
            o = assess(code, facts, on=on).outcome.value
            outcomes[o] = outcomes.get(o, 0) + 1
        count += 1
        mark = time.perf_counter()
    total = time.perf_counter() - started
    return {
        "enterprises": count,
        "seconds": total,
        "facts_seconds": facts_seconds,
        "outcomes": outcomes,
        "peak_rss_mib": peak_rss_mib(),
    }


def run_naive(sample: int) -> dict:
    import datetime as dt

    from django.db import connection

    from kechuang.core.criteria import CODES, assess
    from kechuang.enterprises.facts import facts_for
    from kechuang.enterprises.models import Enterprise

    on = dt.date.fromisoformat(ON)
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    started = time.perf_counter()
    queries = [0]

    def count(execute, sql, params, many, context):
        # Counted here, not with CaptureQueriesContext: Django keeps only the last 9,000.
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for pk in ids:
            e = Enterprise.objects.select_related("industry").get(pk=pk)
            facts = facts_for(e, on=on)
            for code in CODES:
                assess(code, facts, on=on)
    return {
        "enterprises": len(ids),
        "seconds": time.perf_counter() - started,
        "queries": queries[0],
        "peak_rss_mib": peak_rss_mib(),
    }


def child(args: list[str], db: str) -> dict:
    env = dict(os.environ, KECHUANG_DATABASE_URL=db, DJANGO_SETTINGS_MODULE="kechuang.settings")
    out = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--sample", type=int, default=2_000)
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--phase", choices=("build", "bulk", "naive"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.phase:
        setup_django()
        result = {
            "build": lambda: build(args.enterprises),
            "bulk": lambda: run_bulk(args.enterprises),
            "naive": lambda: run_naive(args.sample),
        }[args.phase]()
        print(json.dumps(result))
        return
    db = database_url(args.db)
    if args.rebuild and db.startswith("sqlite:///"):
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    n = args.enterprises
    built = child(["--phase", "build", "--enterprises", str(n)], db)
    bulk = child(["--phase", "bulk", "--enterprises", str(n)], db)
    naive = child(["--phase", "naive", "--sample", str(args.sample)], db)
    scale = n / naive["enterprises"]
    print(f"# criteria from the ORM: {n:,} enterprises × 3 years × 6 rule sets\n")
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, db {db}"
    )
    if built["built"]:
        print(f"dataset built in {built['seconds']:.1f} s")
    print()
    print("| way | enterprises | seconds | per enterprise | queries | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| (a) facts_for_many + assess | {bulk['enterprises']:,} | {bulk['seconds']:.1f} "
        f"(facts {bulk['facts_seconds']:.1f}) "
        f"| {bulk['seconds'] / bulk['enterprises'] * 1e3:.2f} ms "
        f"| {5 * -(-bulk['enterprises'] // 2000) + 1} | {bulk['peak_rss_mib']:.0f} |"
    )
    print(
        f"| (b) facts_for loop + assess, measured | {naive['enterprises']:,} "
        f"| {naive['seconds']:.1f} "
        f"| {naive['seconds'] / naive['enterprises'] * 1e3:.2f} ms | {naive['queries']:,} "
        f"| {naive['peak_rss_mib']:.0f} |"
    )
    print(
        f"| (b) extrapolated ×{scale:.0f} | {n:,} | {naive['seconds'] * scale:.0f} | "
        f"| {naive['queries'] * scale:,.0f} | |"
    )
    print(f"\noutcomes (a): {bulk['outcomes']}")
    print(
        f"(b) ran on the first {naive['enterprises']:,} enterprises and is extrapolated linearly."
    )


if __name__ == "__main__":
    main()
