"""Reads of the policy app: the public catalog with search, one policy, an enterprise's matches,
a policy's matched enterprises, rosters, and the figures the reports use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from kechuang.core import conditions as C
from kechuang.enterprises.models import Enterprise
from kechuang.policies import search
from kechuang.policies.models import (
    MatchRun,
    Policy,
    PolicyApplication,
    PolicyMatch,
    PolicyPush,
    Roster,
    RosterEntry,
)

PUBLIC_STATES = (Policy.State.PUBLISHED, Policy.State.EXPIRED)
IN_FORCE, EXPIRED, UPCOMING = "in_force", "expired", "upcoming"
SORTS = {
    "issued": (F("issued_on").desc(nulls_last=True), "code"),
    "-issued": (F("issued_on").asc(nulls_last=True), "code"),
    "title": ("title", "code"),
    "level": ("level", F("issued_on").desc(nulls_last=True), "code"),
}


def _in_force(today: dt.date) -> Q:
    return (
        Q(state=Policy.State.PUBLISHED)
        & (Q(effective_from__isnull=True) | Q(effective_from__lte=today))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def _expired(today: dt.date) -> Q:
    return Q(state=Policy.State.EXPIRED) | Q(expires_on__lt=today)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    level: str = ""
    category: str = ""
    department: str = ""
    status: str = ""  # in_force, expired, upcoming; "" = all public policies
    sort: str = ""  # "" = relevance when searching, else newest first

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        def pick(key: str, allowed) -> str:
            value = params.get(key, "")
            return value if value in allowed else ""

        return cls(
            q=params.get("q", "").strip()[:100],
            level=pick("level", Policy.Level.values),
            category=pick("category", Policy.Category.values),
            department=params.get("department", "").strip()[:200],
            status=pick("status", (IN_FORCE, EXPIRED, UPCOMING)),
            sort=pick("sort", SORTS),
        )


def policy_list(filters: Filters, *, today: dt.date | None = None) -> QuerySet[Policy]:
    """Published and expired policies matching the filters; with a query, by relevance."""
    today = today or timezone.localdate()
    qs = Policy.objects.filter(state__in=PUBLIC_STATES)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.department:
        qs = qs.filter(Q(department=filters.department) | Q(issuer=filters.department))
    if filters.status == IN_FORCE:
        qs = qs.filter(_in_force(today))
    elif filters.status == EXPIRED:
        qs = qs.filter(_expired(today))
    elif filters.status == UPCOMING:
        qs = qs.filter(state=Policy.State.PUBLISHED, effective_from__gt=today)
    if filters.q:
        qs = search.search(qs, filters.q)
        if not filters.sort:
            return qs.order_by("-score", *SORTS["issued"])
    return qs.order_by(*SORTS[filters.sort or "issued"])


def departments() -> list[str]:
    """落实部门 and issuers of public policies, for the filter."""
    qs = Policy.objects.filter(state__in=PUBLIC_STATES).order_by()
    names = set(qs.values_list("department", flat=True).distinct())
    names |= set(qs.values_list("issuer", flat=True).distinct())
    return sorted(n for n in names if n)


def public_policy(pk: int) -> Policy | None:
    return (
        Policy.objects.filter(pk=pk, state__in=PUBLIC_STATES).prefetch_related("benefits").first()
    )


def status_of(policy: Policy, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if policy.expired_on(today):
        return EXPIRED
    if policy.effective_from and policy.effective_from > today:
        return UPCOMING
    return IN_FORCE if policy.state == Policy.State.PUBLISHED else "draft"


def described(policy: Policy) -> C.Trace | None:
    """The policy's machine conditions in plain words (None when it has none)."""
    if not policy.conditions:
        return None
    return C.describe(C.compile_condition(policy.conditions))


# --- an enterprise's matches -----------------------------------------------------------------


def enterprise_matches(enterprise: Enterprise) -> list[PolicyMatch]:
    """The enterprise's eligible and possibly-eligible policies, eligible first, each with the
    enterprise's application (if any) as ``application``."""
    apps = PolicyApplication.objects.filter(enterprise=enterprise).order_by("-updated_at")
    matches = list(
        PolicyMatch.objects.filter(enterprise=enterprise)
        .select_related("policy")
        .order_by("verdict", "policy__title")
    )
    by_policy: dict[int, PolicyApplication] = {}
    for app in apps.filter(policy_id__in=[m.policy_id for m in matches]):
        by_policy.setdefault(app.policy_id, app)
    for m in matches:
        m.application = by_policy.get(m.policy_id)
    return matches


# --- a policy's enterprises (bureau) ---------------------------------------------------------

ENTERPRISE_SORTS = {
    "name": ("enterprise__name", "enterprise__uscc"),
    "verdict": ("verdict", "enterprise__name"),
    "pushed": (F("last_pushed").desc(nulls_last=True), "enterprise__name"),
}


@dataclass(frozen=True)
class EnterpriseFilters:
    verdict: str = ""
    not_applied: bool = True
    q: str = ""
    sort: str = "verdict"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> EnterpriseFilters:
        verdict = params.get("verdict", "")
        sort = params.get("sort", "verdict")
        return cls(
            verdict=verdict if verdict in PolicyMatch.Verdict.values else "",
            not_applied=params.get("applied", "") != "all",
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in ENTERPRISE_SORTS else "verdict",
        )


