"""Review pages. Views parse requests and render; services and selectors do the work.

The bureau's pages refuse everyone else (403). An expert sees their own assignments only: any
other assignment or application answers 404, as if it did not exist, and the attempt is
written to the audit log. An applicant sees its own application's result page; the notice is
public once the result is published.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import log_access
from kechuang.calls.models import Application, Call
from kechuang.calls.services import local
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import workbook
from kechuang.experts.rules import is_expert_user
from kechuang.reviews import selectors, services, tasks
from kechuang.reviews.forms import ConflictForm, DecisionForm
from kechuang.reviews.models import Assignment, Panel
from kechuang.supervision.forms import form_problems
from kechuang.uploads import KINDS
from kechuang.web.templatetags.kc import is_english

PAGE_SIZE = 20
BOARD_PAGE_SIZE = 50
WAN = Decimal(10000)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _errors(request: HttpRequest, exc: Rejected) -> None:
    for p in exc.problems:
        messages.error(request, p.message_en if is_english() else p.message_zh)


def _not_found(request: HttpRequest, obj, note: str) -> Http404:
    """Refuse as if the object did not exist, and keep the attempt in the audit log."""
    log_access(request.user, obj, note=note, denied=True)
    return Http404()


# --- the bureau -------------------------------------------------------------------------------


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    """Calls whose window has closed: where each one's review stands."""
    _needs(request.user, "reviews.manage")
    page = Paginator(selectors.review_calls(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/calls.html", {"active": "reviews", "page": page})


def _board_action(request: HttpRequest, call: Call) -> None:
    user, action = request.user, request.POST.get("action", "")
    if action == "start":
        services.open_review(user, call)
        n = services.waiting_applications(call).count()
        tasks.create_panels.enqueue(call.pk, user.pk)
        messages.success(
            request,
            _("评审已开始：正在为 %(n)d 项申报生成抽取记录并公示，完成后可执行抽取。") % {"n": n},
        )
    elif action == "draw_all":
        n = services.check_run_draws(user, call)
        tasks.run_draws.enqueue(call.pk, user.pk)
        messages.success(
            request, _("正在执行 %(n)d 个评审组的抽取，完成后专家会收到邀请。") % {"n": n}
        )
    elif action == "publish":
        services.publish_result(user, call)
        messages.success(request, _("评审结果已公示，并已通知各申报单位。"))
    else:
        raise PermissionDenied


@login_required
def board(request: HttpRequest, code: str) -> HttpResponse:
    """A call's review board: panels, sheets, scores, warnings, ranking and the funding line."""
    call = get_object_or_404(Call.objects.select_related("program", "notice"), code=code)
    _needs(request.user, "reviews.manage", call)
    if request.method == "POST":
        try:
            _board_action(request, call)
        except Rejected as exc:
            _errors(request, exc)
        return redirect("reviews:board", code=call.code)
    filters = selectors.BoardFilters.from_params(request.GET)
    b = selectors.board(call, filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.export_header(b), selectors.export_rows(b))
        response = HttpResponse(content, content_type=XLSX)
        name = f"review-{call.code}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    page = Paginator(b.rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.fill(page.object_list)
    notice = getattr(call, "notice", None)
    return render(
        request,
        "reviews/board.html",
        {
            "active": "reviews",
            "call": call,
            "board": b,
            "page": page,
            "filters": filters,
            "chart": selectors.chart_data(b),
            "notice": notice,
            "states": [
                (s, label) for s, label in Application.State.choices if s in selectors.REVIEW_STATES
            ],
            "fields": Enterprise.HighTechField.choices,
            "sorts": selectors.SORTS,
            "can_start": call.state in services.REVIEWABLE_CALLS and b.counts["waiting"] > 0,
            "can_publish": call.state == Call.State.REVIEWING
            and notice is None
            and b.counts["decided"] > 0,
        },
    )


def _panel_context(request, panel: Panel, decision_form=None, problems=()) -> dict:
    app, call = panel.application, panel.call
    decision = getattr(app, "review_decision", None)
    members = list(panel.assignments.all())
    totals = {t["expert"]: t["total"] for t in panel.result.get("totals", [])}
    if decision_form is None:
        initial = {}
        if decision is not None:
            initial = {
                "outcome": "approve" if decision.approved else "reject",
                "amount_wan": decision.amount / WAN if decision.amount is not None else None,
                "opinion": decision.opinion,
            }
        decision_form = DecisionForm(initial=initial)
    published = hasattr(call, "notice")
    return {
        "active": "reviews",
        "panel": panel,
        "application": app,
        "call": call,
        "members": [(a, totals.get(a.expert.code)) for a in members],
        "names": {a.expert.code: a.expert.name for a in members},
        "draws": selectors.panel_draws(panel),
        "decision": decision,
        "decision_form": decision_form,
        "can_decide": app.state == Application.State.IN_REVIEW and not published,
        "can_supplement": panel.state == Panel.State.ACTIVE
        and call.state == Call.State.REVIEWING
        and sum(a.is_active for a in members) < call.panel_size,
        "left_wan": (call.budget - services.approved_total(call, app.pk)) / WAN,
        "problems": problems,
    }


@login_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """One application's panel for the bureau: the draws, the members with their sheets, the
    decision."""
    p = selectors.panel_page(pk)
    if p is None:
        raise Http404
    _needs(request.user, "reviews.manage", p)
    form, problems = None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "perform":
                services.perform_panel_draw(request.user, p)
                messages.success(request, _("已完成抽取，入选专家已收到邀请。"))
            elif action == "supplement":
                services.open_supplementary_draw(request.user, p)
                messages.success(request, _("已生成补充抽取记录并公示，请执行抽取。"))
            elif action == "decide":
                form = DecisionForm(request.POST)
                problems = form_problems(form) if not form.is_valid() else []
                if not problems:
                    d = form.cleaned_data
                    wan = d["amount_wan"]
                    services.record_decision(
                        request.user,
                        p.application,
                        approved=d["outcome"] == "approve",
                        amount=None if wan is None else wan * WAN,
                        opinion=d["opinion"],
                    )
                    messages.success(request, _("评审决定已记录，公示结果时生效。"))
            else:
                raise PermissionDenied
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("reviews:panel", pk=p.pk)
        p = selectors.panel_page(pk)
    return render(request, "reviews/panel.html", _panel_context(request, p, form, problems))


# --- the expert -------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The expert's own assignments, those still to score first."""
    _needs(request.user, "reviews.view_assignments")
    state = request.GET.get("state", "")
    qs = selectors.my_assignments(request.user, state)
    return render(
        request,
        "reviews/mine.html",
        {
            "active": "reviews_mine",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "state": state,
            "states": Assignment.State.choices,
            "now": timezone.now(),
        },
    )


def _sheet(request: HttpRequest, a: Assignment, typed: bool) -> list[dict]:
    saved = {s.criterion_id: s for s in a.scores.all()}
    rows = []
    for c in a.panel.call.criteria.all():
        s = saved.get(c.pk)
        if typed:
            score = request.POST.get(f"score-{c.pk}", "")
            comment = request.POST.get(f"comment-{c.pk}", "")
        else:
            score = "" if s is None or s.score is None else s.score
            comment = "" if s is None else s.comment
        rows.append({"criterion": c, "score": score, "comment": comment})
    return rows


def _post_assignment(request: HttpRequest, a: Assignment) -> list[Problem]:
    action, user = request.POST.get("action", ""), request.user
    if action == "accept":
        services.accept_assignment(user, a)
        messages.success(request, _("已接受评审邀请。"))
    elif action == "conflict":
        form = ConflictForm(request.POST)
        if not form.is_valid():
            return form_problems(form)
        replacement = services.declare_conflict(user, a, form.cleaned_data["reason"])
        messages.success(request, _("已声明回避，该申报不再向您显示。"))
        if replacement is None:
            messages.info(request, _("候补专家已用完，科技局将补充抽取。"))
    elif action in ("save", "submit"):
        scores = {
            c.pk: (request.POST.get(f"score-{c.pk}", ""), request.POST.get(f"comment-{c.pk}", ""))
            for c in a.panel.call.criteria.all()
        }
        final = action == "submit"
        services.submit_scores(user, a, scores, request.POST.get("overall_comment", ""), final)
        messages.success(request, _("评分已提交，不能再修改。") if final else _("已保存草稿。"))
    else:
        raise PermissionDenied
    return []


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's assignment: the application, the score sheet, and "declare conflict"."""
    a = selectors.assignment_page(pk)
    if a is None:
        raise Http404
    user = request.user
    if user.has_perm("reviews.manage"):
        return redirect("reviews:panel", pk=a.panel_id)
    if not user.has_perm("reviews.view_assignment", a):
        raise _not_found(request, a, "打开他人的评审任务 / opened another expert's assignment")
    problems: list[Problem] = []
    failed = ""
    if request.method == "POST":
        try:
            problems = _post_assignment(request, a)
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("reviews:assignment", pk=a.pk)
        failed = request.POST.get("action", "")
        a = selectors.assignment_page(pk)
    call, app = a.panel.call, a.panel.application
    now = timezone.now()
    before_deadline = call.review_deadline is None or now < call.review_deadline
    editable = a.is_open and before_deadline and call.state == Call.State.REVIEWING
    return render(
        request,
        "reviews/assignment.html",
        {
            "active": "reviews_mine",
            "assignment": a,
            "application": app,
            "call": call,
            "answers": [(s, app.answers.get(s.key, "")) for s in call.sections.all()]
            if a.is_active
            else [],
            "attachments": [(f, KINDS[f.kind]) for f in app.attachments.all()]
            if a.is_active
            else [],
            "sheet": _sheet(request, a, typed=failed in ("save", "submit")),
            "overall_comment": request.POST.get("overall_comment", "")
            if failed in ("save", "submit")
            else a.overall_comment,
            "conflict_form": ConflictForm(request.POST if failed == "conflict" else None),
            "editable": editable,
            "before_deadline": before_deadline,
            "deadline": call.review_deadline,
            "deadline_text": local(call.review_deadline) if call.review_deadline else "",
            "problems": problems,
        },
    )


# --- applicants and the public -----------------------------------------------------------------


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """An application's review: for its applicant the result page (scores and anonymous
    comments once the result is published); experts and the bureau are sent to their pages."""
    app = get_object_or_404(Application.objects.select_related("call", "applicant"), pk=pk)
    user = request.user
    if user.has_perm("reviews.manage"):
        panel_id = Panel.objects.filter(application=app).values_list("pk", flat=True).first()
        if panel_id:
            return redirect("reviews:panel", pk=panel_id)
        return redirect("calls:application", pk=app.pk)
    if is_expert_user(user):
        mine = (
            Assignment.objects.filter(panel__application=app, expert__user=user)
            .exclude(state=Assignment.State.CONFLICT)
            .values_list("pk", flat=True)
            .first()
        )
        if mine:
            return redirect("reviews:assignment", pk=mine)
        raise _not_found(
            request, app, "专家打开未分配给本人的申报 / expert opened an unassigned application"
        )
    if not user.has_perm("reviews.view_result", app):
        raise _not_found(request, app, "打开他人申报的评审结果 / opened another applicant's result")
    return render(
        request,
        "reviews/result.html",
        {
            "active": "calls_mine",
            "application": app,
            "call": app.call,
            "result": selectors.applicant_result(app),
        },
    )


def notice(request: HttpRequest, code: str) -> HttpResponse:
    """The public notice of a call's result (立项公示); before publication it does not exist."""
    call = get_object_or_404(Call.objects.select_related("program"), code=code)
    page = selectors.notice_page(call)
    if page is None:
        raise Http404
    return render(
        request,
        "reviews/notice.html",
        {
            "active": "calls",
            "call": call,
            "page": page,
            "total": sum(a.review_decision.amount for a in page.approved),
        },
    )
