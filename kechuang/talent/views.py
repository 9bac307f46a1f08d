"""Talent pages. Views parse requests and render; services and selectors do the work.

Programs and published calls are public, without personal data. An employer sees its own
nominations and talents only: any other answers 404 as if it did not exist. An expert sees only
the nominations it was drawn for; any other is 404 and the attempt is audited. Bureau pages
refuse everyone else (403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.audit.services import log_access
from kechuang.calls.forms import CriterionFormSet, rows
from kechuang.calls.rules import is_applicant_user
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.tables import workbook
from kechuang.experts.services import FIELDS
from kechuang.supervision.forms import form_problems
from kechuang.talent import selectors, services
from kechuang.talent.forms import (
    ApplicationForm,
    CallForm,
    DecisionForm,
    ProgramForm,
    ReasonForm,
    ScoreForm,
)
from kechuang.talent.models import TalentApplication, TalentCall, TalentProgram
from kechuang.web.templatetags.kc import is_english

PAGE_SIZE = 20
TABLE_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = TalentApplication.State


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _xlsx(header, data, name: str) -> HttpResponse:
    response = HttpResponse(workbook(header, data), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{name}-{timezone.localdate():%Y%m%d}.xlsx"
    )
    return response


def _flash(request, exc: Rejected) -> None:
    for p in exc.problems:
        messages.error(request, p.message_en if is_english() else p.message_zh)


# --- public --------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The programs the plan names and the calls open now or soon; no personal data."""
    return render(
        request,
        "talent/home.html",
        {
            "active": "talent",
            "programs": selectors.public_programs(),
            "open_calls": selectors.open_calls(),
            "past_calls": selectors.past_calls()[:10],
            "can_apply": is_applicant_user(request.user),
        },
    )


