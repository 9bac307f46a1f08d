"""Telling people what happened: an in-app message each, and an e-mail copy where we have an
address. E-mail goes through Django's configured backend (the console by default), so nothing
leaves the machine unless the bureau sets up a mail server."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from kechuang.audit.services import log_bulk
from kechuang.notifications.models import Notification


def _mail_body(n: Notification) -> str:
    parts = [n.body_zh, "", n.title_en, n.body_en]
    if n.url:
        parts += ["", f"{settings.KECHUANG_SITE_URL.rstrip('/')}{n.url}"]
    return "\n".join(p for p in parts if p is not None).strip()


def notify(
    users: Iterable,
    *,
    title_zh: str,
    title_en: str,
    body_zh: str = "",
    body_en: str = "",
    url: str = "",
) -> int:
    """Create one notification per distinct active user and mail those who have an address.

    Mail is sent after the surrounding transaction commits, so a rolled-back action sends none.
    Returns the number of notifications created.
    """
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    rows = Notification.objects.bulk_create(
        Notification(
            user=u,
            title_zh=title_zh[:200],
            title_en=title_en[:200],
            body_zh=body_zh,
            body_en=body_en,
            url=url,
            emailed=bool(u.email),
        )
        for u in recipients.values()
    )
    log_bulk(rows, LogEntry.Action.CREATE, fields=["user", "title_zh"], note="notify")
    mails = [(n, recipients[n.user_id].email) for n in rows if n.emailed]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return len(rows)


def _send(mails: list[tuple[Notification, str]]) -> None:
    messages = [
        EmailMessage(subject=f"{n.title_zh} / {n.title_en}", body=_mail_body(n), to=[address])
        for n, address in mails
    ]
    # One connection for the batch; a failing mail server must not undo the action that notified.
    get_connection(fail_silently=True).send_messages(messages)


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``ids`` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
