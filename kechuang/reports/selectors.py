"""Reads for the reports: the list of reports a user may see, and the figures each section uses.

Sections read other apps' selectors. Apps are built and switched on independently, so every
optional source is looked up by name (``optional``): when an app or its figures function is
missing, that section says so in the report instead of failing it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from kechuang.accounts.models import Organization, User
from kechuang.core import formula as F
from kechuang.indicators.models import DataValue
from kechuang.indicators.selectors import PlanResult, compute_plan, element_codes
from kechuang.plans.models import Plan
from kechuang.reports.models import Report

# --- the reports a user may see ---------------------------------------------------------------


def visible_reports(user: User) -> QuerySet[Report]:
    """Every report for the bureau; an enterprise's profiles for its users; a department's task
    reports for its reporters; nothing for anyone else."""
    qs = Report.objects.select_related("plan", "enterprise", "department", "created_by")
    if user.is_bureau:
        return qs
    org = user.organization_id
    if org is None:
        return qs.none()
    if user.role == User.Role.ENTERPRISE:
        return qs.filter(kind=Report.Kind.ENTERPRISE, enterprise__organization_id=org)
    if user.role == User.Role.REPORTER:
        return qs.filter(kind=Report.Kind.DEPARTMENT, department_id=org)
    return qs.none()


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    plan: str = ""
    year: int | None = None
    state: str = ""
    sort: str = ""

    SORTS = {
        "": ("-created_at", "-id"),
        "created": ("created_at", "id"),
        "title": ("title", "-version"),
        "-title": ("-title", "-version"),
        "kind": ("kind", "-created_at"),
    }

    @classmethod
    def from_params(cls, params) -> Filters:
        year = params.get("year", "")
        sort = params.get("sort", "")
        return cls(
            kind=params.get("kind", "") if params.get("kind") in Report.Kind.values else "",
            plan=params.get("plan", "")[:64],
            year=int(year) if year.isdigit() else None,
            state=params.get("state", "") if params.get("state") in Report.State.values else "",
            sort=sort if sort in cls.SORTS else "",
        )


def report_list(user: User, filters: Filters) -> QuerySet[Report]:
    qs = visible_reports(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.plan:
        qs = qs.filter(plan__code=filters.plan)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by(*Filters.SORTS[filters.sort])


def versions_of(report: Report) -> QuerySet[Report]:
    return (
        Report.objects.filter(subject=report.subject)
        .select_related("created_by")
        .order_by("-version")
    )


def report_with_subject(pk: int) -> Report | None:
    return (
        Report.objects.select_related(
            "plan", "plan__region", "enterprise", "department", "created_by"
        )
        .filter(pk=pk)
        .first()
    )


# --- optional sources -------------------------------------------------------------------------


def optional(app: str, module: str, name: str) -> Callable | None:
    """``kechuang.<app>.<module>.<name>`` when the app is installed and defines it, else None."""
    if not apps.is_installed(f"kechuang.{app}"):
        return None
    try:
        mod = importlib.import_module(f"kechuang.{app}.{module}")
    except ImportError:
        return None
    found = getattr(mod, name, None)
    return found if callable(found) else None


def model(label: str):
    """A model of an optional app ("projects.Project"), or None when the app is not there."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# --- indicators -------------------------------------------------------------------------------


def plan_result(plan: Plan, *, as_of_year: int | None) -> PlanResult:
    return compute_plan(plan, as_of_year=as_of_year)


def value_in(result, year: int):
    return next((v for v in result.values if v.year == year), None)


def without_value(result: PlanResult, years: range, *, key_only: bool = True) -> list:
    """Indicators with no computed (approved) value in any of ``years``."""
    return [
        r
        for r in result.indicators
        if (r.indicator.is_key or not key_only)
        and not any(v.value is not None for v in r.values if v.year in years)
    ]


