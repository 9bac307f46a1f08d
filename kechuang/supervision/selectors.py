"""Reads for task supervision: per-task status rolled up the tree, board, overdue, 督办 lists.

A whole plan's status costs two queries (tasks with their figures annotated, co-operating
departments); everything else is arithmetic in memory, so pages do not grow with the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.plans.models import Plan, TaskNode
from kechuang.supervision.models import Evidence, Milestone, ProgressReport, Supervision

DUE_SOON_DAYS = 30


class State:
    """A task's standing, worst first. The order is how a parent takes its children's state."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_REPORT = "no_report"
    ON_SCHEDULE = "on_schedule"
    DONE = "done"

    ORDER = (OVERDUE, DUE_SOON, NO_REPORT, ON_SCHEDULE, DONE)
    LABELS = {
        OVERDUE: _("逾期"),
        DUE_SOON: _("临期"),
        NO_REPORT: _("未报告"),
        ON_SCHEDULE: _("正常"),
        DONE: _("完成"),
    }
    BADGE = {OVERDUE: "bad", DUE_SOON: "warn", NO_REPORT: "none", ON_SCHEDULE: "good", DONE: "ok"}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(s, cls.LABELS[s]) for s in cls.ORDER]


@dataclass
class TaskStatus:
    """One task's own figures and those of its whole subtree."""

    task: TaskNode
    percent: int | None  # its own latest report
    reported_on: dt.date | None
    reports: int
    milestones: int
    milestones_done: int
    milestones_overdue: int
    milestones_due_soon: int
    next_due: dt.date | None
    open_supervisions: int
    depth: int = 0
    children: list[TaskStatus] = field(default_factory=list)
    # Filled by the roll-up:
    state: str = State.NO_REPORT
    progress: int | None = None  # own percent, else the mean of the children's
    tree_milestones: int = 0
    tree_done: int = 0
    tree_overdue: int = 0
    tree_due_soon: int = 0
    last_reported_on: dt.date | None = None

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def badge(self) -> str:
        return State.BADGE[self.state]

    def walk(self) -> Iterator[TaskStatus]:
        yield self
        for child in self.children:
            yield from child.walk()

    def involves(self, org_id: int) -> bool:
        return self.task.lead_department_id == org_id or any(
            d.pk == org_id for d in self.task.co_departments.all()
        )


def _latest(field_name: str) -> Subquery:
    return Subquery(
        ProgressReport.objects.filter(task=OuterRef("pk"))
        .order_by("-reported_on", "-id")
        .values(field_name)[:1]
    )


