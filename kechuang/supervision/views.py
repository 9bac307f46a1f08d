"""Task supervision pages. Views parse requests and render; services and selectors do the work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kechuang.accounts.models import Organization
from kechuang.core.problems import Rejected
from kechuang.indicators.spreadsheets import values_workbook
from kechuang.plans.models import Plan, TaskNode
from kechuang.plans.selectors import default_plan
from kechuang.supervision import selectors, services
from kechuang.supervision.forms import (
    CompleteForm,
    MilestoneForm,
    ProgressForm,
    RespondForm,
    SuperviseForm,
    form_problems,
)
from kechuang.supervision.selectors import State

PAGE_SIZE = 50
ALL = "all"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _plan(request: HttpRequest) -> Plan | None:
    code = request.GET.get("plan")
    if code:
        return get_object_or_404(Plan.objects.select_related("region"), code=code)
    return default_plan()


def _department(request: HttpRequest) -> tuple[Organization | None, str]:
    """The department filter and the value to show in its menu.

    A reporter starts on their own department's tasks; ``all`` widens to every department.
    """
    code = request.GET.get("department", "")
    user = request.user
    if code == ALL:
        return None, ALL
    if code:
        dept = Organization.objects.filter(code=code).first()
        return dept, code if dept else ALL
    if not user.is_bureau and user.organization is not None:
        return user.organization, user.organization.code
    return None, ALL


def _days(request: HttpRequest) -> int:
    raw = request.GET.get("days", "")
    return min(max(int(raw), 1), 366) if raw.isdigit() else selectors.DUE_SOON_DAYS


def _no_plan(request: HttpRequest) -> HttpResponse:
    return render(request, "supervision/no_plan.html", {"active": "tasks"})


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Departments with their tasks' states, and the plan's task tree (or the filtered tasks)."""
    user = request.user
    _needs(user, "supervision.view_board")
    plan = _plan(request)
    if plan is None:
        return _no_plan(request)
    dept, dept_value = _department(request)
    state = request.GET.get("state") if request.GET.get("state") in State.ORDER else None
    days = _days(request)
    result = selectors.board(plan, dept, state=state, days=days)
    filtered = dept is not None or state is not None
    page = (
        Paginator(result.tasks, PAGE_SIZE).get_page(request.GET.get("page")) if filtered else None
    )
    my_supervisions = None
    if not user.is_bureau and user.organization is not None:
        my_supervisions = list(selectors.open_supervisions_for(user.organization)[:20])
    return render(
        request,
        "supervision/board.html",
        {
            "active": "tasks",
            "plan": plan,
            "plans": Plan.objects.only("code", "title", "title_en"),
            "board": result,
            "page": page,
            "filtered": filtered,
            "dept_value": dept_value,
            "departments": selectors.departments_in(plan),
            "states": State.choices(),
            "state": state,
            "days": days,
            "my_supervisions": my_supervisions,
            "open_supervision_count": selectors.supervision_list("open", plan=plan).count()
            if user.has_perm("supervision.supervise")
            else None,
            "today": timezone.localdate(),
        },
    )


# --- task detail ------------------------------------------------------------------------------


def _task(pk: int) -> TaskNode:
    return get_object_or_404(
        TaskNode.objects.select_related("plan", "lead_department", "parent"), pk=pk
    )


def _post_progress(request, task):
    _needs(request.user, "supervision.report_progress", task)
    form = ProgressForm(request.POST, request.FILES, task=task)
    if not form.is_valid():
        return form, form_problems(form)
    d = form.cleaned_data
    services.report_progress(
        request.user,
        task,
        percent=d["percent"],
        text=d["text"],
        reported_on=d["reported_on"],
        milestone=d["milestone"],
        files=d["files"],
    )
    messages.success(request, _("进展报告已提交。"))
    return None, []


def _post_milestone(request, task):
    _needs(request.user, "supervision.manage_milestones", task)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.add_milestone(
        request.user, task, form.cleaned_data["title"], form.cleaned_data["due_on"]
    )
    messages.success(request, _("里程碑已添加。"))
    return None, []


def _post_complete(request, task):
    milestone = get_object_or_404(task.milestones, pk=request.POST.get("milestone") or 0)
    _needs(request.user, "supervision.complete_milestone", milestone)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.complete_milestone(request.user, milestone, form.cleaned_data["completed_on"])
    messages.success(request, _("已确认里程碑“%(t)s”完成。") % {"t": milestone.title})
    return None, []


def _post_supervise(request, task):
    _needs(request.user, "supervision.supervise", task)
    form = SuperviseForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    sv = services.issue_supervision(
        request.user, task, form.cleaned_data["reason"], form.cleaned_data["respond_by"]
    )
    messages.success(request, _("已向%(d)s发出督办。") % {"d": sv.department.name})
    return None, []


def _supervision_of(request, task):
    return get_object_or_404(task.supervisions, pk=request.POST.get("supervision") or 0)


def _post_respond(request, task):
    sv = _supervision_of(request, task)
    _needs(request.user, "supervision.respond_supervision", sv)
    form = RespondForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.respond_supervision(request.user, sv, form.cleaned_data["response"])
    messages.success(request, _("督办回复已提交。"))
    return None, []


def _post_close(request, task):
    sv = _supervision_of(request, task)
    _needs(request.user, "supervision.supervise", task)
    services.close_supervision(request.user, sv)
    messages.success(request, _("督办已办结。"))
    return None, []


