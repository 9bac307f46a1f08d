"""The enterprise registry over JSON.

Bureau staff list and read every enterprise; an enterprise user reads and reports for its own
only (any other enterprise is 404 to it, as on the pages). Everyone else gets 403.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.enterprises import selectors, services
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.enterprises.tables import FIGURE_KEYS

router = Router(tags=["enterprises"])


class EnterpriseRow(Schema):
    uscc: str
    name: str
    registered_on: dt.date | None
    industry: str | None
    section: str | None
    park: str | None
    ownership: str
    high_tech_field: str
    in_district: bool
    certifications: list[str]
    hnte_expires: dt.date | None
    latest_year: int | None
    latest_revenue: Decimal | None
    is_demo: bool


class FiguresOut(Schema):
    year: int
    status: str
    source: str
    values: dict[str, Decimal | None]
    rd_total: Decimal | None
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None


class IPOut(Schema):
    kind: str
    ip_class: str
    number: str
    title: str
    status: str
    valid: bool
    applied_on: dt.date | None
    granted_on: dt.date | None
    ownership: str
    acquisition: str


class CertificationOut(Schema):
    kind: str
    number: str
    issued_on: dt.date
    expires_on: dt.date
    state: str


class EnterpriseOut(Schema):
    uscc: str
    name: str
    registered_on: dt.date | None
    address: str
    industry: str | None
    size_category: str | None
    park: str | None
    ownership: str
    high_tech_field: str
    in_district: bool
    is_demo: bool
    figures: list[FiguresOut]
    ip: list[IPOut]
    certifications: list[CertificationOut]


class ListFilters(Schema):
    q: str = ""
    section: str = ""
    park: str = ""
    certification: str = ""
    expiring: bool = False
    sort: str = "name"


class FiguresIn(Schema):
    """Money in yuan, staff as yearly averages; a field left out keeps its stored value."""

    year: int
    source: str = ""
    submit: bool = True
    operating_revenue: Decimal | None = None
    main_revenue: Decimal | None = None
    other_revenue: Decimal | None = None
    total_income: Decimal | None = None
    non_taxable_income: Decimal | None = None
    high_tech_income: Decimal | None = None
    technical_income: Decimal | None = None
    rd_personnel: Decimal | None = None
    rd_direct_inputs: Decimal | None = None
    rd_depreciation: Decimal | None = None
    rd_amortization: Decimal | None = None
    rd_design: Decimal | None = None
    rd_trials: Decimal | None = None
    rd_outsourced_domestic: Decimal | None = None
    rd_outsourced_overseas: Decimal | None = None
    rd_other: Decimal | None = None
    rd_domestic: Decimal | None = None
    employees: Decimal | None = None
    st_staff: Decimal | None = None
    rd_staff: Decimal | None = None
    total_assets: Decimal | None = None
    liabilities: Decimal | None = None
    net_assets: Decimal | None = None
    net_profit: Decimal | None = None
    cost_and_expense_total: Decimal | None = None


def _visible(request, uscc: str) -> Enterprise:
    user = request.user
    if not (user.has_perm("enterprises.view_registry") or is_enterprise_user(user)):
        raise PermissionDenied("无权查看企业库 / you may not view the enterprise registry")
    enterprise = (
        Enterprise.objects.select_related("industry", "park").filter(uscc=uscc.upper()).first()
    )
    if enterprise is None or not user.has_perm("enterprises.view_enterprise", enterprise):
        raise Http404
    return enterprise


def _figures(f) -> dict:
    return {
        "year": f.year,
        "status": f.status,
        "source": f.source,
        "values": {k: getattr(f, k) for k in FIGURE_KEYS},
        "rd_total": f.rd_total,
        "submitted_at": f.submitted_at,
        "approved_at": f.approved_at,
    }


@router.get(
    "/enterprises",
    response=list[EnterpriseRow],
    auth=django_auth,
    summary="企业列表 / enterprises",
)
@paginate
def list_enterprises(request, filters: Query[ListFilters]):
    """Bureau staff only. Filters as on the list page: q (name or USCC prefix), section (门类
    letter), park (code), certification (a kind held today), expiring (HNTE within 6 months)."""
    if not request.user.has_perm("enterprises.view_registry"):
        raise PermissionDenied("只有科技局可以查看企业列表 / only the bureau may list enterprises")
    params = {k: str(v) if not isinstance(v, bool) else ("1" if v else "") for k, v in filters}
    qs = selectors.enterprise_list(selectors.Filters.from_params(params))
    return [
        {
            "uscc": e.uscc,
            "name": e.name,
            "registered_on": e.registered_on,
            "industry": e.industry.code if e.industry else None,
            "section": e.industry.section if e.industry else None,
            "park": e.park.code if e.park else None,
            "ownership": e.ownership,
            "high_tech_field": e.high_tech_field,
            "in_district": e.in_district,
            "certifications": [c.kind for c in e.valid_certifications],
            "hnte_expires": e.hnte_expires,
            "latest_year": e.latest_year,
            "latest_revenue": e.latest_revenue,
            "is_demo": e.is_demo,
        }
        for e in qs
    ]


@router.get(
    "/enterprises/{uscc}",
    response=EnterpriseOut,
    auth=django_auth,
    summary="企业详情 / one enterprise",
)
def get_enterprise(request, uscc: str):
    e = _visible(request, uscc)
    return {
        "uscc": e.uscc,
        "name": e.name,
        "registered_on": e.registered_on,
        "address": e.address,
        "industry": e.industry.code if e.industry else None,
        "size_category": (e.industry.size_category or None) if e.industry else None,
        "park": e.park.code if e.park else None,
        "ownership": e.ownership,
        "high_tech_field": e.high_tech_field,
        "in_district": e.in_district,
        "is_demo": e.is_demo,
        "figures": [_figures(f) for f in selectors.figures_of(e)],
        "ip": list(selectors.ip_of(e)),
        "certifications": [
            {
                "kind": cv.certification.kind,
                "number": cv.certification.number,
                "issued_on": cv.certification.issued_on,
                "expires_on": cv.certification.expires_on,
                "state": cv.state,
            }
            for cv in selectors.certification_views(e)
        ],
    }


@router.post(
    "/enterprises/{uscc}/figures",
    response={200: FiguresOut, 201: FiguresOut},
    auth=django_auth,
    summary="填报年度数据 / submit yearly figures",
)
def post_figures(request, uscc: str, payload: FiguresIn):
    """Create (201) or correct (200) one year's figures; changing approved figures sends them
    back for review. Bad input is 400 with every problem; nothing is written."""
    e = _visible(request, uscc)
    if not request.user.has_perm("enterprises.submit_figures", e):
        raise PermissionDenied("无权填报该企业数据 / you may not submit figures for it")
    given = payload.model_dump(exclude_unset=True)
    values = {k: given[k] for k in FIGURE_KEYS if k in given}
    existed = e.figures.filter(year=payload.year).exists()
    f = services.save_figures(
        request.user, e, payload.year, values, source=payload.source, submit=payload.submit
    )
    return Status(200 if existed else 201, _figures(f))