def _call(request: HttpRequest, code: str) -> TalentCall:
    call = selectors.call_page(code)
    if call is None or not request.user.has_perm("talent.view_call", call):
        raise Http404
    return call


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A call: program, window, criteria with weights, and for an employer the nomination form."""
    call = _call(request, code)
    user = request.user
    can_apply = user.has_perm("talent.apply", call) and call.is_open()
    form, problems = ApplicationForm(), []
    if request.method == "POST":
        _needs(user, "talent.apply", call)
        form = ApplicationForm(request.POST)
        problems = form_problems(form) if not form.is_valid() else []
        if not problems:
            try:
                application = services.create_application(user, call, **form.data_for_service())
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("已保存推荐草稿，核对后请提交。"))
                return redirect("talent:application", pk=application.pk)
    mine = []
    if is_applicant_user(user):
        mine = list(selectors.my_applications(user.organization_id).filter(call=call))
    return render(
        request,
        "talent/call.html",
        {
            "active": "talent",
            "call": call,
            "can_apply": can_apply,
            "form": form,
            "problems": problems,
            "mine": mine,
        },
    )


# --- employers -----------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The employer's nominations and its people in the registry."""
    user = request.user
    if not is_applicant_user(user):
        if user.has_perm("talent.manage"):
            return redirect("talent:manage")
        raise PermissionDenied
    return render(
        request,
        "talent/mine.html",
        {
            "active": "talent_mine",
            "page": Paginator(selectors.my_applications(user.organization_id), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "talents": selectors.my_talents(user.organization_id),
            "open_calls": selectors.open_calls()[:5],
        },
    )


def _application(request: HttpRequest, pk: int) -> TalentApplication:
    application = selectors.application_page(pk)
    if application is None or not request.user.has_perm("talent.view_application", application):
        raise Http404
    return application


def _post_save(request, application):
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.update_application(request.user, application, **form.data_for_service())
    if request.POST.get("action") == "submit":
        application = services.submit_application(request.user, application)
        messages.success(
            request,
            _("推荐已提交，申报编号 %(code)s。") % {"code": application.code},
        )
    else:
        messages.success(request, _("已保存。"))
    return None, []


def _post_withdraw(request, application):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.withdraw_application(request.user, application, form.cleaned_data["reason"])
    messages.success(request, _("推荐已撤回。"))
    return None, []


def _post_return(request, application):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.return_application(request.user, application, form.cleaned_data["reason"])
    messages.success(request, _("已退回推荐单位修改，并已通知对方。"))
    return None, []


def _post_decide(request, application):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    d = form.cleaned_data
    services.decide(request.user, application, approved=d["outcome"] == "approve", note=d["note"])
    messages.success(request, _("决定已记录，并已通知推荐单位。"))
    return None, []


def _post_score(request, application):
    members = _pending(application)
    form = ScoreForm(request.POST, criteria=application.call.criteria.all(), members=members)
    if not form.is_valid():
        return form, form_problems(form)
    assignment = next(m for m in members if str(m.pk) == form.cleaned_data["assignment"])
    services.submit_score(
        request.user, assignment, scores=form.scores(), opinion=form.cleaned_data["opinion"]
    )
    messages.success(request, _("已录入专家 %(code)s 的评分。") % {"code": assignment.expert.code})
    return None, []


# action → (handler, permission it needs on the application)
ACTIONS: dict[str, tuple[Callable, str]] = {
    "save": (_post_save, "talent.change_application"),
    "submit": (_post_save, "talent.change_application"),
    "withdraw": (_post_withdraw, "talent.change_application"),
    "return": (_post_return, "talent.manage"),
    "decide": (_post_decide, "talent.manage"),
    "score": (_post_score, "talent.manage"),
}


def _pending(application: TalentApplication) -> list:
    return [a for a in application.assignments.all() if getattr(a, "score", None) is None]


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's form (read-only once submitted) or the bureau's view with the panel,
    its scores, the aggregate and the decision."""
    application = _application(request, pk)
    failed, bound, problems = None, None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise PermissionDenied
        handler, perm = ACTIONS[action]
        _needs(request.user, perm, application)
        try:
            bound, problems = handler(request, application)
        except Rejected as exc:
            problems = exc.problems
        if not problems:
            return redirect("talent:application", pk=application.pk)
        failed = action
        application = selectors.application_page(pk)
    return render(
        request,
        "talent/application.html",
        _application_context(request, application, failed, bound, problems),
    )


def _application_context(request, application, failed, bound, problems) -> dict:
    user = request.user
    is_bureau = user.has_perm("talent.manage", application)
    can_change = user.has_perm("talent.change_application", application)
    editable = can_change and application.is_editable

    def form(actions, factory):
        return bound if failed in actions and bound is not None else factory()

    edit_form = None
    if editable:
        # Keep what was typed: a refused submission must not cost the employer their text.
        edit_form = form(
            ("save", "submit"),
            lambda: (
                ApplicationForm(request.POST)
                if failed in ("save", "submit")
                else ApplicationForm(initial=ApplicationForm.initial_for(application))
            ),
        )
    in_review = application.state == S.IN_REVIEW
    pending = _pending(application) if is_bureau and in_review else []
    criteria = application.call.criteria.all()
    reviewed = is_bureau and application.state in selectors.REVIEWED_STATES
    return {
        "active": "talent_manage" if is_bureau else "talent_mine",
        "application": application,
        "call": application.call,
        "states": application.state_changes.all(),
        "panel": [
            (a, score, [score.scores.get(str(c.pk)) for c in criteria] if score else [])
            for a in (application.assignments.all() if is_bureau else ())
            for score in [getattr(a, "score", None)]
        ],
        "criteria": criteria,
        "result": selectors.application_result(application) if reviewed else None,
        "is_bureau": is_bureau,
        "can_reveal": user.has_perm("talent.view_full_id", application),
        "editable": editable,
        "can_withdraw": can_change and application.state in services.WITHDRAWABLE,
        "can_return": is_bureau and application.state == S.SUBMITTED and application.call.is_open(),
        "can_decide": is_bureau and in_review and not pending,
        "window_open": application.call.is_open(),
        "form": edit_form,
        "withdraw_form": form(("withdraw",), ReasonForm),
        "return_form": form(("return",), ReasonForm),
        "decision_form": form(("decide",), DecisionForm),
        "score_form": form(("score",), lambda: ScoreForm(criteria=criteria, members=pending))
        if pending
        else None,
        "failed": failed,
        "problems": problems,
    }


@never_cache  # the whole number must not sit in any cache
@login_required
@require_POST
def id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole ID number, for admins; each request is an audit entry."""
    application = _application(request, pk)
    _needs(request.user, "talent.view_full_id", application)
    number = services.reveal_id_number(request.user, application)
    template = "talent/_id_number.html" if request.htmx else "talent/id_number.html"
    return render(
        request,
        template,
        {"active": "talent_manage", "application": application, "id_number": number},
    )


# --- the bureau ----------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Programs and calls with their nominations counted by state, and the calls' actions."""
    _needs(request.user, "talent.manage")
    if request.method == "POST":
        call = get_object_or_404(TalentCall, code=request.POST.get("call", ""))
        action = {"publish": services.publish_call, "panel": services.start_panel}.get(
            request.POST.get("action", "")
        )
        if action is None:
            raise PermissionDenied
        try:
            action(request.user, call)
        except Rejected as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("“%(t)s”已更新。") % {"t": call.title})
        return redirect("talent:manage")
    return render(
        request,
        "talent/manage.html",
        {
            "active": "talent_manage",
            "page": Paginator(selectors.managed_calls(), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "programs": selectors.public_programs(),
            "now": timezone.now(),
        },
    )


def _form_page(request, template: str, form, save: Callable, extra: dict, valid=()) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for f in valid):
            try:
                obj = save()
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("“%(t)s”已保存。") % {"t": obj})
                return redirect("talent:manage")
        else:
            problems = form_problems(form)
            for formset in valid:
                for f in formset:
                    problems += form_problems(f)
    context = {"active": "talent_manage", "form": form, "problems": problems} | extra
    return render(request, template, context)