ACTIONS: dict[str, Callable] = {
    "progress": _post_progress,
    "milestone": _post_milestone,
    "complete": _post_complete,
    "supervise": _post_supervise,
    "respond": _post_respond,
    "close": _post_close,
}


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: who is responsible, milestones, progress with evidence, 督办, and the forms."""
    user = request.user
    _needs(user, "supervision.view_board")
    task = _task(pk)
    failed, bound, problems = None, None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = ACTIONS.get(action)
        if handler is None:
            raise PermissionDenied
        try:
            bound, problems = handler(request, task)
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("supervision:task", pk=task.pk)
        failed = action
        # Keep what was typed: a rejected report must not cost the user their text.
        bound = bound or _rebind(action, request, task)
    return render(
        request,
        "supervision/task_detail.html",
        _detail_context(request, task, failed, bound, problems),
    )


def _rebind(action: str, request, task):
    if action == "progress":
        return ProgressForm(request.POST, task=task)
    forms = {
        "milestone": MilestoneForm,
        "complete": CompleteForm,
        "supervise": SuperviseForm,
        "respond": RespondForm,
    }
    return forms[action](request.POST) if action in forms else None


def _detail_context(request, task: TaskNode, failed, bound, problems) -> dict:
    user = request.user
    today = timezone.localdate()
    status = selectors.plan_status(task.plan)
    can_see_supervisions = user.has_perm("supervision.view_supervisions", task)
    supervisions = []
    if can_see_supervisions:
        supervisions = [
            (sv, user.has_perm("supervision.respond_supervision", sv))
            for sv in selectors.task_supervisions(task)
        ]

    def form(action, factory):
        return bound if failed == action else factory()

    return {
        "active": "tasks",
        "task": task,
        "plan": task.plan,
        "status": status.by_pk[task.pk],
        "ancestors": status.path_to(task.pk),
        "milestones": selectors.milestone_views(task, today=today),
        "reports": selectors.task_reports(task),
        "supervisions": supervisions,
        "can_see_supervisions": can_see_supervisions,
        "has_open_supervision": any(sv.is_open for sv, _ in supervisions),
        "can_report": user.has_perm("supervision.report_progress", task),
        "can_manage": user.has_perm("supervision.manage_milestones", task),
        "can_complete": user.has_perm("supervision.complete_milestone", task),
        "can_supervise": user.has_perm("supervision.supervise", task),
        "can_evidence": user.has_perm("supervision.view_evidence", task),
        "progress_form": form("progress", lambda: ProgressForm(task=task)),
        "milestone_form": form("milestone", MilestoneForm),
        "complete_form": form("complete", lambda: CompleteForm(initial={"completed_on": today})),
        "supervise_form": form(
            "supervise",
            lambda: SuperviseForm(initial={"respond_by": today + dt.timedelta(days=7)}),
        ),
        "respond_form": form("respond", RespondForm),
        "failed": failed,
        "failed_id": request.POST.get("milestone") or request.POST.get("supervision"),
        "problems": problems,
        "today": today,
        "max_mb": settings.KECHUANG_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


# --- overdue and due soon ---------------------------------------------------------------------


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Milestones past due, then those due soon, by lead department; exportable to Excel."""
    user = request.user
    _needs(user, "supervision.view_board")
    plan = _plan(request)
    if plan is None:
        return _no_plan(request)
    dept, dept_value = _department(request)
    days = _days(request)
    rows = selectors.overdue(plan, dept) + selectors.due_soon(plan, days, dept)
    if request.GET.get("format") == "xlsx":
        today = timezone.localdate()
        content = values_workbook(
            selectors.OVERDUE_EXPORT_HEADER, selectors.overdue_export_rows(rows)
        )
        name = f"overdue-{plan.code}-{dept.code if dept else 'all'}-{today:%Y%m%d}.xlsx"
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    n_overdue = sum(1 for r in rows if r.state == State.OVERDUE)
    return render(
        request,
        "supervision/overdue.html",
        {
            "active": "tasks",
            "plan": plan,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "n_overdue": n_overdue,
            "n_due_soon": len(rows) - n_overdue,
            "dept_value": dept_value,
            "department": dept,
            "departments": selectors.departments_in(plan),
            "days": days,
            "can_supervise": user.has_perm("supervision.supervise"),
        },
    )


# --- 督办 list ----------------------------------------------------------------------------------


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    """Every 督办 notice for bureau staff, open ones first."""
    user = request.user
    _needs(user, "supervision.supervise")
    status = request.GET.get("status", "open")
    if status not in selectors.SUPERVISION_STATUSES:
        status = "open"
    code = request.GET.get("department", "")
    dept = Organization.objects.filter(code=code).first() if code and code != ALL else None
    qs = selectors.supervision_list(status, department=dept)
    return render(
        request,
        "supervision/supervision_list.html",
        {
            "active": "tasks",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "dept_value": dept.code if dept else ALL,
            "departments": Organization.objects.filter(supervisions__isnull=False)
            .distinct()
            .order_by("code"),
            "today": timezone.localdate(),
        },
    )


# --- evidence ---------------------------------------------------------------------------------


@never_cache  # permission-gated content must not sit in a shared cache
@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The file, after the permission check; to anyone else it does not exist (404, not 403)."""
    ev = selectors.evidence_with_task().filter(pk=pk).first()
    if ev is None or not request.user.has_perm("supervision.view_evidence", ev.report):
        raise Http404
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=ev.original_name, content_type=ev.content_type
    )
