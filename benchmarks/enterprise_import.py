"""Benchmark: importing 100,000 rows of enterprise yearly figures from one .xlsx file.

Run from the repository root::

    .venv/bin/python benchmarks/enterprise_import.py [--rows 100000] [--db URL] [--keep]

The dataset is 33,334 enterprises × 3 years (2022–2024), cut to exactly ``--rows`` rows, with
25 figures a row (every figure the rules use). The script

1. writes the two files (enterprise list, yearly figures) in a child process, so their
   generation does not count towards the importer's memory;
2. builds a fresh benchmark database (never the one in KECHUANG_DATABASE_URL): migrate, code
   lists, one bureau user;
3. imports the enterprise list, then the figures, through the same ``import_file`` the web
   page's background task and ``kechuang enterprises import`` run — two streamed passes,
   check then write in one transaction, with bulk audit entries;
4. imports the figures file again (every row unchanged), the cost of a safe re-run.

It prints a markdown table with seconds, rows per second and the process's peak RSS
(``resource.getrusage``, which only grows: each line is the peak so far). It is a script, not a
timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:///var/bench-enterprises.sqlite3"
YEARS = (2022, 2023, 2024)
SEED = 20_261_201
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


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


# --- the files (child process) ---------------------------------------------------------------


def uscc(n: int) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    serial = ""
    for _ in range(7):
        n, r = divmod(n, len(ALPHABET))
        serial = ALPHABET[r] + serial
    body = f"91650202MA{serial}"
    return body + stdnum_uscc.calc_check_digit(body)


def generate(directory: Path, rows: int) -> None:
    from openpyxl import Workbook

    from kechuang.enterprises.tables import COLUMNS

    firms = -(-rows // len(YEARS))
    rng = random.Random(SEED)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(
        [
            "统一社会信用代码 / uscc",
            "企业名称 / name",
            "成立日期 / registered on",
            "行业代码 / industry",
        ]
    )
    for i in range(firms):
        ws.append(
            [
                uscc(i),
                f"基准测试企业{i:05d}有限公司",
                f"{rng.randint(2005, 2020)}-06-01",
                rng.choice(("C26", "C25", "C29", "C35", "I65", "M74")),
            ]
        )
    wb.save(directory / "enterprises.xlsx")

    keys = [c.key for c in COLUMNS["figures"]]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append([c.header for c in COLUMNS["figures"]])
    written = 0
    for i in range(firms):
        revenue = 10 ** rng.uniform(6, 9)
        employees = rng.randint(5, 800)
        for year in YEARS:
            if written == rows:
                break
            revenue *= rng.uniform(0.95, 1.2)
            rd = revenue * rng.uniform(0, 0.08)
            non_taxable = round(revenue * 0.005, 2)
            total_income = round(revenue * 1.02, 2) + non_taxable
            st = round(employees * rng.uniform(0.02, 0.3))
            assets = round(revenue * rng.uniform(0.8, 2), 2)
            liabilities = round(assets * rng.uniform(0.3, 0.7), 2)
            row = {
                "uscc": uscc(i),
                "enterprise_name": f"基准测试企业{i:05d}有限公司",
                "year": year,
                "operating_revenue": round(revenue * 0.95, 2) + round(revenue * 0.05, 2),
                "main_revenue": round(revenue * 0.95, 2),
                "other_revenue": round(revenue * 0.05, 2),
                "total_income": total_income,
                "non_taxable_income": non_taxable,
                "high_tech_income": round(revenue * rng.uniform(0, 0.8), 2),
                "technical_income": round(revenue * 0.02, 2),
                "rd_personnel": round(rd * 0.5, 2),
                "rd_direct_inputs": round(rd * 0.3, 2),
                "rd_depreciation": round(rd * 0.1, 2),
                "rd_amortization": round(rd * 0.02, 2),
                "rd_design": round(rd * 0.02, 2),
                "rd_trials": round(rd * 0.02, 2),
                "rd_outsourced_domestic": round(rd * 0.02, 2),
                "rd_outsourced_overseas": 0,
                "rd_other": round(rd * 0.02, 2),
                "rd_domestic": round(rd * 0.9, 2),
                "employees": employees,
                "st_staff": st,
                "rd_staff": round(st * 0.6),
                "total_assets": assets,
                "liabilities": liabilities,
                "net_assets": round(assets - liabilities, 2),
                "net_profit": round(revenue * rng.uniform(-0.05, 0.1), 2),
                "cost_and_expense_total": round(revenue * 0.9, 2),
                "source": "基准测试合成数据",
            }
            ws.append([row[k] for k in keys])
            written += 1
    wb.save(directory / "figures.xlsx")


# --- the import (this process) ---------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["KECHUANG_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    os.environ.setdefault("KECHUANG_LOG_LEVEL", "ERROR")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database(url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    if url.startswith("sqlite"):
        path = Path(unquote(urlsplit(url).path[1:]))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cur.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


class Phases:
    """The progress callback: notes when writing starts, to split check time from write time."""

    def __init__(self) -> None:
        self.writing_at: float | None = None

    def __call__(self, phase: str, checked: int, done: int, total: int) -> None:
        if phase == "writing" and self.writing_at is None:
            self.writing_at = time.perf_counter()


def timed(label: str, user, path: Path, kind: str):
    from kechuang.enterprises.imports import import_file

    phases = Phases()
    start = time.perf_counter()
    out = import_file(user, path, kind, progress=phases)
    end = time.perf_counter()
    check = (phases.writing_at or end) - start
    return label, end - start, check, end - (phases.writing_at or end), out, peak_rss_mib()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = database_url(args.db)
    setup_django(url)
    if args.generate_into:
        generate(args.generate_into, args.rows)
        return

    directory = Path(tempfile.mkdtemp(prefix="kechuang-bench-"))
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--rows",
            str(args.rows),
            "--db",
            url,
            "--generate-into",
            str(directory),
        ],
        check=True,
    )
    generated = time.perf_counter() - start

    from auditlog.context import set_actor
    from django.db import connection

    from kechuang.accounts.models import User
    from kechuang.enterprises.codes import load_industry_codes
    from kechuang.enterprises.models import Enterprise, YearlyFigures

    fresh_database(url)
    load_industry_codes()
    user = User.objects.create_user(username="bench", password="bench-only", role="admin")
    baseline = peak_rss_mib()
    results = []
    with set_actor(user):
        results.append(timed("enterprises", user, directory / "enterprises.xlsx", "enterprises"))
        results.append(timed("figures", user, directory / "figures.xlsx", "figures"))
        results.append(
            timed("figures again (unchanged)", user, directory / "figures.xlsx", "figures")
        )
    assert YearlyFigures.objects.count() == args.rows
    size = {p.name: p.stat().st_size / 2**20 for p in directory.glob("*.xlsx")}
    vendor = "PostgreSQL"
    if connection.vendor == "sqlite":
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"

    print(f"\n## Enterprise import benchmark ({time.strftime('%Y-%m-%d', time.gmtime())})\n")
    print(f"- machine: {os.cpu_count()} CPU, Python {platform.python_version()}, {vendor}")
    print(
        f"- dataset: {Enterprise.objects.count():,} enterprises × {len(YEARS)} years → "
        f"{args.rows:,} figure rows × 25 figures; files: "
        + ", ".join(f"{k} {v:.1f} MiB" for k, v in sorted(size.items()))
    )
    print(f"- file generation (child process, not counted): {generated:.1f} s")
    print(f"- peak RSS after Django set-up and migrate: {baseline:.0f} MiB\n")
    print(
        "| import | rows | created | updated | unchanged | check s | write s | total s | rows/s "
        "| peak RSS (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, seconds, check, write, r, rss in results:
        counts = f"{r.rows:,} | {r.created:,} | {r.updated:,} | {r.unchanged:,}"
        times = f"{check:.1f} | {write:.1f} | {seconds:.1f} | {r.rows / seconds:,.0f}"
        print(f"| {label} | {counts} | {times} | {rss:.0f} |")
    if not args.keep:
        for p in directory.iterdir():
            p.unlink()
        directory.rmdir()
    else:
        print(f"\nfiles kept in {directory}")


if __name__ == "__main__":
    main()
