"""Call and application pages. Views parse requests and render; services and selectors work.

Published calls are public. An applicant sees its own organisation's applications only: any
other application, or its attachment, answers 404 as if it did not exist. Bureau pages refuse
everyone else (403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.calls import selectors, services
from kechuang.calls.forms import (
    ApplicationForm,
    AttachmentForm,
    CallForm,
    CriterionFormSet,
    FormalCheckForm,
    SectionFormSet,
    StartForm,
    WithdrawForm,
    rows,
    to_wan,
)
from kechuang.calls.models import Application, Call, Program
from kechuang.calls.rules import is_applicant_user
from kechuang.core import eligibility
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import workbook
from kechuang.supervision.forms import form_problems
from kechuang.uploads import KINDS
from kechuang.web.templatetags.kc import is_english

PAGE_SIZE = 20
TABLE_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# --- public -------------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    """Published calls with their window, filterable by program kind, year and open now."""
    filters = selectors.CallFilters.from_params(request.GET)
    page = Paginator(selectors.public_calls(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/list.html",
        {
            "active": "calls",
            "page": page,
            "filters": filters,
            "kinds": Program.Kind.choices,
            "years": selectors.call_years(),
            "now": timezone.now(),
        },
    )


def _call(request: HttpRequest, code: str) -> Call:
    call = selectors.call_page(code)
    if call is None or not request.user.has_perm("calls.view_call", call):
        raise Http404
    return call


def _call_context(request: HttpRequest, call: Call, **extra) -> dict:
    user = request.user
    can_apply = user.has_perm("calls.apply", call) and call.is_open()
    mine = []
    if is_applicant_user(user):
        mine = list(selectors.my_applications(user.organization_id).filter(call=call))
    return {
        "active": "calls",
        "call": call,
        "conditions": eligibility.describe(call.eligibility),
        "can_apply": can_apply,
        "start_form": StartForm(),
        "mine": mine,
        "applicant_role": user.is_authenticated and user.role == "enterprise",
        **extra,
    }


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A call: its window, budget, sections, weighted criteria and conditions, and "apply"."""
    return render(request, "calls/detail.html", _call_context(request, _call(request, code)))


@login_required
@require_POST
def apply(request: HttpRequest, code: str) -> HttpResponse:
    call = _call(request, code)
    _needs(request.user, "calls.apply", call)
    form = StartForm(request.POST)
    problems: list[Problem] = form_problems(form) if not form.is_valid() else []
    if not problems:
        try:
            application = services.create_draft(
                request.user, call, title=form.cleaned_data["title"]
            )
        except Rejected as exc:
            problems = exc.problems
        else:
            messages.success(request, _("已创建申报草稿，请填写申报书并上传附件。"))
            return redirect("calls:application", pk=application.pk)
    context = _call_context(request, call, problems=problems, start_form=form)
    return render(request, "calls/detail.html", context)


# --- applicants ---------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The applicant's organisation's applications, newest first."""
    user = request.user
    if not is_applicant_user(user):
        if user.has_perm("calls.manage_calls"):
            return redirect("calls:manage")
        raise PermissionDenied
    qs = selectors.my_applications(user.organization_id)
    return render(
        request,
        "calls/mine.html",
        {
            "active": "calls_mine",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "open_calls": selectors.public_calls(selectors.CallFilters(open_now=True))[:5],
        },
    )


def _application(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_page(pk)
    if application is None or not request.user.has_perm("calls.view_application", application):
        raise Http404
    return application


def _post_save(request, application):
    form = ApplicationForm(request.POST, application=application)
    if not form.is_valid():
        return form, form_problems(form)
    services.update_draft(request.user, application, **form.data_for_service())
    if request.POST.get("action") == "submit":
        application = services.submit(request.user, application)
        messages.success(
            request,
            _("申报已提交，申报编号 %(code)s。科技局将进行形式审查。") % {"code": application.code},
        )
    else:
        messages.success(request, _("已保存。"))
    return None, []


def _post_upload(request, application):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, form_problems(form)
    added = services.add_attachment(request.user, application, form.cleaned_data["files"])
    messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(added)})
    return None, []


