"""Draws and the expert library over JSON.

Draws are public, as on their pages: the record (codes, units, fields) from creation, the seed
and result once drawn, and the export ``kechuang verify-draw`` checks. The library is the
bureau's, with ID numbers masked.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.core.problems import Rejected
from kechuang.experts import selectors, services

router = Router(tags=["experts"])


class DrawRow(Schema):
    draw_id: str
    purpose: str
    kind: str
    state: str
    subject_label: str
    pool_size: int
    excluded: int
    k: int
    commitment: str
    record_sha256: str
    created_at: dt.datetime
    drawn_at: dt.datetime | None


class DrawOut(DrawRow):
    record: dict
    seed: str | None
    result: dict | None


class DrawFilters(Schema):
    kind: str = ""
    state: str = ""
    q: str = ""


class ExpertRow(Schema):
    code: str
    name: str
    id_number_masked: str
    gender: str
    title: str
    title_name: str
    organization: str | None
    organization_name: str
    fields: list[str]
    specialty: str
    available: bool
    unavailable_from: dt.date | None
    unavailable_until: dt.date | None
    is_finance: bool
    is_demo: bool

    @staticmethod
    def resolve_organization(obj) -> str | None:
        return obj.organization.code if obj.organization_id else None


class ExpertFilters(Schema):
    q: str = ""
    field: str = ""
    title: str = ""
    available: str = ""
    finance: bool = False
    sort: str = "code"


def _row(d) -> dict:
    return {
        "draw_id": d.draw_id,
        "purpose": d.purpose,
        "kind": d.kind,
        "state": d.state,
        "subject_label": d.subject_label,
        "pool_size": d.pool_size,
        "excluded": d.excluded,
        "k": d.k,
        "commitment": d.commitment,
        "record_sha256": d.record_sha256,
        "created_at": d.created_at,
        "drawn_at": d.drawn_at,
    }


def _draw(draw_id: str):
    draw = selectors.draw_by_id(draw_id)
    if draw is None:
        raise Http404
    return draw


@router.get("/draws", response=list[DrawRow], summary="随机抽取 / draws (public)")
@paginate
def list_draws(request, filters: Query[DrawFilters]):
    return selectors.draw_list(kind=filters.kind, state=filters.state, q=filters.q)


@router.get("/draws/{draw_id}", response=DrawOut, summary="一次抽取 / one draw (public)")
def get_draw(request, draw_id: str):
    """The record from creation; seed and result are null until the draw is made."""
    d = _draw(draw_id)
    return _row(d) | {
        "record": d.record,
        "seed": d.seed_hex or None,
        "result": d.result if d.is_published else None,
    }


@router.get("/draws/{draw_id}/export", response=dict, summary="抽取文件 / export for verify-draw")
def export_draw(request, draw_id: str):
    """The file ``kechuang verify-draw`` checks; 404 before the draw."""
    try:
        return services.export_draw(_draw(draw_id))
    except Rejected as exc:
        raise Http404(str(exc)) from exc


@router.get(
    "/experts", response=list[ExpertRow], auth=django_auth, summary="专家库 / expert library"
)
@paginate
def list_experts(request, filters: Query[ExpertFilters]):
    """Bureau only. Filters as on the list page; ID numbers are masked."""
    if not request.user.has_perm("experts.view_library"):
        raise PermissionDenied("只有科技局可以查看专家库 / only the bureau may list experts")
    params = {k: str(v) if not isinstance(v, bool) else ("1" if v else "") for k, v in filters}
    # A queryset, so only the requested page is read.
    return selectors.expert_list(selectors.Filters.from_params(params))
