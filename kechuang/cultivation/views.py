"""Cultivation pages. Views parse requests and render; services and selectors do the work.

The assessment pages follow the registry's rule: an enterprise user asking for another
enterprise gets 404, as if it did not exist; roles with no business here get 403.
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

from kechuang.core.problems import Rejected
from kechuang.cultivation import selectors, services
from kechuang.cultivation.forms import MoveForm, ServiceForm
from kechuang.cultivation.models import ServiceRecord, Stage, StageChange
from kechuang.cultivation.tasks import run_reevaluation
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.rules import is_enterprise_user

PAGE_SIZE = 50


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _enterprise(request: HttpRequest, uscc: str, perm: str) -> Enterprise:
    user = request.user
    if not (user.has_perm("cultivation.view_pipeline") or is_enterprise_user(user)):
        raise PermissionDenied
    enterprise = Enterprise.objects.select_related("industry").filter(uscc=uscc).first()
    if enterprise is None or not user.has_perm(perm, enterprise):
        raise Http404
    return enterprise


def _year(request: HttpRequest, default: int) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default


def _problems(request: HttpRequest, exc: Rejected) -> None:
    for p in exc.problems:
        messages.error(
            request,
            f"{p.where}: "
            + (p.message_en if request.LANGUAGE_CODE.startswith("en") else p.message_zh),
        )


@login_required
def assessments(request: HttpRequest, uscc: str) -> HttpResponse:
    """Every rule set's assessment of one enterprise, criterion by criterion, with the gaps."""
    enterprise = _enterprise(request, uscc, "cultivation.view_assessment")
    portal = not request.user.has_perm("cultivation.view_pipeline")
    return render(
        request,
        "cultivation/assessments.html",
        {
            "active": "mine" if portal else "cultivation",
            "portal": portal,
            "enterprise": enterprise,
            "results": selectors.assessment_views(enterprise),
            "today": timezone.localdate(),
        },
    )


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "cultivation.view_pipeline")
    stage = request.GET.get("stage") or None
    if stage not in (None, *Stage.values):
        stage = None
    page = Paginator(selectors.pipeline(stage), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cultivation/pipeline.html",
        {
            "active": "cultivation",
            "page": page,
            "stage": stage,
            "stages": Stage.choices,
            "counts": selectors.stage_counts(),
            "open_proposals": selectors.proposals().count(),
        },
    )


@login_required
def enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    """One enterprise in the pipeline: stage, history, service records; a manual move and a
    new service record."""
    _needs(request.user, "cultivation.view_pipeline")
    e = _enterprise(request, uscc, "cultivation.view_pipeline")
    service_form, move_form = ServiceForm(), MoveForm()
    if request.method == "POST":
        _needs(request.user, "cultivation.manage_pipeline", e)
        try:
            if request.POST.get("action") == "service":
                service_form = ServiceForm(request.POST)
                if service_form.is_valid():
                    services.record_service(request.user, e, **service_form.cleaned_data)
                    messages.success(request, _("已记录服务"))
                    return redirect("cultivation:enterprise", uscc=e.uscc)
            elif request.POST.get("action") == "move":
                move_form = MoveForm(request.POST)
                if move_form.is_valid():
                    services.move(request.user, e, **move_form.cleaned_data)
                    messages.success(request, _("已调整培育阶段"))
                    return redirect("cultivation:enterprise", uscc=e.uscc)
        except Rejected as exc:
            _problems(request, exc)
    return render(
        request,
        "cultivation/enterprise.html",
        {
            "active": "cultivation",
            "enterprise": e,
            "entry": getattr(e, "pipeline", None),
            "history": selectors.history(e),
            "services": selectors.services_of(e),
            "evaluation": selectors.latest_evaluation(e),
            "service_form": service_form,
            "move_form": move_form,
            "today": timezone.localdate(),
        },
    )


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    """Pending stage proposals; staff confirm or reject them, many at once."""
    _needs(request.user, "cultivation.view_pipeline")
    if request.method == "POST":
        _needs(request.user, "cultivation.manage_pipeline")
        action = request.POST.get("action")
        if action == "evaluate":
            year = _year(request, timezone.localdate().year)
            services.require_manager(request.user)
            run_reevaluation.enqueue(year, request.user.pk)
            messages.success(
                request,
                _("%(year)s 年度复评已提交后台运行，完成后新的提议会出现在本页") % {"year": year},
            )
        elif action in ("confirm", "reject"):
            ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
            done, problems = services.decide_many(
                request.user,
                ids,
                accept=action == "confirm",
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("已处理 %(n)s 条提议") % {"n": done})
            for p in problems:
                messages.error(request, f"{p.where}: {p.message_zh}")
        return redirect("cultivation:proposals")
    status = request.GET.get("status") or StageChange.Status.PROPOSED
    if status not in StageChange.Status.values:
        status = StageChange.Status.PROPOSED
    page = Paginator(selectors.proposals(status), PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "cultivation/proposals.html",
        {
            "active": "cultivation",
            "page": page,
            "status": status,
            "statuses": StageChange.Status.choices,
            "can_manage": request.user.has_perm("cultivation.manage_pipeline"),
            "year": timezone.localdate().year,
        },
    )


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "cultivation.view_pipeline")
    if request.method == "POST":
        record = get_object_or_404(
            ServiceRecord.objects.select_related("enterprise"), pk=request.POST.get("id")
        )
        services.complete_follow_up(request.user, record)
        messages.success(request, _("已标记为已跟进"))
        return redirect("cultivation:follow_ups")
    page = Paginator(selectors.overdue_follow_ups(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cultivation/follow_ups.html",
        {"active": "cultivation", "page": page, "today": timezone.localdate()},
    )


@login_required
def funnel(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "cultivation.view_pipeline")
    this_year = timezone.localdate().year
    rows = selectors.funnel(range(this_year - 5, this_year + 1))
    chart = {
        "years": [r.year for r in rows],
        "series": [
            {"key": k, "values": [getattr(r, k) for r in rows]}
            for k in ("discovered", "served", "put_forward", "certified")
        ],
    }
    return render(
        request, "cultivation/funnel.html", {"active": "cultivation", "rows": rows, "chart": chart}
    )


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "cultivation.view_pipeline")
    today = timezone.localdate()
    due_year, overdue = selectors.figures_overdue(today)
    return render(
        request,
        "cultivation/alerts.html",
        {
            "active": "cultivation",
            "today": today,
            "expiring": selectors.expiring_hnte(today),
            "eligible": selectors.newly_eligible_hnte(today),
            # The registry lacks some declarations (e.g. 科技成果转化数), so most ready
            # enterprises come out "needs review": list them too, apart.
            "possible": selectors.newly_eligible_hnte(today, "needs_review")[:200],
            "due_year": due_year,
            "overdue": overdue[:200],
            "overdue_count": overdue.count(),
        },
    )


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "cultivation.view_pipeline")
    from kechuang.plans.models import Plan

    plan = Plan.objects.select_related("region").order_by("-period_start").first()
    if plan is None:
        raise Http404
    years = range(plan.period_start, min(plan.period_end, timezone.localdate().year - 1) + 1)
    return render(
        request,
        "cultivation/reconciliation.html",
        {"active": "cultivation", "plan": plan, "table": selectors.reconciliation(plan, years)},
    )
