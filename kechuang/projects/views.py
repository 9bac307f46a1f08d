"""Project pages. Views parse requests and render; services and selectors do the work.

Bureau staff see every project. The organisation carrying a project sees its own; an expert
sees the projects whose mid-term panel it sits on, on the panel page. To anyone else a project
does not exist (404), and an attempt by a signed-in user is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from kechuang.accounts.models import Organization
from kechuang.audit.services import log_access
from kechuang.calls.models import Application
from kechuang.core.problems import Rejected
from kechuang.enterprises.tables import workbook
from kechuang.projects import selectors, services
from kechuang.projects.forms import (
    AcceptanceForm,
    BudgetForm,
    ChangeForm,
    CompleteForm,
    ConcludeForm,
    CreateForm,
    DecideAcceptanceForm,
    DecideChangeForm,
    DeliverableForm,
    DisburseForm,
    InspectionForm,
    MidtermStartForm,
    MilestoneForm,
    MisconductForm,
    ProgressForm,
    ReviewInspectionForm,
    ScoreForm,
    SignForm,
    ToleranceForm,
)
from kechuang.projects.models import Attachment, MidtermEvaluation, Project
from kechuang.projects.rules import is_expert
from kechuang.supervision.forms import form_problems

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _project(request: HttpRequest, code: str) -> Project:
    """The project if the user may see it. Anyone else gets 404, and the attempt is audited."""
    project = selectors.project_by_code(code)
    if project is None:
        raise Http404
    if not request.user.has_perm("projects.view_project", project):
        log_access(request.user, project, note="项目页 / project page", denied=True)
        raise Http404
    return project


# --- lists -------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Every project for the bureau: filters in place, sorting, pages, Excel export."""
    if not request.user.has_perm("projects.view_list"):
        if request.user.has_perm("projects.view_mine"):
            return redirect("projects:mine")
        if is_expert(request.user):
            return redirect("projects:midterm_mine")
        raise PermissionDenied
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.project_list(filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.EXPORT_HEADER, selectors.export_rows(qs))
        response = HttpResponse(content, content_type=XLSX)
        name = f"projects-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    return render(
        request,
        "projects/list.html",
        {
            "active": "projects",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "counts": selectors.state_counts(),
            "pending_applications": selectors.approved_without_project().count(),
            **selectors.filter_menus(),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The organisation's own projects."""
    user = request.user
    if not user.has_perm("projects.view_mine"):
        if user.has_perm("projects.view_list"):
            return redirect("projects:list")
        raise PermissionDenied
    return render(
        request,
        "projects/mine.html",
        {
            "active": "projects_mine",
            "projects": selectors.projects_of(user.organization_id),
            "year": timezone.localdate().year,
        },
    )


@login_required
def missing_inspections(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "projects.view_list")
    return render(
        request,
        "projects/missing_inspections.html",
        {
            "active": "projects",
            "projects": selectors.missing_inspections(),
            "year": timezone.localdate().year,
        },
    )


@login_required
def org_record(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's projects, misconduct findings and, apart from them, 容错 decisions."""
    _needs(request.user, "projects.view_misconduct")
    org = get_object_or_404(Organization, code=code)
    return render(
        request,
        "projects/org.html",
        {"active": "projects", "org": org, **selectors.org_record(org)},
    )


# --- creating a project ------------------------------------------------------------------------


@login_required
def approved_applications(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "projects.create_project")
    return render(
        request,
        "projects/approved.html",
        {"active": "projects", "applications": selectors.approved_without_project()},
    )


@login_required
def project_new(request: HttpRequest, pk: int) -> HttpResponse:
    _needs(request.user, "projects.create_project")
    application = get_object_or_404(
        Application.objects.select_related("call__program", "applicant"), pk=pk
    )
    form = CreateForm(
        request.POST or None,
        initial={"approved_amount": application.requested_amount},
    )
    problems = []
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.create_project(request.user, application, **form.cleaned_data)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("已立项：%(c)s。") % {"c": project.code})
                return redirect("projects:detail", code=project.code)
        else:
            problems = form_problems(form)
    return render(
        request,
        "projects/new.html",
        {"active": "projects", "application": application, "form": form, "problems": problems},
    )


# --- one project -------------------------------------------------------------------------------


def _post(form_class, perm: str, success, call: Callable, *, target=None):
    """A handler: permission on the target, the form, then the service."""

    def handler(request, project):
        obj = target(request, project) if target else project
        _needs(request.user, perm, obj)
        form = form_class(request.POST, request.FILES) if form_class else None
        if form is not None and not form.is_valid():
            return form, form_problems(form)
        call(request.user, obj, form)
        messages.success(request, success)
        return None, []

    return handler


def _milestone(request, project):
    return get_object_or_404(project.milestones, pk=request.POST.get("milestone") or 0)


def _deliverable(request, project):
    return get_object_or_404(project.deliverables, pk=request.POST.get("deliverable") or 0)


def _change(request, project):
    return get_object_or_404(project.changes, pk=request.POST.get("change") or 0)


def _inspection(request, project):
    return get_object_or_404(project.inspections, pk=request.POST.get("inspection") or 0)


def _evaluation(request, project):
    return get_object_or_404(MidtermEvaluation, project=project)


def _post_budget(request, project):
    _needs(request.user, "projects.manage_contract", project)
    form = BudgetForm(request.POST, lines=project.budget_lines.all())
    if not form.is_valid():
        return form, form_problems(form)
    services.set_budget(request.user, project, form.lines())
    messages.success(request, _("预算已保存。"))
    return None, []


def _post_decide_change(request, project):
    change = _change(request, project)
    _needs(request.user, "projects.decide_change", change.project)
    form = DecideChangeForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    d = form.cleaned_data
    services.decide_change(request.user, change, approve=d["decision"] == "approve", note=d["note"])
    messages.success(request, _("变更申请已审批。"))
    return None, []


ACTIONS: dict[str, Callable] = {
    "milestone": _post(
        MilestoneForm,
        "projects.manage_contract",
        _lazy("里程碑已添加。"),
        lambda u, p, f: services.add_milestone(u, p, **f.cleaned_data),
    ),
    "milestone_remove": _post(
        None,
        "projects.manage_contract",
        _lazy("里程碑已删除。"),
        lambda u, m, f: services.remove_milestone(u, m),
        target=_milestone,
    ),
    "deliverable": _post(
        DeliverableForm,
        "projects.manage_contract",
        _lazy("考核指标已添加。"),
        lambda u, p, f: services.add_deliverable(u, p, **f.cleaned_data),
    ),
    "deliverable_remove": _post(
        None,
        "projects.manage_contract",
        _lazy("考核指标已删除。"),
        lambda u, d, f: services.remove_deliverable(u, d),
        target=_deliverable,
    ),
    "budget": _post_budget,
    "sign": _post(
        SignForm,
        "projects.manage_contract",
        _lazy("任务书已签订。"),
        lambda u, p, f: services.sign_contract(u, p, **f.cleaned_data),
    ),
    "complete": _post(
        CompleteForm,
        "projects.complete_milestone",
        _lazy("已确认里程碑完成。"),
        lambda u, m, f: services.complete_milestone(u, m, **f.cleaned_data),
        target=_milestone,
    ),
    "disburse": _post(
        DisburseForm,
        "projects.disburse",
        _lazy("拨付已登记。"),
        lambda u, p, f: services.record_disbursement(u, p, **f.cleaned_data),
    ),
    "progress": _post(
        ProgressForm,
        "projects.report_progress",
        _lazy("进展报告已提交。"),
        lambda u, p, f: services.report_progress(u, p, **f.cleaned_data),
    ),
    "change": _post(
        ChangeForm,
        "projects.request_change",
        _lazy("变更申请已提交，等待科技局审批。"),
        lambda u, p, f: services.request_change(
            u,
            p,
            kind=f.cleaned_data["kind"],
            proposed=f.proposed(),
            reason=f.cleaned_data["reason"],
        ),
    ),
    "decide_change": _post_decide_change,
    "midterm_start": _post(
        MidtermStartForm,
        "projects.start_midterm",
        _lazy("已抽取评估专家，项目进入中期评估。"),
        lambda u, p, f: services.start_midterm(u, p, k=f.cleaned_data["k"]),
    ),
    "midterm_conclude": _post(
        ConcludeForm,
        "projects.conclude_midterm",
        _lazy("中期评估结论已记录。"),
        lambda u, e, f: services.conclude_midterm(u, e, **f.cleaned_data),
        target=_evaluation,
    ),
    "acceptance_apply": _post(
        AcceptanceForm,
        "projects.apply_acceptance",
        _lazy("验收申请已提交。"),
        lambda u, p, f: services.apply_for_acceptance(
            u, p, summary=f.cleaned_data["summary"], outcomes=f.outcomes()
        ),
    ),
    "acceptance_decide": _post(
        DecideAcceptanceForm,
        "projects.decide_acceptance",
        _lazy("验收结论已记录。"),
        lambda u, p, f: services.record_acceptance(u, p, **f.cleaned_data),
    ),
    "inspection": _post(
        InspectionForm,
        "projects.submit_self_inspection",
        _lazy("自查自纠已提交。"),
        lambda u, p, f: services.submit_self_inspection(u, p, **f.answers()),
    ),
    "inspection_review": _post(
        ReviewInspectionForm,
        "projects.review_self_inspection",
        _lazy("自查自纠已审核。"),
        lambda u, i, f: services.review_self_inspection(u, i, **f.cleaned_data),
        target=_inspection,
    ),
    "tolerance": _post(
        ToleranceForm,
        "projects.record_tolerance",
        _lazy("容错免责认定已记录。"),
        lambda u, p, f: services.record_tolerance(u, p, **f.cleaned_data),
    ),
    "misconduct": _post(
        MisconductForm,
        "projects.record_misconduct",
        _lazy("失信或违规记录已登记。"),
        lambda u, p, f: services.record_misconduct(u, p, **f.cleaned_data),
    ),
}
FORMS = {
    "milestone": MilestoneForm,
    "deliverable": DeliverableForm,
    "sign": SignForm,
    "complete": CompleteForm,
    "disburse": DisburseForm,
    "progress": ProgressForm,
    "change": ChangeForm,
    "decide_change": DecideChangeForm,
    "midterm_start": MidtermStartForm,
    "midterm_conclude": ConcludeForm,
    "acceptance_apply": AcceptanceForm,
    "acceptance_decide": DecideAcceptanceForm,
    "inspection": InspectionForm,
    "inspection_review": ReviewInspectionForm,
    "tolerance": ToleranceForm,
    "misconduct": MisconductForm,
}


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One project: contract, budget and payments, milestones, progress, changes, mid-term,
    acceptance, self-inspections, 容错 (and, for the bureau, misconduct), with the forms."""
    if is_expert(request.user):
        # A panel expert's view of a project is the panel page; any other project is 404.
        project = selectors.project_by_code(code)
        if project is not None and selectors.panel_member(request.user, project):
            return redirect("projects:midterm", code=project.code)
    project = _project(request, code)
    failed, bound, problems = None, None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = ACTIONS.get(action)
        if handler is None:
            raise PermissionDenied
        try:
            bound, problems = handler(request, project)
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("projects:detail", code=project.code)
        failed = action
        # Keep what was typed: a refused form must not cost the user their text.
        if bound is None:
            if action == "budget":
                bound = BudgetForm(request.POST, lines=project.budget_lines.all())
            elif action in FORMS:
                bound = FORMS[action](request.POST)
        project = selectors.project_by_code(code)
    return render(
        request, "projects/detail.html", _detail_context(request, project, failed, bound, problems)
    )


def _detail_context(request, project: Project, failed, bound, problems) -> dict:
    user = request.user
    today = timezone.localdate()

    def form(action, factory):
        return bound if failed == action else factory()

    budget = selectors.budget_of(project)

    def has(perm: str) -> bool:
        return user.has_perm(perm, project)

    midterm = selectors.midterm_of(project)
    acceptance = getattr(project, "acceptance", None)
    inspections = list(selectors.inspections_of(project))
    return {
        "active": "projects" if user.is_bureau else "projects_mine",
        "project": project,
        "history": selectors.state_history(project),
        "milestones": selectors.milestone_views(project, today=today),
        "deliverables": project.deliverables.all(),
        "budget": budget,
        "chart": budget.chart(),
        "disbursements": selectors.disbursements_of(project),
        "reports": selectors.reports_of(project),
        "changes": selectors.changes_of(project),
        "midterm": midterm,
        "midterm_mean": selectors.current_mean(midterm) if midterm else None,
        "acceptance": acceptance,
        "outcomes": acceptance.outcomes.all() if acceptance else [],
        "achievements": selectors.achievements(project),
        "inspections": inspections,
        "inspected_this_year": any(i.year == today.year for i in inspections),
        "tolerances": selectors.tolerances_of(project) if has("projects.view_tolerance") else [],
        "misconducts": selectors.misconducts_of(project) if has("projects.view_misconduct") else [],
        "can": {
            "manage": has("projects.manage_contract"),
            "complete": has("projects.complete_milestone"),
            "disburse": has("projects.disburse"),
            "report": has("projects.report_progress"),
            "files": has("projects.view_attachment"),
            "request_change": has("projects.request_change"),
            "decide_change": has("projects.decide_change"),
            "start_midterm": has("projects.start_midterm") and project.is_major,
            "conclude_midterm": has("projects.conclude_midterm"),
            "scores": has("projects.view_midterm_scores"),
            "apply_acceptance": has("projects.apply_acceptance"),
            "decide_acceptance": has("projects.decide_acceptance"),
            "inspect": has("projects.submit_self_inspection"),
            "review_inspection": has("projects.review_self_inspection"),
            "tolerance": has("projects.view_tolerance"),
            "record_tolerance": has("projects.record_tolerance"),
            "misconduct": has("projects.view_misconduct"),
        },
        "forms": {
            "milestone": form("milestone", MilestoneForm),
            "deliverable": form("deliverable", DeliverableForm),
            "budget": form("budget", lambda: BudgetForm(lines=project.budget_lines.all())),
            "sign": form("sign", lambda: SignForm(initial={"signed_on": today})),
            "complete": form("complete", lambda: CompleteForm(initial={"done_on": today})),
            "disburse": form("disburse", lambda: DisburseForm(initial={"paid_on": today})),
            "progress": form("progress", ProgressForm),
            "change": form("change", ChangeForm),
            "decide_change": form("decide_change", DecideChangeForm),
            "midterm_start": form("midterm_start", MidtermStartForm),
            "midterm_conclude": form("midterm_conclude", ConcludeForm),
            "acceptance_apply": form("acceptance_apply", AcceptanceForm),
            "acceptance_decide": form(
                "acceptance_decide", lambda: DecideAcceptanceForm(initial={"decided_on": today})
            ),
            "inspection": form("inspection", InspectionForm),
            "inspection_review": form("inspection_review", ReviewInspectionForm),
            "tolerance": form("tolerance", lambda: ToleranceForm(initial={"decided_on": today})),
            "misconduct": form("misconduct", lambda: MisconductForm(initial={"decided_on": today})),
        },
        "failed": failed,
        "failed_id": request.POST.get("milestone")
        or request.POST.get("change")
        or request.POST.get("inspection"),
        "problems": problems,
        "today": today,
        "max_mb": settings.KECHUANG_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


# --- mid-term panels --------------------------------------------------------------------------


@login_required
def midterm_mine(request: HttpRequest) -> HttpResponse:
    """An expert's mid-term panels: only the projects it was drawn to evaluate."""
    _needs(request.user, "projects.view_midterm_panels")
    return render(
        request,
        "projects/midterm_mine.html",
        {"active": "midterm", "panels": selectors.panels_of(request.user)},
    )


@login_required
def midterm(request: HttpRequest, code: str) -> HttpResponse:
    """The panel expert's view of one project and its score form. Any other expert, or anyone
    else, is told the project does not exist (and the attempt is audited)."""
    user = request.user
    project = selectors.project_by_code(code)
    if project is None:
        raise Http404
    if user.has_perm("projects.view_project", project):
        return redirect(reverse("projects:detail", args=[project.code]) + "#midterm")
    member = selectors.panel_member(user, project)
    if member is None:
        log_access(user, project, note="中期评估页 / mid-term panel page", denied=True)
        raise Http404
    evaluation = member.evaluation
    problems, form = [], ScoreForm()
    if request.method == "POST":
        form = ScoreForm(request.POST)
        if form.is_valid():
            try:
                services.submit_midterm_score(user, evaluation, **form.cleaned_data)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("评分已提交，谢谢。"))
                return redirect("projects:midterm", code=project.code)
        else:
            problems = form_problems(form)
    return render(
        request,
        "projects/midterm.html",
        {
            "active": "midterm",
            "project": project,
            "evaluation": evaluation,
            "member": member,
            "score": getattr(member, "score", None),
            "form": form,
            "problems": problems,
            "milestones": selectors.milestone_views(project),
            "deliverables": project.deliverables.all(),
            "budget": selectors.budget_of(project),
            "reports": selectors.reports_of(project),
            "can_files": user.has_perm("projects.view_attachment", project),
        },
    )


# --- attachments ------------------------------------------------------------------------------


@never_cache  # permission-gated content must not sit in a shared cache
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file, after the permission check; to anyone else it does not exist (404, not 403)."""
    a = Attachment.objects.select_related("report__project").filter(pk=pk).first()
    if a is None or not request.user.has_perm("projects.view_attachment", a.report):
        raise Http404
    try:
        fh = a.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=a.original_name, content_type=a.content_type
    )
