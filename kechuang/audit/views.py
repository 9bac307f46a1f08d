from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from kechuang.audit.selectors import audit_entries, audited_models


@login_required
def log(request):
    """Who changed what, when, from where: readable by bureau admins only."""
    if not request.user.has_perm("accounts.view_audit"):
        raise PermissionDenied
    f = request.GET
    qs = audit_entries(
        model=f.get("model", ""),
        actor=f.get("actor", ""),
        action=f.get("action", ""),
        q=f.get("q", ""),
    )
    page = Paginator(qs, 50).get_page(f.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "models": audited_models(),
            "actions": LogEntry.Action.choices,
            "active": "audit",
        },
    )
