"""Spot checks over JSON: the published results for anyone (一公开), the check list for the
bureau. The public endpoint carries what the public page shows and nothing more: no internal
notes, inspectors by name and unit only."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.inspections import selectors

router = Router(tags=["inspections"])


class InspectorOut(Schema):
    name: str
    organisation: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.expert.name

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.expert.organisation_label


class PublicCheckOut(Schema):
    object_code: str
    object_name: str
    organisation: str
    inspectors: list[InspectorOut]
    inspectors_draw: str | None
    inspected_on: dt.date | None
    result: str
    rectify_by: dt.date | None
    rectification: str
    findings: str

    @staticmethod
    def resolve_object_name(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_inspectors(obj) -> list:
        return list(obj.assignments.all())

    @staticmethod
    def resolve_inspectors_draw(obj) -> str | None:
        return obj.inspectors_draw.draw_id if obj.inspectors_draw_id else None


class PublicPlanOut(Schema):
    id: int
    title: str
    year: int
    pool: str
    pool_size: int
    drawn: int
    objects_draw: str
    published_at: dt.datetime
    is_demo: bool
    checks: list[PublicCheckOut]

    @staticmethod
    def resolve_pool_size(obj) -> int:
        return obj.objects_draw.pool_size

    @staticmethod
    def resolve_drawn(obj) -> int:
        return obj.objects_draw.k

    @staticmethod
    def resolve_objects_draw(obj) -> str:
        return obj.objects_draw.draw_id

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.checks.all())


class CheckRow(PublicCheckOut):
    id: int
    plan: int
    plan_title: str
    year: int
    pool: str
    scheduled_on: dt.date | None

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_plan_title(obj) -> str:
        return obj.plan.title

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_pool(obj) -> str:
        return obj.plan.pool


@router.get(
    "/inspections/public",
    response=list[PublicPlanOut],
    summary="公开的抽查结果 / published spot-check results",
)
@paginate
def public_plans(request, year: int | None = None):
    """Published plans, newest first, each with its draws and every check's result."""
    return selectors.public_plans(year=year)


class ListFilters(Schema):
    q: str = ""
    plan: str = ""
    year: str = ""
    pool: str = ""
    result: str = ""
    rectification: str = ""
    sort: str = "-year"


@router.get(
    "/inspections/checks",
    response=list[CheckRow],
    auth=django_auth,
    summary="抽查列表 / spot checks",
)
@paginate
def list_checks(request, filters: Query[ListFilters]):
    """Bureau staff only. Filters as on the list page: q (object code, name or unit), plan (id),
    year, pool, result (pass | basic | fail | pending), rectification."""
    if not request.user.has_perm("inspections.view_list"):
        raise PermissionDenied("只有科技局可以查看抽查列表 / only the bureau may list checks")
    return selectors.check_list(selectors.Filters.from_params(dict(filters)))
