"""Science-popularization pages: the public calendar, its .ics feed and public event pages (no
login); the bureau's event list, forms, attachments and yearly totals.

An internal event answers 404 to anyone who may not see it, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.tables import workbook
from kechuang.enterprises.views import _download, form_problems
from kechuang.popularization import ics, selectors, services
from kechuang.popularization.forms import AttachmentForm, EventForm
from kechuang.popularization.models import Event, EventAttachment

PAGE_SIZE = 50


def _needs(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def calendar(request: HttpRequest) -> HttpResponse:
    """The month's public events: a grid on a desktop, a list on a phone."""
    today = timezone.localdate()
    year, month = selectors.parse_month(request.GET.get("month", ""), today)
    kind, audience = request.GET.get("kind", ""), request.GET.get("audience", "")
    m = selectors.calendar_month(year, month, today=today, kind=kind, audience=audience)
    return render(
        request,
        "popularization/calendar.html",
        {
            "active": "science_calendar",
            "month": m,
            "kind": kind,
            "audience": audience,
            "kinds": Event.Kind.choices,
            "audiences": Event.Audience.choices,
            "today": today,
            "weekdays": [
                _("周一"),
                _("周二"),
                _("周三"),
                _("周四"),
                _("周五"),
                _("周六"),
                _("周日"),
            ],
        },
    )


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Public events from a year back to a year ahead as iCalendar (kind/audience filters too)."""
    today = timezone.localdate()
    events = selectors.public_events(
        today.replace(year=today.year - 1, day=1),
        today.replace(year=today.year + 1, day=28),
        kind=request.GET.get("kind", ""),
        audience=request.GET.get("audience", ""),
    )
    body = ics.feed(
        events,
        url_of=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kepu.ics"'
    return response


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = Event.objects.select_related("organizer", "base").filter(pk=pk).first()
    if event is None or not request.user.has_perm("popularization.view_event", event):
        raise Http404
    user = request.user
    can_manage = user.has_perm("popularization.manage_event", event)
    return render(
        request,
        "popularization/event.html",
        {
            "active": "science"
            if user.has_perm("popularization.view_events")
            else "science_calendar",
            "event": event,
            "can_manage": can_manage,
            "attachments": event.attachments.order_by("kind", "uploaded_at")
            if user.has_perm("popularization.view_attachments", event)
            else None,
            "attachment_form": AttachmentForm() if can_manage else None,
        },
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "popularization.view_events")
    filters = selectors.Filters.from_params(request.GET)
    qs = selectors.event_list(filters)
    if request.GET.get("format") == "xlsx":
        content = workbook(selectors.EXPORT_HEADER, selectors.export_rows(qs))
        return _download(content, f"science-events-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "popularization/list.html",
        {
            "active": "science",
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "kinds": Event.Kind.choices,
            "audiences": Event.Audience.choices,
            "years": selectors.event_years(),
        },
    )


def _form_page(request, form, title: str, save, event: Event | None = None) -> HttpResponse:
    problems: list[Problem] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save(form.values())
            except Rejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("科普活动“%(t)s”已保存。") % {"t": saved.title})
                return redirect(saved)
        else:
            problems = form_problems(form)
    return render(
        request,
        "popularization/form.html",
        {"active": "science", "form": form, "problems": problems, "title": title, "event": event},
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "popularization.manage_event")
    form = EventForm(request.POST or None, initial={"is_public": True})
    return _form_page(
        request,
        form,
        _("登记科普活动"),
        lambda v: services.create_event(request.user, **v),
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    _needs(request.user, "popularization.manage_event", event)
    return _form_page(
        request,
        EventForm(request.POST or None, initial=EventForm.initial_for(event)),
        _("修改科普活动"),
        lambda v: services.update_event(request.user, event, **v),
        event,
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    _needs(request.user, "popularization.manage_event", event)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.attach(
                request.user, event, form.cleaned_data["files"], form.cleaned_data["kind"]
            )
        except Rejected as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": len(saved)})
    else:
        for p in form_problems(form):
            messages.error(request, str(p))
    return redirect(event)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file, after the permission check; to anyone else it does not exist."""
    att = EventAttachment.objects.select_related("event").filter(pk=pk).first()
    if att is None or not request.user.has_perm("popularization.view_attachments", att.event):
        raise Http404
    try:
        fh = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        fh,
        as_attachment=att.kind == EventAttachment.Kind.REPORT,
        filename=att.original_name,
        content_type=att.content_type,
    )


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    _needs(request.user, "popularization.view_events")
    rows = selectors.yearly_totals()
    return render(
        request,
        "popularization/totals.html",
        {
            "active": "science",
            "rows": [(r, [r.by_kind.get(k, 0) for k in Event.Kind.values]) for r in reversed(rows)],
            "chart": selectors.totals_chart(rows),
            "kinds": Event.Kind.choices,
        },
    )
