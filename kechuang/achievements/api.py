"""Achievements over JSON: the public list with Chinese search (no login), one achievement
with its contracts for the bureau."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.achievements import selectors

router = Router(tags=["achievements"])


class PublicAchievement(Schema):
    id: int
    title: str
    owners: list[str]
    field: str
    trl: int
    year: int
    transfer_status: str
    transfer_mode: str
    abstract: str


class PublicFilters(Schema):
    q: str = ""
    field: str = ""
    status: str = ""
    trl_min: str = ""


class ContractOut(Schema):
    registration_number: str
    registered_on: dt.date
    kind: str
    title: str
    seller_name: str
    seller_in_district: bool
    buyer_name: str
    amount: Decimal
    trade_value: Decimal


class AchievementOut(PublicAchievement):
    co_owners: str
    is_public: bool
    is_demo: bool
    ip: list[str]
    projects: list[str]
    contracts: list[ContractOut]


def _public(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "owners": [o.name for o in a.owners.all()],
        "field": a.field,
        "trl": a.trl,
        "year": a.year,
        "transfer_status": a.transfer_status,
        "transfer_mode": a.transfer_mode,
        "abstract": a.abstract,
    }


@router.get(
    "/achievements/public",
    response=list[PublicAchievement],
    summary="公开的科技成果 / public achievements",
)
@paginate
def public_achievements(request, filters: Query[PublicFilters]):
    """Public achievements only; ``q`` searches titles and abstracts in Chinese words or pinyin
    (best matches first)."""
    params = {k: v for k, v in filters.model_dump().items() if v}
    qs = selectors.achievement_list(
        selectors.AchievementFilters.from_params(params), internal=False
    )
    return [_public(a) for a in qs]


@router.get(
    "/achievements/{achievement_id}",
    response=AchievementOut,
    auth=django_auth,
    summary="成果详情 / one achievement (bureau)",
)
def get_achievement(request, achievement_id: int):
    if not request.user.has_perm("achievements.view_internal"):
        raise PermissionDenied("只有科技局可以查看成果详情 / bureau only")
    a = selectors.achievement_by_pk(achievement_id)
    if a is None:
        raise Http404
    return _public(a) | {
        "co_owners": a.co_owners,
        "is_public": a.is_public,
        "is_demo": a.is_demo,
        "ip": [i.display_number for i in a.ip.all()],
        "projects": [p.code for p in a.projects.all()],
        "contracts": list(a.contracts.all()),
    }
