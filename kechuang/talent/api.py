"""Talent programs, calls, the registry and its figures over JSON.

Programs and published calls are public, as on their pages. The registry and the figures are
the bureau's; ID numbers are masked and never leave in whole.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.talent import selectors

router = Router(tags=["talent"])


class ProgramOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    kind: str
    description: str
    support: str
    support_amount: Decimal | None
    term_years: int
    is_demo: bool


class CallOut(Schema):
    code: str
    title: str
    title_en: str
    program: str
    year: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    state: str
    window: str
    panel_size: int
    is_demo: bool

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.code

    @staticmethod
    def resolve_window(obj) -> str:
        return obj.window()


class TalentOut(Schema):
    name: str
    id_number_masked: str
    program: str
    year: int
    employer: str
    field: str
    term_end: dt.date
    active: bool
    is_demo: bool

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        return obj.application.id_number_masked

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.code

    @staticmethod
    def resolve_employer(obj) -> str:
        return obj.employer.name

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.is_active()


class RegistryFilters(Schema):
    program: str = ""
    year: str = ""
    employer: str = ""
    status: str = ""
    q: str = ""
    sort: str = "-year"


def _bureau(request) -> None:
    if not request.user.has_perm("talent.view_registry"):
        raise PermissionDenied("只有科技局可以查看人才库 / only the bureau may read the registry")


@router.get("/talent/programs", response=list[ProgramOut], summary="人才计划 / programs (public)")
def list_programs(request):
    return list(selectors.public_programs())


@router.get("/talent/calls", response=list[CallOut], summary="人才申报通知 / calls (public)")
@paginate
def list_calls(request):
    """Calls open now or opening later, the nearest deadline first."""
    return selectors.open_calls()


@router.get(
    "/talent/registry", response=list[TalentOut], auth=django_auth, summary="人才库 / registry"
)
@paginate
def list_talents(request, filters: Query[RegistryFilters]):
    """Bureau only. Filters as on the registry page; ID numbers are masked."""
    _bureau(request)
    return selectors.registry(selectors.RegistryFilters.from_params(dict(filters)))


@router.get("/talent/figures", response=dict, auth=django_auth, summary="人才统计 / figures")
def figures(request):
    """Talents by program and year, nominations against selections (bureau only)."""
    _bureau(request)
    return selectors.talent_figures()
