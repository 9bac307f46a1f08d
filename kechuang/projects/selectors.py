"""Reads for projects: the filtered list with its flags, one project's sections, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.calls.models import Application
from kechuang.projects import logic
from kechuang.projects.models import (
    BudgetLine,
    ChangeRequest,
    Deliverable,
    Disbursement,
    MidtermEvaluation,
    MidtermScore,
    Milestone,
    MisconductRecord,
    PanelMember,
    ProgressReport,
    Project,
    SelfInspection,
    ToleranceRecord,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "title": ("title", "code"),
    "org": ("organization__name", "code"),
    "ends": ("ends_on", "code"),
    "-ends": ("-ends_on", "code"),
    "amount": ("approved_amount", "code"),
    "-amount": ("-approved_amount", "code"),
    "-year": ("-year", "code"),
}
FLAGS = {
    "overdue": _("有逾期里程碑"),
    "no_inspection": _("本年度未自查"),
}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    state: str = ""
    program: str = ""
    year: int | None = None
    org: str = ""
    flag: str = ""
    sort: str = "-year"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        state = params.get("state", "")
        year = params.get("year", "").strip()
        sort = params.get("sort", "-year")
        flag = params.get("flag", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            state=state if state in Project.State.values else "",
            program=params.get("program", "").strip()[:64],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            org=params.get("org", "").strip()[:64],
            flag=flag if flag in FLAGS else "",
            sort=sort if sort in SORTS else "-year",
        )


def _annotated(qs: QuerySet[Project], today: dt.date) -> QuerySet[Project]:
    """Each project with its paid total and the two warning flags, in the same query."""
    paid = (
        Disbursement.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return (
        qs.select_related("program", "organization")
        .annotate(
            disbursed=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO, output_field=MONEY)),
            has_overdue=Exists(
                Milestone.objects.filter(
                    project=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
                )
            ),
            inspected=Exists(
                SelfInspection.objects.filter(project=OuterRef("pk"), year=today.year)
            ),
        )
        .annotate(
            overdue=ExpressionWrapper(
                Q(has_overdue=True, state__in=logic.ACTIVE), output_field=BooleanField()
            ),
            missing_inspection=ExpressionWrapper(
                _needs_inspection(today) & Q(inspected=False), output_field=BooleanField()
            ),
        )
    )


def _needs_inspection(today: dt.date) -> Q:
    """Running projects begun by this year owe this year's self-inspection."""
    return Q(state__in=logic.ACTIVE, signed_on__isnull=False, starts_on__year__lte=today.year)


def approved_without_project() -> QuerySet:
    """Approved applications still waiting for their project to be opened."""
    return (
        Application.objects.filter(state=Application.State.APPROVED, project__isnull=True)
        .select_related("call__program", "applicant")
        .order_by("call__year", "code")
    )


def project_list(filters: Filters, *, today: dt.date | None = None) -> QuerySet[Project]:
    today = today or timezone.localdate()
    qs = _annotated(Project.objects.all(), today)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(lead_person__icontains=q)
        )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.program:
        qs = qs.filter(program__code=filters.program)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.org:
        qs = qs.filter(organization__code=filters.org)
    if filters.flag == "overdue":
        qs = qs.filter(overdue=True)
    elif filters.flag == "no_inspection":
        qs = qs.filter(missing_inspection=True)
    return qs.order_by(*SORTS[filters.sort])


def project_with_flags(code: str, *, today: dt.date | None = None) -> Project | None:
    """One project with the list's paid total and flags (for the API)."""
    today = today or timezone.localdate()
    qs = _annotated(Project.objects.select_related("application"), today)
    return qs.filter(code=code).first()


def missing_inspections(*, today: dt.date | None = None) -> QuerySet[Project]:
    """Projects that owe this year's self-inspection and have not submitted it."""
    today = today or timezone.localdate()
    return (
        _annotated(Project.objects.all(), today)
        .filter(missing_inspection=True)
        .order_by("organization__name", "code")
    )


def projects_of(organization_id: int, *, today: dt.date | None = None) -> QuerySet[Project]:
    today = today or timezone.localdate()
    return _annotated(Project.objects.filter(organization_id=organization_id), today).order_by(
        "-year", "code"
    )


def filter_menus() -> dict:
    return {
        "programs": Project.objects.values_list("program__code", "program__name")
        .distinct()
        .order_by("program__code"),
        "years": Project.objects.values_list("year", flat=True).distinct().order_by("-year"),
        "orgs": Organization.objects.filter(projects__isnull=False).distinct().order_by("name"),
        "states": Project.State.choices,
        "flags": list(FLAGS.items()),
    }


