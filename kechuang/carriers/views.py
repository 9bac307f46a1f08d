"""Carrier pages. The registry is the bureau's; a host organisation's users see their own
carriers (another's address answers 404) and report their metrics. Everyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.carriers import imports, selectors, services
from kechuang.carriers.forms import CarrierForm, ImportForm, MetricsForm, StatusForm
from kechuang.carriers.models import Carrier, CarrierMetrics
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.enterprises.tables import workbook
from kechuang.enterprises.views import _download, form_problems

PAGE_SIZE = 50


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _carrier(request: HttpRequest, pk: int) -> Carrier:
    """The carrier if the user may see it; 404 for another host's user, else 403."""
    user = request.user
    if not (user.has_perm("carriers.view_registry") or is_enterprise_user(user)):
        raise PermissionDenied
    carrier = selectors.carrier_by_pk(pk)
    if carrier is None or not user.has_perm("carriers.view_carrier", carrier):
        raise Http404
    return carrier


def _active(request: HttpRequest) -> str:
    return "carriers" if request.user.has_perm("carriers.view_registry") else "carriers_mine"


@login_required
def carrier_list(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "carriers.view_registry")
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.carrier_list(filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.EXPORT_HEADER, selectors.export_rows(qs))
        return _download(content, f"carriers-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "carriers/list.html",
        {
            "active": "carriers",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "kinds": Carrier.Kind.choices,
            "levels": Carrier.Level.choices,
            "statuses": Carrier.Status.choices,
            "year": timezone.localdate().year - 1,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A host organisation's carriers, for its enterprise users."""
    user = request.user
    if not is_enterprise_user(user):
        if user.has_perm("carriers.view_registry"):
            return redirect("carriers:list")
        raise PermissionDenied
    return render(
        request,
        "carriers/mine.html",
        {"active": "carriers_mine", "carriers": selectors.hosted_by(user.organization_id)},
    )


@login_required
def carrier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    user = request.user
    metrics = selectors.metrics_of(carrier)
    fields = [
        (k, CarrierMetrics._meta.get_field(k).verbose_name)
        for k in services.metric_fields(carrier.kind)
    ]
    can_manage = user.has_perm("carriers.manage_carrier", carrier)
    return render(
        request,
        "carriers/detail.html",
        {
            "active": _active(request),
            "carrier": carrier,
            "fields": fields,
            "rows": [(m, [(k, label, getattr(m, k)) for k, label in fields]) for m in metrics],
            "chart": selectors.chart(carrier, metrics),
            "log": selectors.metrics_log(carrier)[:50],
            "status_changes": selectors.status_changes(carrier),
            "can_manage": can_manage,
            "can_submit": user.has_perm("carriers.submit_metrics", carrier),
            "can_approve": user.has_perm("carriers.approve_metrics", carrier),
            "status_form": StatusForm() if can_manage else None,
        },
    )


def _carrier_form(request, form, title: str, save, carrier: Carrier | None = None):
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.cleaned_data)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("载体“%(n)s”已保存。") % {"n": saved.name})
                return redirect("carriers:detail", pk=saved.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "carriers/form.html",
        {
            "active": "carriers",
            "form": form,
            "problems": problems,
            "title": title,
            "carrier": carrier,
        },
    )


@login_required
def carrier_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "carriers.manage_carrier")
    form = CarrierForm(request.POST or None, initial={"is_public": True})
    return _carrier_form(
        request,
        form,
        _("登记创新载体"),
        lambda data: services.create_carrier(request.user, **data),
    )


@login_required
def carrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    _needs(request.user, "carriers.manage_carrier", carrier)
    initial = {k: getattr(carrier, k) for k in services.CARRIER_FIELDS}
    return _carrier_form(
        request,
        CarrierForm(request.POST or None, initial=initial),
        _("修改载体信息"),
        lambda data: services.update_carrier(request.user, carrier, **data),
        carrier,
    )


@login_required
@require_POST
def carrier_status(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = _carrier(request, pk)
    _needs(request.user, "carriers.manage_carrier", carrier)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                request.user, carrier, form.cleaned_data["status"], form.cleaned_data["note"]
            )
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            messages.success(request, _("状态已变更。"))
    else:
        messages.error(request, _("请选择新状态。"))
    return redirect("carriers:detail", pk=carrier.pk)


@login_required
def metrics_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Report one year; ?year= opens that year's figures for correction."""
    carrier = _carrier(request, pk)
    _needs(request.user, "carriers.submit_metrics", carrier)
    year_param = request.POST.get("year") or request.GET.get("year") or ""
    existing = None
    if year_param.isdigit():
        existing = carrier.metrics.filter(year=int(year_param)).first()
    initial = {"year": timezone.localdate().year - 1}
    if existing is not None:
        initial = existing.values() | {"year": existing.year, "source": existing.source}
    form = MetricsForm(request.POST or None, initial=initial, carrier=carrier)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                m = services.save_metrics(
                    request.user, carrier, d["year"], form.values(), source=d["source"]
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("%(y)s 年度数据已保存（%(s)s）。")
                    % {"y": m.year, "s": m.get_status_display()},
                )
                return redirect("carriers:detail", pk=carrier.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "carriers/metrics_form.html",
        {
            "active": _active(request),
            "carrier": carrier,
            "form": form,
            "existing": existing,
            "problems": problems,
        },
    )


@login_required
@require_POST
def metrics_review(request: HttpRequest, pk: int, year: int, action: str) -> HttpResponse:
    carrier = _carrier(request, pk)
    metrics = get_object_or_404(CarrierMetrics, carrier=carrier, year=year)
    _needs(request.user, "carriers.approve_metrics", metrics)
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            services.approve_metrics(request.user, metrics, comment)
            messages.success(request, _("%(y)s 年度数据已审核通过。") % {"y": year})
        elif action == "return":
            services.return_metrics(request.user, metrics, comment)
            messages.success(request, _("%(y)s 年度数据已退回。") % {"y": year})
        else:
            raise Http404
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    return redirect("carriers:detail", pk=carrier.pk)


@login_required
def metrics_template(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "carriers.import_metrics")
    year_param = request.GET.get("year", "")
    latest = timezone.localdate().year
    year = int(year_param) if year_param.isdigit() and 1949 <= int(year_param) <= latest else None
    year = year or latest - 1
    return _download(imports.metrics_template(year), f"carrier-metrics-{year}.xlsx")


@login_required
def metrics_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    _needs(user, "carriers.import_metrics")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                result = imports.import_metrics(
                    user, form.cleaned_data["file"], approve=form.cleaned_data["approve"]
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("已导入：新增 %(c)s 条，更新 %(u)s 条，未变 %(n)s 条，空行 %(b)s 条。")
                    % {
                        "c": result.created,
                        "u": result.updated,
                        "n": result.unchanged,
                        "b": result.blank,
                    },
                )
                return redirect("carriers:list")
        else:
            problems = form_problems(form)
    return render(
        request,
        "carriers/import.html",
        {
            "active": "carriers",
            "form": form,
            "problems": problems,
            "year": timezone.localdate().year - 1,
        },
    )
