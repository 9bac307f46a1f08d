"""Reads for talent programs: the public list, the employer's own, the bureau's tables, the
panel's ranking (``kechuang.core.review``), an expert's assignments, the registry and the
figures reports use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from kechuang.core import review as R
from kechuang.experts.services import FIELDS
from kechuang.talent.models import (
    Talent,
    TalentApplication,
    TalentAssignment,
    TalentCall,
    TalentProgram,
    TalentStateChange,
)

S = TalentApplication.State
# Drafts are the employer's work in progress: the bureau sees them counted, not listed.
BUREAU_STATES = [s for s in S.values if s != S.DRAFT]
REVIEWED_STATES = (S.IN_REVIEW, S.APPROVED, S.NOT_APPROVED)


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def _pk(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


# --- public --------------------------------------------------------------------------------------


def public_programs() -> QuerySet[TalentProgram]:
    return TalentProgram.objects.order_by("level", "kind", "code")


def open_calls(now: dt.datetime | None = None) -> QuerySet[TalentCall]:
    """Published calls not yet closed: open now or opening later, the nearest deadline first."""
    now = now or timezone.now()
    return (
        TalentCall.objects.filter(state=TalentCall.State.PUBLISHED, closes_at__gt=now)
        .select_related("program")
        .order_by("closes_at", "code")
    )


def past_calls(now: dt.datetime | None = None) -> QuerySet[TalentCall]:
    now = now or timezone.now()
    return (
        TalentCall.objects.exclude(state=TalentCall.State.DRAFT)
        .filter(Q(closes_at__lte=now) | ~Q(state=TalentCall.State.PUBLISHED))
        .select_related("program")
        .order_by("-closes_at", "code")
    )


def call_page(code: str) -> TalentCall | None:
    return (
        TalentCall.objects.select_related("program")
        .prefetch_related("criteria")
        .filter(code=code)
        .first()
    )


# --- employers -----------------------------------------------------------------------------------


def my_applications(organization_id: int) -> QuerySet[TalentApplication]:
    return (
        TalentApplication.objects.filter(employer_id=organization_id)
        .select_related("call__program")
        .order_by("-created_at", "-id")
    )


def my_talents(organization_id: int) -> QuerySet[Talent]:
    return (
        Talent.objects.filter(employer_id=organization_id)
        .select_related("program")
        .order_by("-year", "name", "id")
    )


def application_page(pk: int) -> TalentApplication | None:
    """One nomination with everything its page shows, in a fixed number of queries."""
    return (
        TalentApplication.objects.select_related("call__program", "employer", "created_by")
        .prefetch_related(
            "call__criteria",
            Prefetch("state_changes", queryset=TalentStateChange.objects.select_related("by")),
            Prefetch(
                "assignments",
                queryset=TalentAssignment.objects.select_related(
                    "expert", "draw", "score__entered_by"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


# --- the bureau ----------------------------------------------------------------------------------


def managed_calls() -> QuerySet[TalentCall]:
    """Every call with its nominations counted by state, in one query."""
    counts = {
        f"n_{state}": Count("applications", filter=Q(applications__state=state))
        for state in S.values
    }
    return (
        TalentCall.objects.select_related("program")
        .annotate(n_total=Count("applications"), **counts)
        .order_by("-opens_at", "code")
    )


APPLICATION_SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("name", "id"),
    "employer": ("employer__name", "id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
}


@dataclass(frozen=True)
class ApplicationFilters:
    state: str = ""
    field: str = ""
    q: str = ""
    sort: str = "-submitted"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ApplicationFilters:
        state, field = params.get("state", ""), params.get("field", "")
        sort = params.get("sort", "-submitted")
        return cls(
            state=state if state in BUREAU_STATES else "",
            field=field if field in FIELDS else "",
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in APPLICATION_SORTS else "-submitted",
        )


def call_applications(call: TalentCall, filters: ApplicationFilters) -> QuerySet[TalentApplication]:
    qs = TalentApplication.objects.filter(call=call, state__in=BUREAU_STATES).select_related(
        "employer"
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.q:
        q = filters.q
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(employer__name__icontains=q))
    return qs.order_by(*APPLICATION_SORTS[filters.sort])


# No ID number in any export: a spreadsheet travels further than the platform.
APPLICATION_HEADER = [
    "申报编号 / code",
    "姓名 / name",
    "性别 / gender",
    "出生年份 / birth year",
    "学历 / education",
    "职称 / title",
    "职务 / position",
    "技术领域 / field",
    "推荐单位 / employer",
    "状态 / state",
    "提交时间 / submitted",
]


def application_rows(qs: QuerySet[TalentApplication]) -> Iterator[list]:
    for a in qs.iterator(chunk_size=2000):
        yield [
            a.code or "",
            a.name,
            a.get_gender_display(),
            a.birth_year,
            a.get_education_display(),
            a.title,
            a.position,
            a.field,
            a.employer.name,
            a.get_state_display(),
            timezone.localtime(a.submitted_at).replace(tzinfo=None) if a.submitted_at else None,
        ]


# --- the panel's ranking -------------------------------------------------------------------------


def criteria_of(call: TalentCall) -> list[R.Criterion]:
    """The call's criteria as the review core reads them; a criterion's id is its pk."""
    return [R.Criterion(str(c.pk), c.name, c.weight, c.max_score) for c in call.criteria.all()]


def _aggregate(criteria: list[R.Criterion], application: TalentApplication) -> R.Aggregate:
    sheets = [
        R.ScoreSheet(a.expert.code, {k: Decimal(v) for k, v in a.score.scores.items()})
        for a in application.assignments.all()
        if getattr(a, "score", None) is not None
    ]
    return R.aggregate(criteria, sheets)


def application_result(application: TalentApplication) -> R.Aggregate:
    """One nomination's aggregate so far (from :func:`application_page`'s prefetches)."""
    return _aggregate(criteria_of(application.call), application)


@dataclass(frozen=True)
class RankRow:
    application: TalentApplication
    result: R.Aggregate
    assigned: int
    rank: int | None  # None until every assigned expert has scored
    tied: bool

    @property
    def scored(self) -> int:
        return self.result.n

    @property
    def complete(self) -> bool:
        return self.assigned > 0 and self.result.n == self.assigned


@dataclass(frozen=True)
class CallRanking:
    rows: list[RankRow]  # ranked by final score, then those still being scored
    ties: tuple[R.Tie, ...]


def ranking(call: TalentCall) -> CallRanking:
    """Every reviewed nomination of the call with its aggregate (trimmed mean from five
    experts, spread warnings) and its rank among those whose panel has finished scoring.

    Panels may be short (a small library), so "finished" is per nomination: all its assigned
    experts have scored. Three queries however many nominations.
    """
    criteria = criteria_of(call)
    apps = list(
        call.applications.filter(state__in=REVIEWED_STATES)
        .select_related("employer")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TalentAssignment.objects.select_related("expert", "score"),
            )
        )
        .order_by("code")
    )
    results = {
        app.code: (app, _aggregate(criteria, app), len(app.assignments.all())) for app in apps
    }
    complete = {
        code: result
        for code, (_app, result, assigned) in results.items()
        if assigned and result.n == assigned
    }
    ranked = R.rank(complete, required_sheets=1) if complete else None
    rows = []
    for r in ranked.ranked if ranked else ():
        app, result, assigned = results[r.application]
        rows.append(RankRow(app, result, assigned, r.rank, r.tied))
    for code, (app, result, assigned) in results.items():
        if code not in complete:
            rows.append(RankRow(app, result, assigned, None, False))
    return CallRanking(rows, ranked.ties if ranked else ())


# --- experts -------------------------------------------------------------------------------------


def assignments_of(user) -> QuerySet[TalentAssignment]:
    """The nominations this expert was drawn for, those still to score first."""
    return (
        TalentAssignment.objects.filter(expert__user=user)
        .select_related("application__call__program", "application__employer", "score")
        .order_by(
            F("score__id").asc(nulls_first=True),
            "-application__call__closes_at",
            "application__code",
        )
    )


def assignment_for(user, application_pk: int) -> TalentAssignment | None:
    return (
        TalentAssignment.objects.filter(expert__user=user, application_id=application_pk)
        .select_related("application__call__program", "application__employer", "expert", "score")
        .first()
    )


# --- the registry --------------------------------------------------------------------------------

REGISTRY_SORTS = {
    "-year": ("-year", "name", "id"),
    "year": ("year", "name", "id"),
    "name": ("name", "id"),
    "employer": ("employer__name", "name", "id"),
    "term_end": ("term_end", "name", "id"),
}


@dataclass(frozen=True)
class RegistryFilters:
    program: int | None = None
    year: int | None = None
    employer: int | None = None
    status: str = ""  # "active" | "expired" | ""
    q: str = ""
    sort: str = "-year"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> RegistryFilters:
        status, sort = params.get("status", ""), params.get("sort", "-year")
        return cls(
            program=_pk(params.get("program", "")),
            year=_year(params.get("year", "")),
            employer=_pk(params.get("employer", "")),
            status=status if status in {"active", "expired"} else "",
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in REGISTRY_SORTS else "-year",
        )


def registry(filters: RegistryFilters, today: dt.date | None = None) -> QuerySet[Talent]:
    today = today or timezone.localdate()
    qs = Talent.objects.select_related("program", "employer", "application")
    if filters.program:
        qs = qs.filter(program_id=filters.program)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.employer:
        qs = qs.filter(employer_id=filters.employer)
    if filters.status == "active":
        qs = qs.filter(term_end__gte=today)
    elif filters.status == "expired":
        qs = qs.filter(term_end__lt=today)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(employer__name__icontains=filters.q))
    return qs.order_by(*REGISTRY_SORTS[filters.sort])


def registry_choices() -> dict:
    """What the registry's filters offer: programs, years and employers that have talents."""
    talents = Talent.objects.all()
    return {
        "programs": list(TalentProgram.objects.filter(talents__isnull=False).distinct()),
        "years": list(talents.order_by("-year").values_list("year", flat=True).distinct()),
        "employers": list(
            talents.order_by("employer__name")
            .values_list("employer_id", "employer__name")
            .distinct()
        ),
    }


