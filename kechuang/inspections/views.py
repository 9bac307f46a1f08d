"""Spot-check pages. Views parse requests and render; services and selectors do the work.

The bureau sees every plan and check. An inspector sees the checks it was drawn for; the
inspected unit sees its own. To anyone else a check does not exist (404), and the attempt of a
signed-in user is written to the audit log. The public page needs no login and shows published
plans only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from kechuang.audit.services import log_access
from kechuang.core.problems import Rejected
from kechuang.enterprises.tables import workbook
from kechuang.enterprises.views import _download
from kechuang.inspections import logic, selectors, services
from kechuang.inspections.forms import (
    ConfirmForm,
    PlanForm,
    RectificationForm,
    ResultForm,
    ScheduleForm,
)
from kechuang.inspections.models import Check, CheckFile, InspectionPlan
from kechuang.supervision.forms import form_problems

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 10
State = InspectionPlan.State


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _check(request: HttpRequest, pk: int) -> Check:
    """The check if the user may see it. Anyone else gets 404, and the attempt is audited."""
    check = selectors.check_by_pk(pk)
    if check is None:
        raise Http404
    if not request.user.has_perm("inspections.view_check", check):
        log_access(request.user, check, note="抽查页 / spot check page", denied=True)
        raise Http404
    return check


def _plan(pk: int) -> InspectionPlan:
    plan = selectors.plan_by_pk(pk)
    if plan is None:
        raise Http404
    return plan


# --- lists -----------------------------------------------------------------------------------


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    """Every check for the bureau: filters in place, sorting, pages, Excel export."""
    user = request.user
    if not user.has_perm("inspections.view_list"):
        if user.has_perm("inspections.view_mine"):
            return redirect("inspections:mine")
        raise PermissionDenied
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.check_list(filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.EXPORT_HEADER, selectors.export_rows(qs))
        return _download(content, f"spot-checks-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "inspections/list.html",
        {
            "active": "inspections",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "pending": selectors.PENDING,
            "recent_plans": selectors.plan_list()[:5],
            **selectors.filter_menus(),
        },
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "inspections.view_list")
    year = selectors.int_param(request.GET.get("year"))
    return render(
        request,
        "inspections/plans.html",
        {
            "active": "inspections",
            "page": Paginator(selectors.plan_list(year=year), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "year": year,
            "years": selectors.plan_years(),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """A new plan: its object pool is fixed and its draw's commitment published on saving."""
    _needs(request.user, "inspections.manage_plan")
    form = PlanForm(request.POST or None)
    problems = []
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.create_plan(request.user, **form.values())
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("抽查计划已建立，检查对象抽取 %(d)s 的承诺值已公布。")
                    % {"d": plan.objects_draw.draw_id},
                )
                return redirect("inspections:plan", pk=plan.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "inspections/plan_new.html",
        {"active": "inspections", "form": form, "problems": problems},
    )


PLAN_ACTIONS: dict[str, tuple[Callable, str]] = {
    "draw_objects": (services.draw_objects, _lazy("检查对象已抽取，检查人员抽取的承诺值已公布。")),
    "draw_inspectors": (services.draw_inspectors, _lazy("检查人员已抽取，并已通知本人。")),
    "publish": (services.publish_plan, _lazy("抽查结果已公开。")),
}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One plan: its sampling, draws, checks with inspectors and results, and the next step."""
    _needs(request.user, "inspections.view_list")
    plan = _plan(pk)
    if request.method == "POST":
        _needs(request.user, "inspections.manage_plan", plan)
        action = PLAN_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise PermissionDenied
        service, done = action
        try:
            service(request.user, plan)
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            messages.success(request, done)
        return redirect("inspections:plan", pk=plan.pk)
    checks = list(selectors.checks_of(plan))
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "active": "inspections",
            "plan": plan,
            "checks": checks,
            "missing": sum(1 for c in checks if not c.result),
            "history": selectors.history_of(plan),
            "can_manage": request.user.has_perm("inspections.manage_plan", plan),
        },
    )


# --- one check -------------------------------------------------------------------------------


def _post_result(request, check):
    _needs(request.user, "inspections.record_result", check)
    form = ResultForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, form_problems(form)
    services.record_result(request.user, check, **form.cleaned_data)
    messages.success(request, _("检查结果已记录，并已通知被检查单位。"))
    return None, []


def _post_rectification(request, check):
    _needs(request.user, "inspections.report_rectification", check)
    form = RectificationForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, form_problems(form)
    services.report_rectification(request.user, check, **form.cleaned_data)
    messages.success(request, _("整改情况已报送，等待科技局确认。"))
    return None, []


def _post_confirm(request, check):
    _needs(request.user, "inspections.confirm_rectification", check)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.confirm_rectification(request.user, check, **form.cleaned_data)
    messages.success(request, _("整改确认已记录，并已通知被检查单位。"))
    return None, []


def _post_schedule(request, check):
    _needs(request.user, "inspections.manage_plan", check.plan)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.schedule_check(request.user, check, **form.cleaned_data)
    messages.success(request, _("计划检查日期已保存。"))
    return None, []


CHECK_ACTIONS: dict[str, tuple[Callable, type]] = {
    "result": (_post_result, ResultForm),
    "rectification": (_post_rectification, RectificationForm),
    "confirm": (_post_confirm, ConfirmForm),
    "schedule": (_post_schedule, ScheduleForm),
}


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One check: the object, inspectors, schedule, result, rectification and their history."""
    check = _check(request, pk)
    failed, bound, problems = None, None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in CHECK_ACTIONS:
            raise PermissionDenied
        handler, form_class = CHECK_ACTIONS[action]
        try:
            bound, problems = handler(request, check)
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("inspections:check", pk=check.pk)
        failed = action
        # Keep what was typed: a refused entry must not cost the user their text.
        bound = bound or form_class(request.POST)
    context = _check_context(request, check, failed, bound, problems)
    return render(request, "inspections/check_detail.html", context)


