"""Expert library pages (bureau), the expert's own page, and the public draw pages.

The library is the bureau's: anyone else is refused (403), and an expert who opens another
expert's address gets 404, as if it did not exist. Draw pages are public and show candidate
codes, units and fields only; bureau users also see the names of those drawn.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.core import draw as D
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.views import XLSX, _download, form_problems
from kechuang.experts import imports, selectors, services
from kechuang.experts.forms import (
    AvailabilityForm,
    CollaborationForm,
    ExpertForm,
    ImportForm,
    RelationshipForm,
)
from kechuang.experts.models import Draw, Expert, Relationship
from kechuang.experts.rules import is_expert_user

PAGE_SIZE = 50


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _expert(request: HttpRequest, code: str) -> Expert:
    """The expert if the user may see the library; 404 for an expert user, else 403."""
    user = request.user
    if not user.has_perm("experts.view_library"):
        if is_expert_user(user):
            raise Http404
        raise PermissionDenied
    expert = selectors.expert_by_code(code)
    if expert is None:
        raise Http404
    return expert


# --- the library -----------------------------------------------------------------------------


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    """Every expert, searchable and filterable in place, sortable, paginated, exportable."""
    _needs(request.user, "experts.view_library")
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.expert_list(filters)
    if request.GET.get("format") == "xlsx":
        return _download(imports.export(qs), f"experts-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "experts/list.html",
        {
            "active": "experts",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "fields": services.FIELDS,
            "titles": Expert.Title.choices,
            "total": Expert.objects.count(),
        },
    )


@login_required
def expert_detail(request: HttpRequest, code: str) -> HttpResponse:
    expert = _expert(request, code)
    user = request.user
    return render(
        request,
        "experts/detail.html",
        {
            "active": "experts",
            "expert": expert,
            "relationships": selectors.relationships_of(expert),
            "collaborations": selectors.collaborations_of(expert),
            "draws": selectors.draws_of(expert)[:50],
            "unavailable_today": services.unavailable_on(expert, timezone.localdate()),
            "can_manage": user.has_perm("experts.manage_expert", expert),
            "can_reveal": user.has_perm("experts.view_full_id", expert),
            "relationship_form": RelationshipForm(),
            "collaboration_form": CollaborationForm(),
        },
    )


def _form_page(request, form, title: str, save, expert: Expert | None = None) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form)
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("专家 %(c)s 已保存。") % {"c": saved.code})
                return redirect("experts:detail", code=saved.code)
        else:
            problems = form_problems(form)
    return render(
        request,
        "experts/form.html",
        {
            "active": "experts",
            "form": form,
            "problems": problems,
            "title": title,
            "expert": expert,
        },
    )


@login_required
def expert_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "experts.manage_expert")
    return _form_page(
        request,
        ExpertForm(request.POST or None),
        _("录入专家"),
        lambda form: services.create_expert(request.user, **form.values()),
    )


@login_required
def expert_edit(request: HttpRequest, code: str) -> HttpResponse:
    expert = _expert(request, code)
    _needs(request.user, "experts.manage_expert", expert)
    initial = {k: getattr(expert, k) for k in services.PROFILE_FIELDS if k != "id_number"}
    initial["expert_fields"] = initial.pop("fields")
    form = ExpertForm(request.POST or None, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        _("修改专家信息"),
        lambda form: services.update_expert(request.user, expert, **form.values()),
        expert,
    )


@never_cache  # the whole number must not sit in any cache
@login_required
@require_POST
def id_number(request: HttpRequest, code: str) -> HttpResponse:
    """The whole ID number, for admins; each request is an audit entry."""
    expert = _expert(request, code)
    _needs(request.user, "experts.view_full_id", expert)
    number = services.reveal_id_number(request.user, expert)
    template = "experts/_id_number.html" if request.htmx else "experts/id_number.html"
    return render(request, template, {"active": "experts", "expert": expert, "id_number": number})


def _post_form(request, form, save, code: str) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            messages.success(request, _("已保存。"))
    else:
        for p in form_problems(form):
            messages.error(request, f"{p.where}：{p.message_zh}")
    return redirect("experts:detail", code=code)


@login_required
@require_POST
def relationship_new(request: HttpRequest, code: str) -> HttpResponse:
    expert = _expert(request, code)
    _needs(request.user, "experts.declare_relationship", expert)
    return _post_form(
        request,
        RelationshipForm(request.POST),
        lambda d: services.declare_relationship(request.user, expert, **d),
        expert.code,
    )


@login_required
@require_POST
def collaboration_new(request: HttpRequest, code: str) -> HttpResponse:
    expert = _expert(request, code)
    _needs(request.user, "experts.record_collaboration", expert)
    return _post_form(
        request,
        CollaborationForm(request.POST),
        lambda d: services.record_collaboration(request.user, expert, **d),
        expert.code,
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in template; it is checked whole and imported whole, or not at all."""
    _needs(request.user, "experts.manage_expert")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                result = imports.import_experts(request.user, form.cleaned_data["file"])
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("已导入 %(n)s 行：新增 %(c)s 人，更新 %(u)s 人，未变 %(s)s 人。")
                    % {
                        "n": result.rows,
                        "c": result.created,
                        "u": result.updated,
                        "s": result.unchanged,
                    },
                )
                return redirect("experts:list")
        else:
            problems = form_problems(form)
    return render(
        request,
        "experts/import.html",
        {"active": "experts", "form": form, "problems": problems},
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "experts.manage_expert")
    return _download(imports.template(), "expert-template.xlsx", XLSX)


