"""Calls and applications over JSON.

Published calls are public. An applicant lists and reads its own organisation's applications
and submits them through the same service as the page (a refusal is 400 with every problem);
another organisation's application is 404 to it. Bureau staff read every application.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.calls import selectors, services
from kechuang.calls.models import Application, Call
from kechuang.calls.rules import is_applicant_user
from kechuang.core import eligibility

router = Router(tags=["calls"])


class CallOut(Schema):
    code: str
    title: str
    title_en: str
    program: str
    program_kind: str
    year: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    window: str  # open | upcoming | closed
    state: str
    budget: Decimal
    max_amount: Decimal | None
    is_demo: bool


class ConditionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    source: str


class SectionOut(Schema):
    key: str
    title: str
    title_en: str
    guidance: str
    required: bool
    max_chars: int


class CriterionOut(Schema):
    name: str
    name_en: str
    description: str
    weight: Decimal
    max_score: Decimal


class CallDetailOut(CallOut):
    description: str
    panel_size: int
    eligibility: list[ConditionOut]
    sections: list[SectionOut]
    criteria: list[CriterionOut]


class ApplicationRow(Schema):
    id: int
    code: str | None
    call: str
    title: str
    requested_amount: Decimal
    state: str
    submitted_at: dt.datetime | None
    is_demo: bool


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    sha256: str
    url: str


class StateChangeOut(Schema):
    from_state: str
    to_state: str
    at: dt.datetime
    by: str | None
    note: str


class ApplicationOut(ApplicationRow):
    applicant: str
    co_applicants: list[str]
    summary: str
    fields: list[str]
    answers: dict[str, str]
    submission_deadline: dt.datetime | None
    attachments: list[AttachmentOut]
    eligibility: list[dict]
    history: list[StateChangeOut]


class CallFilters(Schema):
    kind: str = ""
    year: int | None = None
    open: bool = False


def _call_row(c: Call) -> dict:
    return {
        "code": c.code,
        "title": c.title,
        "title_en": c.title_en,
        "program": c.program.code,
        "program_kind": c.program.kind,
        "year": c.year,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "window": c.window(),
        "state": c.state,
        "budget": c.budget,
        "max_amount": c.max_amount,
        "is_demo": c.is_demo,
    }


@router.get("/calls", response=list[CallOut], summary="申报指南 / calls for applications")
@paginate
def list_calls(request, filters: Query[CallFilters]):
    """Published calls, newest deadline first. kind: a program kind; open: accepting now."""
    params = {
        "kind": filters.kind,
        "year": str(filters.year or ""),
        "open": "1" if filters.open else "",
    }
    return [_call_row(c) for c in selectors.public_calls(selectors.CallFilters.from_params(params))]


@router.get("/calls/{code}", response=CallDetailOut, summary="申报指南详情 / one call")
def get_call(request, code: str):
    call = selectors.call_page(code)
    if call is None or not request.user.has_perm("calls.view_call", call):
        raise Http404
    return {
        **_call_row(call),
        "description": call.description,
        "panel_size": call.panel_size,
        "eligibility": [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "description_zh": c.description_zh,
                "description_en": c.description_en,
                "source": str(c.spec.source),
            }
            for c in eligibility.describe(call.eligibility)
        ],
        "sections": list(call.sections.all()),
        "criteria": list(call.criteria.all()),
    }


def _row(a: Application) -> dict:
    return {
        "id": a.pk,
        "code": a.code,
        "call": a.call.code,
        "title": a.title,
        "requested_amount": a.requested_amount,
        "state": a.state,
        "submitted_at": a.submitted_at,
        "is_demo": a.is_demo,
    }


@router.get(
    "/applications/mine",
    response=list[ApplicationRow],
    auth=django_auth,
    summary="本单位的申报 / my organisation's applications",
)
@paginate
def my_applications(request):
    if not is_applicant_user(request.user):
        raise PermissionDenied("只有申报单位的用户可以查看 / applicant users only")
    return [_row(a) for a in selectors.my_applications(request.user.organization_id)]


def _application(request, application_id: int) -> Application:
    application = selectors.application_page(application_id)
    if application is None or not request.user.has_perm("calls.view_application", application):
        raise Http404
    return application


def _detail(a: Application) -> dict:
    return {
        **_row(a),
        "applicant": a.applicant.code,
        "co_applicants": [o.code for o in a.co_applicants.all()],
        "summary": a.summary,
        "fields": a.fields,
        "answers": a.answers,
        "submission_deadline": a.submission_deadline() if a.is_editable else None,
        "attachments": [
            {
                "id": f.pk,
                "name": f.original_name,
                "kind": f.kind,
                "size": f.size,
                "sha256": f.sha256,
                "url": reverse("calls:attachment", args=[f.pk]),
            }
            for f in a.attachments.all()
        ],
        "eligibility": a.eligibility_results,
        "history": [
            {
                "from_state": s.from_state,
                "to_state": s.to_state,
                "at": s.at,
                "by": s.by.username if s.by else None,
                "note": s.note,
            }
            for s in a.state_changes.all()
        ],
    }


@router.get(
    "/applications/{application_id}",
    response=ApplicationOut,
    auth=django_auth,
    summary="申报详情 / one application",
)
def get_application(request, application_id: int):
    return _detail(_application(request, application_id))


@router.post(
    "/applications/{application_id}/submit",
    response=ApplicationOut,
    auth=django_auth,
    summary="提交申报 / submit an application",
)
def submit_application(request, application_id: int):
    """Submits the saved content: the window, completeness and eligibility are judged now."""
    application = _application(request, application_id)
    services.submit(request.user, application)
    return _detail(selectors.application_page(application_id))
