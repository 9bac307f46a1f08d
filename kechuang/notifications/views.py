from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.notifications import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "active": "notifications"},
    )


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    # Fetched by htmx after the page loads, so no page pays a query for the count.
    n = selectors.unread_count(request.user)
    return HttpResponse(f'<span class="badge">{n}</span>' if n else "")


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    services.mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
    return redirect("notifications:inbox")
