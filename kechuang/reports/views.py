"""Report pages: the list (with the request form for the bureau), one report with its progress
and versions, the download behind a permission check, and regenerate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.accounts.models import Organization
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.plans.models import Plan
from kechuang.plans.selectors import default_plan
from kechuang.reports import selectors, services
from kechuang.reports.models import Report

PAGE_SIZE = 30


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _form_choices() -> dict:
    plans = list(Plan.objects.order_by("-period_start"))
    return {
        "plans": plans,
        "departments": Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by(
            "code"
        ),
        "kinds": Report.Kind.choices,
        "default_plan": default_plan(),
    }


def _list_page(request: HttpRequest, *, problems=(), form=None, status: int = 200) -> HttpResponse:
    user = request.user
    filters = selectors.Filters.from_params(request.GET)
    page = Paginator(selectors.report_list(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "active": "reports",
        "page": page,
        "filters": filters,
        "states": Report.State.choices,
        "can_generate": user.has_perm("reports.generate"),
        "problems": problems,
        "form": form or {},
        **_form_choices(),
    }
    return render(request, "reports/list.html", context, status=status)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "reports.view_list")
    return _list_page(request)


def _parse(post) -> tuple[dict, list[Problem]]:
    """The request form's fields as objects; a code that matches nothing is a problem."""
    problems: list[Problem] = []
    values: dict = {"kind": post.get("kind", "")}
    plan_code = post.get("plan", "").strip()
    values["plan"] = Plan.objects.select_related("region").filter(code=plan_code).first()
    if plan_code and values["plan"] is None:
        problems.append(
            Problem(_("规划"), f"没有代码为 {plan_code} 的规划", f"no plan {plan_code}")
        )
    year = post.get("year", "").strip()
    values["year"] = int(year) if year.isdigit() else None
    if year and values["year"] is None:
        problems.append(Problem(_("年度"), "年度应为四位数字", "the year must be four digits"))
    uscc = post.get("enterprise", "").strip().upper()
    values["enterprise"] = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    if uscc and values["enterprise"] is None:
        problems.append(
            Problem(_("企业"), f"企业库中没有统一社会信用代码为 {uscc} 的企业", f"no {uscc}")
        )
    code = post.get("department", "").strip()
    values["department"] = Organization.objects.filter(code=code).first() if code else None
    if code and values["department"] is None:
        problems.append(Problem(_("责任单位"), f"没有代码为 {code} 的单位", f"no unit {code}"))
    return values, problems


@require_POST
@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "reports.generate")
    values, problems = _parse(request.POST)
    if not problems:
        try:
            report = services.request_report(request.user, **values)
        except Rejected as exc:
            problems = exc.problems
        else:
            messages.success(request, _("报告已排队生成。"))
            return redirect("reports:detail", pk=report.pk)
    return _list_page(request, problems=problems, form=request.POST, status=400)


def _visible(request: HttpRequest, pk: int) -> Report:
    """The report if the user may see it; to anyone else it does not exist (404, not 403)."""
    report = selectors.report_with_subject(pk)
    if report is None or not request.user.has_perm("reports.view_report", report):
        raise Http404
    return report


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    versions = selectors.versions_of(report)
    if not request.user.is_bureau:
        versions = versions.filter(state=Report.State.DONE)
    return render(
        request,
        "reports/detail.html",
        {
            "active": "reports",
            "report": report,
            "versions": versions,
            "can_generate": request.user.has_perm("reports.generate"),
        },
    )


@never_cache
@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the report page htmx polls every second until the report is finished."""
    return render(request, "reports/_progress.html", {"report": _visible(request, pk)})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    report = _visible(request, pk)
    if report.state != Report.State.DONE or not report.file:
        raise Http404
    try:
        fh = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=report.file_name, content_type=services.DOCX
    )


@require_POST
@login_required
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    _needs(request.user, "reports.generate")
    try:
        new = services.regenerate(request.user, report)
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, p.message_zh)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _("已按最新数据生成新版本，旧版本仍可下载。"))
    return redirect("reports:detail", pk=new.pk)