def policy_enterprises(policy: Policy, filters: EnterpriseFilters) -> QuerySet[PolicyMatch]:
    """The policy's matched enterprises with whether each applied and when it was last pushed."""
    applied = PolicyApplication.objects.filter(policy=policy, enterprise=OuterRef("enterprise"))
    pushes = PolicyPush.objects.filter(policy=policy, enterprise=OuterRef("enterprise"))
    qs = (
        PolicyMatch.objects.filter(policy=policy)
        .select_related("enterprise", "enterprise__park")
        .annotate(
            applied=Exists(applied),
            application_status=Subquery(applied.order_by("-updated_at").values("status")[:1]),
            last_pushed=Subquery(
                pushes.order_by().values("enterprise").annotate(m=Max("pushed_at")).values("m")
            ),
        )
    )
    if filters.verdict:
        qs = qs.filter(verdict=filters.verdict)
    if filters.not_applied:
        qs = qs.filter(applied=False)
    if filters.q:
        qs = qs.filter(
            Q(enterprise__name__icontains=filters.q)
            | Q(enterprise__uscc__startswith=filters.q.upper())
        )
    return qs.order_by(*ENTERPRISE_SORTS[filters.sort])


ENTERPRISE_EXPORT_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "匹配结果",
    "缺少的数据",
    "是否已申请",
    "最近推送",
    "联系人",
    "联系电话",
]


def enterprise_export_rows(qs: QuerySet[PolicyMatch]) -> Iterator[list]:
    labels = dict(PolicyMatch.Verdict.choices)
    for m in qs:
        e = m.enterprise
        yield [
            e.uscc,
            e.name,
            str(labels[m.verdict]),
            "、".join(x["zh"] for x in m.missing),
            "是" if m.applied else "否",
            timezone.localtime(m.last_pushed).strftime("%Y-%m-%d %H:%M") if m.last_pushed else "",
            e.contact_name,
            e.contact_phone,
        ]


# --- the bureau's overview -------------------------------------------------------------------


def _counts() -> QuerySet[Policy]:
    eligible = Q(matches__verdict=PolicyMatch.Verdict.ELIGIBLE)
    possibly = Q(matches__verdict=PolicyMatch.Verdict.POSSIBLY)
    return Policy.objects.annotate(
        n_eligible=Count("matches", filter=eligible, distinct=True),
        n_possibly=Count("matches", filter=possibly, distinct=True),
    )


def match_figures() -> dict[str, dict[str, Any]]:
    """Per policy (by code): title, level, state, eligible and possibly-eligible enterprises
    (latest matching), enterprises that applied, that were granted, and the amount granted."""
    apps = (
        PolicyApplication.objects.values("policy_id")
        .annotate(
            applied=Count("enterprise", distinct=True),
            granted=Count(
                "enterprise",
                filter=Q(status=PolicyApplication.Status.GRANTED),
                distinct=True,
            ),
            amount=Sum("amount", filter=Q(status=PolicyApplication.Status.GRANTED)),
        )
        .order_by()
    )
    by_policy = {a["policy_id"]: a for a in apps}
    out = {}
    for p in _counts().order_by("code"):
        a = by_policy.get(p.pk, {})
        out[p.code] = {
            "title": p.title,
            "level": p.level,
            "state": p.state,
            "eligible": p.n_eligible,
            "possibly": p.n_possibly,
            "applied": a.get("applied", 0),
            "granted": a.get("granted", 0),
            "granted_amount": a.get("amount") or Decimal(0),
        }
    return out


def overview() -> list[Policy]:
    """Every policy (drafts too) with its figures as attributes, for the bureau's page."""
    figures = match_figures()
    states = {Policy.State.PUBLISHED: 0, Policy.State.DRAFT: 1, Policy.State.EXPIRED: 2}
    levels = {value: i for i, value in enumerate(Policy.Level.values)}
    policies = sorted(
        Policy.objects.all(), key=lambda p: (states[p.state], levels[p.level], p.title)
    )
    for p in policies:
        p.figures = figures[p.code]
    return policies


def recent_runs(limit: int = 5) -> QuerySet[MatchRun]:
    return MatchRun.objects.select_related("created_by")[:limit]


def last_run() -> MatchRun | None:
    return MatchRun.objects.filter(status=MatchRun.Status.DONE).first()


# --- rosters ---------------------------------------------------------------------------------


def rosters_of(policy: Policy) -> QuerySet[Roster]:
    return (
        policy.rosters.select_related("prepared_by", "decided_by")
        .annotate(
            n_entries=Count("entries", distinct=True),
            n_included=Count("entries", filter=Q(entries__included=True), distinct=True),
        )
        .order_by("-prepared_at", "-id")
    )


def roster_detail(pk: int) -> Roster | None:
    return (
        Roster.objects.select_related("policy", "prepared_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=RosterEntry.objects.select_related("enterprise").order_by(
                    "-included", "verdict", "enterprise__name", "id"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )


ROSTER_EXPORT_HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "兑现依据",
    "依据日期",
    "条件判断",
    "列入名单",
    "金额（元）",
    "缺少的数据",
]


def roster_export_rows(roster: Roster) -> Iterator[list]:
    labels = {v.value: v.label_zh for v in C.Verdict}
    for i, e in enumerate(roster.entries.all(), start=1):
        yield [
            i,
            e.enterprise.uscc,
            e.enterprise.name,
            e.basis,
            e.basis_date,
            labels.get(e.verdict, e.verdict),
            "是" if e.included else "否",
            e.amount if e.included else None,
            "、".join(x["zh"] for x in e.missing),
        ]