def _program_page(request, program: TalentProgram | None) -> HttpResponse:
    _needs(request.user, "talent.manage", program)
    post = request.POST if request.method == "POST" else None
    initial = ProgramForm.initial_for(program) if program else {"term_years": 3}
    form = ProgramForm(post, initial=initial)

    def save():
        data = form.data_for_service()
        if program is None:
            return services.create_program(request.user, **data)
        return services.update_program(request.user, program, **data)

    return _form_page(request, "talent/program_form.html", form, save, {"program": program})


@login_required
def program_new(request: HttpRequest) -> HttpResponse:
    return _program_page(request, None)


@login_required
def program_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _program_page(request, get_object_or_404(TalentProgram, code=code))


def _call_page(request, call: TalentCall | None) -> HttpResponse:
    _needs(request.user, "talent.manage", call)
    post = request.POST if request.method == "POST" else None
    initial = CallForm.initial_for(call) if call else {"panel_size": 5}
    criteria = [
        {
            "name": c.name,
            "name_en": c.name_en,
            "description": c.description,
            "weight": c.weight,
            "max_score": c.max_score,
        }
        for c in (call.criteria.all() if call else ())
    ]
    form = CallForm(post, initial=initial)
    criterion_set = CriterionFormSet(post, initial=criteria, prefix="criteria")

    def save():
        data = form.cleaned_data | {"criteria": rows(criterion_set, "name")}
        if call is None:
            return services.create_call(request.user, **data)
        return services.update_call(request.user, call, **data)

    return _form_page(
        request,
        "talent/call_form.html",
        form,
        save,
        {"call": call, "criterion_set": criterion_set},
        valid=(criterion_set,),
    )


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    return _call_page(request, None)


@login_required
def call_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _call_page(request, get_object_or_404(TalentCall, code=code))