REGISTRY_HEADER = [
    "姓名 / name",
    "人才计划 / program",
    "级别 / level",
    "入选年度 / year",
    "工作单位 / employer",
    "技术领域 / field",
    "有效期至 / term end",
    "状态 / status",
]


def registry_rows(qs: QuerySet[Talent]) -> Iterator[list]:
    for t in qs.iterator(chunk_size=2000):
        yield [
            t.name,
            t.program.name,
            t.program.get_level_display(),
            t.year,
            t.employer.name,
            t.field,
            t.term_end,
            t.status_label,
        ]


# --- figures for reports -------------------------------------------------------------------------


def talent_figures(today: dt.date | None = None) -> dict:
    """Talents by program and year, nominations against selections, and how many are in term.

    ``{"talents": [{"program", "program_name", "level", "year", "talents"}],
    "applications": [{"program", "program_name", "year", "applications", "approved"}],
    "active": n, "total": n}``. A nomination counts once submitted, unless withdrawn.
    """
    today = today or timezone.localdate()
    talents = [
        {"program": code, "program_name": name, "level": level, "year": year, "talents": n}
        for code, name, level, year, n in Talent.objects.values_list(
            "program__code", "program__name", "program__level", "year"
        )
        .annotate(n=Count("id"))
        .order_by("year", "program__code")
    ]
    applications = [
        {
            "program": code,
            "program_name": name,
            "year": year,
            "applications": n,
            "approved": approved,
        }
        for code, name, year, n, approved in TalentApplication.objects.filter(
            submitted_at__isnull=False
        )
        .exclude(state=S.WITHDRAWN)
        .values_list("call__program__code", "call__program__name", "call__year")
        .annotate(n=Count("id"), approved=Count("id", filter=Q(state=S.APPROVED)))
        .order_by("call__year", "call__program__code")
    ]
    return {
        "talents": talents,
        "applications": applications,
        "active": Talent.objects.filter(term_end__gte=today).count(),
        "total": sum(row["talents"] for row in talents),
    }
