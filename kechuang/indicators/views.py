from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import Organization
from kechuang.core.problems import Rejected
from kechuang.indicators import selectors as entry
from kechuang.indicators import services
from kechuang.indicators.forms import ReviewForm, UploadForm, ValueForm
from kechuang.indicators.models import DataValue
from kechuang.indicators.spreadsheets import read_upload, template_workbook
from kechuang.plans.selectors import default_plan

SORTS = {
    "element": "element__code",
    "year": "year",
    "status": "status",
    "updated": "entered_at",
    "-updated": "-entered_at",
    "-year": "-year",
}


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def values(request):
    """Figures the user may work on, filterable and sortable, newest versions first."""
    user = request.user
    _needs(user, "indicators.view_dashboard")
    qs = entry.workable_values(user)
    f = request.GET
    if f.get("element"):
        qs = qs.filter(element__code=f["element"])
    if f.get("year", "").isdigit():
        qs = qs.filter(year=int(f["year"]))
    if f.get("status") in DataValue.Status.values:
        qs = qs.filter(status=f["status"])
    if f.get("current") == "1":
        qs = qs.filter(is_current=True)
    if f.get("q"):
        qs = qs.filter(Q(element__name__icontains=f["q"]) | Q(source__icontains=f["q"]))
    sort = f.get("sort", "-updated")
    qs = qs.order_by(SORTS.get(sort, "-entered_at"), "element__code", "-version")
    if f.get("format") == "xlsx":
        return _xlsx(entry.export_values(qs), "data-values.xlsx")
    page = Paginator(qs, 50).get_page(f.get("page"))
    return render(
        request,
        "indicators/values.html",
        {
            "page": page,
            "elements": entry.workable_elements(user),
            "statuses": DataValue.Status,
            "sort": sort,
            "active": "data",
            "departments": Organization.objects.filter(kind__in=["bureau", "department"])
            if user.is_bureau
            else None,
        },
    )


@login_required
def new_value(request):
    user = request.user
    _needs(user, "indicators.view_dashboard")
    elements = entry.workable_elements(user)
    if not elements.exists():
        messages.warning(request, _("本单位没有负责填报的数据元。"))
        return redirect("indicators:values")
    plan = default_plan()
    initial = {"org_unit": plan.region if plan else None, "submit": True}
    for key in ("element", "year"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if initial.get("element"):
        initial["element"] = elements.filter(code=initial["element"]).first()
    form = ValueForm(request.POST or None, elements=elements, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dv = services.enter_value(
                user,
                element=d["element"],
                org_unit=d["org_unit"],
                year=d["year"],
                value=d["value"],
                source=d["source"],
                note=d["note"],
                submit=d["submit"],
            )
        except Rejected as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("已保存为第 %(v)s 版（%(s)s）。")
                % {"v": dv.version, "s": dv.get_status_display()},
            )
            return redirect("indicators:value", pk=dv.pk)
    return render(
        request,
        "indicators/value_form.html",
        {"form": form, "problems": problems, "active": "data"},
    )


@login_required
def value_detail(request, pk: int):
    user = request.user
    dv = get_object_or_404(entry.workable_values(user), pk=pk)
    versions = entry.versions_of(dv)
    return render(
        request,
        "indicators/value_detail.html",
        {
            "dv": dv,
            "versions": versions,
            "review_form": ReviewForm(),
            "active": "data",
            "can_enter": user.has_perm("indicators.enter_value", dv),
            "can_review": user.has_perm("indicators.approve_value", dv),
            "audit": entry.audit_of(versions) if user.is_bureau else None,
        },
    )


@login_required
@require_POST
def value_action(request, pk: int, action: str):
    user = request.user
    dv = get_object_or_404(entry.workable_values(user), pk=pk)
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.submit_value(user, dv)
            messages.success(request, _("已提交审核。"))
        elif action == "approve":
            services.approve_value(user, dv, comment)
            messages.success(request, _("已审核通过，该版本现为有效值。"))
        elif action == "reject":
            services.reject_value(user, dv, comment)
            messages.success(request, _("已退回。"))
        else:
            raise PermissionDenied
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("indicators:value", pk=dv.pk)


@login_required
def template(request):
    """The department's fill-in sheet: its elements × the plan's years, current values filled."""
    user = request.user
    _needs(user, "indicators.view_dashboard")
    plan = default_plan()
    dept = user.organization
    if user.is_bureau and request.GET.get("department"):
        dept = get_object_or_404(Organization, code=request.GET["department"])
    if plan is None or dept is None:
        messages.warning(request, _("没有可用的规划或单位。"))
        return redirect("indicators:values")
    rows = entry.template_rows(plan, dept)
    title = _("%(dept)s 数据填报模板 · %(plan)s") % {"dept": dept.name, "plan": plan.title}
    return _xlsx(template_workbook(rows, title), f"template-{dept.code}-{plan.code}.xlsx")


@login_required
def upload(request):
    user = request.user
    _needs(user, "indicators.view_dashboard")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            rows = read_upload(f, f.name)
            result = services.import_values(user, rows, file_name=f.name)
        except Rejected as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)s，更新 %(u)s，未变 %(n)s。已提交审核。")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
            return redirect("indicators:values")
    return render(
        request, "indicators/upload.html", {"form": form, "problems": problems, "active": "data"}
    )


@login_required
def review(request):
    """Bureau staff's queue: submitted figures, oldest first, approvable in bulk."""
    user = request.user
    _needs(user, "indicators.approve_value")
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        done, problems = 0, []
        for dv in DataValue.objects.filter(pk__in=ids).select_related("element", "org_unit"):
            try:
                if request.POST.get("action") == "reject":
                    services.reject_value(user, dv, request.POST.get("comment", ""))
                else:
                    services.approve_value(user, dv, request.POST.get("comment", ""))
                done += 1
            except Rejected as exc:
                problems += exc.problems
        for p in problems:
            messages.error(request, str(p))
        if done:
            messages.success(request, _("已处理 %(n)s 条。") % {"n": done})
        return redirect("indicators:review")
    page = Paginator(entry.review_queue(), 100).get_page(request.GET.get("page"))
    return render(request, "indicators/review.html", {"page": page, "active": "review"})