@login_required
def call_applications(request: HttpRequest, code: str) -> HttpResponse:
    """A call's nominations: filters, search, sorting, pagination, Excel export (no ID numbers)."""
    call = get_object_or_404(TalentCall.objects.select_related("program"), code=code)
    _needs(request.user, "talent.manage", call)
    filters = selectors.ApplicationFilters.from_params(request.GET)
    qs = selectors.call_applications(call, filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            selectors.APPLICATION_HEADER,
            selectors.application_rows(qs),
            f"talent-applications-{call.code}",
        )
    return render(
        request,
        "talent/applications.html",
        {
            "active": "talent_manage",
            "call": call,
            "filters": filters,
            "page": Paginator(qs, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
            "states": [(s, label) for s, label in S.choices if s != S.DRAFT],
            "fields": FIELDS,
        },
    )


@login_required
def call_ranking(request: HttpRequest, code: str) -> HttpResponse:
    """The panel's results ranked, with spread warnings and ties, and each decision."""
    call = get_object_or_404(TalentCall.objects.select_related("program"), code=code)
    _needs(request.user, "talent.manage", call)
    if request.method == "POST":
        application = get_object_or_404(call.applications, pk=request.POST.get("application") or 0)
        form = DecisionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.decide(
                    request.user, application, approved=d["outcome"] == "approve", note=d["note"]
                )
            except Rejected as exc:
                _flash(request, exc)
            else:
                messages.success(request, _("%(code)s 的决定已记录。") % {"code": application.code})
        else:
            _flash(request, Rejected(form_problems(form)))
        return redirect("talent:ranking", code=call.code)
    return render(
        request,
        "talent/ranking.html",
        {
            "active": "talent_manage",
            "call": call,
            "ranking": selectors.ranking(call),
            "criteria": call.criteria.all(),
        },
    )


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """人才库: filters by program, year, employer and status; masked ID; export without IDs."""
    _needs(request.user, "talent.view_registry")
    filters = selectors.RegistryFilters.from_params(request.GET)
    qs = selectors.registry(filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(selectors.REGISTRY_HEADER, selectors.registry_rows(qs), "talent-registry")
    return render(
        request,
        "talent/registry.html",
        {
            "active": "talent_manage",
            "filters": filters,
            "page": Paginator(qs, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
            **selectors.registry_choices(),
        },
    )


# --- experts -------------------------------------------------------------------------------------


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """An expert's talent reviews: only the nominations it was drawn for."""
    _needs(request.user, "talent.view_reviews")
    return render(
        request,
        "talent/reviews.html",
        {
            "active": "talent_reviews",
            "page": Paginator(selectors.assignments_of(request.user), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
        },
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The drawn expert's view of one nomination and its score sheet. Anyone else is told it
    does not exist, and the attempt is audited."""
    user = request.user
    assignment = (
        selectors.assignment_for(user, pk) if user.has_perm("talent.view_reviews") else None
    )
    if assignment is None:
        application = TalentApplication.objects.filter(pk=pk).first()
        if application is None:
            raise Http404
        if user.has_perm("talent.view_application", application):
            return redirect("talent:application", pk=pk)
        log_access(user, application, note="人才评审页 / talent review page", denied=True)
        raise Http404
    application = assignment.application
    criteria = application.call.criteria.all()
    form, problems = ScoreForm(criteria=criteria), []
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.submit_score(
                    user, assignment, scores=form.scores(), opinion=form.cleaned_data["opinion"]
                )
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("评分已提交，谢谢。"))
                return redirect("talent:review", pk=pk)
        else:
            problems = form_problems(form)
    score = getattr(assignment, "score", None)
    return render(
        request,
        "talent/review.html",
        {
            "active": "talent_reviews",
            "assignment": assignment,
            "application": application,
            "call": application.call,
            "score": score,
            "scores": [(c, score.scores.get(str(c.pk))) for c in criteria] if score else [],
            "can_score": score is None and application.state == S.IN_REVIEW,
            "form": form,
            "problems": problems,
        },
    )