# --- the expert's own page -------------------------------------------------------------------


def _own(request: HttpRequest) -> Expert | None:
    user = request.user
    if not is_expert_user(user):
        raise PermissionDenied
    return selectors.expert_of(user)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """An expert's own record: availability and declared relationships, masked ID number."""
    if request.user.has_perm("experts.view_library") and not is_expert_user(request.user):
        return redirect("experts:list")
    expert = _own(request)
    context = {"active": "expert_me", "expert": expert}
    if expert is not None:
        context |= {
            "relationships": selectors.relationships_of(expert),
            "unavailable_today": services.unavailable_on(expert, timezone.localdate()),
            "availability_form": AvailabilityForm(
                initial={
                    "available": expert.available,
                    "unavailable_from": expert.unavailable_from,
                    "unavailable_until": expert.unavailable_until,
                    "reason": expert.unavailable_reason,
                }
            ),
            "relationship_form": RelationshipForm(),
            "kinds": Relationship.Kind.choices,
        }
    return render(request, "experts/me.html", context)


def _own_post(request: HttpRequest, form, save) -> HttpResponse:
    expert = _own(request)
    if expert is None:
        raise Http404
    if form.is_valid():
        try:
            save(expert, form.cleaned_data)
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            messages.success(request, _("已保存。"))
    else:
        for p in form_problems(form):
            messages.error(request, f"{p.where}：{p.message_zh}")
    return redirect("experts:me")


@login_required
@require_POST
def me_availability(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        AvailabilityForm(request.POST),
        lambda expert, d: services.set_availability(request.user, expert, **d),
    )


@login_required
@require_POST
def me_relationship(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        RelationshipForm(request.POST),
        lambda expert, d: services.declare_relationship(request.user, expert, **d),
    )


# --- draws (public) --------------------------------------------------------------------------


def draw_list(request: HttpRequest) -> HttpResponse:
    """Every draw, public: what it was for, its commitment and hash, and whether it is made."""
    f = request.GET
    qs = selectors.draw_list(
        kind=f.get("kind", ""),
        state=f.get("state", ""),
        q=f.get("q", "").strip()[:100],
        sort=f.get("sort", "-created"),
    )
    return render(
        request,
        "experts/draw_list.html",
        {
            "active": "draws",
            "page": Paginator(qs, PAGE_SIZE).get_page(f.get("page")),
            "kinds": Draw.Kind.choices,
            "states": Draw.State.choices,
        },
    )


def _draw(draw_id: str) -> Draw:
    draw = selectors.draw_by_id(draw_id)
    if draw is None:
        raise Http404
    return draw


def draw_detail(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = _draw(draw_id)
    user = request.user
    names = {}
    if (
        draw.is_published
        and draw.kind != Draw.Kind.INSPECTION_OBJECTS
        and user.has_perm("experts.view_draw_names")
    ):
        picked = services.chosen(draw) + services.alternates(draw)[: selectors.ALTERNATES_SHOWN]
        names = {e.code: e.name for e in services.experts_by_code(picked)}
    return render(
        request,
        "experts/draw_detail.html",
        {
            "active": "draws",
            "draw": draw,
            "view": selectors.draw_page(draw, names),
            "show_names": bool(names),
            "can_perform": draw.state == Draw.State.COMMITTED
            and user.has_perm("experts.perform_draw", draw),
            "pool_shown": selectors.POOL_SHOWN,
        },
    )


def draw_record(request: HttpRequest, draw_id: str) -> HttpResponse:
    """The record as hashed: ``sha256sum`` of this file is the published record_sha256."""
    draw = _draw(draw_id)
    body = D.canonical_json(draw.record)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename={draw.draw_id}-record.json"
    return response


def draw_export(request: HttpRequest, draw_id: str) -> HttpResponse:
    """The published draw for ``kechuang verify-draw``; 404 until the seed is revealed."""
    draw = _draw(draw_id)
    try:
        data = services.export_draw(draw)
    except Rejected as exc:
        raise Http404(str(exc)) from exc
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f"attachment; filename={draw.draw_id}.json"
    return response


@login_required
@require_POST
def draw_perform(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = _draw(draw_id)
    _needs(request.user, "experts.perform_draw", draw)
    try:
        services.perform_draw(request.user, draw)
    except Rejected as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    else:
        messages.success(request, _("抽取 %(d)s 已完成，种子与结果已公布。") % {"d": draw.draw_id})
    return redirect("experts:draw", draw_id=draw.draw_id)
