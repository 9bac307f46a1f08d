"""Writes for reports: asking for one (checked at once, generated in the background), a new
version of one, and the generation itself with its progress.

A request that could only produce an empty report (a year with no approved figures, a department
without tasks) is refused with the reason before anything is written. A report that fails while
being generated keeps its row with the error, so the user sees what happened.
"""

from __future__ import annotations

import hashlib
import logging

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.audit.services import log_bulk
from kechuang.core.problems import Problem, Rejected
from kechuang.notifications.services import notify
from kechuang.plans.models import Plan
from kechuang.reports import builders
from kechuang.reports.models import Report

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NEEDS = {
    Report.Kind.YEARLY: ("plan", "year"),
    Report.Kind.FINAL: ("plan",),
    Report.Kind.ENTERPRISE: ("enterprise",),
    Report.Kind.DEPARTMENT: ("plan", "department"),
}
LABELS = {
    "plan": ("规划", "plan"),
    "year": ("年度", "year"),
    "enterprise": ("企业", "enterprise"),
    "department": ("责任单位", "department"),
}


def _title(kind: str, *, plan, year, enterprise, department) -> str:
    if kind == Report.Kind.YEARLY:
        return f"{plan.title}{year}年度实施监测报告"
    if kind == Report.Kind.FINAL:
        return f"{plan.title}终期评估报告"
    if kind == Report.Kind.ENTERPRISE:
        return f"{enterprise.name}企业概况"
    return f"{department.name}《{plan.title}》任务落实情况报告"


def _check(kind: str, *, plan, year, enterprise, department) -> None:
    """Every problem with the request at once; then the data check of the report itself."""
    if kind not in NEEDS:
        raise Rejected([Problem("kind", f"没有“{kind}”这种报告", f"no report kind {kind!r}")])
    given = {"plan": plan, "year": year, "enterprise": enterprise, "department": department}
    problems = [
        Problem(name, f"请选择{LABELS[name][0]}", f"choose the {LABELS[name][1]}")
        for name in NEEDS[kind]
        if given[name] is None
    ]
    if department is not None and department.kind != Organization.Kind.DEPARTMENT:
        problems.append(
            Problem(
                "department",
                f"{department.name}不是责任单位",
                f"{department.code} is not a responsible department",
            )
        )
    if problems:
        raise Rejected(problems)
    if kind == Report.Kind.YEARLY:
        builders.check_yearly(plan, year)
    elif kind == Report.Kind.FINAL:
        builders.check_final(plan)
    elif kind == Report.Kind.DEPARTMENT:
        builders.check_department(plan, department)


def request_report(
    user,
    *,
    kind: str,
    plan: Plan | None = None,
    year: int | None = None,
    enterprise=None,
    department: Organization | None = None,
) -> Report:
    """Queue a report (the next version of its subject); generation starts once this commits."""
    if not user.has_perm("reports.generate"):
        raise PermissionDenied
    # Only the fields the kind uses make up its subject: a stray year on a final report is moot.
    needed = NEEDS.get(kind, ())
    subject = {
        "plan": plan if "plan" in needed else None,
        "year": year if "year" in needed else None,
        "enterprise": enterprise if "enterprise" in needed else None,
        "department": department if "department" in needed else None,
    }
    _check(kind, **subject)
    key = Report.subject_of(kind, **subject)
    with transaction.atomic():
        latest = Report.objects.select_for_update().filter(subject=key).aggregate(v=Max("version"))
        report = Report.objects.create(
            kind=kind,
            subject=key,
            version=(latest["v"] or 0) + 1,
            title=_title(kind, **subject),
            created_by=user,
            step="等待后台任务处理",
            **subject,
        )
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def regenerate(user, report: Report) -> Report:
    """A new version of ``report`` from today's data; the earlier versions stay as they were."""
    if not user.has_perm("reports.generate"):
        raise PermissionDenied
    return request_report(
        user,
        kind=report.kind,
        plan=report.plan,
        year=report.year,
        enterprise=report.enterprise,
        department=report.department,
    )


def _enqueue(report_id: int) -> None:
    from kechuang.reports.tasks import generate_report

    generate_report.enqueue(report_id)


def _progress(report_id: int):
    def update(percent: int, step: str) -> None:
        Report.objects.filter(pk=report_id).update(progress=min(max(percent, 0), 100), step=step)

    return update


def _build(report: Report, progress) -> builders.Built:
    if report.kind == Report.Kind.YEARLY:
        return builders.yearly_report(report.plan, report.year, progress=progress)
    if report.kind == Report.Kind.FINAL:
        return builders.final_report(report.plan, progress=progress)
    if report.kind == Report.Kind.ENTERPRISE:
        return builders.enterprise_report(report.enterprise, progress=progress)
    return builders.department_report(report.plan, report.department, progress=progress)


def _file_name(report: Report) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{report.title}-v{report.version}-{stamp}.docx"


def run_report(report_id: int) -> str:
    """Generate a queued report: progress on the row as it goes, the file and its hash at the
    end, or the reason it failed. Returns the final state."""
    report = (
        Report.objects.select_related("plan", "plan__region", "enterprise", "department")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.state != Report.State.QUEUED:
        return report.state if report else "missing"
    Report.objects.filter(pk=report.pk).update(
        state=Report.State.RUNNING, started_at=timezone.now(), step="开始生成", progress=1
    )
    try:
        built = _build(report, _progress(report.pk))
    except Rejected as exc:
        return _failed(report, "；".join(p.message_zh for p in exc.problems))
    except Exception:
        log.exception("report %s failed", report.pk)
        return _failed(report, "生成时发生内部错误，请联系管理员。")
    name = _file_name(report)
    report.file.save(name, ContentFile(built.content), save=False)
    _finish(
        report,
        state=Report.State.DONE,
        progress=100,
        step="已完成",
        file=report.file.name,
        file_name=name,
        size=len(built.content),
        sha256=hashlib.sha256(built.content).hexdigest(),
        notes=built.notes,
    )
    _tell(report, "报告已生成", "Report ready")
    return Report.State.DONE


def _failed(report: Report, error: str) -> str:
    _finish(report, state=Report.State.FAILED, step="生成失败", error=error)
    _tell(report, "报告生成失败", "Report failed", body=error)
    return Report.State.FAILED


def _finish(report: Report, **fields) -> None:
    """The outcome goes on the row in one update, and into the audit log like any change."""
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(finished_at=timezone.now(), **fields)
        done = Report.objects.get(pk=report.pk)
        log_bulk(
            [done],
            LogEntry.Action.UPDATE,
            fields=["state", "file_name", "sha256", "error"],
            before={report.pk: {"state": Report.State.RUNNING}},
            note="report generated",
        )


def _tell(report: Report, zh: str, en: str, *, body: str = "") -> None:
    notify(
        [report.created_by],
        title_zh=f"{zh}：{report.title}",
        title_en=f"{en}: {report.title}",
        body_zh=body,
        body_en=body,
        url=reverse("reports:detail", args=[report.pk]),
    )
