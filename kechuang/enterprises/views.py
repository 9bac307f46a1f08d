"""Enterprise registry pages. Views parse requests and render; services and selectors do the work.

Bureau staff see every enterprise. An enterprise user sees its own only: any other enterprise's
address answers 404, as if it did not exist. Everyone else is refused (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises import imports, selectors, services, tables
from kechuang.enterprises.forms import (
    CertificationForm,
    EnterpriseForm,
    EventForm,
    FiguresForm,
    ImportForm,
    IPForm,
    ReviewForm,
    SelfServiceForm,
)
from kechuang.enterprises.models import Certification, Enterprise, ImportJob, YearlyFigures
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.enterprises.tasks import run_import

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _download(content: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def form_problems(form) -> list[Problem]:
    """Form errors in the same shape as a service's, so one box on the page shows them all."""
    out = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else name
        for e in errors:
            out.append(Problem(label, str(e), str(e)))
    return out


def _enterprise(request: HttpRequest, uscc: str) -> Enterprise:
    """The enterprise if the user may see it; 404 for another enterprise's user, else 403."""
    user = request.user
    if not (user.has_perm("enterprises.view_registry") or is_enterprise_user(user)):
        raise PermissionDenied
    enterprise = (
        Enterprise.objects.select_related("industry", "park", "organization", "service_officer")
        .filter(uscc=uscc)
        .first()
    )
    if enterprise is None or not user.has_perm("enterprises.view_enterprise", enterprise):
        raise Http404
    return enterprise


def _portal(request: HttpRequest) -> bool:
    """The page is seen as the enterprise's own portal, not the bureau's registry."""
    return not request.user.has_perm("enterprises.view_registry")


# --- the list --------------------------------------------------------------------------------


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """Every enterprise, filterable in place, sortable, paginated, exportable to Excel."""
    _needs(request.user, "enterprises.view_registry")
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.enterprise_list(filters)
    if request.GET.get("format") == "xlsx":
        content = tables.workbook(
            selectors.ENTERPRISE_EXPORT_HEADER, selectors.enterprise_export_rows(qs)
        )
        return _download(content, f"enterprises-{timezone.localdate():%Y%m%d}.xlsx")
    today, horizon = selectors.expiry_horizon()
    return render(
        request,
        "enterprises/list.html",
        {
            "active": "enterprises",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "sections": selectors.sections(),
            "parks": selectors.parks(),
            "kinds": Certification.Kind.choices,
            "today": today,
            "horizon": horizon,
        },
    )


# --- one enterprise --------------------------------------------------------------------------


