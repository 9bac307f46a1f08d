"""Writes to task supervision: milestones, progress reports with evidence, 督办 notices.

Permission is checked here, on the object, so the web views and the API obey the same rules.
Every function checks all of its input first and raises ``Rejected`` listing each problem; only
then does it write, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kechuang.core.problems import Problem, Rejected
from kechuang.plans.models import TaskNode
from kechuang.supervision.models import Evidence, Milestone, ProgressReport, Supervision
from kechuang.uploads import KINDS, UploadLike, check_files

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_FILES = 10


def today() -> dt.date:
    return timezone.localdate()


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _plan_start(task: TaskNode) -> dt.date:
    return dt.date(task.plan.period_start, 1, 1)


def _check_text(value: str, where: str, zh: str, en: str, limit: int) -> list[Problem]:
    if not (value or "").strip():
        return [Problem(where, f"请填写{zh}", f"{en} is required")]
    if len(value.strip()) > limit:
        return [
            Problem(where, f"{zh}不能超过 {limit} 字", f"{en} must be at most {limit} characters")
        ]
    return []


def _check_date(value, where: str, zh: str, en: str) -> list[Problem]:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return [Problem(where, f"请填写有效的{zh}", f"a valid {en} is required")]
    return []


# --- milestones -------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(user, task: TaskNode, title: str, due_on: dt.date) -> Milestone:
    """A new dated deliverable for a task (bureau decomposition of the plan)."""
    _require(
        user,
        "supervision.manage_milestones",
        task,
        "只有科技局可以设置里程碑",
        "only the bureau may set milestones",
    )
    title = (title or "").strip()
    problems = _check_text(title, "title", "里程碑名称", "the milestone title", MAX_TITLE)
    problems += _check_date(due_on, "due_on", "计划完成日期", "due date")
    if not problems and due_on < _plan_start(task):
        problems.append(
            Problem(
                "due_on",
                f"计划完成日期不能早于规划起始年（{task.plan.period_start}年）",
                f"the due date cannot be before the plan starts ({task.plan.period_start})",
            )
        )
    if title and Milestone.objects.filter(task=task, title=title).exists():
        problems.append(
            Problem("title", "该任务已有同名里程碑", "this task already has a milestone so named")
        )
    if problems:
        raise Rejected(problems)
    return Milestone.objects.create(task=task, title=title, due_on=due_on)


@transaction.atomic
def complete_milestone(user, milestone: Milestone, on: dt.date) -> Milestone:
    """Mark a milestone done on a given day (not in the future, not twice)."""
    _require(
        user,
        "supervision.complete_milestone",
        milestone,
        "只有科技局或牵头单位可以确认里程碑完成",
        "only the bureau or the lead department may complete a milestone",
    )
    milestone = (
        Milestone.objects.select_for_update().select_related("task__plan").get(pk=milestone.pk)
    )
    problems = _check_date(on, "completed_on", "完成日期", "completion date")
    if milestone.completed_on is not None:
        problems.append(
            Problem(
                "completed_on",
                f"该里程碑已于 {milestone.completed_on:%Y-%m-%d} 完成",
                f"this milestone was already completed on {milestone.completed_on:%Y-%m-%d}",
            )
        )
    if not problems:
        problems += _not_future(on, "completed_on", "完成日期", "the completion date")
        problems += _not_before_plan(on, milestone.task, "completed_on", "完成日期", "completion")
    if problems:
        raise Rejected(problems)
    milestone.completed_on, milestone.completed_by = on, user
    milestone.save(update_fields=["completed_on", "completed_by"])
    return milestone


def _not_future(on: dt.date, where: str, zh: str, en: str) -> list[Problem]:
    if on > today():
        return [
            Problem(
                where,
                f"{zh}（{on:%Y-%m-%d}）不能晚于今天",
                f"{en} ({on:%Y-%m-%d}) cannot be in the future",
            )
        ]
    return []


def _not_before_plan(on: dt.date, task: TaskNode, where: str, zh: str, en: str) -> list[Problem]:
    if on < _plan_start(task):
        return [
            Problem(
                where,
                f"{zh}不能早于规划起始年（{task.plan.period_start}年）",
                f"the {en} date cannot be before the plan starts ({task.plan.period_start})",
            )
        ]
    return []


# --- progress reports -------------------------------------------------------------------------


def report_progress(
    user,
    task: TaskNode,
    percent: int,
    text: str,
    reported_on: dt.date,
    milestone: Milestone | None = None,
    files: Sequence[UploadLike] = (),
) -> ProgressReport:
    """A department's progress on a task, with evidence files checked by content."""
    _require(
        user,
        "supervision.report_progress",
        task,
        f"本单位不是任务 {task.code} 的牵头或配合单位，无权报告进展",
        f"your department neither leads nor co-operates on task {task.code}",
    )
    problems: list[Problem] = []
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        problems.append(
            Problem(
                "percent",
                f"完成进度「{percent}」应为 0–100 的整数",
                f"percent '{percent}' must be a whole number from 0 to 100",
            )
        )
    problems += _check_text(text, "text", "进展情况", "the progress text", MAX_TEXT)
    date_problems = _check_date(reported_on, "reported_on", "报告日期", "report date")
    if not date_problems:
        date_problems += _not_future(reported_on, "reported_on", "报告日期", "the report date")
        date_problems += _not_before_plan(reported_on, task, "reported_on", "报告日期", "report")
    problems += date_problems
    if milestone is not None and milestone.task_id != task.pk:
        problems.append(
            Problem("milestone", "所选里程碑不属于该任务", "the milestone belongs to another task")
        )
    if user.organization_id is None:
        problems.append(
            Problem(
                "organization",
                "您的账户未关联单位，无法报告进展",
                "your account has no organisation to report for",
            )
        )
    checked, file_problems = check_files(
        list(files), max_bytes=settings.KECHUANG_EVIDENCE_MAX_BYTES, max_files=MAX_FILES
    )
    problems += file_problems
    if problems:
        raise Rejected(problems)
    return _write_report(user, task, percent, text.strip(), reported_on, milestone, checked)


