"""Innovation voucher pages. Views parse requests and render; services and selectors do the work.

The bureau sees every scheme and voucher. An enterprise user sees its own enterprise's vouchers
(another's answers 404). A provider sees the vouchers assigned to it; opening another provider's
voucher is refused (403) and the attempt is audited. The list of approved providers is public.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook

from kechuang.audit.services import log_access
from kechuang.core.problems import Problem, Rejected
from kechuang.supervision.forms import form_problems
from kechuang.vouchers import selectors, services
from kechuang.vouchers.forms import (
    ApplicationForm,
    ApproveForm,
    BudgetForm,
    ProviderForm,
    ReasonForm,
    RedemptionForm,
    SchemeForm,
    ServiceForm,
    UseForm,
    scheme_initial,
)
from kechuang.vouchers.models import (
    Category,
    Provider,
    Redemption,
    RedemptionFile,
    Scheme,
    Voucher,
    VoucherApplication,
)
from kechuang.vouchers.rules import is_provider_user

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _workbook(sheets) -> bytes:
    """Several streamed tabs in one file: (title, header, rows)."""
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _handle(request, action, handlers) -> list[Problem] | None:
    """Run the posted action; its problems (form or service), or None when it succeeded."""
    handler = handlers.get(action)
    if handler is None:
        raise PermissionDenied
    try:
        return handler() or None
    except Rejected as exc:
        return exc.problems


# --- bureau: schemes ----------------------------------------------------------------------------


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    """Every scheme with its reconciliation panel, the queues, and a form for a new scheme."""
    user = request.user
    _needs(user, "vouchers.view_schemes")
    form, problems = SchemeForm(initial=scheme_initial()), []
    if request.method == "POST":
        _needs(user, "vouchers.manage_schemes")
        form = SchemeForm(request.POST)

        def create():
            if not form.is_valid():
                return form_problems(form)
            scheme = services.create_scheme(user, **form.scheme_kwargs())
            messages.success(request, _("券种“%(n)s”已设立。") % {"n": scheme.name})

        problems = _handle(request, "create", {"create": create})
        if problems is None:
            return redirect("vouchers:schemes")
    all_schemes = list(selectors.schemes())
    recs = selectors.reconciliations(all_schemes)
    return render(
        request,
        "vouchers/schemes.html",
        {
            "active": "vouchers",
            "rows": [(s, recs[s.pk]) for s in all_schemes],
            "counts": selectors.queue_counts(),
            "form": form,
            "problems": problems,
            "open_form": bool(problems),
        },
    )


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheme's report (per enterprise, provider, category, month) and its ledger."""
    user = request.user
    _needs(user, "vouchers.view_schemes")
    scheme = get_object_or_404(Scheme, pk=pk)
    budget_form, problems = BudgetForm(initial={"budget": scheme.budget / 10000}), []
    if request.method == "POST":
        _needs(user, "vouchers.manage_schemes", scheme)

        def budget():
            nonlocal budget_form
            budget_form = BudgetForm(request.POST)
            if not budget_form.is_valid():
                return form_problems(budget_form)
            services.set_budget(user, scheme, budget_form.cleaned_data["budget"])
            messages.success(request, _("预算已调整。"))

        def state():
            services.set_scheme_state(user, scheme, request.POST.get("state", ""))
            messages.success(request, _("券种状态已更新。"))

        problems = _handle(request, request.POST.get("action"), {"budget": budget, "state": state})
        if problems is None:
            return redirect("vouchers:scheme", pk=scheme.pk)
    report = selectors.scheme_report(scheme)
    if request.GET.get("format") == "xlsx":
        content = _workbook(selectors.report_sheets(report))
        return _download(content, f"vouchers-{scheme.year}-{scheme.pk}.xlsx")
    return render(
        request,
        "vouchers/scheme.html",
        {
            "active": "vouchers",
            "scheme": scheme,
            "rec": selectors.reconciliation(scheme),
            "report": report,
            "chart": report.chart(),
            "entries": Paginator(selectors.ledger_of(scheme).order_by("-id"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "budget_form": budget_form,
            "problems": problems,
        },
    )


# --- bureau: queues -----------------------------------------------------------------------------


def _state(request, choices, default: str) -> str:
    state = request.GET.get("state", default)
    return state if state in {"", *choices} else default


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """Applications to decide, oldest first, each with what the enterprise already holds."""
    user = request.user
    _needs(user, "vouchers.decide_applications")
    problems, failed = [], None
    if request.method == "POST":
        app = get_object_or_404(VoucherApplication, pk=request.POST.get("application") or 0)
        failed = app.pk

        def approve():
            form = ApproveForm(request.POST)
            if not form.is_valid():
                return form_problems(form)
            v = services.approve_application(
                user, app, amount=form.cleaned_data["amount"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("已批准并发放创新券 %(n)s。") % {"n": v.number})

        def reject():
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return form_problems(form)
            services.reject_application(user, app, reason=form.cleaned_data["reason"])
            messages.success(request, _("已退回该申请。"))

        problems = _handle(
            request, request.POST.get("action"), {"approve": approve, "reject": reject}
        )
        if problems is None:
            return redirect(request.get_full_path())
    state = _state(request, VoucherApplication.State.values, VoucherApplication.State.SUBMITTED)
    page = Paginator(selectors.application_queue(state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    held = selectors.commitments((a.scheme_id, a.enterprise_id) for a in page)
    recs = selectors.reconciliations({a.scheme for a in page})
    rows = [
        (
            a,
            held.get((a.scheme_id, a.enterprise_id), selectors.ZERO),
            recs[a.scheme_id].totals.available,
        )
        for a in page
    ]
    return render(
        request,
        "vouchers/applications.html",
        {
            "active": "vouchers",
            "page": page,
            "rows": rows,
            "state": state,
            "states": VoucherApplication.State.choices,
            "problems": problems,
            "failed": failed,
        },
    )


@login_required
def redemptions(request: HttpRequest) -> HttpResponse:
    """Claims to verify, then to settle; sending one back makes the voucher whole again."""
    user = request.user
    _needs(user, "vouchers.verify_redemptions")
    problems, failed = [], None
    if request.method == "POST":
        claim = get_object_or_404(Redemption, pk=request.POST.get("redemption") or 0)
        failed = claim.pk

        def verify():
            services.verify_redemption(user, claim)
            messages.success(request, _("兑付申请已审核通过。"))

        def reject():
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return form_problems(form)
            services.reject_redemption(user, claim, reason=form.cleaned_data["reason"])
            messages.success(request, _("兑付申请已退回。"))

        def settle():
            services.settle_redemption(user, claim)
            messages.success(request, _("已结算。"))

        problems = _handle(
            request,
            request.POST.get("action"),
            {"verify": verify, "reject": reject, "settle": settle},
        )
        if problems is None:
            return redirect(request.get_full_path())
    state = _state(request, Redemption.State.values, Redemption.State.SUBMITTED)
    return render(
        request,
        "vouchers/redemptions.html",
        {
            "active": "vouchers",
            "page": Paginator(selectors.redemption_queue(state), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "state": state,
            "states": Redemption.State.choices,
            "problems": problems,
            "failed": failed,
        },
    )


@login_required
def voucher_list(request: HttpRequest) -> HttpResponse:
    """Every voucher, filterable in place, sortable, paginated, exportable to Excel."""
    _needs(request.user, "vouchers.view_schemes")
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.voucher_list(filters)
    if request.GET.get("format") == "xlsx":
        rows = selectors.voucher_export_rows(qs)
        content = _workbook([("创新券", selectors.VOUCHER_EXPORT_HEADER, rows)])
        return _download(content, f"vouchers-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "vouchers/list.html",
        {
            "active": "vouchers",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "schemes": Scheme.objects.only("year", "name"),
            "providers": Provider.objects.only("name"),
            "states": Voucher.State.choices,
        },
    )


# --- one voucher --------------------------------------------------------------------------------


def _voucher_for(request: HttpRequest, number: str) -> Voucher:
    """The voucher if the user may see it. Another provider's attempt is audited (403); another
    enterprise's user finds nothing (404); roles with no business here get 403."""
    user = request.user
    provider = is_provider_user(user)
    if not (
        provider or user.has_perm("vouchers.view_mine") or user.has_perm("vouchers.view_schemes")
    ):
        raise PermissionDenied
    voucher = selectors.voucher_detail(number)
    if voucher is None:
        raise Http404
    if user.has_perm("vouchers.view_voucher", voucher):
        return voucher
    if provider:
        log_access(user, voucher, note="查看非本机构的创新券 / another's voucher", denied=True)
        raise PermissionDenied
    raise Http404


@login_required
def voucher_detail(request: HttpRequest, number: str) -> HttpResponse:
    voucher = _voucher_for(request, number)
    user = request.user
    return render(
        request,
        "vouchers/voucher.html",
        {
            "active": _active(user),
            "voucher": voucher,
            "events": selectors.timeline(voucher),
            "claims": selectors.claims_of(voucher),
            "entries": selectors.entries_of(voucher),
            "can_files": user.has_perm("vouchers.view_redemption", voucher),
            "can_redeem": user.has_perm("vouchers.redeem_voucher", voucher)
            and voucher.state == Voucher.State.ISSUED,
            "today": timezone.localdate(),
        },
    )


def _active(user) -> str:
    if user.has_perm("vouchers.view_schemes"):
        return "vouchers"
    return "vouchers_provider" if is_provider_user(user) else "vouchers_mine"


@never_cache  # permission-gated content must not sit in a shared cache
@login_required
def redemption_file(request: HttpRequest, pk: int) -> FileResponse:
    """A claim's contract or invoice, after the permission check; to anyone else, 404."""
    f = RedemptionFile.objects.select_related("redemption__provider").filter(pk=pk).first()
    if f is None or not request.user.has_perm("vouchers.view_redemption", f.redemption):
        raise Http404
    try:
        fh = f.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=f.original_name, content_type=f.content_type
    )


# --- the enterprise's vouchers ------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Apply for a voucher, see each voucher's state and expiry, and use it on a service."""
    user = request.user
    _needs(user, "vouchers.view_mine")
    enterprise = selectors.enterprise_of(user)
    if enterprise is None:
        return render(request, "vouchers/no_enterprise.html", {"active": "vouchers_mine"})
    today = timezone.localdate()
    open_schemes = selectors.open_schemes(today)
    apply_form, problems, failed = ApplicationForm(schemes=open_schemes), [], None
    listed = list(selectors.listed_services())
    if request.method == "POST":
        action = request.POST.get("action")
        failed = action

        def apply():
            nonlocal apply_form
            apply_form = ApplicationForm(request.POST, schemes=open_schemes)
            if not apply_form.is_valid():
                return form_problems(apply_form)
            d = apply_form.cleaned_data
            services.apply_for_voucher(
                user,
                enterprise,
                d["scheme"],
                amount=d["amount"],
                category=d["category"],
                purpose=d["purpose"],
            )
            messages.success(request, _("申请已提交，请等待科技局审核。"))

        def use():
            voucher = get_object_or_404(
                Voucher, enterprise=enterprise, pk=request.POST.get("voucher") or 0
            )
            form = UseForm(request.POST, services=selectors.listed_services())
            if not form.is_valid():
                return form_problems(form)
            services.use_voucher(user, voucher, form.cleaned_data["service"])
            messages.success(request, _("已选定服务，服务机构可凭此券申请兑付。"))

        problems = _handle(request, action, {"apply": apply, "use": use})
        if problems is None:
            return redirect("vouchers:mine")
    vouchers = list(selectors.my_vouchers(enterprise))
    for v in vouchers:
        v.choices = [s for s in listed if s.category in v.scheme.categories]
    return render(
        request,
        "vouchers/mine.html",
        {
            "active": "vouchers_mine",
            "enterprise": enterprise,
            "vouchers": vouchers,
            "applications": selectors.my_applications(enterprise)[:20],
            "open_schemes": open_schemes,
            "apply_form": apply_form,
            "problems": problems,
            "failed": failed,
            "today": today,
        },
    )


# --- the provider's portal ----------------------------------------------------------------------


def _provider(request: HttpRequest) -> Provider | None:
    _needs(request.user, "vouchers.view_provider_portal")
    return selectors.provider_of(request.user)


@login_required
def provider_portal(request: HttpRequest) -> HttpResponse:
    """The vouchers enterprises chose this provider for, its claims, and its services."""
    user = request.user
    provider = _provider(request)
    if provider is None:
        return render(request, "vouchers/no_provider.html", {"active": "vouchers_provider"})
    form, problems = ServiceForm(), []
    if request.method == "POST":

        def add():
            nonlocal form
            form = ServiceForm(request.POST)
            if not form.is_valid():
                return form_problems(form)
            services.add_service(user, provider, **form.cleaned_data)
            messages.success(request, _("服务已添加。"))

        problems = _handle(request, request.POST.get("action"), {"service": add})
        if problems is None:
            return redirect("vouchers:provider")
    return render(
        request,
        "vouchers/provider.html",
        {
            "active": "vouchers_provider",
            "provider": provider,
            "vouchers": selectors.provider_vouchers(provider),
            "claims": Paginator(selectors.provider_claims(provider), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "services": provider.services.all(),
            "form": form,
            "problems": problems,
            "today": timezone.localdate(),
        },
    )


@login_required
def redeem(request: HttpRequest, number: str) -> HttpResponse:
    """The claim form: contract, invoice and their files. Another provider's voucher: 403."""
    user = request.user
    _needs(user, "vouchers.view_provider_portal")
    voucher = selectors.voucher_detail(number)
    if voucher is None:
        raise Http404
    if not user.has_perm("vouchers.redeem_voucher", voucher):
        log_access(
            user, voucher, note="兑付非本机构的创新券 / redeem another's voucher", denied=True
        )
        raise PermissionDenied
    form, problems = RedemptionForm(), []
    if request.method == "POST":
        form = RedemptionForm(request.POST, request.FILES)

        def submit():
            if not form.is_valid():
                return form_problems(form)
            claim = services.submit_redemption(user, voucher, **form.cleaned_data)
            messages.success(
                request,
                _("兑付申请已提交，补贴金额 %(s)s 元，请等待科技局审核。") % {"s": claim.subsidy},
            )

        problems = _handle(request, "submit", {"submit": submit})
        if problems is None:
            return redirect("vouchers:provider")
    return render(
        request,
        "vouchers/redeem.html",
        {
            "active": "vouchers_provider",
            "voucher": voucher,
            "form": form,
            "problems": problems,
            "ratio_pct": voucher.scheme.ratio_pct,
        },
    )


# --- providers ----------------------------------------------------------------------------------


def public_providers(request: HttpRequest) -> HttpResponse:
    """Approved providers and their services, for anyone (no login)."""
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.public_providers(category, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "vouchers/providers.html",
        {
            "active": "vouchers_public",
            "page": page,
            "category": category,
            "q": q,
            "categories": Category.choices,
        },
    )


@login_required
def manage_providers(request: HttpRequest) -> HttpResponse:
    """The bureau registers providers and admits them to the public list (or withdraws them)."""
    user = request.user
    _needs(user, "vouchers.manage_providers")
    form, problems = ProviderForm(), []
    if request.method == "POST":

        def register():
            nonlocal form
            form = ProviderForm(request.POST)
            if not form.is_valid():
                return form_problems(form)
            p = services.register_provider(user, **form.cleaned_data)
            messages.success(request, _("服务机构“%(n)s”已登记。") % {"n": p.name})

        def approve():
            p = get_object_or_404(Provider, pk=request.POST.get("provider") or 0)
            services.set_provider_approved(user, p, request.POST.get("approved") == "1")
            messages.success(request, _("已更新“%(n)s”的入库状态。") % {"n": p.name})

        problems = _handle(
            request, request.POST.get("action"), {"register": register, "approve": approve}
        )
        if problems is None:
            return redirect("vouchers:manage_providers")
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.all_providers()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__istartswith=q))
    return render(
        request,
        "vouchers/manage_providers.html",
        {
            "active": "vouchers",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "q": q,
            "form": form,
            "problems": problems,
        },
    )
