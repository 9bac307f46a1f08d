"""Benchmark: generating the full yearly monitoring report on the demo data.

Run from the repository root::

    .venv/bin/python benchmarks/report.py [--year 2024] [--runs 3] [--db URL] [--keep]

The script builds a fresh scratch database (never the one in KECHUANG_DATABASE_URL; SQLite
``var/bench-report.sqlite3`` by default), loads the plan and every demo dataset with
``call_command("demo")`` (as ``make run`` does), then generates the plan's yearly report
``--runs`` times through the same ``builders.yearly_report`` the background task runs: every
indicator computed, one chart per key indicator, the task, cultivation, project and other
sections, the annex of every figure, the .docx written to memory. The first run pays for
importing matplotlib and loading fonts, so it is shown apart.

It prints a markdown table (seconds per run, each step's share of the last run, the file's size
and pages of text) and the machine. It is a script, not a timed test: numbers depend on the
machine. The aim is under 15 s per report.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sqlite3
import sys
import time
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:///var/bench-report.sqlite3"


def database_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme == "sqlite":
        path = Path(unquote(parts.path[1:]))
        return f"sqlite:///{path if path.is_absolute() else ROOT / path}"
    if parts.scheme in {"postgres", "postgresql"}:
        return raw
    raise SystemExit(f"--db: unsupported scheme {parts.scheme!r}")


def setup_django(url: str) -> None:
    os.environ["KECHUANG_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    os.environ.setdefault("KECHUANG_LOG_LEVEL", "ERROR")
    # The demo notifies people; their e-mail copies stay in memory instead of filling stdout.
    os.environ["KECHUANG_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
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


class Steps:
    """The progress callback: when each step of the report started."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: list[tuple[float, str]] = []

    def __call__(self, percent: int, step: str) -> None:
        self.marks.append((time.perf_counter(), step))

    def shares(self, end: float) -> list[tuple[str, float]]:
        """Seconds per kind of step (the chart steps summed into one)."""
        out: dict[str, float] = {}
        marks = [*self.marks, (end, "")]
        for (at, step), (until, _) in pairwise(marks):
            name = "绘制指标图表" if step.startswith("绘制指标图表") else step
            out[name] = out.get(name, 0.0) + until - at
        return list(out.items())


def machine() -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        ("date (UTC)", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
        ("nproc", str(os.cpu_count())),
        ("CPU", cpu),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("1-minute load", f"{load:.2f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    url = database_url(args.db)
    setup_django(url)
    from auditlog.context import set_actor
    from django.core.management import call_command

    started = time.perf_counter()
    fresh_database(url)
    with set_actor(None):
        call_command("demo", stdout=io.StringIO())
    print(f"scratch database with the demo data: {time.perf_counter() - started:.1f} s")

    from kechuang.plans.models import Plan
    from kechuang.reports import builders

    plan = Plan.objects.select_related("region").get(code="dushanzi-2021-2025")
    times, steps, built = [], None, None
    for _ in range(args.runs):
        steps = Steps()
        start = time.perf_counter()
        built = builders.yearly_report(plan, args.year, progress=steps)
        end = time.perf_counter()
        times.append(end - start)
    print()
    print("| run | seconds |")
    print("|---|---:|")
    for i, t in enumerate(times, 1):
        print(f"| {i}{' (cold: imports, fonts)' if i == 1 else ''} | {t:.2f} |")
    print()
    print("| step (last run) | seconds |")
    print("|---|---:|")
    for name, seconds in steps.shares(start + times[-1]):
        print(f"| {name} | {seconds:.2f} |")
    print()
    print(f"file: {len(built.content) / 1024:.0f} KiB; notes: {len(built.notes)}")
    print()
    print("| machine | |")
    print("|---|---|")
    for k, v in machine():
        print(f"| {k} | {v} |")
    if not args.keep and url.startswith("sqlite"):
        path = Path(unquote(urlsplit(url).path[1:]))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
