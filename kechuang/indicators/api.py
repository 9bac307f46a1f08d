import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.indicators import services
from kechuang.indicators.models import DataElement, DataValue, OrgUnit
from kechuang.indicators.presenters import indicator_json, plan_result_json
from kechuang.indicators.selectors import compute_plan
from kechuang.plans.models import Plan

router = Router(tags=["plans & indicators"])


class PlanOut(Schema):
    code: str
    title: str
    title_en: str
    document_number: str
    issuer: str
    issued_on: dt.date | None
    period_start: int
    period_end: int
    baseline_year: int
    region: str = Field(alias="region.code")


class DataValueOut(Schema):
    id: int
    element: str = Field(alias="element.code")
    org_unit: str = Field(alias="org_unit.code")
    year: int
    version: int
    value: Decimal
    status: str
    is_current: bool
    source: str
    note: str
    is_demo: bool
    entered_at: dt.datetime
    reviewed_at: dt.datetime | None


class DataValueIn(Schema):
    element: str
    org_unit: str
    year: int
    value: Decimal
    source: str
    note: str = ""
    submit: bool = False


class ReviewIn(Schema):
    comment: str = ""


class ValueFilter(Schema):
    element: str | None = None
    org_unit: str | None = None
    year: int | None = None
    status: str | None = None


def _plan(code: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("region"), code=code)


def _unit(plan: Plan, code: str | None) -> OrgUnit:
    return plan.region if not code else get_object_or_404(OrgUnit, code=code)


@router.get("/plans", response=list[PlanOut], summary="规划列表 / plans")
def list_plans(request):
    return Plan.objects.select_related("region")


@router.get("/plans/{code}", response=PlanOut, summary="规划 / one plan")
def get_plan(request, code: str):
    return _plan(code)


@router.get("/plans/{code}/indicators", summary="指标计算值与状态 / indicators with status")
def plan_indicators(request, code: str, year: int | None = None, org_unit: str | None = None):
    """Every indicator of the plan computed from approved figures, with target and status."""
    plan = _plan(code)
    return plan_result_json(compute_plan(plan, _unit(plan, org_unit), as_of_year=year), as_of=year)


@router.get("/plans/{code}/indicators/{indicator}", summary="单个指标 / one indicator")
def one_indicator(request, code: str, indicator: str, org_unit: str | None = None):
    plan = _plan(code)
    for r in compute_plan(plan, _unit(plan, org_unit)).indicators:
        if r.indicator.code == indicator:
            return indicator_json(r)
    return router.api.create_response(request, {"detail": "not found"}, status=404)


def visible_values(user) -> QuerySet[DataValue]:
    """Anonymous users and other departments see approved figures only, never drafts."""
    qs = DataValue.objects.select_related("element", "org_unit")
    if user.is_authenticated and user.is_bureau:
        return qs
    approved = Q(status=DataValue.Status.APPROVED)
    if user.is_authenticated and user.role == user.Role.REPORTER and user.organization_id:
        return qs.filter(approved | Q(element__owner_id=user.organization_id))
    return qs.filter(approved)


@router.get("/data-values", response=list[DataValueOut], summary="数据值 / data values")
@paginate
def list_values(request, filters: Query[ValueFilter]):
    qs = visible_values(request.user)
    if filters.element:
        qs = qs.filter(element__code=filters.element)
    if filters.org_unit:
        qs = qs.filter(org_unit__code=filters.org_unit)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("element__code", "org_unit__code", "year", "-version")


@router.post(
    "/data-values",
    response={201: DataValueOut},
    auth=django_auth,
    summary="填报数据值 / enter a value",
)
def create_value(request, payload: DataValueIn):
    element = get_object_or_404(DataElement, code=payload.element)
    unit = get_object_or_404(OrgUnit, code=payload.org_unit)
    dv = services.enter_value(
        request.user,
        element=element,
        org_unit=unit,
        year=payload.year,
        value=payload.value,
        source=payload.source,
        note=payload.note,
        submit=payload.submit,
    )
    return Status(201, dv)


def _value_for(request, pk: int) -> DataValue:
    return get_object_or_404(visible_values(request.user), pk=pk)


@router.post("/data-values/{pk}/submit", response=DataValueOut, auth=django_auth)
def submit(request, pk: int):
    return services.submit_value(request.user, _value_for(request, pk))


@router.post("/data-values/{pk}/approve", response=DataValueOut, auth=django_auth)
def approve(request, pk: int, payload: ReviewIn):
    return services.approve_value(request.user, _value_for(request, pk), payload.comment)


@router.post("/data-values/{pk}/reject", response=DataValueOut, auth=django_auth)
def reject(request, pk: int, payload: ReviewIn):
    return services.reject_value(request.user, _value_for(request, pk), payload.comment)
