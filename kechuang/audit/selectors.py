from auditlog.models import LogEntry
from django.db.models import QuerySet


def audit_entries(*, model: str = "", actor: str = "", action: str = "", q: str = "") -> QuerySet:
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model:
        app_label, _, name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=name)
    if actor:
        qs = qs.filter(actor__username=actor)
    if action.isdigit():
        qs = qs.filter(action=int(action))
    if q:
        qs = qs.filter(object_repr__icontains=q)
    return qs


def audited_models() -> list[tuple[str, str]]:
    from auditlog.registry import auditlog

    return sorted(
        (f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name))
        for m in auditlog.get_models()
    )
