from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from kechuang.indicators.presenters import indicator_json
from kechuang.indicators.selectors import compute_plan, value_history
from kechuang.indicators.spreadsheets import values_workbook
from kechuang.plans.models import Plan
from kechuang.plans.selectors import default_plan, task_tree


def _plan_or_404(code: str | None) -> Plan:
    plan = (
        default_plan()
        if code is None
        else (Plan.objects.select_related("region").filter(code=code).first())
    )
    if plan is None:
        raise Http404("no plan")
    return plan


def home(request):
    plans = list(Plan.objects.select_related("region"))
    if len(plans) == 1:
        return redirect("web:plan", code=plans[0].code)
    return render(request, "web/home.html", {"plans": plans, "active": "home"})


def plan_public(request, code: str):
    """What anyone may see: the plan, its indicators from approved figures, its task tree."""
    plan = _plan_or_404(code)
    result = compute_plan(plan, key_only=True)
    return render(
        request,
        "web/plan.html",
        {
            "plan": plan,
            "result": result,
            "tree": task_tree(plan),
            "active": "home",
            "cards": [(r, indicator_json(r)) for r in result.indicators],
        },
    )


@login_required
def dashboard(request, code: str | None = None):
    if not request.user.has_perm("indicators.view_dashboard"):
        raise PermissionDenied
    plan = _plan_or_404(code)
    # "As of" replays the plan at an earlier year-end: what the status and forecast said then.
    as_of = request.GET.get("as_of", "")
    as_of = int(as_of) if as_of.isdigit() and int(as_of) in plan.years else None
    result = compute_plan(plan, as_of_year=as_of)
    cards = [(r, indicator_json(r, as_of=as_of)) for r in result.indicators]
    context = {
        "plan": plan,
        "result": result,
        "active": "dashboard",
        "as_of": as_of,
        "plans": Plan.objects.only("code", "title", "title_en"),
        "cards": [c for c in cards if c[0].indicator.is_key],
        "supporting": [c for c in cards if not c[0].indicator.is_key],
        "status_counts": result.by_status(),
        "violations": result.violations,
    }
    return render(request, "web/dashboard.html", context)


@login_required
def dashboard_export(request, code: str):
    """The dashboard as a sheet: one row per indicator, a column per year, then the status."""
    if not request.user.has_perm("indicators.view_dashboard"):
        raise PermissionDenied
    plan = _plan_or_404(code)
    result = compute_plan(plan)
    years = list(plan.years)
    header = [
        "序号 no.",
        "指标 indicator",
        "单位 unit",
        *map(str, years),
        "目标 target",
        "目标年 target year",
        "状态 status",
        "依据 reasons",
        "数据质量 warnings",
    ]
    rows = []
    for r in result.indicators:
        d = indicator_json(r)
        by_year = {p["year"]: p["value"] for p in d["series"]}
        rows.append(
            [
                d["number"],
                d["name"],
                d["unit"],
                *[by_year.get(y) for y in years],
                d["target"]["display"],
                d["target"]["year"],
                d["status"]["label_zh"],
                "；".join(x["zh"] for x in d["status"]["reasons"]),
                "；".join(w["zh"] for w in d["warnings"]),
            ]
        )
    response = HttpResponse(
        values_workbook(header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''indicators-{plan.code}.xlsx"
    return response


def indicator_detail(request, code: str, indicator: str):
    plan = _plan_or_404(code)
    result = compute_plan(plan)
    found = next((r for r in result.indicators if r.indicator.code == indicator), None)
    if found is None:
        raise Http404("no indicator")
    user = request.user
    history = None
    if user.is_authenticated and user.has_perm("indicators.view_dashboard"):
        history = value_history(found.indicator, plan.region)
        if not user.is_bureau:
            history = history.filter(is_current=True) | history.filter(
                element__owner=user.organization
            )
    else:
        history = value_history(found.indicator, plan.region).filter(is_current=True)
    return render(
        request,
        "web/indicator.html",
        {
            "plan": plan,
            "r": found,
            "data": indicator_json(found),
            "history": history,
            "active": "dashboard" if user.is_authenticated else "home",
        },
    )