def _count(queryset: QuerySet, **filters) -> Coalesce:
    """A correlated COUNT: several of these on one row never multiply each other like joins do."""
    sub = (
        queryset.filter(task=OuterRef("pk"), **filters)
        .order_by()
        .values("task")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def annotated_tasks(plan: Plan, *, today: dt.date, days: int) -> QuerySet[TaskNode]:
    soon = today + dt.timedelta(days=days)
    open_ms = Milestone.objects.filter(completed_on__isnull=True)
    return (
        plan.tasks.select_related("lead_department", "plan")
        .prefetch_related(
            Prefetch("co_departments", queryset=Organization.objects.order_by("code"))
        )
        .annotate(
            latest_percent=_latest("percent"),
            latest_on=_latest("reported_on"),
            n_reports=_count(ProgressReport.objects.all()),
            n_milestones=_count(Milestone.objects.all()),
            n_done=_count(Milestone.objects.filter(completed_on__isnull=False)),
            n_overdue=_count(open_ms, due_on__lt=today),
            n_due_soon=_count(open_ms, due_on__gte=today, due_on__lte=soon),
            n_open_supervisions=_count(Supervision.objects.filter(closed_at__isnull=True)),
            next_due=Subquery(
                open_ms.filter(task=OuterRef("pk")).order_by("due_on").values("due_on")[:1]
            ),
        )
        .order_by("sort_order")
    )


def _roll_up(node: TaskStatus) -> None:
    for child in node.children:
        _roll_up(child)
    kids = node.children
    node.tree_milestones = node.milestones + sum(c.tree_milestones for c in kids)
    node.tree_done = node.milestones_done + sum(c.tree_done for c in kids)
    node.tree_overdue = node.milestones_overdue + sum(c.tree_overdue for c in kids)
    node.tree_due_soon = node.milestones_due_soon + sum(c.tree_due_soon for c in kids)
    dates = [d for d in [node.reported_on, *(c.last_reported_on for c in kids)] if d]
    node.last_reported_on = max(dates) if dates else None
    if node.percent is not None:
        node.progress = node.percent
    elif kids and any(c.progress is not None for c in kids):
        # A child nobody has reported on counts as not started, not as missing.
        node.progress = round(sum(c.progress or 0 for c in kids) / len(kids))
    open_own = node.milestones - node.milestones_done
    if node.tree_overdue:
        node.state = State.OVERDUE
    elif node.tree_due_soon:
        node.state = State.DUE_SOON
    elif kids:
        # A parent is done when every child is, or when it reports 100% itself with nothing open.
        own_done = node.percent == 100 and open_own == 0
        if all(c.state == State.DONE for c in kids) or own_done:
            node.state = State.DONE
        elif node.last_reported_on is None:
            node.state = State.NO_REPORT
        else:
            node.state = State.ON_SCHEDULE
    elif node.percent == 100 and open_own == 0:
        node.state = State.DONE
    elif node.reports == 0:
        node.state = State.NO_REPORT
    else:
        node.state = State.ON_SCHEDULE


@dataclass
class PlanStatus:
    plan: Plan
    today: dt.date
    days: int
    roots: list[TaskStatus]
    by_pk: dict[int, TaskStatus]

    def all(self) -> list[TaskStatus]:
        return [s for root in self.roots for s in root.walk()]

    def path_to(self, pk: int) -> list[TaskStatus]:
        """The ancestors of a task, root first (for breadcrumbs)."""
        out: list[TaskStatus] = []
        node = self.by_pk.get(pk)
        while node is not None and node.task.parent_id is not None:
            node = self.by_pk.get(node.task.parent_id)
            if node is not None:
                out.insert(0, node)
        return out


def plan_status(
    plan: Plan, *, days: int = DUE_SOON_DAYS, today: dt.date | None = None
) -> PlanStatus:
    """Every task of the plan with its state, rolled up: a parent is overdue if any child is."""
    today = today or timezone.localdate()
    by_pk: dict[int, TaskStatus] = {}
    for t in annotated_tasks(plan, today=today, days=days):
        by_pk[t.pk] = TaskStatus(
            task=t,
            percent=t.latest_percent,
            reported_on=t.latest_on,
            reports=t.n_reports,
            milestones=t.n_milestones,
            milestones_done=t.n_done,
            milestones_overdue=t.n_overdue,
            milestones_due_soon=t.n_due_soon,
            next_due=t.next_due,
            open_supervisions=t.n_open_supervisions,
        )
    roots: list[TaskStatus] = []
    for s in by_pk.values():  # already in sort order, so children keep the plan's order
        parent = by_pk.get(s.task.parent_id)
        (parent.children if parent else roots).append(s)

    def set_depth(node: TaskStatus, depth: int) -> None:
        node.depth = depth
        for c in node.children:
            set_depth(c, depth + 1)

    for root in roots:
        set_depth(root, 0)
        _roll_up(root)
    return PlanStatus(plan, today, days, roots, by_pk)


def task_status(task: TaskNode, *, days: int = DUE_SOON_DAYS) -> TaskStatus:
    """One task's status; computed with its plan's so the subtree roll-up is the same."""
    return plan_status(task.plan, days=days).by_pk[task.pk]


# --- board ------------------------------------------------------------------------------------


@dataclass
class DepartmentRow:
    department: Organization
    led: int = 0
    co: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(State.ORDER, 0))

    @property
    def overdue(self) -> int:
        return self.counts[State.OVERDUE]

    @property
    def due_soon(self) -> int:
        return self.counts[State.DUE_SOON]

    @property
    def no_report(self) -> int:
        return self.counts[State.NO_REPORT]

    @property
    def on_schedule(self) -> int:
        return self.counts[State.ON_SCHEDULE]

    @property
    def done(self) -> int:
        return self.counts[State.DONE]


