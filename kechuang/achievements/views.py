"""Achievement pages (public list and detail; the bureau also sees and keeps internal ones) and
the bureau's technology contract registry with its totals for indicator 8.

An internal achievement answers 404 to anyone who may not see it, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.achievements import imports, selectors, services
from kechuang.achievements.forms import AchievementForm, ContractForm, ImportForm
from kechuang.achievements.models import Achievement, TechContract
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import workbook
from kechuang.enterprises.views import _download, form_problems

PAGE_SIZE = 30


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _form_page(request, form, title: str, save, back: str, active: str) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.values())
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("已保存。"))
                return redirect(saved)
        else:
            problems = form_problems(form)
    return render(
        request,
        "achievements/form.html",
        {"active": active, "form": form, "problems": problems, "title": title, "back": back},
    )


# --- achievements ----------------------------------------------------------------------------


def achievement_list(request: HttpRequest) -> HttpResponse:
    """Public achievements for everyone, searchable in Chinese or pinyin initials; the bureau
    sees the internal ones too and may export."""
    internal = request.user.has_perm("achievements.view_internal")
    filters = selectors.AchievementFilters.from_params(request.GET)
    qs = selectors.achievement_list(filters, internal=internal)
    if internal and request.GET.get("format") == "xlsx":
        content = workbook(
            selectors.ACHIEVEMENT_EXPORT_HEADER, selectors.achievement_export_rows(qs)
        )
        return _download(content, f"achievements-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "achievements/list.html",
        {
            "active": "achievements",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "internal": internal,
            "can_manage": request.user.has_perm("achievements.manage_achievement"),
            "fields": Enterprise.HighTechField.choices,
            "statuses": Achievement.TransferStatus.choices,
            "trls": range(1, 10),
        },
    )


def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.achievement_by_pk(pk)
    if a is None or not request.user.has_perm("achievements.view_achievement", a):
        raise Http404
    internal = request.user.has_perm("achievements.view_internal")
    return render(
        request,
        "achievements/detail.html",
        {
            "active": "achievements",
            "a": a,
            "internal": internal,
            "can_manage": request.user.has_perm("achievements.manage_achievement", a),
        },
    )


@login_required
def achievement_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "achievements.manage_achievement")
    year = timezone.localdate().year
    form = AchievementForm(request.POST or None, initial={"year": year, "trl": 4})
    return _form_page(
        request,
        form,
        _("登记科技成果"),
        lambda v: services.create_achievement(request.user, **v),
        "achievements:list",
        "achievements",
    )


@login_required
def achievement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.achievement_by_pk(pk)
    if a is None:
        raise Http404
    _needs(request.user, "achievements.manage_achievement", a)
    form = AchievementForm(request.POST or None, initial=AchievementForm.initial_for(a))
    return _form_page(
        request,
        form,
        _("修改科技成果"),
        lambda v: services.update_achievement(request.user, a, **v),
        "achievements:list",
        "achievements",
    )


# --- contracts -------------------------------------------------------------------------------


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "achievements.view_contracts")
    filters = selectors.ContractFilters.from_params(request.GET)
    qs = selectors.contract_list(filters)
    if request.GET.get("format") == "xlsx":
        return _download(imports.export(qs), f"tech-contracts-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "achievements/contracts.html",
        {
            "active": "achievements",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "kinds": TechContract.Kind.choices,
            "years": selectors.contract_years(),
        },
    )


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "achievements.manage_contracts")
    return _form_page(
        request,
        ContractForm(request.POST or None),
        _("登记技术合同"),
        lambda v: services.register_contract(request.user, **v),
        "achievements:contracts",
        "achievements",
    )


@login_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _needs(request.user, "achievements.manage_contracts")
    contract = selectors.contract_by_pk(pk)
    if contract is None:
        raise Http404
    form = ContractForm(request.POST or None, initial=ContractForm.initial_for(contract))
    return _form_page(
        request,
        form,
        _("修改技术合同 %(n)s") % {"n": contract.registration_number},
        lambda v: services.update_contract(request.user, contract, **v),
        "achievements:contracts",
        "achievements",
    )


@login_required
def contract_template(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "achievements.manage_contracts")
    return _download(imports.contract_template(), "tech-contracts-template.xlsx")


@login_required
def contract_import(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "achievements.manage_contracts")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                result = imports.import_contracts(request.user, form.cleaned_data["file"])
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("已导入：新增 %(c)s 份，更新 %(u)s 份，未变 %(n)s 份。")
                    % {"c": result.created, "u": result.updated, "n": result.unchanged},
                )
                return redirect("achievements:contracts")
        else:
            problems = form_problems(form)
    return render(
        request,
        "achievements/import.html",
        {"active": "achievements", "form": form, "problems": problems},
    )


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    """Per-year sums of the registered contracts beside what indicator 8's elements hold."""
    _needs(request.user, "achievements.view_contracts")
    return render(
        request,
        "achievements/totals.html",
        {
            "active": "achievements",
            "rows": selectors.totals_against_indicator(),
            "codes": (services.CONTRACT_VALUE, services.TRADE_VALUE),
            "can_publish": request.user.has_perm("achievements.publish_totals"),
            "source": services.PUBLISH_SOURCE,
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    _needs(request.user, "achievements.publish_totals")
    try:
        result = services.publish_contract_totals(request.user, year)
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    else:
        written = [p for p in result.published if p.outcome != "unchanged"]
        if written:
            messages.success(
                request,
                _("%(y)s 年合计已报送 %(n)s 项数据，待数据审核。") % {"y": year, "n": len(written)},
            )
        else:
            messages.info(request, _("%(y)s 年合计与指标现有数据一致，未作改动。") % {"y": year})
    return redirect("achievements:totals")