def _write_report(user, task, percent, text, reported_on, milestone, checked) -> ProgressReport:
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                task=task,
                milestone=milestone,
                percent=percent,
                text=text,
                reported_on=reported_on,
                reported_by=user,
                organization_id=user.organization_id,
            )
            for c in checked:
                ev = Evidence(
                    report=report,
                    original_name=c.original_name,
                    size=c.size,
                    content_type=KINDS[c.kind].content_type,
                    sha256=c.sha256,
                )
                # A random stored name: the user's name never becomes a path on disk.
                ev.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                stored.append(ev.file.name)
                ev.save()
    except BaseException:
        # The rows are rolled back; the files already on disk must go with them.
        for name in stored:
            default_storage.delete(name)
        raise
    return report


# --- 督办 ---------------------------------------------------------------------------------------


@transaction.atomic
def issue_supervision(user, task: TaskNode, reason: str, respond_by: dt.date) -> Supervision:
    """Press the task's lead department with a 督办 notice and a reply deadline."""
    _require(
        user,
        "supervision.supervise",
        task,
        "只有科技局可以发出督办",
        "only the bureau may issue 督办",
    )
    problems = _check_text(reason, "reason", "督办事项", "the reason", MAX_TEXT)
    date_problems = _check_date(respond_by, "respond_by", "回复期限", "reply deadline")
    if not date_problems and respond_by < today():
        date_problems.append(
            Problem(
                "respond_by",
                f"回复期限（{respond_by:%Y-%m-%d}）不能早于今天",
                f"the reply deadline ({respond_by:%Y-%m-%d}) cannot be in the past",
            )
        )
    problems += date_problems
    if task.lead_department_id is None:
        problems.append(
            Problem(
                "department",
                f"任务 {task.code} 没有牵头单位，无法督办",
                f"task {task.code} has no lead department to press",
            )
        )
    # Lock the task row so two staff pressing at once cannot both pass the "already open" check.
    TaskNode.objects.select_for_update().only("pk").get(pk=task.pk)
    if Supervision.objects.filter(task=task, closed_at__isnull=True).exists():
        problems.append(
            Problem(
                "task",
                f"任务 {task.code} 已有未办结的督办，请在原督办上跟进",
                f"task {task.code} already has an open 督办; follow that one up",
            )
        )
    if problems:
        raise Rejected(problems)
    return Supervision.objects.create(
        task=task,
        department_id=task.lead_department_id,
        reason=reason.strip(),
        respond_by=respond_by,
        issued_by=user,
    )


@transaction.atomic
def respond_supervision(user, supervision: Supervision, response: str) -> Supervision:
    """The pressed department's answer; it may be amended while the notice is open."""
    _require(
        user,
        "supervision.respond_supervision",
        supervision,
        "只有被督办单位可以回复",
        "only the department pressed may respond",
    )
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    problems = _check_text(response, "response", "回复内容", "the response", MAX_TEXT)
    if not supervision.is_open:
        problems.append(Problem("supervision", "该督办已办结，不能再回复", "this 督办 is closed"))
    if problems:
        raise Rejected(problems)
    supervision.response = response.strip()
    supervision.responded_at, supervision.responded_by = timezone.now(), user
    supervision.save(update_fields=["response", "responded_at", "responded_by"])
    return supervision


@transaction.atomic
def close_supervision(user, supervision: Supervision) -> Supervision:
    """The bureau closes the notice (办结), with or without a reply."""
    _require(
        user,
        "supervision.supervise",
        supervision.task,
        "只有科技局可以办结督办",
        "only the bureau may close 督办",
    )
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if not supervision.is_open:
        raise Rejected([Problem("supervision", "该督办已办结", "this 督办 is already closed")])
    supervision.closed_at, supervision.closed_by = timezone.now(), user
    supervision.save(update_fields=["closed_at", "closed_by"])
    return supervision
