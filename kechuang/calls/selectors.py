"""Reads for calls and applications: the public list, the applicant's own, the bureau's tables,
the formal-check queue, and what the eligibility rules know about an applicant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.calls.models import Application, Attachment, Call, Program, StateChange
from kechuang.calls.rules import APPLICANT_KINDS
from kechuang.core import eligibility
from kechuang.enterprises.facts import facts_for
from kechuang.enterprises.models import Enterprise

S = Application.State


# --- eligibility facts ----------------------------------------------------------------------------


def applicant_for(
    organization: Organization, enterprise: Enterprise | None, on: dt.date
) -> eligibility.Applicant:
    """The applicant as the eligibility rules see it on ``on``: its registry facts, if any."""
    if organization.kind == Organization.Kind.INSTITUTION:
        return eligibility.Applicant(organization.name, eligibility.ApplicantKind.INSTITUTION)
    if enterprise is None:
        return eligibility.Applicant(organization.name)
    return eligibility.Applicant(
        organization.name,
        facts=facts_for(enterprise, on=on),
        in_district=enterprise.in_district,
    )


def eligibility_today(application: Application) -> eligibility.Eligibility:
    """The call's conditions judged now, beside the results kept from the submission."""
    today = timezone.localdate()
    enterprise = (
        application.enterprise
        or Enterprise.objects.filter(organization_id=application.applicant_id).first()
    )
    return eligibility.evaluate(
        application.call.eligibility,
        applicant_for(application.applicant, enterprise, today),
        today,
    )


# --- public calls ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallFilters:
    kind: str = ""
    year: int | None = None
    open_now: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CallFilters:
        kind = params.get("kind", "")
        year = params.get("year", "")
        return cls(
            kind=kind if kind in Program.Kind.values else "",
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            open_now=params.get("open") in {"1", "true", "on"},
        )


def public_calls(filters: CallFilters, now: dt.datetime | None = None) -> QuerySet[Call]:
    """Published calls (and those past publication), open and upcoming first, newest first."""
    now = now or timezone.now()
    qs = Call.objects.exclude(state=Call.State.DRAFT).select_related("program")
    if filters.kind:
        qs = qs.filter(program__kind=filters.kind)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.open_now:
        qs = qs.filter(state=Call.State.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
    return qs.order_by("-closes_at", "code")


def call_years() -> list[int]:
    return list(
        Call.objects.exclude(state=Call.State.DRAFT)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def call_page(code: str) -> Call | None:
    return (
        Call.objects.select_related("program")
        .prefetch_related("sections", "criteria")
        .filter(code=code)
        .first()
    )


# --- applicants -----------------------------------------------------------------------------------


def my_applications(organization_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_id=organization_id)
        .select_related("call__program")
        .order_by("-created_at", "-id")
    )


def co_applicant_choices(exclude_id: int | None) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(kind__in=APPLICANT_KINDS)
        .exclude(pk=exclude_id)
        .only("code", "name", "kind")
        .order_by("name")
    )


def application_page(pk: int) -> Application | None:
    """One application with everything its page shows, in a fixed number of queries."""
    return (
        Application.objects.select_related("call__program", "applicant", "enterprise", "created_by")
        .prefetch_related(
            "co_applicants",
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch("state_changes", queryset=StateChange.objects.select_related("by")),
            "call__sections",
        )
        .filter(pk=pk)
        .first()
    )


def attachment_with_application(pk: int) -> Attachment | None:
    """The attachment with what the permission check needs already joined."""
    return Attachment.objects.select_related("application").filter(pk=pk).first()


# --- the bureau -----------------------------------------------------------------------------------


def managed_calls() -> QuerySet[Call]:
    """Every call with its applications counted by state, in one query."""
    counts = {
        f"n_{state}": Count("applications", filter=Q(applications__state=state))
        for state in S.values
    }
    return (
        Call.objects.select_related("program")
        .annotate(n_total=Count("applications"), **counts)
        .order_by("-opens_at", "code")
    )


SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "amount": ("requested_amount", "id"),
    "-amount": ("-requested_amount", "id"),
    "applicant": ("applicant__name", "id"),
    "title": ("title", "id"),
}
# Drafts are the applicant's own work in progress: the bureau sees them counted, not listed.
BUREAU_STATES = [s for s in S.values if s != S.DRAFT]


def _amount(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", "").strip()) * 10000 if raw.strip() else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


@dataclass(frozen=True)
class ApplicationFilters:
    state: str = ""
    field: str = ""
    min_wan: Decimal | None = None  # 万元, as people type amounts
    max_wan: Decimal | None = None
    q: str = ""
    sort: str = "-submitted"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ApplicationFilters:
        state = params.get("state", "")
        field = params.get("field", "")
        sort = params.get("sort", "-submitted")
        low, high = _amount(params.get("min", "")), _amount(params.get("max", ""))
        return cls(
            state=state if state in BUREAU_STATES else "",
            field=field if field in Enterprise.HighTechField.values else "",
            min_wan=None if low is None else low / 10000,
            max_wan=None if high is None else high / 10000,
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "-submitted",
        )


def call_applications(call: Call, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = Application.objects.filter(call=call, state__in=BUREAU_STATES).select_related(
        "applicant", "enterprise"
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.field:
        qs = qs.filter(field_rows__field=filters.field)
    if filters.min_wan is not None:
        qs = qs.filter(requested_amount__gte=filters.min_wan * 10000)
    if filters.max_wan is not None:
        qs = qs.filter(requested_amount__lte=filters.max_wan * 10000)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(title__icontains=q) | Q(code__icontains=q) | Q(applicant__name__icontains=q)
        )
    return qs.order_by(*SORTS[filters.sort])


def formal_check_queue() -> QuerySet[Application]:
    """Submitted applications waiting for the formal check, oldest submission first."""
    return (
        Application.objects.filter(state=S.SUBMITTED)
        .select_related("call", "applicant")
        .order_by("submitted_at", "id")
    )


EXPORT_HEADER = [
    "申报编号 / code",
    "项目名称 / title",
    "申报单位 / applicant",
    "统一社会信用代码 / USCC",
    "技术领域 / fields",
    "申请资金（元） / amount (yuan)",
    "状态 / state",
    "提交时间 / submitted",
    "待核实条件 / conditions to verify",
]


def export_rows(qs: QuerySet[Application]) -> Iterator[list]:
    for a in qs.iterator(chunk_size=2000):
        review = [r["name_zh"] for r in a.eligibility_results if r["status"] == "needs_review"]
        yield [
            a.code or "",
            a.title,
            a.applicant.name,
            a.enterprise.uscc if a.enterprise else "",
            "、".join(a.fields),
            a.requested_amount,
            a.get_state_display(),
            timezone.localtime(a.submitted_at).replace(tzinfo=None) if a.submitted_at else None,
            "、".join(review),
        ]
