"""Reports over JSON: the reports a user may see, one report's state, and asking for one.

The file itself is downloaded from the report page's link (``download``), behind the same
permission check as on the pages.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.accounts.models import Organization
from kechuang.enterprises.models import Enterprise
from kechuang.plans.models import Plan
from kechuang.reports import selectors, services

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    plan: str | None
    year: int | None
    enterprise: str | None
    department: str | None
    state: str
    progress: int
    step: str
    sha256: str
    notes: list[str]
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download: str | None


class ReportIn(Schema):
    kind: str
    plan: str | None = None
    year: int | None = None
    enterprise: str | None = None  # 统一社会信用代码
    department: str | None = None  # organisation code


def _out(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "version": r.version,
        "plan": r.plan.code if r.plan else None,
        "year": r.year,
        "enterprise": r.enterprise.uscc if r.enterprise else None,
        "department": r.department.code if r.department else None,
        "state": r.state,
        "progress": r.progress,
        "step": r.step,
        "sha256": r.sha256,
        "notes": r.notes,
        "error": r.error,
        "created_at": r.created_at,
        "finished_at": r.finished_at,
        "download": reverse("reports:download", args=[r.pk]) if r.state == "done" else None,
    }


@router.get("/reports", response=list[ReportOut], auth=django_auth, summary="报告列表 / reports")
@paginate
def list_reports(request, kind: str = "", plan: str = "", year: int | None = None):
    """The bureau sees every report; enterprise users their enterprise's profiles; reporters
    their department's task reports."""
    if not request.user.has_perm("reports.view_list"):
        raise PermissionDenied("无权查看报告 / not allowed to see reports")
    params = {"kind": kind, "plan": plan, "year": str(year or "")}
    return [
        _out(r) for r in selectors.report_list(request.user, selectors.Filters.from_params(params))
    ]


@router.get(
    "/reports/{report_id}", response=ReportOut, auth=django_auth, summary="报告 / one report"
)
def get_report(request, report_id: int):
    report = selectors.report_with_subject(report_id)
    if report is None or not request.user.has_perm("reports.view_report", report):
        raise Http404
    return _out(report)


@router.post(
    "/reports",
    response={201: ReportOut},
    auth=django_auth,
    summary="生成报告 / ask for a report",
)
def post_report(request, payload: ReportIn):
    """Bureau only. Queued at once and generated in the background; poll its ``state``."""
    if not request.user.has_perm("reports.generate"):
        raise PermissionDenied("只有科技局可以生成报告 / only the bureau may generate reports")
    report = services.request_report(
        request.user,
        kind=payload.kind,
        plan=get_object_or_404(Plan.objects.select_related("region"), code=payload.plan)
        if payload.plan
        else None,
        year=payload.year,
        enterprise=get_object_or_404(Enterprise, uscc=payload.enterprise)
        if payload.enterprise
        else None,
        department=get_object_or_404(Organization, code=payload.department)
        if payload.department
        else None,
    )
    return Status(201, _out(selectors.report_with_subject(report.pk)))
