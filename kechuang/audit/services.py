"""Audit entries for bulk writes.

django-auditlog records single saves and deletes by itself. Bulk operations (imports) bypass
model signals, so they record their entries here, in bulk, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def _json(v) -> str:
    return "None" if v is None else str(v)


def log_bulk(
    objects: Iterable[models.Model],
    action: int,
    *,
    actor=None,
    fields: list[str],
    before: dict[int, dict] | None = None,
    note: str = "",
) -> int:
    """Write one LogEntry per object: ``before`` maps pk → old field values (updates only).

    The request's address comes from the audit context the middleware set, as for single saves.
    """
    remote_addr = auditlog_value.get({}).get("remote_addr")
    entries = []
    ct_cache: dict[type, ContentType] = {}
    for obj in objects:
        ct = ct_cache.get(type(obj)) or ct_cache.setdefault(
            type(obj), ContentType.objects.get_for_model(obj)
        )
        old = (before or {}).get(obj.pk, {})
        changes = {}
        for f in fields:
            new = getattr(obj, f"{f}_id", None) if hasattr(obj, f"{f}_id") else getattr(obj, f)
            prev = old.get(f)
            if action == LogEntry.Action.CREATE or prev != new:
                changes[f] = [
                    _json(prev) if action != LogEntry.Action.CREATE else "None",
                    _json(new),
                ]
        entries.append(
            LogEntry(
                content_type=ct,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=action,
                changes=changes,
                actor=actor if getattr(actor, "pk", None) else None,
                remote_addr=remote_addr,
                additional_data={"bulk": True, "note": note} if note else {"bulk": True},
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def log_access(user, obj: models.Model, *, note: str, denied: bool = False) -> LogEntry:
    """Record that someone looked at (or tried to look at) something sensitive.

    Used for whole ID numbers and for experts opening applications that are not theirs; the
    entry shows on the audit page beside the change history, as auditlog's "access" action.
    """
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=str(obj)[:200],
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=user if getattr(user, "pk", None) else None,
        remote_addr=auditlog_value.get({}).get("remote_addr"),
        additional_data={"note": note, "denied": denied},
    )