def _post_remove(request, application):
    attachment = get_object_or_404(application.attachments, pk=request.POST.get("attachment") or 0)
    services.remove_attachment(request.user, attachment)
    messages.success(request, _("已删除附件“%(n)s”。") % {"n": attachment.original_name})
    return None, []


def _post_withdraw(request, application):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    services.withdraw(request.user, application, form.cleaned_data["reason"])
    messages.success(request, _("申报已撤回。"))
    return None, []


def _post_check(request, application):
    form = FormalCheckForm(request.POST)
    if not form.is_valid():
        return form, form_problems(form)
    d = form.cleaned_data
    services.formal_check(
        request.user,
        application,
        d["outcome"] == "accept",
        d["note"],
        returned=d["outcome"] == "return",
        resubmit_by=d["resubmit_by"],
    )
    messages.success(request, _("形式审查结论已记录，并已通知申报单位。"))
    return None, []


# action → (handler, permission it needs on the application)
ACTIONS: dict[str, tuple[Callable, str]] = {
    "save": (_post_save, "calls.change_application"),
    "submit": (_post_save, "calls.change_application"),
    "upload": (_post_upload, "calls.change_application"),
    "remove": (_post_remove, "calls.change_application"),
    "withdraw": (_post_withdraw, "calls.change_application"),
    "check": (_post_check, "calls.formal_check"),
}


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's form (read-only once submitted) or the bureau's view with the check."""
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
            return redirect("calls:application", pk=application.pk)
        failed = action
        application = selectors.application_page(pk)
    return render(
        request,
        "calls/application.html",
        _application_context(request, application, failed, bound, problems),
    )


def _application_context(request, application: Application, failed, bound, problems) -> dict:
    user = request.user
    is_bureau = user.has_perm("calls.formal_check", application)
    can_change = user.has_perm("calls.change_application", application)
    editable = can_change and application.is_editable

    def form(action, factory):
        return bound if failed == action and bound is not None else factory()

    application_form = None
    if editable and failed in ("save", "submit"):
        # Keep what was typed: a refused submission must not cost the applicant their text.
        application_form = bound or ApplicationForm(request.POST, application=application)
    elif editable:
        application_form = ApplicationForm(application=application)
    sections = application.call.sections.all()
    return {
        "active": "calls_manage" if is_bureau else "calls_mine",
        "application": application,
        "call": application.call,
        "answers": [(s, application.answers.get(s.key, "")) for s in sections],
        "states": application.state_changes.all(),
        "attachments": [(a, KINDS[a.kind]) for a in application.attachments.all()],
        "is_bureau": is_bureau,
        "can_change": can_change,
        "editable": editable,
        "can_withdraw": can_change and application.state in services.WITHDRAWABLE,
        "can_check": is_bureau and application.state == Application.State.SUBMITTED,
        "form": application_form,
        "attachment_form": form("upload", AttachmentForm),
        "withdraw_form": form("withdraw", WithdrawForm),
        "check_form": form("check", FormalCheckForm),
        "deadline": application.submission_deadline(),
        "window_open": application.call.is_open()
        or (
            application.state == Application.State.RETURNED
            and application.resubmit_by is not None
            and application.resubmit_by > timezone.now()
        ),
        "eligibility_today": selectors.eligibility_today(application)
        if is_bureau and application.call.eligibility
        else None,
        "requested_wan": to_wan(application.requested_amount),
        "failed": failed,
        "problems": problems,
        "max_mb": settings.KECHUANG_EVIDENCE_MAX_BYTES // (1024 * 1024),
        "max_attachments": services.MAX_ATTACHMENTS,
    }


@never_cache  # permission-gated content must not sit in a shared cache
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file, after the permission check; to anyone else it does not exist (404, not 403)."""
    a = selectors.attachment_with_application(pk)
    if a is None or not request.user.has_perm("calls.view_application", a.application):
        raise Http404
    try:
        fh = a.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh, as_attachment=True, filename=a.original_name, content_type=KINDS[a.kind].content_type
    )