def _detail(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    user = request.user
    figures = list(selectors.figures_of(enterprise))
    can_approve = user.has_perm("enterprises.approve_figures", enterprise)
    return render(
        request,
        "enterprises/detail.html",
        {
            "active": "mine" if _portal(request) else "enterprises",
            "portal": _portal(request),
            "enterprise": enterprise,
            "figures": figures,
            "certifications": selectors.certification_views(enterprise),
            "ip": selectors.ip_of(enterprise),
            "ip_counts": selectors.ip_counts(enterprise),
            "events": selectors.events_of(enterprise),
            "can_edit": user.has_perm("enterprises.change_enterprise", enterprise),
            "can_manage": user.has_perm("enterprises.manage_enterprise", enterprise),
            "can_submit": user.has_perm("enterprises.submit_figures", enterprise),
            "can_add_ip": user.has_perm("enterprises.add_ip", enterprise),
            "can_approve": can_approve,
            "audit": selectors.figures_audit(figures) if can_approve and figures else None,
            "review_form": ReviewForm(),
            "declarations": selectors.declarations_of(enterprise),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    return _detail(request, _enterprise(request, uscc))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The enterprise portal: an enterprise user's own enterprise."""
    user = request.user
    if not is_enterprise_user(user):
        if user.has_perm("enterprises.view_registry"):
            return redirect("enterprises:list")
        raise PermissionDenied
    enterprise = Enterprise.objects.filter(organization_id=user.organization_id).first()
    if enterprise is None:
        return render(request, "enterprises/no_enterprise.html", {"active": "mine"})
    return _detail(request, _enterprise(request, enterprise.uscc))


@login_required
def enterprise_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "enterprises.add_enterprise")
    form = EnterpriseForm(request.POST or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                e = services.create_enterprise(
                    request.user, uscc=form.cleaned_data["uscc"], **form.profile()
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("已登记企业“%(n)s”。") % {"n": e.name})
                return redirect("enterprises:detail", uscc=e.uscc)
        else:
            problems = form_problems(form)
    return render(
        request,
        "enterprises/form.html",
        {"active": "enterprises", "form": form, "problems": problems, "title": _("登记企业")},
    )


@login_required
def enterprise_edit(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    user = request.user
    _needs(user, "enterprises.change_enterprise", enterprise)
    full = user.has_perm("enterprises.manage_enterprise", enterprise)
    initial = {f: getattr(enterprise, f) for f in services.PROFILE_FIELDS}
    initial["service_officer"] = enterprise.service_officer
    if full:
        form = EnterpriseForm(request.POST or None, initial=initial, editing=True)
    else:
        form = SelfServiceForm(request.POST or None, initial=initial)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_enterprise(user, enterprise, **form.profile())
                officer = form.cleaned_data.get("service_officer")
                if full and officer != enterprise.service_officer:
                    services.assign_service_officer(user, enterprise, officer)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("企业信息已保存。"))
                return redirect(_home(request, enterprise))
        else:
            problems = form_problems(form)
    return render(
        request,
        "enterprises/form.html",
        {
            "active": "enterprises" if full else "mine",
            "form": form,
            "problems": problems,
            "enterprise": enterprise,
            "title": _("修改企业信息"),
        },
    )


def _home(request: HttpRequest, enterprise: Enterprise) -> str:
    """Where to go after a change: the portal for the enterprise's user, else the detail."""
    if _portal(request):
        return reverse("enterprises:mine")
    return reverse("enterprises:detail", kwargs={"uscc": enterprise.uscc})


# --- yearly figures --------------------------------------------------------------------------


@login_required
def figures_form(request: HttpRequest, uscc: str) -> HttpResponse:
    """Enter or correct one year; ?year= opens that year's figures for correction."""
    enterprise = _enterprise(request, uscc)
    user = request.user
    _needs(user, "enterprises.submit_figures", enterprise)
    year_param = request.POST.get("year") or request.GET.get("year") or ""
    existing = None
    if year_param.isdigit():
        existing = enterprise.figures.filter(year=int(year_param)).first()
    initial = {"year": timezone.localdate().year - 1, "submit": True}
    if existing is not None:
        initial |= {k: getattr(existing, k) for k in tables.FIGURE_KEYS}
        initial |= {"year": existing.year, "source": existing.source}
    form = FiguresForm(request.POST or None, initial=initial)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                f = services.save_figures(
                    user,
                    enterprise,
                    d["year"],
                    form.values(),
                    source=d["source"],
                    submit=d["submit"],
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(y)s 年度数据已保存（%(s)s）。")
                    % {"y": f.year, "s": f.get_status_display()},
                )
                return redirect(_home(request, enterprise))
        else:
            problems = form_problems(form)
    return render(
        request,
        "enterprises/figures_form.html",
        {
            "active": "mine" if _portal(request) else "enterprises",
            "enterprise": enterprise,
            "form": form,
            "existing": existing,
            "problems": problems,
        },
    )


@login_required
@require_POST
def figures_review(request: HttpRequest, uscc: str, year: int, action: str) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    figures = get_object_or_404(YearlyFigures, enterprise=enterprise, year=year)
    _needs(request.user, "enterprises.approve_figures", figures)
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            services.approve_figures(request.user, figures, comment)
            messages.success(request, _("%(y)s 年度数据已审核通过。") % {"y": year})
        elif action == "return":
            services.return_figures(request.user, figures, comment)
            messages.success(request, _("%(y)s 年度数据已退回企业修改。") % {"y": year})
        else:
            raise Http404
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    return redirect("enterprises:detail", uscc=enterprise.uscc)


# --- IP, certifications, events --------------------------------------------------------------


def _simple_form(request, enterprise, form, title: str, save, *, active: str) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                save(form)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("已保存。"))
                return redirect(_home(request, enterprise))
        else:
            problems = form_problems(form)
    return render(
        request,
        "enterprises/form.html",
        {
            "active": active,
            "enterprise": enterprise,
            "form": form,
            "problems": problems,
            "title": title,
        },
    )


@login_required
def ip_new(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    _needs(request.user, "enterprises.add_ip", enterprise)
    return _simple_form(
        request,
        enterprise,
        IPForm(request.POST or None, initial={"valid": True}),
        _("登记知识产权"),
        lambda form: services.save_ip(request.user, enterprise, **form.values()),
        active="mine" if _portal(request) else "enterprises",
    )


@login_required
def certification_new(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    _needs(request.user, "enterprises.manage_enterprise", enterprise)
    return _simple_form(
        request,
        enterprise,
        CertificationForm(request.POST or None),
        _("登记资质认定"),
        lambda form: services.add_certification(request.user, enterprise, **form.cleaned_data),
        active="enterprises",
    )


@login_required
def event_new(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    _needs(request.user, "enterprises.manage_enterprise", enterprise)
    return _simple_form(
        request,
        enterprise,
        EventForm(request.POST or None, initial={"date": timezone.localdate(), "serious": True}),
        _("记录企业事项"),
        lambda form: services.add_event(request.user, enterprise, **form.cleaned_data),
        active="enterprises",
    )


# --- import and export -----------------------------------------------------------------------


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is queued and checked in the background, with progress on its page."""
    user = request.user
    _needs(user, "enterprises.import_data")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                job = imports.create_job(user, d["file"], d["kind"], approve=d["approve"])
            except Rejected as exc:
                problems = exc.problems
            else:
                run_import.enqueue(job.pk)
                return redirect("enterprises:job", pk=job.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "enterprises/import.html",
        {
            "active": "enterprises",
            "form": form,
            "problems": problems,
            "jobs": selectors.recent_jobs(),
            "kinds": [(k, label, tables.TITLES[k]) for k, label in ImportJob.Kind.choices],
        },
    )


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _needs(request.user, "enterprises.import_data")
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "enterprises/job.html", {"active": "enterprises", "job": _job(request, pk)}
    )


@never_cache
@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The small part of the job page that htmx polls every second until the job ends."""
    return render(request, "enterprises/_job_progress.html", {"job": _job(request, pk)})


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    _needs(request.user, "enterprises.import_data")
    if kind not in ImportJob.Kind.values:
        raise Http404
    if fmt == "csv":
        return _download(tables.template_csv(kind), f"template-{kind}.csv", "text/csv")
    return _download(tables.template_workbook(kind), f"template-{kind}.xlsx")


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """Everything of one kind, in the import layout (so it can be corrected and re-imported)."""
    _needs(request.user, "enterprises.view_registry")
    stamp = f"{timezone.localdate():%Y%m%d}"
    if kind == ImportJob.Kind.ENTERPRISES:
        qs = selectors.enterprise_list(selectors.Filters())
        content = tables.workbook(
            selectors.ENTERPRISE_EXPORT_HEADER, selectors.enterprise_export_rows(qs)
        )
    elif kind == ImportJob.Kind.FIGURES:
        content = tables.workbook(selectors.FIGURES_EXPORT_HEADER, selectors.figures_export_rows())
    elif kind == ImportJob.Kind.IP:
        content = tables.workbook(selectors.IP_EXPORT_HEADER, selectors.ip_export_rows())
    else:
        raise Http404
    return _download(content, f"{kind}-{stamp}.xlsx")