def _check_context(request, check: Check, failed, bound, problems) -> dict:
    user = request.user
    plan = check.plan
    rect = Check.Rectification

    def form(action, factory):
        return bound if failed == action else factory()

    can = {
        "internal": user.has_perm("inspections.view_internal", check),
        "record": plan.state in logic.RECORDING
        and user.has_perm("inspections.record_result", check),
        "rectify": check.rectification == rect.REQUIRED
        and user.has_perm("inspections.report_rectification", check),
        "confirm": check.rectification == rect.REPORTED
        and user.has_perm("inspections.confirm_rectification", check),
        "schedule": plan.state in {State.OBJECTS_DRAWN, *logic.RECORDING}
        and user.has_perm("inspections.manage_plan", plan),
        "plan": user.has_perm("inspections.view_list"),
    }
    result_initial = {"inspected_on": check.inspected_on or timezone.localdate()}
    if check.result:
        result_initial |= {
            "result": check.result,
            "findings": check.findings,
            "internal_notes": check.internal_notes,
            "rectify_by": check.rectify_by,
        }
    return {
        "active": "inspections" if can["plan"] else "inspections_mine",
        "check": check,
        "plan": plan,
        "assignments": list(check.assignments.all()),
        "events": selectors.events_of(check),
        "can": can,
        "forms": {
            "result": form("result", lambda: ResultForm(initial=result_initial)),
            "rectification": form("rectification", RectificationForm),
            "confirm": form("confirm", ConfirmForm),
            "schedule": form(
                "schedule", lambda: ScheduleForm(initial={"scheduled_on": check.scheduled_on})
            ),
        },
        "failed": failed,
        "problems": problems,
        "max_mb": settings.KECHUANG_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


@never_cache  # permission-gated content must not sit in a shared cache
@login_required
def check_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, after the permission check; to anyone else it does not exist (404, not 403)."""
    f = CheckFile.objects.select_related("event__spot_check").filter(pk=pk).first()
    if f is None:
        raise Http404
    if not request.user.has_perm("inspections.view_file", f):
        log_access(request.user, f, note="抽查附件 / spot check file", denied=True)
        raise Http404
    try:
        fh = f.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=f.original_name, content_type=f.content_type
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An inspector's assigned checks, or the unit's own checks."""
    user = request.user
    if not user.has_perm("inspections.view_mine"):
        if user.has_perm("inspections.view_list"):
            return redirect("inspections:list")
        raise PermissionDenied
    return render(
        request,
        "inspections/mine.html",
        {
            "active": "inspections_mine",
            "page": Paginator(selectors.checks_for(user), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "is_inspector": user.role == "expert",
        },
    )


# --- 一公开 ------------------------------------------------------------------------------------


def public(request: HttpRequest) -> HttpResponse:
    """Published plans with their draws and results, for anyone; nothing internal."""
    year = selectors.int_param(request.GET.get("year"))
    return render(
        request,
        "inspections/public.html",
        {
            "active": "inspections_public",
            "page": Paginator(selectors.public_plans(year=year), PUBLIC_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "year": year,
            "years": selectors.public_years(),
        },
    )
