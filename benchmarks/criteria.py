"""Throughput of the qualification rule sets on synthetic enterprises.

    .venv/bin/python benchmarks/criteria.py            # 100,000 enterprises
    .venv/bin/python benchmarks/criteria.py --n 20000  # a quicker run

Generates ``--n`` enterprises with three years of figures each from a seeded random generator,
then times full assessments of every enterprise under each rule set (explanations, scores and
gaps included), single process: an untimed warm-up pass over 2,000 enterprises, then
``--repeat`` timed passes over all of them, the best shown. Prints assessments per second
(wall clock, and CPU time beside it since the machine is shared), the outcome mix and the peak
memory. The target is at least 20,000 HNTE assessments per second on the project's 2-core
machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import resource
import sys
import time
from collections import Counter
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kechuang.core.criteria import (
    CODES,
    assess,
    facts_from_dict,
    result_to_dict,
    result_to_text,
    rule_set,
)
from kechuang.core.criteria.facts import (
    Acquisition,
    AdvancementView,
    Award,
    AwardLevel,
    Certification,
    CertificationKind,
    DeclaredScores,
    EnterpriseFacts,
    ExpertViews,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPClass,
    IPKind,
    IPRight,
    IPStatus,
    LeadProductField,
    Management,
    RDExpense,
    RDInstitution,
    Standard,
    StandardLevel,
    StandardRole,
    SupportView,
    YearFigures,
)

ON = date(2025, 6, 30)
ON_2026 = date(2026, 4, 1)
EXAMPLE = Path(__file__).resolve().parents[1] / "schemas" / "facts.example.json"
FIELDS = [
    "新材料",
    "4.3",
    "电子信息",
    "先进制造与自动化",
    "高技术服务",
    "2.1.3",
    "资源与环境",
    "石油化工",
]
INDUSTRIES = [
    "industry",
    "industry",
    "industry",
    "software_it",
    "wholesale",
    "construction",
    "other",
]
KINDS = [
    (IPKind.INVENTION_PATENT, IPClass.I),
    (IPKind.UTILITY_MODEL, IPClass.II),
    (IPKind.UTILITY_MODEL, IPClass.II),
    (IPKind.SOFTWARE_COPYRIGHT, IPClass.II),
    (IPKind.DESIGN_PATENT, IPClass.II),
]
MANAGEMENT_FIELDS = [f.name for f in fields(Management) if f.init]
ADVANCEMENT = list(AdvancementView)  # best band first
TITLES = (
    (CertificationKind.HNTE, 0.2),
    (CertificationKind.INNOVATIVE_SME, 0.4),
    (CertificationKind.SPECIALIZED_SME, 0.15),
)
SUPPORT = list(SupportView)


def _yuan(amount: float) -> Decimal:
    """A float amount as Decimal yuan, to the fen."""
    return Decimal(int(amount * 100)) / 100


def enterprise(rng: random.Random, index: int) -> EnterpriseFacts:
    """One plausible candidate enterprise.

    A latent quality q in [0, 1] drives its R&D intensity, S&T staff, high-tech income, IP,
    conversions and growth together, as it does in practice, so the population spans clear
    passes, borderline cases for the experts and clear failures.
    """
    q = rng.betavariate(2.0, 1.5)
    sales = math.exp(rng.uniform(math.log(3e6), math.log(4e8)))
    growth = rng.uniform(-0.1, 0.1) + 0.4 * q
    rd_share = max(0.005, rng.gauss(0.02 + 0.06 * q, 0.01))
    employees = rng.randint(15, 900)
    net_assets = sales * rng.uniform(0.3, 1.2)
    years = []
    for year in (2022, 2023, 2024):
        main = sales * rng.uniform(0.85, 1.0)
        rd_total = sales * rd_share
        outsourced = rd_total * rng.choice([0, 0, 0.1, 0.3])
        other = rd_total * rng.choice([0.02, 0.05, 0.1, 0.3])
        personnel = rd_total - outsourced - other
        staff = employees * min(0.9, max(0.0, rng.gauss(0.06 + 0.25 * q, 0.04)))
        assets = net_assets * rng.uniform(1.3, 2.5)
        income = sales * rng.uniform(1.0, 1.05)
        high_tech = income * min(0.98, max(0.1, rng.gauss(0.45 + 0.45 * q, 0.08)))
        years.append(
            YearFigures(
                year=year,
                main_revenue=_yuan(main),
                other_revenue=_yuan(sales - main),
                total_income=_yuan(income),
                non_taxable_income=_yuan(rng.uniform(0, sales * 0.01)),
                high_tech_income=_yuan(high_tech),
                rd=RDExpense(
                    personnel=_yuan(personnel * 0.6),
                    direct_inputs=_yuan(personnel * 0.3),
                    depreciation=_yuan(personnel * 0.1),
                    outsourced_domestic=_yuan(outsourced * 0.8),
                    outsourced_overseas=_yuan(outsourced * 0.2),
                    other=_yuan(other),
                ),
                employees=Decimal(employees),
                employees_year_end=Decimal(employees + rng.randint(0, 20)),
                st_staff=Decimal(int(staff)),
                rd_staff=Decimal(int(staff * 0.8)),
                total_assets=_yuan(assets),
                liabilities=_yuan(assets - net_assets),
                net_profit=_yuan(rng.uniform(-0.02, 0.15) * sales),
                cost_and_expense_total=_yuan(sales * rng.uniform(0.8, 0.95)),
                conversions=max(0, int(rng.gauss(1 + 6 * q, 1.5))),
            )
        )
        sales *= 1 + growth * rng.uniform(0.6, 1.4)
        net_assets *= 1 + growth * rng.uniform(0.4, 1.2)
        employees = max(10, int(employees * rng.uniform(0.95, 1.15)))
    ip = []
    for _ in range(rng.randint(0, 3 + int(10 * q))):
        kind, ip_class = KINDS[0] if rng.random() < 0.1 + 0.4 * q else rng.choice(KINDS[1:])
        ip.append(
            IPRight(
                kind=kind,
                ip_class=ip_class,
                status=IPStatus.APPLIED if rng.random() < 0.1 else IPStatus.GRANTED,
                valid=rng.random() > 0.05,
                acquisition=(
                    Acquisition.TRANSFERRED if rng.random() < 0.2 else Acquisition.SELF_DEVELOPED
                ),
                used_for_hnte=rng.random() < 0.15,
                high_value=rng.random() < 0.1,
                granted_on=ON - timedelta(days=rng.randint(30, 2500)),
            )
        )
    incidents = ()
    if rng.random() < 0.03:
        incidents = (
            Incident(rng.choice(list(IncidentKind)), ON - timedelta(days=rng.randint(1, 900))),
        )
    band = min(4, int((1 - q) * 4 + rng.random()))  # 0 = best band
    return EnterpriseFacts(
        name=f"合成企业 {index:06d}",
        registered_on=ON - timedelta(days=rng.randint(200, 6000)),
        application_date=ON,
        size_industry=rng.choice(INDUSTRIES),
        high_tech_field=rng.choice(FIELDS),
        resident=True,
        independent_legal_person=True,
        restricted_products=rng.random() < 0.02,
        strategic_emerging_product=rng.random() < 0.3 + 0.5 * q,
        lead_product_field=rng.choice(list(LeadProductField)),
        niche_since=ON - timedelta(days=rng.randint(300, 4000)),
        digital_level=rng.randint(0, 4),
        quality_items=rng.randint(0, 3),
        years=tuple(years),
        ip=tuple(ip),
        certifications=tuple(
            Certification(kind, ON - timedelta(days=rng.randint(0, 1200)))
            for kind, share in TITLES
            if rng.random() < share * (0.5 + q)
        ),
        incidents=incidents,
        listings=(),
        awards=(
            (Award(AwardLevel.PROVINCIAL, rng.randint(1, 6), ON - timedelta(days=400)),)
            if rng.random() < 0.1
            else ()
        ),
        standards=(
            (Standard(StandardLevel.INDUSTRY, StandardRole.PARTICIPATE, date(2023, 5, 1)),)
            if rng.random() < 0.2
            else ()
        ),
        rd_institutions=(
            (RDInstitution(rng.choice(list(InstitutionLevel))),) if rng.random() < 0.3 else ()
        ),
        financing=(),
        management=Management(**{name: rng.random() < 0.5 + 0.5 * q for name in MANAGEMENT_FIELDS}),
        # Expert or pre-assessment views where a panel gave them (most applicants have one).
        expert_views=ExpertViews(
            ip_advancement=None if rng.random() < 0.2 else ADVANCEMENT[band],
            ip_core_support=None if rng.random() < 0.2 else SUPPORT[band],
        ),
        declared_scores=DeclaredScores(
            specialty_2022=rng.randint(0, 15),
            specialized_2026=rng.randint(30, 90),
            little_giant_2026=rng.randint(30, 90),
        ),
    )


def peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of enterprises")
    parser.add_argument("--seed", type=int, default=20250630)
    parser.add_argument("--codes", nargs="*", default=list(CODES), help="rule sets to time")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes; the best is shown")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    started = time.perf_counter()
    enterprises = [enterprise(rng, i) for i in range(args.n)]
    generated = time.perf_counter() - started
    # The enterprises live for the whole run: freezing them keeps the cyclic collector from
    # walking them again and again while results come and go (results hold no cycles).
    gc.collect()
    gc.freeze()
    print(f"Python {sys.version.split()[0]}; {args.n:,} enterprises × 3 years, seed {args.seed}")
    print(f"best of {args.repeat} timed passes per rule set, after an untimed warm-up pass")
    print(f"generated in {generated:.1f} s; peak RSS so far {peak_mib():,.0f} MiB")
    print()
    # Wall-clock throughput is what the target is about; CPU time is shown beside it because
    # on a shared machine other processes can take the core away from this one.
    header = f"{'rule set':<16} {'version':<14} {'wall s':>7} {'per second':>11} {'µs each':>8}"
    print(header + f" {'CPU /s':>10}  outcomes")
    # Every version: those in force on the application date, then the 2026 梯度培育 rules (the
    # enterprises keep their 2025 application date, so only the rules change).
    runs = [(code, ON) for code in args.codes]
    runs += [
        (code, ON_2026)
        for code in args.codes
        if rule_set(code, ON_2026).info.version != rule_set(code, ON).info.version
    ]
    for code, on in runs:
        version = rule_set(code, on)
        run = version.assess
        # A short untimed pass first, so that the timing is of the steady state (memoised
        # explanation pieces filled, allocator arenas in place).
        for facts in enterprises[:2000]:
            run(facts, on)
        best = best_cpu = float("inf")
        for _ in range(args.repeat):
            outcomes: Counter[str] = Counter()
            cpu = time.process_time()
            started = time.perf_counter()
            for facts in enterprises:
                outcomes[run(facts, on).outcome._value_] += 1  # a plain attribute
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        mix = ", ".join(f"{name} {count / args.n:.0%}" for name, count in sorted(outcomes.items()))
        label = version.info.version
        # Pad by display width: a Chinese character takes two columns.
        label += " " * max(0, 14 - sum(2 if ord(ch) > 0x2E7F else 1 for ch in label))
        print(
            f"{code:<16} {label} {best:>7.2f} {args.n / best:>11,.0f} "
            f"{best / args.n * 1e6:>8.1f} {args.n / best_cpu:>10,.0f}  {mix}"
        )

    sample = enterprises[: min(10_000, args.n)]
    started = time.perf_counter()
    for facts in sample:
        result_to_dict(assess("hnte", facts, ON))
    as_json = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    for facts in sample[:2000]:
        result_to_text(assess("hnte", facts, ON))
    as_text = min(2000, len(sample)) / (time.perf_counter() - started)
    document = json.loads(EXAMPLE.read_text("utf-8"))
    started = time.perf_counter()
    for _ in range(2000):
        facts_from_dict(document)
    parsed = 2000 / (time.perf_counter() - started)
    print()
    print(f"hnte + result_to_dict   {as_json:>12,.0f} /s")
    print(f"hnte + result_to_text   {as_text:>12,.0f} /s")
    print(f"facts_from_dict (example JSON) {parsed:>8,.0f} /s")
    print(f"peak RSS {peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
