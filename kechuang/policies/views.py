"""Policy pages. The catalog and each policy are public; an enterprise user sees its own
matches; the bureau edits the catalog, runs the matching, pushes notices and handles rosters.
Views parse requests and render; services and selectors do the work."""

from __future__ import annotations

import datetime as dt

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

from kechuang.core import conditions as C
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.enterprises.tables import workbook
from kechuang.enterprises.views import form_problems
from kechuang.policies import selectors, services
from kechuang.policies.forms import ApplicationForm, DecisionForm, PolicyForm, PushForm, RosterForm
from kechuang.policies.models import MatchRun, Policy, PolicyMatch, Roster, RosterEntry
from kechuang.policies.tasks import run_matching
from kechuang.web.templatetags.kc import is_english

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _own_enterprise(user) -> Enterprise | None:
    return Enterprise.objects.filter(organization_id=user.organization_id).first()


def _report_problems(request: HttpRequest, exc: Rejected) -> None:
    for p in exc.problems:
        messages.error(request, f"{p.where}：{p.message_en if is_english() else p.message_zh}")


# --- public ----------------------------------------------------------------------------------


def policy_list(request: HttpRequest) -> HttpResponse:
    """The public catalog: Chinese (and pinyin) search, filters, pagination."""
    filters = selectors.Filters.from_params(request.GET)
    today = timezone.localdate()
    page = Paginator(selectors.policy_list(filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for p in page.object_list:
        p.status = selectors.status_of(p, today)
    return render(
        request,
        "policies/list.html",
        {
            "active": "policies",
            "page": page,
            "filters": filters,
            "levels": Policy.Level.choices,
            "categories": Policy.Category.choices,
            "departments": selectors.departments(),
            "can_manage": request.user.has_perm("policies.manage_policies"),
        },
    )


def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One policy with who carries it out, where and the number to call, first."""
    user = request.user
    policy = selectors.public_policy(pk)
    if policy is None and user.has_perm("policies.manage_policies"):
        policy = get_object_or_404(Policy.objects.prefetch_related("benefits"), pk=pk)
    if policy is None:
        raise Http404
    match = None
    if is_enterprise_user(user):
        enterprise = _own_enterprise(user)
        if enterprise is not None:
            match = PolicyMatch.objects.filter(policy=policy, enterprise=enterprise).first()
    trace = selectors.described(policy)
    return render(
        request,
        "policies/detail.html",
        {
            "active": "policies",
            "policy": policy,
            "status": selectors.status_of(policy),
            "trace": None if trace is None else C.trace_to_dict(trace),
            "match": match,
            "can_manage": user.has_perm("policies.manage_policies"),
        },
    )


# --- the enterprise's list -------------------------------------------------------------------


def _fill_links(enterprise: Enterprise) -> dict[str, str]:
    uscc = enterprise.uscc
    return {
        C.FILL_FIGURES: reverse("enterprises:figures", kwargs={"uscc": uscc}),
        C.FILL_IP: reverse("enterprises:ip_new", kwargs={"uscc": uscc}),
        C.FILL_PROFILE: reverse("enterprises:edit", kwargs={"uscc": uscc}),
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """政策可享清单: the enterprise's eligible and possibly-eligible policies, condition by
    condition, with what data is missing and where to fill it in."""
    user = request.user
    if not is_enterprise_user(user):
        if user.has_perm("policies.view_matches"):
            return redirect("policies:manage")
        raise PermissionDenied
    enterprise = _own_enterprise(user)
    if enterprise is None:
        return render(request, "enterprises/no_enterprise.html", {"active": "policy_mine"})
    _needs(user, "policies.view_own_matches", enterprise)
    matches = selectors.enterprise_matches(enterprise)
    links = _fill_links(enterprise)
    for m in matches:
        m.fill = [(x, links.get(x["fill"])) for x in m.missing]
    return render(
        request,
        "policies/mine.html",
        {
            "active": "policy_mine",
            "enterprise": enterprise,
            "eligible": [m for m in matches if m.verdict == PolicyMatch.Verdict.ELIGIBLE],
            "possibly": [m for m in matches if m.verdict == PolicyMatch.Verdict.POSSIBLY],
            "last_run": selectors.last_run(),
        },
    )


@login_required
@require_POST
def declare_applied(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise user says its enterprise has applied (so it is not pushed again)."""
    user = request.user
    if not is_enterprise_user(user):
        raise PermissionDenied
    enterprise = _own_enterprise(user)
    policy = get_object_or_404(Policy, pk=pk)
    if enterprise is None:
        raise Http404
    try:
        services.record_application(user, policy, enterprise)
    except Rejected as exc:
        _report_problems(request, exc)
    else:
        messages.success(request, _("已登记为“已申请”。"))
    return redirect("policies:mine")


# --- the bureau ------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every policy with its matched, applied and granted enterprises; start a matching run."""
    user = request.user
    _needs(user, "policies.view_matches")
    if request.method == "POST":
        _needs(user, "policies.run_matching")
        run = services.start_run(user)
        run_matching.enqueue(run.pk)
        return redirect("policies:run", pk=run.pk)
    return render(
        request,
        "policies/manage.html",
        {
            "active": "policies",
            "policies": selectors.overview(),
            "runs": selectors.recent_runs(),
            "today": timezone.localdate(),
        },
    )


def _run(request: HttpRequest, pk: int) -> MatchRun:
    _needs(request.user, "policies.view_matches")
    return get_object_or_404(MatchRun.objects.select_related("created_by"), pk=pk)


@login_required
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "policies/run.html", {"active": "policies", "run": _run(request, pk)})


@never_cache
@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the run page htmx polls every second until the run ends."""
    return render(request, "policies/_run_progress.html", {"run": _run(request, pk)})


def _policy_form(request: HttpRequest, policy: Policy | None) -> HttpResponse:
    user = request.user
    _needs(user, "policies.manage_policies", policy)
    initial = (
        PolicyForm.initial_from(services.policy_data(policy))
        if policy
        else {"state": Policy.State.DRAFT, "level": Policy.Level.DISTRICT}
    )
    form = PolicyForm(request.POST or None, initial=initial)
    if policy is not None:
        form.fields["code"].disabled = True
        form.fields["code"].initial = policy.code
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_policy(user, form.data_for_service(), policy=policy)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("政策已保存。"))
                return redirect("policies:detail", pk=saved.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "policies/form.html",
        {
            "active": "policies",
            "form": form,
            "policy": policy,
            "problems": problems,
            "title": _("修改政策") if policy else _("新增政策"),
        },
    )


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    return _policy_form(request, None)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _policy_form(request, get_object_or_404(Policy, pk=pk))


def _bureau_policy(request: HttpRequest, pk: int, perm: str = "policies.view_matches") -> Policy:
    _needs(request.user, perm)
    policy = get_object_or_404(Policy, pk=pk)
    _needs(request.user, perm, policy)
    return policy


@login_required
def policy_enterprises(request: HttpRequest, pk: int) -> HttpResponse:
    """The policy's eligible (and possibly eligible) enterprises; by default only those that
    have not applied, with when each was last pushed."""
    policy = _bureau_policy(request, pk)
    filters = selectors.EnterpriseFilters.from_params(request.GET)
    qs = selectors.policy_enterprises(policy, filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.ENTERPRISE_EXPORT_HEADER, selectors.enterprise_export_rows(qs))
        return _download(content, f"policy-{policy.code}-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "policies/enterprises.html",
        {
            "active": "policies",
            "policy": policy,
            "filters": filters,
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "verdicts": PolicyMatch.Verdict.choices,
            "push_form": PushForm(),
            "application_form": ApplicationForm(),
            "in_force": policy.in_force_on(timezone.localdate()),
        },
    )


@login_required
@require_POST
def push(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _bureau_policy(request, pk, "policies.push_notice")
    form = PushForm(request.POST)
    verdicts = form.cleaned_data["verdicts"] if form.is_valid() else []
    try:
        report = services.push_notice(request.user, policy, verdicts=verdicts)
    except Rejected as exc:
        _report_problems(request, exc)
    else:
        messages.success(
            request,
            _(
                "已向 %(n)s 家企业的 %(u)s 位用户推送；%(r)s 家一天内已推送过，"
                "%(x)s 家没有可通知的用户。"
            )
            % {
                "n": report.pushed,
                "u": report.recipients,
                "r": report.recent,
                "x": report.no_users,
            },
        )
    return redirect("policies:enterprises", pk=policy.pk)


@login_required
@require_POST
def application(request: HttpRequest, pk: int, uscc: str) -> HttpResponse:
    """The bureau records an enterprise's application or the decision on it."""
    policy = _bureau_policy(request, pk, "policies.manage_policies")
    enterprise = get_object_or_404(Enterprise, uscc=uscc)
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        for p in form_problems(form):
            messages.error(request, f"{p.where}：{p.message_zh}")
        return redirect("policies:enterprises", pk=policy.pk)
    d = form.cleaned_data
    try:
        services.record_application(
            request.user, policy, enterprise, status=d["status"], amount=d["amount"], note=d["note"]
        )
    except Rejected as exc:
        _report_problems(request, exc)
    else:
        messages.success(request, _("已登记：%(e)s。") % {"e": enterprise.name})
    return redirect(request.POST.get("next") or reverse("policies:enterprises", args=[policy.pk]))


# --- 免申即享 rosters -------------------------------------------------------------------------


@login_required
def rosters(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _bureau_policy(request, pk, "policies.manage_rosters")
    today = timezone.localdate()
    form = RosterForm(
        request.POST or None, initial={"start": dt.date(today.year, 1, 1), "end": today}
    )
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                roster = services.prepare_roster(
                    request.user,
                    policy,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                return redirect("policies:roster", pk=roster.pk)
        else:
            problems = form_problems(form)
    return render(
        request,
        "policies/rosters.html",
        {
            "active": "policies",
            "policy": policy,
            "rosters": selectors.rosters_of(policy),
            "form": form,
            "problems": problems,
        },
    )


def _roster(request: HttpRequest, pk: int) -> Roster:
    _needs(request.user, "policies.manage_rosters")
    roster = selectors.roster_detail(pk)
    if roster is None:
        raise Http404
    _needs(request.user, "policies.manage_rosters", roster.policy)
    return roster


@login_required
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster(request, pk)
    entries = list(roster.entries.all())
    return render(
        request,
        "policies/roster.html",
        {
            "active": "policies",
            "roster": roster,
            "entries": entries,
            "included": sum(1 for e in entries if e.included),
            "total": sum((e.amount or 0) for e in entries if e.included),
            "decision_form": DecisionForm(),
            "may_decide": roster.prepared_by_id != request.user.pk,
        },
    )


@login_required
@require_POST
def roster_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Include an entry in its roster, or leave it out."""
    _needs(request.user, "policies.manage_rosters")
    entry = get_object_or_404(
        RosterEntry.objects.select_related("roster__policy", "enterprise"), pk=pk
    )
    try:
        services.set_entry_included(request.user, entry, request.POST.get("included") == "1")
    except Rejected as exc:
        _report_problems(request, exc)
    return redirect("policies:roster", pk=entry.roster_id)


@login_required
@require_POST
def roster_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    roster = _roster(request, pk)
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            grants = services.approve_roster(request.user, roster, comment=comment)
            messages.success(request, _("名单已批准，%(n)s 家企业兑现。") % {"n": len(grants)})
        elif action == "reject":
            services.reject_roster(request.user, roster, comment=comment)
            messages.success(request, _("名单已退回。"))
        else:
            raise Http404
    except Rejected as exc:
        _report_problems(request, exc)
    return redirect("policies:roster", pk=roster.pk)


@login_required
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster(request, pk)
    content = workbook(selectors.ROSTER_EXPORT_HEADER, selectors.roster_export_rows(roster))
    return _download(content, f"roster-{roster.policy.code}-{roster.pk}.xlsx")