@dataclass
class Board:
    status: PlanStatus
    departments: list[DepartmentRow]
    totals: dict[str, int]
    tasks: list[TaskStatus]  # the tasks matching the filter, in plan order
    department: Organization | None
    state: str | None

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def state_counts(self) -> list[tuple[str, str, str, int]]:
        """(state, label, badge class, number of tasks) in worst-first order."""
        return [(s, State.LABELS[s], State.BADGE[s], self.totals[s]) for s in State.ORDER]


def board(
    plan: Plan,
    department: Organization | None = None,
    *,
    state: str | None = None,
    days: int = DUE_SOON_DAYS,
) -> Board:
    """Tasks grouped by lead department with counts per state; a department filter keeps the
    tasks it leads or co-operates on."""
    status = plan_status(plan, days=days)
    rows: dict[int, DepartmentRow] = {}
    everything = status.all()
    for s in everything:
        lead = s.task.lead_department
        if lead is not None:
            row = rows.setdefault(lead.pk, DepartmentRow(lead))
            row.led += 1
            row.counts[s.state] += 1
        for d in s.task.co_departments.all():
            rows.setdefault(d.pk, DepartmentRow(d)).co += 1
    departments = sorted(
        rows.values(),
        key=lambda r: (-r.overdue, -r.due_soon, -r.led, r.department.code),
    )
    scoped = everything
    if department is not None:
        scoped = [s for s in scoped if s.involves(department.pk)]
    # The state counts describe what the department filter shows, so a click on one narrows it.
    totals = dict.fromkeys(State.ORDER, 0)
    for s in scoped:
        totals[s.state] += 1
    tasks = [s for s in scoped if s.state == state] if state in State.ORDER else scoped
    return Board(status, departments, totals, tasks, department, state)


def departments_in(plan: Plan) -> QuerySet[Organization]:
    """Departments that lead or co-operate on any of the plan's tasks (for filter menus)."""
    return (
        Organization.objects.filter(Q(led_tasks__plan=plan) | Q(co_tasks__plan=plan))
        .distinct()
        .order_by("kind", "code")
    )


# --- overdue and due soon ---------------------------------------------------------------------


@dataclass
class MilestoneRow:
    milestone: Milestone
    task: TaskNode
    state: str  # State.OVERDUE or State.DUE_SOON
    days: int  # days late (overdue) or days left (due soon)
    percent: int | None
    reported_on: dt.date | None
    open_supervision: bool

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def badge(self) -> str:
        return State.BADGE[self.state]


def _open_milestones(plan: Plan, department: Organization | None) -> QuerySet[Milestone]:
    qs = (
        Milestone.objects.filter(task__plan=plan, completed_on__isnull=True)
        .select_related("task__lead_department")
        .prefetch_related(
            Prefetch("task__co_departments", queryset=Organization.objects.order_by("code"))
        )
        .annotate(
            latest_percent=Subquery(
                ProgressReport.objects.filter(task=OuterRef("task"))
                .order_by("-reported_on", "-id")
                .values("percent")[:1]
            ),
            latest_on=Subquery(
                ProgressReport.objects.filter(task=OuterRef("task"))
                .order_by("-reported_on", "-id")
                .values("reported_on")[:1]
            ),
            supervised=Exists(
                Supervision.objects.filter(task=OuterRef("task"), closed_at__isnull=True)
            ),
        )
    )
    if department is not None:
        # Lateness is the lead department's to answer for (督办 goes to the lead).
        qs = qs.filter(task__lead_department=department)
    return qs


def _rows(qs: QuerySet[Milestone], today: dt.date, state: str) -> list[MilestoneRow]:
    return [
        MilestoneRow(
            milestone=m,
            task=m.task,
            state=state,
            days=(today - m.due_on).days if state == State.OVERDUE else (m.due_on - today).days,
            percent=m.latest_percent,
            reported_on=m.latest_on,
            open_supervision=m.supervised,
        )
        for m in qs
    ]


def overdue(
    plan: Plan, department: Organization | None = None, *, today: dt.date | None = None
) -> list[MilestoneRow]:
    """Milestones past their due date and not completed, longest late first."""
    today = today or timezone.localdate()
    qs = _open_milestones(plan, department).filter(due_on__lt=today)
    return _rows(qs.order_by("due_on", "task__sort_order", "id"), today, State.OVERDUE)


