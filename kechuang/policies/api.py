"""Policies over JSON: the public catalog (no login), the bureau's writes and figures, and an
enterprise user's own matches. Writes go through the same service as the pages, so a condition
naming an unknown fact is refused (400) with its path, e.g. ``conditions.all[2].fact``."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.policies import selectors, services
from kechuang.policies.models import Policy

router = Router(tags=["policies"])


class BenefitOut(Schema):
    description: str
    description_en: str
    amount: Decimal | None
    unit: str


class PolicyRow(Schema):
    code: str
    title: str
    document_number: str
    issuer: str
    level: str
    category: str
    status: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    department: str
    phone: str
    auto_grant: bool
    url: str


class PolicyOut(PolicyRow):
    title_en: str
    effective_from: dt.date | None
    summary: str
    summary_en: str
    address: str
    steps: list[str]
    materials: list[str]
    conditions: Any
    conditions_note: str
    grant_amount: Decimal | None
    benefits: list[BenefitOut]


class BenefitIn(Schema):
    description: str
    description_en: str = ""
    amount: Decimal | None = None
    unit: str = ""


class PolicyIn(Schema):
    """A policy to create (``code`` required) or replace. ``conditions`` is the condition
    language as JSON (docs/policy-conditions.md); dates are ISO; money is yuan."""

    code: str = ""
    title: str
    title_en: str = ""
    document_number: str = ""
    issuer: str
    level: str
    category: str
    state: str = Policy.State.DRAFT
    issued_on: dt.date | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    summary: str
    summary_en: str = ""
    full_text: str = ""
    department: str
    address: str = ""
    phone: str = ""
    steps: list[str] = []
    materials: list[str] = []
    conditions: Any = None
    conditions_note: str = ""
    auto_grant: bool = False
    grant_amount: Decimal | None = None
    grant_trigger: str = ""
    benefits: list[BenefitIn] = []


class ListFilters(Schema):
    q: str = ""
    level: str = ""
    category: str = ""
    department: str = ""
    status: str = ""


class MatchOut(Schema):
    policy: str
    title: str
    verdict: str
    missing: list[dict[str, Any]]
    explanation: dict[str, Any]
    matched_on: dt.date


def _row(p: Policy) -> dict[str, Any]:
    return {
        "code": p.code,
        "title": p.title,
        "document_number": p.document_number,
        "issuer": p.issuer,
        "level": p.level,
        "category": p.category,
        "status": selectors.status_of(p),
        "issued_on": p.issued_on,
        "expires_on": p.expires_on,
        "department": p.department,
        "phone": p.phone,
        "auto_grant": p.auto_grant,
        "url": f"/policies/{p.pk}/",
    }


def _full(p: Policy) -> dict[str, Any]:
    keys = ("title_en", "effective_from", "summary", "summary_en", "address", "steps")
    keys += ("materials", "conditions", "conditions_note", "grant_amount")
    return _row(p) | {k: getattr(p, k) for k in keys} | {"benefits": list(p.benefits.all())}


@router.get("/policies", response=list[PolicyRow], summary="政策目录 / the policy catalog")
@paginate
def list_policies(request, filters: Query[ListFilters]):
    """Public. ``q`` searches in Chinese or pinyin (e.g. gxjsqy); ``status`` is in_force,
    upcoming or expired."""
    params = {k: str(v) for k, v in filters}
    return [_row(p) for p in selectors.policy_list(selectors.Filters.from_params(params))]


@router.get("/policies/figures", auth=django_auth, summary="政策匹配与兑现统计 / figures")
def get_figures(request) -> dict[str, dict[str, Any]]:
    """Bureau only: per policy, eligible and possibly-eligible enterprises, applied, granted."""
    if not request.user.has_perm("policies.view_matches"):
        raise PermissionDenied("只有科技局可以查看 / bureau only")
    return selectors.match_figures()


@router.get(
    "/policies/mine",
    response=list[MatchOut],
    auth=django_auth,
    summary="本企业可享政策 / my enterprise's matched policies",
)
def my_matches(request):
    user = request.user
    enterprise = None
    if is_enterprise_user(user):
        enterprise = Enterprise.objects.filter(organization_id=user.organization_id).first()
    if enterprise is None or not user.has_perm("policies.view_own_matches", enterprise):
        raise PermissionDenied("只有企业用户可以查看 / enterprise users only")
    return [
        {
            "policy": m.policy.code,
            "title": m.policy.title,
            "verdict": m.verdict,
            "missing": m.missing,
            "explanation": m.explanation,
            "matched_on": m.matched_on,
        }
        for m in selectors.enterprise_matches(enterprise)
    ]


@router.get("/policies/{code}", response=PolicyOut, summary="政策详情 / one policy")
def get_policy(request, code: str):
    policy = (
        Policy.objects.filter(code=code, state__in=selectors.PUBLIC_STATES)
        .prefetch_related("benefits")
        .first()
    )
    if policy is None:
        raise Http404
    return _full(policy)


@router.post(
    "/policies",
    response={201: PolicyOut},
    auth=django_auth,
    summary="新增政策 / create a policy",
)
def create_policy(request, payload: PolicyIn):
    """Bureau only. Bad input is 400 with every problem and where it is; nothing is written."""
    if not request.user.has_perm("policies.manage_policies"):
        raise PermissionDenied("只有科技局可以维护政策库 / bureau only")
    policy = services.save_policy(request.user, payload.model_dump())
    return Status(201, _full(policy))


@router.put(
    "/policies/{code}",
    response=PolicyOut,
    auth=django_auth,
    summary="修改政策 / replace a policy",
)
def update_policy(request, code: str, payload: PolicyIn):
    if not request.user.has_perm("policies.manage_policies"):
        raise PermissionDenied("只有科技局可以维护政策库 / bureau only")
    policy = Policy.objects.filter(code=code).first()
    if policy is None:
        raise Http404
    data = payload.model_dump()
    data.pop("code")
    return _full(services.save_policy(request.user, data, policy=policy))
