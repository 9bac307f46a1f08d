"""Policy matching and search at scale.

    .venv/bin/python benchmarks/policies.py                  # both parts
    .venv/bin/python benchmarks/policies.py --part match --n 20000
    .venv/bin/python benchmarks/policies.py --part search --policies 5000

(a) Pure matching: ``--n`` synthetic ``EnterpriseFacts`` (seeded) × ``--conditions`` generated
conditions of the catalog's shape (an ``all`` of 2–5 comparisons on district, titles, size,
ratios, amounts, age, IP, industry and listings, often with a nested ``any`` or ``not``), decided
by ``kechuang.core.conditions.Matcher`` in one process: facts derived once per enterprise, each
distinct comparison once per column, groups combined as masks. Timed: the run, then the counts
and the eligible / possibly indices of every condition. A second line adds conditions that name
a rule set (``ruleset: tech_sme``), which costs one assessment per enterprise per rule set.
The target is well under 10 s for 100,000 × 200.

(b) Search: ``--policies`` synthetic policies (plus the real catalog) in a scratch SQLite database
(``var/bench-policies.sqlite3``, rebuilt each run), then the catalog page ``/policies/?q=…`` and
the selector alone, each over a fixed list of queries (Chinese words, pinyin initials, full
pinyin, two-word queries, with and without filters): 10 warm-up requests, then ``--requests``
timed ones; p50 and p95 from ``statistics.quantiles``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = date(2026, 6, 30)
SEED = 20_261_201
DB = ROOT / "var" / "bench-policies.sqlite3"


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load {os.getloadavg()[0]:.2f}"
    )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- (a) matching ----------------------------------------------------------------------------


def enterprises(n: int, rng: random.Random) -> list:
    from kechuang.core.conditions import Subject
    from kechuang.core.criteria.facts import (
        Certification,
        CertificationKind,
        EnterpriseFacts,
        IPClass,
        IPKind,
        IPRight,
        Listing,
        ListingKind,
        RDExpense,
        YearFigures,
    )

    def d(x: int) -> Decimal:
        return Decimal(x)

    codes = ["C2614", "C2651", "C3511", "G5431", "I6510", "M7320", "F5162", None]
    fields = [None, "新材料", "电子信息", "先进制造与自动化", "4.2"]
    out = []
    for i in range(n):
        years = []
        revenue = rng.randint(500_000, 300_000_000)
        for year in (2024, 2025):
            if rng.random() < 0.85:
                revenue = int(revenue * rng.uniform(0.85, 1.3))
                employees = rng.randint(3, 900)
                years.append(
                    YearFigures(
                        year=year,
                        main_revenue=d(revenue),
                        total_income=d(revenue + rng.randint(0, 100_000)),
                        high_tech_income=d(int(revenue * rng.random())),
                        employees=d(employees),
                        st_staff=d(rng.randint(0, employees)),
                        total_assets=d(rng.randint(1_000_000, 400_000_000)),
                        liabilities=d(rng.randint(0, 300_000_000)),
                        rd=RDExpense(personnel=d(int(revenue * rng.uniform(0, 0.08))))
                        if rng.random() < 0.8
                        else None,
                    )
                )
        certs = []
        if rng.random() < 0.15:
            certs.append(
                Certification(
                    CertificationKind.HNTE, date(2022, 1, 1) + timedelta(days=rng.randint(0, 1600))
                )
            )
        if rng.random() < 0.25:
            certs.append(
                Certification(
                    CertificationKind.TECH_SME,
                    date(2025, 1, 1) + timedelta(days=rng.randint(0, 500)),
                )
            )
        listings = (
            (Listing(ListingKind.SERIOUS_DISHONESTY, date(2025, 3, 1)),)
            if rng.random() < 0.03
            else ()
        )
        facts = EnterpriseFacts(
            name=f"企业{i}",
            registered_on=date(1995, 1, 1) + timedelta(days=rng.randint(0, 11_000)),
            industry_code=rng.choice(codes),
            high_tech_field=rng.choice(fields),
            resident=rng.choice([True, True, None]),
            years=tuple(years),
            certifications=tuple(certs) if rng.random() < 0.97 else None,
            listings=listings,
            incidents=(),
            ip=tuple(
                IPRight(
                    IPKind.INVENTION_PATENT if rng.random() < 0.3 else IPKind.UTILITY_MODEL,
                    IPClass.I if rng.random() < 0.3 else IPClass.II,
                )
                for _ in range(rng.randint(0, 6))
            ),
        )
        out.append(
            Subject(facts, rng.random() < 0.9, rng.choice([None, "dsz-etdz", "dsz-petrochem"]))
        )
    return out


def conditions(count: int, rng: random.Random, rule_sets: bool = False) -> dict:
    from kechuang.core.conditions import compile_condition

    leaves = [
        lambda: {"fact": "registered_in_district", "is": True},
        lambda: {"fact": "certification.hnte.valid", "is": rng.choice([True, False])},
        lambda: {"fact": "certification.tech_sme.valid", "is": True},
        lambda: {"not": {"fact": "listing.serious_dishonesty.active", "is": True}},
        lambda: {"fact": "size_class", "in": rng.sample(["中型", "小型", "微型"], 2)},
        lambda: {"fact": "rd_ratio.latest", ">=": rng.choice(["0.02", "0.03", "0.04", "0.05"])},
        lambda: {"fact": "rd.latest", ">=": rng.choice([500_000, 1_000_000, 2_000_000])},
        lambda: {"fact": "operating_revenue.latest", ">=": rng.choice([5_000_000, 20_000_000])},
        lambda: {"fact": "st_staff_ratio.latest", ">=": "0.1"},
        lambda: {"fact": "high_tech_income_ratio.latest", ">=": "0.6"},
        lambda: {"fact": "main_revenue_growth.latest", "between": ["0.05", "2"]},
        lambda: {"fact": "debt_ratio.latest", "<=": "0.7"},
        lambda: {"fact": "years_registered", ">=": rng.randint(1, 5)},
        lambda: {"fact": "ip.class_i.count", ">=": rng.randint(1, 3)},
        lambda: {"fact": "industry_code", "starts_with": rng.choice(["C26", "C", ["I65", "M"]])},
        lambda: {"fact": "high_tech_field", "in": ["新材料", "电子信息"]},
        lambda: {"fact": "park", "is": "dsz-etdz"},
        lambda: {"fact": "resident", "is": True},
    ]
    out = {}
    for key in range(count):
        items = [rng.choice(leaves)() for _ in range(rng.randint(2, 5))]
        if rng.random() < 0.4:
            items.append({"any": [rng.choice(leaves)() for _ in range(2)]})
        if rule_sets and key % 10 == 0:
            items.append({"ruleset": "tech_sme"})
        out[key] = compile_condition({"all": items})
    return out


def bench_match(n: int, count: int) -> None:
    from kechuang.core.conditions import Matcher

    rng = random.Random(SEED)
    started = time.perf_counter()
    subjects = enterprises(n, rng)
    print(f"(a) built {n:,} enterprises in {time.perf_counter() - started:.1f} s (untimed)")
    for label, rule_sets in (("facts only", False), ("1 in 10 with ruleset: tech_sme", True)):
        matcher = Matcher(conditions(count, random.Random(SEED + 1), rule_sets))
        cpu, wall = time.process_time(), time.perf_counter()
        out = matcher.run(subjects, DAY)
        run_wall = time.perf_counter() - wall
        totals = [0, 0, 0]
        pairs = 0
        for o in out.values():
            for i, c in enumerate(o.counts):
                totals[i] += c
            pairs += len(o.eligible) + len(o.possibly)
        wall_total = time.perf_counter() - wall
        print(
            f"    {label}: {n:,} × {count} = {n * count:,} pairs in {wall_total:.2f} s "
            f"(run {run_wall:.2f} s, counts and indices {wall_total - run_wall:.2f} s; "
            f"CPU {time.process_time() - cpu:.2f} s); {len(matcher.facts)} facts, "
            f"eligible {totals[0]:,}, possibly {totals[1]:,}, not eligible {totals[2]:,}"
        )
    print(f"    peak RSS {peak_rss_mib():,.0f} MiB")


# --- (b) search ------------------------------------------------------------------------------

WORDS = (
    "科技",
    "创新",
    "企业",
    "研发",
    "人才",
    "奖励",
    "补助",
    "专项",
    "资金",
    "孵化器",
    "众创空间",
    "成果",
    "转化",
    "技术",
    "合同",
    "知识产权",
    "专利",
    "标准",
    "平台",
    "实验室",
    "工程",
    "中心",
    "融资",
    "贷款",
    "担保",
    "保险",
    "投资",
    "基金",
    "税收",
    "优惠",
    "加计扣除",
    "数字化",
    "智能制造",
    "石油化工",
    "新材料",
    "节能",
    "环保",
    "人才引进",
    "培训",
    "科普",
    "示范",
    "园区",
    "服务",
    "机构",
    "中小企业",
    "高新技术",
    "认定",
    "申报",
)
QUERIES = (
    ("高新技术企业", {}),
    ("gxjsqy", {}),
    ("kejichuangxinquan", {}),
    ("研发 加计扣除", {}),
    ("人才 奖励", {"level": "district"}),
    ("孵化器", {"status": "in_force"}),
    ("知识产权 专利", {"category": "reward"}),
    ("科技金融 贷款", {}),
)


def build_catalog(count: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from kechuang.policies import search
    from kechuang.policies.loader import load_policies
    from kechuang.policies.models import Policy

    call_command("migrate", verbosity=0)
    load_policies()
    rng = random.Random(SEED)
    levels = ["national", "region", "city", "district"]
    categories = [c for c, _ in Policy.Category.choices]
    batch = []
    started = time.perf_counter()
    for i in range(count):
        title = "".join(rng.sample(WORDS, 3)) + rng.choice(
            ["管理办法", "实施细则", "若干措施", "通知"]
        )
        p = Policy(
            code=f"bench-{i:05d}",
            title=title,
            issuer=rng.choice(["科技部", "自治区科技厅", "克拉玛依市科技局", "独山子区人民政府"]),
            level=rng.choice(levels),
            category=rng.choice(categories),
            issued_on=date(2015, 1, 1) + timedelta(days=rng.randint(0, 4000)),
            expires_on=None
            if rng.random() < 0.7
            else date(2020, 1, 1) + timedelta(days=rng.randint(0, 3000)),
            summary="，".join("".join(rng.sample(WORDS, 4)) for _ in range(4)) + "。",
            full_text="。".join("".join(rng.sample(WORDS, 5)) for _ in range(12)) + "。",
            department="区科学技术局",
            state=Policy.State.PUBLISHED,
        )
        for key, value in search.documents(p).items():
            setattr(p, key, value)
        batch.append(p)
    with transaction.atomic():
        Policy.objects.bulk_create(batch, batch_size=500)
    took = time.perf_counter() - started
    print(f"(b) built {count:,} synthetic policies (+ the catalog) in {took:.1f} s")


def quantiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000


def bench_search(count: int, requests: int) -> None:
    if DB.exists():
        DB.unlink()
    os.environ["KECHUANG_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kechuang.policies import selectors

    build_catalog(count)
    client = Client(HTTP_HOST="127.0.0.1")

    def page(i: int) -> None:
        q, extra = QUERIES[i % len(QUERIES)]
        response = client.get("/policies/", {"q": q, **extra})
        assert response.status_code == 200, response.status_code

    def selector(i: int) -> None:
        q, extra = QUERIES[i % len(QUERIES)]
        qs = selectors.policy_list(selectors.Filters(q=q, **extra), today=DAY)
        qs.count()
        list(qs[:20])

    for label, fn in (
        ("catalog page /policies/?q=…", page),
        ("selector (count + first 20)", selector),
    ):
        for i in range(10):
            fn(i)
        samples = []
        for i in range(requests):
            t = time.perf_counter()
            fn(i)
            samples.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as ctx:
            fn(0)
        p50, p95 = quantiles(samples)
        print(
            f"    {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {requests} ({len(ctx)} queries)"
        )
    for q, extra in QUERIES:
        n = selectors.policy_list(selectors.Filters(q=q, **extra), today=DAY).count()
        print(f"      {q!r} {extra or ''}: {n} policies")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--part", choices=("match", "search", "both"), default="both")
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--conditions", type=int, default=200)
    p.add_argument("--policies", type=int, default=5_000)
    p.add_argument("--requests", type=int, default=200)
    args = p.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {machine()}")
    if args.part in ("match", "both"):
        bench_match(args.n, args.conditions)
    if args.part in ("search", "both"):
        bench_search(args.policies, args.requests)


if __name__ == "__main__":
    main()
