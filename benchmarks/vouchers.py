"""Benchmark: the voucher ledger, pure and through the services.

Run from the repository root::

    .venv/bin/python benchmarks/vouchers.py [--n 2000] [--db URL]

1. the pure ledger (``kechuang.core.ledger``): ``--n`` × 50 random operations posted and folded
   into a book, operations per second;
2. a fresh benchmark database (never the one in KECHUANG_DATABASE_URL): one scheme, ``--n``
   enterprises, each applying for a voucher that staff approve through the services (scheme row
   locked, balances summed, entries written and audited) — issues per second;
3. the reconciliation and the scheme report over those ``--n`` vouchers (a fixed number of
   grouped queries, whatever ``--n``), and the daily expiry of all of them in one bulk pass.

Prints a markdown table (seconds, per second, peak RSS). A script, not a timed test: numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pure(n: int) -> tuple[int, float]:
    from kechuang.core import ledger as L
    from kechuang.core.problems import Rejected

    rng = random.Random(2026)
    terms = L.Terms(
        cap=Decimal(200_000),
        ratio=Decimal("0.5"),
        categories=frozenset({"testing"}),
        issue_from=dt.date(2026, 1, 1),
        issue_until=dt.date(2026, 12, 31),
        validity_days=180,
    )
    book, on, ops = L.Book(), dt.date(2026, 1, 1), 0
    start = time.perf_counter()
    for i in range(n * 50):
        numbers = list(book.vouchers)
        pick = numbers[rng.randrange(len(numbers))] if numbers else "none"
        op = rng.choice(
            [
                L.SetBudget(book.totals.budget + Decimal(100_000)),
                L.Issue(f"V{i}", f"E{rng.randrange(n)}", Decimal(rng.randrange(1, 200)) * 100),
                L.Redeem(pick, Decimal(30_000), Decimal(30_000), "testing"),
                L.Settle(pick),
                L.Expire(pick),
            ]
        )
        try:
            entries = L.post(book, terms, op, on)
        except Rejected:
            continue
        book = L.apply(book, terms, op, entries, on)
        ops += 1
    return ops, time.perf_counter() - start


def services_run(n: int, db_url: str) -> list[tuple[str, int, float]]:
    os.environ["KECHUANG_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kechuang.accounts.models import Organization, User
    from kechuang.enterprises.models import Enterprise
    from kechuang.vouchers import selectors, services

    staff = User.objects.create_user("bench_staff", password="x", role="staff")
    today = dt.date(2026, 3, 1)
    scheme = services.create_scheme(
        staff,
        year=2026,
        name="基准券种",
        budget=Decimal(10**10),
        cap=Decimal(200_000),
        subsidy_ratio=Decimal("0.5"),
        categories=["testing"],
        issue_from=dt.date(2026, 1, 1),
        issue_until=dt.date(2026, 12, 31),
        validity_days=30,
        on=today,
    )
    orgs = Organization.objects.bulk_create(
        Organization(code=f"bench-{i}", name=f"企业{i}", kind="enterprise") for i in range(n)
    )
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=f"BENCH{i:013d}", name=f"企业{i}", organization=o)
        for i, o in enumerate(orgs)
    )
    users = User.objects.bulk_create(
        User(username=f"bench-{i}", role="enterprise", organization=o) for i, o in enumerate(orgs)
    )
    rows = []
    start = time.perf_counter()
    for user, firm in zip(users, firms, strict=True):
        app = services.apply_for_voucher(
            user, firm, scheme, amount=Decimal(50_000), category="testing", purpose="检测", on=today
        )
        services.approve_application(staff, app, on=today)
    rows.append(("apply + approve (issue)", n, time.perf_counter() - start))
    start = time.perf_counter()
    rec = selectors.reconciliation(scheme)
    assert rec.ok, rec.problems
    rows.append(("reconciliation", 1, time.perf_counter() - start))
    start = time.perf_counter()
    selectors.scheme_report(scheme)
    rows.append(("scheme report", 1, time.perf_counter() - start))
    start = time.perf_counter()
    report = services.expire_vouchers(today + dt.timedelta(days=60))
    assert report.count == n
    rows.append(("expire (bulk)", n, time.perf_counter() - start))
    assert selectors.reconciliation(scheme).ok
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    ops, seconds = pure(args.n)
    table = [("pure ledger: post + fold", ops, seconds)]
    with tempfile.TemporaryDirectory() as tmp:
        table += services_run(args.n, args.db or f"sqlite:///{tmp}/bench-vouchers.sqlite3")
    print(f"| step (n = {args.n}) | items | seconds | per second | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for name, items, secs in table:
        print(f"| {name} | {items} | {secs:.3f} | {items / secs:,.0f} | {peak_rss_mib():.0f} |")


if __name__ == "__main__":
    main()