# --- the bureau ---------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every call with its applications counted by state, and the calls' actions."""
    _needs(request.user, "calls.manage_calls")
    if request.method == "POST":
        call = get_object_or_404(Call, code=request.POST.get("call", ""))
        action = {"publish": services.publish, "close": services.close_call}.get(
            request.POST.get("action", "")
        )
        if action is None:
            raise PermissionDenied
        try:
            action(request.user, call)
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, p.message_en if is_english() else p.message_zh)
        else:
            messages.success(request, _("“%(t)s”已更新。") % {"t": call.title})
        return redirect("calls:manage")
    qs = selectors.managed_calls()
    return render(
        request,
        "calls/manage.html",
        {
            "active": "calls_manage",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "states": Application.State.choices,
            "queue": selectors.formal_check_queue().count(),
            "now": timezone.now(),
        },
    )


def _call_form_page(request: HttpRequest, call: Call | None) -> HttpResponse:
    if call is None:
        initial, sections, criteria = {"panel_size": 5}, [], []
    else:
        initial = CallForm.initial_for(call)
        sections = [
            {
                "key": s.key,
                "title": s.title,
                "title_en": s.title_en,
                "guidance": s.guidance,
                "required": s.required,
                "max_chars": s.max_chars,
            }
            for s in call.sections.all()
        ]
        criteria = [
            {
                "name": c.name,
                "name_en": c.name_en,
                "description": c.description,
                "weight": c.weight,
                "max_score": c.max_score,
            }
            for c in call.criteria.all()
        ]
    post = request.POST if request.method == "POST" else None
    form = CallForm(post, initial=initial)
    section_set = SectionFormSet(post, initial=sections, prefix="sections")
    criterion_set = CriterionFormSet(post, initial=criteria, prefix="criteria")
    problems: list[Problem] = []
    if post is not None:
        valid = [f.is_valid() for f in (form, section_set, criterion_set)]
        if all(valid):
            data = form.data_for_service() | {
                "sections": rows(section_set, "key"),
                "criteria": rows(criterion_set, "name"),
            }
            try:
                if call is None:
                    call = services.create_call(request.user, **data)
                else:
                    call = services.update_call(request.user, call, **data)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("申报指南“%(t)s”已保存。") % {"t": call.title})
                return redirect("calls:manage")
        else:
            problems = form_problems(form)
            for fs in (section_set, criterion_set):
                for f in fs:
                    problems += form_problems(f)
    return render(
        request,
        "calls/call_form.html",
        {
            "active": "calls_manage",
            "call": call,
            "form": form,
            "section_set": section_set,
            "criterion_set": criterion_set,
            "problems": problems,
        },
    )


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "calls.manage_calls")
    return _call_form_page(request, None)


@login_required
def call_edit(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(Call, code=code)
    _needs(request.user, "calls.manage_calls", call)
    return _call_form_page(request, call)


@login_required
def call_applications(request: HttpRequest, code: str) -> HttpResponse:
    """A call's applications: filters, search, sorting, pagination, Excel export."""
    call = get_object_or_404(Call.objects.select_related("program"), code=code)
    _needs(request.user, "calls.manage_calls", call)
    filters = selectors.ApplicationFilters.from_params(request.GET)
    qs = selectors.call_applications(call, filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.EXPORT_HEADER, selectors.export_rows(qs))
        response = HttpResponse(content, content_type=XLSX)
        name = f"applications-{call.code}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    return render(
        request,
        "calls/applications.html",
        {
            "active": "calls_manage",
            "call": call,
            "filters": filters,
            "page": Paginator(qs, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
            "states": [(s, label) for s, label in Application.State.choices if s != "draft"],
            "fields": Enterprise.HighTechField.choices,
        },
    )


@login_required
def formal_check_queue(request: HttpRequest) -> HttpResponse:
    """Submitted applications waiting for the formal check, oldest first."""
    _needs(request.user, "calls.formal_check")
    qs = selectors.formal_check_queue()
    return render(
        request,
        "calls/formal_check.html",
        {
            "active": "calls_manage",
            "page": Paginator(qs, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )
