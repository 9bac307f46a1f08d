"""Benchmark: an expert draw over a 5,000-expert library — pool, commitment, draw.

Run from the repository root::

    .venv/bin/python benchmarks/draw.py [--experts 5000] [--orgs 600] [--runs 20]
                                        [--db URL] [--rebuild]

The dataset is N experts over the eight high-tech fields (skewed as a petrochemical district's
library would be: 新材料 and 先进制造与自动化 common, 航空航天 rare; one to three fields each),
spread over about 600 units (a third of them in the Organization table, linked by foreign key,
the rest given by name only), with declared relationships for one expert in ten and
collaborations for one in seven (half of them within the three-year window). It is built once
into its own database (never the one in KECHUANG_DATABASE_URL) and reused unless ``--rebuild``.

Each run is what a review app does for one application: ``expert_pool`` (two applicant units,
one or two fields), ``create_draw`` with k = 7, one per unit and field overlap, then
``perform_draw``. The three are timed apart and together; the output gives p50 and p95 over the
runs, the number of queries and the size of the stored record.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:///var/bench-draw.sqlite3"
SEED = 20_261_202
# Share of experts listing each field first, roughly as in a petrochemical district.
FIELD_WEIGHTS = {
    "新材料": 22,
    "先进制造与自动化": 20,
    "资源与环境": 14,
    "新能源与节能": 13,
    "电子信息": 12,
    "高技术服务": 10,
    "生物与新医药": 6,
    "航空航天": 3,
}


def database_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme == "sqlite":
        path = Path(unquote(parts.path[1:]))
        return f"sqlite:///{path if path.is_absolute() else ROOT / path}"
    if parts.scheme in {"postgres", "postgresql"}:
        return raw
    raise SystemExit(f"--db: unsupported scheme {parts.scheme!r}")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- building the dataset (child process) ----------------------------------------------------


def build(n: int, n_orgs: int) -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from stdnum.cn import ric

    from kechuang.accounts.models import Organization, User
    from kechuang.experts import identity, services
    from kechuang.experts.models import Collaboration, Expert, ExpertField, Relationship

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Expert.objects.count() == n:
        return {"built": False, "seconds": 0.0}
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=OFF")
    rng = random.Random(SEED)
    today = dt.date.today()
    fields = list(FIELD_WEIGHTS)
    weights = list(FIELD_WEIGHTS.values())
    with transaction.atomic():
        User.objects.get_or_create(username="bench_staff", defaults={"role": "staff"})
        linked = Organization.objects.bulk_create(
            [
                Organization(code=f"bench-unit-{i}", name=f"基准单位{i}", kind="institution")
                for i in range(n_orgs // 3)
            ]
        )
        names = [o.name for o in linked] + [f"基准单位{i}" for i in range(n_orgs // 3, n_orgs)]
        experts = []
        for i, code in enumerate(services.next_codes(n)):
            # A birth date per person (two days apart) keeps every number distinct.
            born = dt.date(1960, 1, 1) + dt.timedelta(days=2 * i)
            body = f"650202{born:%Y%m%d}{rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "0")
            unit = rng.randrange(n_orgs)
            first = rng.choices(fields, weights)[0]
            more = rng.sample(fields, rng.choice((0, 0, 1, 1, 2)))
            experts.append(
                Expert(
                    code=code,
                    name=f"基准专家{i}",
                    id_number_token=identity.encrypt(number),
                    id_number_hash=identity.lookup_hash(number),
                    id_number_masked=identity.mask(number),
                    title=rng.choice(("senior", "associate", "intermediate")),
                    organization=linked[unit] if unit < len(linked) else None,
                    organization_name=names[unit],
                    fields=[f for f in fields if f in {first, *more}],
                    available=rng.random() > 0.05,
                )
            )
        experts = Expert.objects.bulk_create(experts, batch_size=1000)
        ExpertField.objects.bulk_create(
            [ExpertField(expert=e, field=f) for e in experts for f in e.fields], batch_size=5000
        )
        Relationship.objects.bulk_create(
            [
                Relationship(
                    expert=e,
                    organization_name=names[rng.randrange(n_orgs)],
                    kind="part_time",
                    declared_on=today,
                )
                for e in experts[::10]
            ],
            batch_size=2000,
        )
        Collaboration.objects.bulk_create(
            [
                Collaboration(
                    expert=e,
                    organization_name=names[rng.randrange(n_orgs)],
                    on=today - dt.timedelta(days=rng.randint(30, 6 * 365)),
                )
                for e in experts[::7]
            ],
            batch_size=2000,
        )
    return {"built": True, "seconds": time.perf_counter() - started}


# --- the runs (child process) ----------------------------------------------------------------


def run(runs: int, n_orgs: int) -> dict:
    import datetime as dt

    from django.db import connection

    from kechuang.accounts.models import Organization, User
    from kechuang.experts import services

    user = User.objects.get(username="bench_staff")
    linked = list(Organization.objects.filter(code__startswith="bench-unit-"))
    rng = random.Random(SEED + 1)
    fields = list(FIELD_WEIGHTS)
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    timings: dict[str, list[float]] = {"pool": [], "create": [], "perform": [], "total": []}
    sizes, excluded, chosen, per_run = [], [], [], []
    with connection.execute_wrapper(count):
        for i in range(runs + 1):  # the first run warms caches and is not counted
            applicants = [rng.choice(linked), f"基准单位{rng.randrange(len(linked), n_orgs)}"]
            app_fields = rng.sample(fields[:6], rng.choice((1, 2)))
            queries[0] = 0
            t0 = time.perf_counter()
            candidates, exclusions = services.expert_pool(
                fields=app_fields, applicant_orgs=applicants, on=dt.date.today()
            )
            t1 = time.perf_counter()
            draw = services.create_draw(
                user,
                purpose=f"基准评审抽取 {i}",
                kind="review",
                candidates=candidates,
                exclusions=exclusions,
                k=7,
                max_per=services.DEFAULT_MAX_PER,
                require_field_overlap=True,
                application_fields=app_fields,
            )
            t2 = time.perf_counter()
            draw = services.perform_draw(user, draw)
            t3 = time.perf_counter()
            if i == 0:
                continue
            for key, value in (
                ("pool", t1 - t0),
                ("create", t2 - t1),
                ("perform", t3 - t2),
                ("total", t3 - t0),
            ):
                timings[key].append(value)
            per_run.append(queries[0])
            sizes.append(len(json.dumps(draw.record, ensure_ascii=False).encode()))
            excluded.append(draw.excluded)
            chosen.append(len(services.chosen(draw)))
    return {
        "pool_size": draw.pool_size,
        "timings": timings,
        "queries": per_run,
        "record_bytes": statistics.median(sizes),
        "excluded": [min(excluded), max(excluded)],
        "chosen": [min(chosen), max(chosen)],
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


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return (
        f"{os.cpu_count()} CPUs ({model or 'unknown CPU'}), "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--experts", type=int, default=5_000)
    p.add_argument("--orgs", type=int, default=600)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--phase", choices=("build", "run"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.phase:
        setup_django()
        if args.phase == "build":
            result = build(args.experts, args.orgs)
        else:
            result = run(args.runs, args.orgs)
        print(json.dumps(result))
        return
    db = database_url(args.db)
    if "bench" not in db:
        raise SystemExit("--db: the database name must contain 'bench' (it is written to)")
    if args.rebuild and db.startswith("sqlite:///"):
        Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    common = ["--experts", str(args.experts), "--orgs", str(args.orgs)]
    built = child(["--phase", "build", *common], db)
    res = child(["--phase", "run", "--runs", str(args.runs), *common], db)
    print(f"# expert draw: {res['pool_size']:,} experts, k = 7, {args.runs} runs\n")
    print(f"{machine()}, db {db}")
    if built["built"]:
        print(f"dataset built in {built['seconds']:.1f} s")
    print()
    print("| step | p50 | p95 | max |")
    print("|---|---:|---:|---:|")
    for key, label in (
        ("pool", "`expert_pool`"),
        ("create", "`create_draw`"),
        ("perform", "`perform_draw`"),
        ("total", "**total**"),
    ):
        t = res["timings"][key]
        print(
            f"| {label} | {percentile(t, 50) * 1e3:.0f} ms | {percentile(t, 95) * 1e3:.0f} ms "
            f"| {max(t) * 1e3:.0f} ms |"
        )
    print(
        f"\nqueries per run: {min(res['queries'])}–{max(res['queries'])}; "
        f"excluded per draw: {res['excluded'][0]}–{res['excluded'][1]}; "
        f"chosen: {res['chosen'][0]}–{res['chosen'][1]}; "
        f"stored record: {res['record_bytes'] / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