def due_soon(
    plan: Plan,
    days: int = DUE_SOON_DAYS,
    department: Organization | None = None,
    *,
    today: dt.date | None = None,
) -> list[MilestoneRow]:
    """Open milestones due from today up to ``days`` days ahead, nearest first."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=days)
    qs = _open_milestones(plan, department).filter(due_on__gte=today, due_on__lte=soon)
    return _rows(qs.order_by("due_on", "task__sort_order", "id"), today, State.DUE_SOON)


def overdue_export_rows(rows: Iterable[MilestoneRow]) -> Iterator[list]:
    for r in rows:
        t = r.task
        yield [
            str(r.state_label),
            t.code,
            t.title,
            t.lead_department.name if t.lead_department else "",
            "、".join(d.name for d in t.co_departments.all()),
            r.milestone.title,
            r.milestone.due_on,
            r.days,
            r.percent,
            r.reported_on,
            "是" if r.open_supervision else "",
        ]


OVERDUE_EXPORT_HEADER = [
    "状态 / state",
    "任务编号 / task",
    "任务名称 / title",
    "牵头单位 / lead",
    "配合单位 / co-operating",
    "里程碑 / milestone",
    "计划完成日期 / due",
    "逾期或剩余天数 / days late or left",
    "最新进度（%） / latest percent",
    "最近报告日期 / last report",
    "督办中 / under 督办",
]


# --- 督办 ---------------------------------------------------------------------------------------


SUPERVISION_STATUSES = ("open", "closed", "all")


def supervision_list(
    status: str = "open",
    department: Organization | None = None,
    plan: Plan | None = None,
) -> QuerySet[Supervision]:
    """督办 notices, open ones first (closest deadline first), then the most recently closed."""
    qs = Supervision.objects.select_related(
        "task", "department", "issued_by", "responded_by", "closed_by"
    )
    if status == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if department is not None:
        qs = qs.filter(department=department)
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    # Explicit NULL placement: PostgreSQL sorts NULLs last in ascending order, SQLite first.
    return qs.order_by(F("closed_at").desc(nulls_first=True), "respond_by", "-issued_at", "-id")


def open_supervisions_for(department: Organization) -> QuerySet[Supervision]:
    return supervision_list("open", department=department)


# --- one task ---------------------------------------------------------------------------------


def task_milestones(task: TaskNode) -> QuerySet[Milestone]:
    return task.milestones.select_related("completed_by").order_by("due_on", "id")


def task_reports(task: TaskNode) -> QuerySet[ProgressReport]:
    return (
        task.progress_reports.select_related("organization", "reported_by", "milestone")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-reported_on", "-id")
    )


def task_supervisions(task: TaskNode) -> QuerySet[Supervision]:
    return supervision_list("all").filter(task=task)


def evidence_with_task() -> QuerySet[Evidence]:
    """Evidence rows with what the permission check needs already joined."""
    return Evidence.objects.select_related("report__task")


@dataclass
class MilestoneView:
    milestone: Milestone
    state: str  # done / overdue / due_soon / upcoming
    days: int | None

    LABELS = {
        "done": _("已完成"),
        "overdue": _("逾期"),
        "due_soon": _("临期"),
        "upcoming": _("未到期"),
    }
    BADGES = {"done": "ok", "overdue": "bad", "due_soon": "warn", "upcoming": "none"}

    @property
    def label(self) -> str:
        return self.LABELS[self.state]

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    @property
    def late(self) -> bool:
        m = self.milestone
        return m.completed_on is not None and m.completed_on > m.due_on


def milestone_views(
    task: TaskNode, *, days: int = DUE_SOON_DAYS, today: dt.date | None = None
) -> list[MilestoneView]:
    today = today or timezone.localdate()
    out = []
    for m in task_milestones(task):
        if m.completed_on is not None:
            out.append(MilestoneView(m, "done", None))
        elif m.due_on < today:
            out.append(MilestoneView(m, "overdue", (today - m.due_on).days))
        elif m.due_on <= today + dt.timedelta(days=days):
            out.append(MilestoneView(m, "due_soon", (m.due_on - today).days))
        else:
            out.append(MilestoneView(m, "upcoming", (m.due_on - today).days))
    return out
