"""Task supervision over JSON: the task tree with state, one task, and progress reporting.

Progress and 督办 are internal working records, so every endpoint needs a login with
``supervision.view_board`` (the public plan page already shows the tree without them).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.security import django_auth

from kechuang.core.problems import Problem, Rejected
from kechuang.plans.models import Plan, TaskNode
from kechuang.supervision import selectors, services
from kechuang.supervision.selectors import TaskStatus

router = Router(tags=["tasks"])


class TaskNodeOut(Schema):
    id: int
    code: str
    level: str
    title: str
    title_en: str
    lead: str | None
    co: list[str]
    state: str
    percent: int | None  # the task's own latest report
    progress: int | None  # own percent, else the mean of its children's
    reported_on: dt.date | None
    milestones: int
    milestones_done: int
    milestones_overdue: int
    children: list[TaskNodeOut]


TaskNodeOut.model_rebuild()


class MilestoneOut(Schema):
    id: int
    title: str
    title_en: str
    due_on: dt.date
    completed_on: dt.date | None
    state: str


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class ReportOut(Schema):
    id: int
    percent: int
    text: str
    reported_on: dt.date
    organization: str
    milestone: int | None
    evidence: list[EvidenceOut] | None  # None: the caller may not see this task's evidence


class SupervisionOut(Schema):
    id: int
    department: str
    reason: str
    respond_by: dt.date
    issued_at: dt.datetime
    response: str
    responded_at: dt.datetime | None
    closed_at: dt.datetime | None


class TaskOut(Schema):
    id: int
    plan: str
    code: str
    level: str
    title: str
    title_en: str
    summary: str
    lead: str | None
    co: list[str]
    parent: str | None
    state: str
    percent: int | None
    progress: int | None
    reported_on: dt.date | None
    milestones: list[MilestoneOut]
    reports: list[ReportOut]
    supervisions: list[SupervisionOut] | None  # None: the caller may not see them


class ProgressIn(Schema):
    percent: int
    text: str
    reported_on: dt.date
    milestone: int | None = None


class ProgressOut(Schema):
    id: int
    task: str
    percent: int
    text: str
    reported_on: dt.date
    organization: str
    milestone: int | None


def _can_view(request) -> None:
    if not request.user.has_perm("supervision.view_board"):
        raise PermissionDenied("无权查看任务督办 / you may not view task supervision")


def _node(s: TaskStatus) -> dict:
    t = s.task
    return {
        "id": t.pk,
        "code": t.code,
        "level": t.level,
        "title": t.title,
        "title_en": t.title_en,
        "lead": t.lead_department.code if t.lead_department else None,
        "co": [d.code for d in t.co_departments.all()],
        "state": s.state,
        "percent": s.percent,
        "progress": s.progress,
        "reported_on": s.last_reported_on,
        "milestones": s.tree_milestones,
        "milestones_done": s.tree_done,
        "milestones_overdue": s.tree_overdue,
        "children": [_node(c) for c in s.children],
    }


@router.get(
    "/plans/{code}/tasks",
    response=list[TaskNodeOut],
    auth=django_auth,
    summary="任务树与进度状态 / task tree with state",
)
def plan_tasks(request, code: str, days: int = selectors.DUE_SOON_DAYS):
    """The plan's tasks 工程 → 行动 → 举措 with lead/co department codes, state and progress.

    state: overdue | due_soon | no_report | on_schedule | done, rolled up (a parent is overdue
    if any descendant is). milestones* count the whole subtree.
    """
    _can_view(request)
    plan = get_object_or_404(Plan, code=code)
    return [_node(s) for s in selectors.plan_status(plan, days=min(max(days, 1), 366)).roots]


@router.get("/tasks/{task_id}", response=TaskOut, auth=django_auth, summary="任务 / one task")
def get_task(request, task_id: int):
    _can_view(request)
    user = request.user
    task = get_object_or_404(TaskNode.objects.select_related("plan", "parent"), pk=task_id)
    s = selectors.plan_status(task.plan).by_pk[task.pk]
    see_evidence = user.has_perm("supervision.view_evidence", task)
    reports = [
        {
            "id": r.pk,
            "percent": r.percent,
            "text": r.text,
            "reported_on": r.reported_on,
            "organization": r.organization.code,
            "milestone": r.milestone_id,
            "evidence": [
                {
                    "id": e.pk,
                    "name": e.original_name,
                    "size": e.size,
                    "content_type": e.content_type,
                    "url": reverse("supervision:evidence", args=[e.pk]),
                }
                for e in r.evidence.all()
            ]
            if see_evidence
            else None,
        }
        for r in selectors.task_reports(task)
    ]
    supervisions = None
    if user.has_perm("supervision.view_supervisions", task):
        supervisions = [
            {
                "id": sv.pk,
                "department": sv.department.code,
                "reason": sv.reason,
                "respond_by": sv.respond_by,
                "issued_at": sv.issued_at,
                "response": sv.response,
                "responded_at": sv.responded_at,
                "closed_at": sv.closed_at,
            }
            for sv in selectors.task_supervisions(task)
        ]
    node = _node(s)
    return {
        **node,
        "plan": task.plan.code,
        "summary": task.summary,
        "parent": task.parent.code if task.parent else None,
        "milestones": [
            {
                "id": mv.milestone.pk,
                "title": mv.milestone.title,
                "title_en": mv.milestone.title_en,
                "due_on": mv.milestone.due_on,
                "completed_on": mv.milestone.completed_on,
                "state": mv.state,
            }
            for mv in selectors.milestone_views(task)
        ],
        "reports": reports,
        "supervisions": supervisions,
    }


@router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut},
    auth=django_auth,
    summary="报告任务进展 / report progress",
)
def post_progress(request, task_id: int, payload: ProgressIn):
    """Evidence files are uploaded through the web page; this takes the figures and the text."""
    task = get_object_or_404(TaskNode.objects.select_related("plan"), pk=task_id)
    # Permission before input: someone who may not report learns nothing from a 400.
    if not request.user.has_perm("supervision.report_progress", task):
        raise PermissionDenied(
            f"本单位不是任务 {task.code} 的牵头或配合单位 / "
            f"your department neither leads nor co-operates on task {task.code}"
        )
    milestone = None
    if payload.milestone is not None:
        milestone = task.milestones.filter(pk=payload.milestone).first()
        if milestone is None:
            raise Rejected(
                [Problem("milestone", "所选里程碑不属于该任务", "no such milestone on this task")]
            )
    r = services.report_progress(
        request.user,
        task,
        percent=payload.percent,
        text=payload.text,
        reported_on=payload.reported_on,
        milestone=milestone,
    )
    return Status(
        201,
        {
            "id": r.pk,
            "task": task.code,
            "percent": r.percent,
            "text": r.text,
            "reported_on": r.reported_on,
            "organization": r.organization.code,
            "milestone": r.milestone_id,
        },
    )