EXPORT_HEADER = [
    "项目编号 / code",
    "项目名称 / title",
    "计划类别 / program",
    "立项年度 / year",
    "承担单位 / organisation",
    "项目负责人 / lead",
    "状态 / state",
    "开始日期 / starts",
    "结束日期 / ends",
    "批准财政资金（元）/ approved (yuan)",
    "已拨付（元）/ disbursed (yuan)",
    "任务书签订 / signed",
    "逾期里程碑 / overdue milestones",
    "本年度自查 / this year's self-inspection",
]


def export_rows(qs: QuerySet[Project]) -> Iterator[list]:
    for p in qs.iterator(chunk_size=500):
        yield [
            p.code,
            p.title,
            p.program.name,
            p.year,
            p.organization.name,
            p.lead_person,
            str(p.get_state_display()),
            p.starts_on,
            p.ends_on,
            p.approved_amount,
            p.disbursed,
            p.signed_on,
            "是" if p.overdue else "",
            "未提交" if p.missing_inspection else ("已提交" if p.inspected else ""),
        ]


# --- one project ------------------------------------------------------------------------------


def project_by_code(code: str) -> Project | None:
    return (
        Project.objects.select_related(
            "program", "organization", "enterprise", "application__call", "signed_by"
        )
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    state: str  # done, overdue, pending
    days: int  # days late (overdue, or done late) or days left

    LABELS = {"done": _("已完成"), "overdue": _("已逾期"), "pending": _("进行中")}
    BADGES = {"done": "ok", "overdue": "bad", "pending": "good"}

    @property
    def label(self) -> str:
        return str(self.LABELS[self.state])

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    @property
    def late(self) -> bool:
        m = self.milestone
        return m.done_on is not None and m.done_on > m.due_on


def milestone_views(project: Project, *, today: dt.date | None = None) -> list[MilestoneView]:
    today = today or timezone.localdate()
    out = []
    for m in project.milestones.select_related("done_by"):
        if m.done_on is not None:
            out.append(MilestoneView(m, "done", (m.done_on - m.due_on).days))
        elif m.due_on < today:
            out.append(MilestoneView(m, "overdue", (today - m.due_on).days))
        else:
            out.append(MilestoneView(m, "pending", (m.due_on - today).days))
    return out


@dataclass(frozen=True)
class BudgetRow:
    category: str
    label: str
    fiscal: Decimal
    own: Decimal

    @property
    def total(self) -> Decimal:
        return self.fiscal + self.own


@dataclass(frozen=True)
class Budget:
    rows: list[BudgetRow]
    approved: Decimal
    disbursed: Decimal
    spend_to_date: Decimal | None  # the latest progress report's figure

    @property
    def fiscal(self) -> Decimal:
        return sum((r.fiscal for r in self.rows), ZERO)

    @property
    def own(self) -> Decimal:
        return sum((r.own for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.fiscal + self.own

    @property
    def remaining(self) -> Decimal:
        return self.approved - self.disbursed

    @property
    def paid_pct(self) -> int:
        return int(self.disbursed * 100 / self.approved) if self.approved else 0

    def chart(self) -> dict:
        """What the bar chart draws: fiscal budget by category, then approved against paid."""
        return {
            "categories": [r.label for r in self.rows],
            "fiscal": [str(r.fiscal) for r in self.rows],
            "own": [str(r.own) for r in self.rows],
            "approved": str(self.approved),
            "disbursed": str(self.disbursed),
            "spend": str(self.spend_to_date) if self.spend_to_date is not None else None,
        }


def budget_of(project: Project) -> Budget:
    amounts = {(b.source, b.category): b.amount for b in project.budget_lines.all()}
    fiscal, own = BudgetLine.Source.FISCAL, BudgetLine.Source.SELF
    rows = [
        BudgetRow(
            value, str(label), amounts.get((fiscal, value), ZERO), amounts.get((own, value), ZERO)
        )
        for value, label in BudgetLine.Category.choices
        if (fiscal, value) in amounts or (own, value) in amounts
    ]
    latest = project.reports.order_by("-reported_at", "-id").values_list("spend_to_date", flat=True)
    return Budget(
        rows=rows,
        approved=project.approved_amount,
        disbursed=disbursed_total(project),
        spend_to_date=latest.first(),
    )


def disbursed_total(project: Project) -> Decimal:
    # Quantized: SQLite returns sums without their scale.
    return (project.disbursements.aggregate(t=Sum("amount"))["t"] or ZERO).quantize(ZERO)


def disbursements_of(project: Project) -> QuerySet[Disbursement]:
    return project.disbursements.select_related("recorded_by").order_by("paid_on", "id")


def reports_of(project: Project) -> QuerySet[ProgressReport]:
    return project.reports.select_related("reported_by").prefetch_related("files")


@dataclass(frozen=True)
class ChangeView:
    change: ChangeRequest
    rows: list[tuple[str, str, str]]  # (what, before, after); before is blank until approved


def _wan(value) -> str:
    return f"{Decimal(value) / 10000:,.2f} 万元" if value not in (None, "") else ""


def change_rows(change: ChangeRequest, project: Project) -> list[tuple[str, str, str]]:
    """What a change request changes (or changed), as a reader would list it. An approved one
    shows what was recorded; a pending one, the project as it stands against the proposal."""
    pending = change.state == ChangeRequest.State.PENDING
    before = change.before or {}
    after = change.after if change.after is not None else change.proposed
    if change.kind == ChangeRequest.Kind.EXTEND:
        old = project.ends_on.isoformat() if pending else before.get("ends_on", "")
        return [(str(_("结束日期")), old, after.get("ends_on", ""))]
    if change.kind == ChangeRequest.Kind.LEAD:
        old = project.lead_person if pending else before.get("lead_person", "")
        return [(str(_("项目负责人")), old, after.get("lead_person", ""))]
    if change.kind == ChangeRequest.Kind.BUDGET:
        if change.after is not None:
            return [
                (str(BudgetLine.Category(c).label), _wan(before.get(c)), _wan(v))
                for c, v in change.after.items()
            ]
        p = change.proposed
        what = (
            f"{BudgetLine.Source(p['source']).label}：{BudgetLine.Category(p['from']).label} → "
            f"{BudgetLine.Category(p['to']).label}"
        )
        return [(what, "", _wan(p["amount"]))]
    return [(str(_("变更内容")), "", after.get("description", ""))]


def changes_of(project: Project) -> list[ChangeView]:
    qs = project.changes.select_related("requested_by", "decided_by")
    return [ChangeView(c, change_rows(c, project)) for c in qs]


def state_history(project: Project):
    return project.state_changes.select_related("changed_by")


def midterm_of(project: Project) -> MidtermEvaluation | None:
    return (
        MidtermEvaluation.objects.select_related("draw", "concluded_by")
        .prefetch_related(
            Prefetch(
                "panel",
                queryset=PanelMember.objects.select_related("expert", "score").order_by(
                    "expert__code"
                ),
            )
        )
        .filter(project=project)
        .first()
    )


def current_mean(evaluation: MidtermEvaluation) -> Decimal | None:
    """The mean of the scores in so far (the panel prefetched with its scores)."""
    return logic.mean_score(m.score.score for m in evaluation.panel.all() if hasattr(m, "score"))


def achievements(project: Project) -> list[tuple[str, logic.Achievement]]:
    """Contracted deliverables against the outcomes recorded at acceptance, with kind labels."""
    deliverables = project.deliverables.values_list("kind", "description", "target_quantity")
    outcomes = (
        project.acceptance.outcomes.values_list("kind", "quantity")
        if hasattr(project, "acceptance")
        else []
    )
    return [
        (str(Deliverable.Kind(a.kind).label), a)
        for a in logic.compare_outcomes(deliverables, outcomes)
    ]


def inspections_of(project: Project) -> QuerySet[SelfInspection]:
    return project.inspections.select_related("submitted_by", "reviewed_by").order_by("-year")


def tolerances_of(project: Project) -> QuerySet[ToleranceRecord]:
    return project.tolerances.select_related("decided_by")


def misconducts_of(project: Project) -> QuerySet[MisconductRecord]:
    return project.misconducts.select_related("decided_by")


# --- organisations and experts ----------------------------------------------------------------


def org_record(org: Organization) -> dict:
    """An organisation's projects, its misconduct findings and, separately, its 容错 decisions."""
    return {
        "projects": projects_of(org.pk),
        "misconducts": MisconductRecord.objects.filter(organization=org).select_related(
            "project", "decided_by"
        ),
        "tolerances": ToleranceRecord.objects.filter(project__organization=org).select_related(
            "project", "decided_by"
        ),
    }


def panel_member(user, project: Project) -> PanelMember | None:
    """The user's seat on the project's mid-term panel, if it has one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(evaluation__project=project, expert__user=user)
        .select_related("evaluation", "expert", "score")
        .first()
    )


def panels_of(user) -> QuerySet[PanelMember]:
    """The mid-term panels an expert sits on, newest first, with whether it has scored."""
    return (
        PanelMember.objects.filter(expert__user=user)
        .select_related("evaluation__project__organization", "expert")
        .annotate(scored=Exists(MidtermScore.objects.filter(member=OuterRef("pk"))))
        .order_by("-evaluation__started_at")
    )


def state_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        Project.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return [(v, str(label), counts.get(v, 0)) for v, label in Project.State.choices]
