"""The synthetic demo dataset: flagged records a newcomer can explore, removable in one step.

Demo figures never replace a real one: keys that already hold a real approved figure (such as the
baselines the plan itself states) are left alone, and every demo record carries ``is_demo``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from kechuang.accounts.models import Organization
from kechuang.core.problems import Problem, Rejected
from kechuang.indicators.models import DataValue
from kechuang.indicators.services import ImportRow, import_values
from kechuang.plans.models import Plan, TaskNode
from kechuang.supervision.models import Milestone, ProgressReport

DEMO_PASSWORD = "kechuang-demo"


@dataclass
class DemoReport:
    users: int = 0
    values: int = 0
    progress: int = 0
    milestones_done: int = 0


def load_demo(path: Path) -> DemoReport:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("schema") != "kechuang-demo/1":
        raise Rejected(
            [
                Problem(
                    str(path),
                    "不是演示数据文件（schema 应为 kechuang-demo/1）",
                    "not a demo file (schema must be kechuang-demo/1)",
                )
            ]
        )
    plan = Plan.objects.select_related("region").filter(code=doc["plan"]).first()
    if plan is None:
        raise Rejected(
            [
                Problem(
                    f"{path} › plan",
                    f"请先载入规划 {doc['plan']}",
                    f"load plan {doc['plan']} first",
                )
            ]
        )
    report = DemoReport()
    with transaction.atomic():
        admin = None
        for u in doc.get("users", []):
            user, created = _demo_user(u)
            report.users += created
            if user.role == "admin":
                admin = user
        admin = admin or get_user_model().objects.filter(role="admin").first()
        report.values = _demo_values(doc.get("values", {}), admin, path.name)
        report.progress, report.milestones_done = _demo_progress(plan, doc)
    return report


def _demo_user(u: dict):
    User = get_user_model()
    user = User.objects.filter(username=u["username"]).first()
    if user is not None:
        return user, False
    org = Organization.objects.get(code=u["organization"]) if u.get("organization") else None
    role = u["role"]
    user = User(
        username=u["username"],
        display_name=u.get("display_name", ""),
        role=role,
        organization=org,
        is_demo=True,
        is_staff=role == "admin",
        is_superuser=role == "admin",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user, True


def _demo_values(values: dict, actor, file_name: str) -> int:
    real = set(
        DataValue.objects.filter(is_current=True, is_demo=False).values_list(
            "element__code", "org_unit__code", "year"
        )
    )
    rows, line = [], 1
    for element, by_unit in values.items():
        for unit, by_year in by_unit.items():
            for year, value in by_year.items():
                line += 1
                if (element, str(unit), int(year)) in real or value is None:
                    continue
                rows.append(
                    ImportRow(
                        line, element, year, str(unit), value, "演示数据（合成）/ demo (synthetic)"
                    )
                )
    if not rows:
        return 0
    result = import_values(actor, rows, file_name=file_name, approve=True, is_demo=True)
    return result.created + result.updated


def _demo_progress(plan: Plan, doc: dict) -> tuple[int, int]:
    tasks = {
        t.code: t for t in TaskNode.objects.filter(plan=plan).select_related("lead_department")
    }
    orgs = {o.code: o for o in Organization.objects.all()}
    User = get_user_model()
    added = done = 0
    for code, reports in (doc.get("progress") or {}).items():
        task = tasks.get(str(code))
        if task is None:
            continue
        for r in reports:
            org = orgs.get(r.get("by")) or task.lead_department
            day = _date(r["date"])
            if ProgressReport.objects.filter(task=task, reported_on=day, organization=org).exists():
                continue
            ProgressReport.objects.create(
                task=task,
                percent=int(r["percent"]),
                text=r["text"],
                reported_on=day,
                organization=org,
                is_demo=True,
                reported_by=User.objects.filter(organization=org).first(),
            )
            added += 1
    for code, items in (doc.get("milestones_done") or {}).items():
        task = tasks.get(str(code))
        if task is None:
            continue
        for title, day in items.items():
            done += Milestone.objects.filter(task=task, title=title, completed_on=None).update(
                completed_on=_date(day)
            )
    return added, done


def _date(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def remove_demo() -> dict[str, int]:
    """Delete every demo record; real records are untouched."""
    with transaction.atomic():
        counts = {
            "values": DataValue.objects.filter(is_demo=True).delete()[0],
            "progress": ProgressReport.objects.filter(is_demo=True).delete()[0],
            "users": get_user_model().objects.filter(is_demo=True).delete()[0],
        }
    return counts
