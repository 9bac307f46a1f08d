"""Reads for spot checks: the bureau's check list and its export, plans, one check, an
inspector's or a unit's own checks, and the public page of published plans."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from kechuang.inspections.models import Assignment, Check, CheckEvent, InspectionPlan

# A draw's record and result can hold thousands of candidates: pages that link to draws never
# load them.
_DRAW_HEAVY = ("record", "result", "seed_token")

SORTS = {
    "-year": ("-plan__year", "-plan_id", "position"),
    "year": ("plan__year", "plan_id", "position"),
    "object": ("object_code", "plan_id"),
    "scheduled": ("scheduled_on", "plan_id", "position"),
    "-scheduled": ("-scheduled_on", "plan_id", "position"),
    "inspected": ("inspected_on", "plan_id", "position"),
    "-inspected": ("-inspected_on", "plan_id", "position"),
}
PENDING = "pending"  # the result filter's "not yet recorded"


def int_param(value: str | None) -> int | None:
    """A positive whole number from the query string, or None for anything else."""
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class Filters:
    q: str = ""
    plan: int | None = None
    year: int | None = None
    pool: str = ""
    result: str = ""
    rectification: str = ""
    sort: str = "-year"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        pool = params.get("pool", "")
        result = params.get("result", "")
        rectification = params.get("rectification", "")
        sort = params.get("sort", "-year")
        return cls(
            q=params.get("q", "").strip()[:100],
            plan=int_param(params.get("plan")),
            year=int_param(params.get("year")),
            pool=pool if pool in InspectionPlan.Pool.values else "",
            result=result if result in {*Check.Result.values, PENDING} else "",
            rectification=rectification
            if rectification in Check.Rectification.values and rectification
            else "",
            sort=sort if sort in SORTS else "-year",
        )


def _with_inspectors(qs: QuerySet[Check]) -> QuerySet[Check]:
    return qs.select_related(
        "plan", "project", "enterprise", "organization", "inspectors_draw"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("expert__organization").order_by("position"),
        )
    )


def check_list(filters: Filters) -> QuerySet[Check]:
    qs = Check.objects.all()
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(object_code__iexact=q)
            | Q(project__title__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(organization__name__icontains=q)
        )
    if filters.plan:
        qs = qs.filter(plan_id=filters.plan)
    if filters.year:
        qs = qs.filter(plan__year=filters.year)
    if filters.pool:
        qs = qs.filter(plan__pool=filters.pool)
    if filters.result == PENDING:
        qs = qs.filter(result="")
    elif filters.result:
        qs = qs.filter(result=filters.result)
    if filters.rectification:
        qs = qs.filter(rectification=filters.rectification)
    return _with_inspectors(qs.defer(*(f"inspectors_draw__{f}" for f in _DRAW_HEAVY))).order_by(
        *SORTS[filters.sort]
    )


def plan_years() -> list[int]:
    return list(InspectionPlan.objects.order_by("-year").values_list("year", flat=True).distinct())


def filter_menus() -> dict:
    return {
        "plans": InspectionPlan.objects.only("pk", "year", "title").order_by("-year", "-pk"),
        "years": plan_years(),
        "pools": InspectionPlan.Pool.choices,
        "results": [*Check.Result.choices, (PENDING, "—")],
        "rectifications": [c for c in Check.Rectification.choices if c[0]],
    }


def _inspector_names(check: Check) -> str:
    people = check.assignments.all()
    return "、".join(f"{a.expert.name}（{a.expert.organisation_label}）" for a in people)


EXPORT_HEADER = [
    "抽查计划 / plan",
    "年度 / year",
    "检查对象库 / pool",
    "对象编号 / object",
    "对象名称 / name",
    "被检查单位 / unit",
    "检查人员 / inspectors",
    "计划检查日期 / scheduled",
    "检查日期 / inspected",
    "检查结果 / result",
    "整改期限 / rectify by",
    "整改情况 / rectification",
    "检查发现（公开） / findings",
]


def export_rows(qs: QuerySet[Check]) -> Iterator[list]:
    """The bureau's workbook: everything on the list, public findings included, internal notes
    not (the file travels further than the page)."""
    for c in qs.iterator(chunk_size=500):
        yield [
            c.plan.title,
            c.plan.year,
            c.plan.get_pool_display(),
            c.object_code,
            c.label,
            c.organization.name,
            _inspector_names(c),
            c.scheduled_on,
            c.inspected_on,
            c.get_result_display() if c.result else "",
            c.rectify_by,
            c.get_rectification_display() if c.rectification else "",
            c.findings,
        ]


def plan_list(*, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = InspectionPlan.objects.select_related("objects_draw", "created_by").defer(
        *(f"objects_draw__{f}" for f in _DRAW_HEAVY)
    )
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        n_checks=Count("checks"),
        n_done=Count("checks", filter=~Q(checks__result="")),
    ).order_by("-year", "-created_at", "-id")


def plan_by_pk(pk: int) -> InspectionPlan | None:
    return (
        InspectionPlan.objects.select_related("objects_draw", "created_by", "published_by")
        .defer(*(f"objects_draw__{f}" for f in _DRAW_HEAVY))
        .filter(pk=pk)
        .first()
    )


def checks_of(plan: InspectionPlan) -> QuerySet[Check]:
    return _with_inspectors(
        plan.checks.defer(*(f"inspectors_draw__{f}" for f in _DRAW_HEAVY))
    ).order_by("position")


def history_of(plan: InspectionPlan):
    return plan.history.select_related("changed_by")


def check_by_pk(pk: int) -> Check | None:
    return (
        _with_inspectors(Check.objects.defer(*(f"inspectors_draw__{f}" for f in _DRAW_HEAVY)))
        .select_related("plan__objects_draw", "result_by")
        .defer(*(f"plan__objects_draw__{f}" for f in _DRAW_HEAVY))
        .filter(pk=pk)
        .first()
    )


def events_of(check: Check) -> QuerySet[CheckEvent]:
    return check.events.select_related("by").prefetch_related("files")


def checks_for(user) -> QuerySet[Check]:
    """An inspector's assigned checks, or the checks of a unit's own enterprise; newest first."""
    qs = Check.objects.none()
    if user.role == "expert":
        qs = Check.objects.filter(assignments__expert__user=user)
    elif user.organization_id is not None:
        qs = Check.objects.filter(organization_id=user.organization_id)
    return _with_inspectors(qs.defer(*(f"inspectors_draw__{f}" for f in _DRAW_HEAVY))).order_by(
        "-plan__year", "-plan_id", "position"
    )


# --- the public page -------------------------------------------------------------------------


def public_plans(*, year: int | None = None) -> QuerySet[InspectionPlan]:
    """Published plans only, each with its checks and inspectors in four queries a page."""
    qs = InspectionPlan.objects.filter(state=InspectionPlan.State.PUBLISHED)
    if year:
        qs = qs.filter(year=year)
    checks = (
        Check.objects.select_related("project", "enterprise", "organization", "inspectors_draw")
        .defer(*(f"inspectors_draw__{f}" for f in _DRAW_HEAVY))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert__organization").order_by(
                    "position"
                ),
            )
        )
        .order_by("position")
    )
    return (
        qs.select_related("objects_draw")
        .defer(*(f"objects_draw__{f}" for f in _DRAW_HEAVY))
        .prefetch_related(Prefetch("checks", queryset=checks))
        .order_by("-published_at", "-id")
    )


def public_years() -> list[int]:
    published = InspectionPlan.objects.filter(state=InspectionPlan.State.PUBLISHED)
    return list(published.order_by("-year").values_list("year", flat=True).distinct())