def provenance(plan: Plan, years: range) -> QuerySet[DataValue]:
    """Every approved, current figure the plan's indicators read in ``years``, for the annex:
    the plan's region and the units below it (whose figures roll up into it)."""
    codes = element_codes({i.code: F.parse(i.formula) for i in plan.indicators.all()})
    return (
        DataValue.objects.filter(
            is_current=True,
            element__code__in=codes,
            year__gte=years.start,
            year__lt=years.stop,
            org_unit__path__startswith=plan.region.path,
        )
        .select_related("element", "org_unit", "entered_by", "reviewed_by")
        .order_by("element__code", "org_unit__path", "year")
    )


def bureau_name(plan: Plan | None = None) -> str:
    """Who signs the reports: the S&T bureau, else the plan's issuer."""
    bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU).order_by("code").first()
    if bureau is not None:
        return bureau.name
    return plan.issuer if plan is not None else ""


# --- tasks -------------------------------------------------------------------------------------


def task_board(plan: Plan, department: Organization | None = None, *, today: dt.date):
    from kechuang.supervision import selectors as S

    board = S.board(plan, department)
    return board, S.overdue(plan, department, today=today)


def department_has_tasks(plan: Plan, department: Organization) -> bool:
    return plan.tasks.filter(Q(lead_department=department) | Q(co_departments=department)).exists()


def department_supervisions(plan: Plan, department: Organization):
    from kechuang.supervision import selectors as S

    return list(S.supervision_list("all", department=department, plan=plan))


# --- cultivation -------------------------------------------------------------------------------


def cultivation_figures(years: range) -> dict | None:
    if not apps.is_installed("kechuang.cultivation"):
        return None
    from kechuang.cultivation import selectors as C

    rows = C.funnel(years)
    return {"funnel": rows, "stages": C.stage_counts()}


# --- projects and calls ------------------------------------------------------------------------


@dataclass
class ProjectYear:
    year: int
    calls: int = 0
    applications: int = 0
    approved_applications: int = 0
    projects: int = 0
    approved_amount: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)


@dataclass
class ProjectFigures:
    years: list[ProjectYear]
    states: list[tuple[str, int]] = field(default_factory=list)  # (label, count), all projects
    has_calls: bool = False
    has_projects: bool = False


def project_figures(years: range) -> ProjectFigures | None:
    """Calls, applications, new projects, approved and disbursed funds per year."""
    Call = model("calls.Call")
    Application = model("calls.Application")
    Project = model("projects.Project")
    Disbursement = model("projects.Disbursement")
    if Call is None and Project is None:
        return None
    rows = {y: ProjectYear(y) for y in years}
    span = (years.start, years.stop - 1)
    if Call is not None and Application is not None:
        for y, n in (
            Call.objects.filter(year__range=span).values_list("year").annotate(n=Count("id"))
        ):
            rows[y].calls = n
        for r in (
            Application.objects.filter(call__year__range=span, submitted_at__isnull=False)
            .values("call__year")
            .annotate(
                n=Count("id"), approved=Count("id", filter=Q(state=Application.State.APPROVED))
            )
        ):
            rows[r["call__year"]].applications = r["n"]
            rows[r["call__year"]].approved_applications = r["approved"]
    states: list[tuple[str, int]] = []
    if Project is not None:
        for r in (
            Project.objects.filter(year__range=span)
            .values("year")
            .annotate(n=Count("id"), amount=Sum("approved_amount"))
        ):
            rows[r["year"]].projects = r["n"]
            rows[r["year"]].approved_amount = r["amount"] or Decimal(0)
        if Disbursement is not None:
            for r in (
                Disbursement.objects.filter(paid_on__year__range=span)
                .annotate(y=ExtractYear("paid_on"))
                .values("y")
                .annotate(s=Sum("amount"))
            ):
                rows[r["y"]].disbursed = r["s"] or Decimal(0)
        counts = dict(Project.objects.values_list("state").annotate(n=Count("id")))
        states = [(str(label), counts.get(v, 0)) for v, label in Project.State.choices]
    return ProjectFigures(
        [rows[y] for y in years],
        states,
        has_calls=Call is not None,
        has_projects=Project is not None,
    )
