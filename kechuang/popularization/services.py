"""Writes to science popularization: events and their attachments. Each checks permission,
checks all its input and raises ``Rejected`` naming every problem, and only then writes.

When did an organiser "exist"? ``Organization`` carries no founding date, so the platform uses
the dates it does know: an organiser that is a registry enterprise existed from its 成立日期
(``Enterprise.registered_on``); an event counted for a 科普基地 cannot start before that base
was recognised (``Carrier.recognised_on``), since before then it was not a base's event. Where
neither date is known, nothing is assumed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.carriers.models import Carrier
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.enterprises.models import Enterprise
from kechuang.popularization.models import Event, EventAttachment
from kechuang.uploads import DOCUMENT_KINDS, KINDS, UploadLike, check_files

EVENT_FIELDS = (
    "title",
    "kind",
    "starts_on",
    "ends_on",
    "venue",
    "organizer",
    "organizer_name",
    "audience",
    "participants",
    "base",
    "description",
    "is_public",
)
MAX_DAYS = 366
ATTACHMENT_KINDS = {
    EventAttachment.Kind.PHOTO: frozenset({"jpeg", "png"}),
    EventAttachment.Kind.REPORT: DOCUMENT_KINDS,
}
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def event_where(key: str) -> str:
    return at("", str(Event._meta.get_field(key).verbose_name), key)


def organizer_since(organizer: Organization | None) -> dt.date | None:
    """The day the organiser is known to have existed from (its registry 成立日期), if known."""
    if organizer is None:
        return None
    enterprise = Enterprise.objects.filter(organization=organizer).only("registered_on").first()
    return enterprise.registered_on if enterprise else None


def check_event(values: dict) -> tuple[dict, list[Problem]]:
    out = {k: values.get(k) for k in EVENT_FIELDS}
    w = event_where
    problems: list[Problem] = []
    for key in ("title", "venue", "organizer_name", "description"):
        out[key] = (out[key] or "").strip()
    out["is_public"] = bool(out["is_public"])
    if not out["title"]:
        problems.append(Problem(w("title"), "请填写活动名称", "the title is required"))
    if not out["venue"]:
        problems.append(Problem(w("venue"), "请填写活动地点", "the venue is required"))
    if out["kind"] not in Event.Kind.values:
        problems.append(Problem(w("kind"), "请选择活动类型", "choose the kind of event"))
    if out["audience"] not in Event.Audience.values:
        problems.append(Problem(w("audience"), "请选择面向人群", "choose the audience"))
    organizer = out["organizer"]
    if organizer is None and not out["organizer_name"]:
        problems.append(
            Problem(w("organizer"), "请选择主办单位或填写平台外主办单位", "name the organiser")
        )
    starts, ends = out["starts_on"], out["ends_on"] or out["starts_on"]
    out["ends_on"] = ends
    if not isinstance(starts, dt.date):
        problems.append(Problem(w("starts_on"), "请填写开始日期", "the start date is required"))
        starts = None
    elif ends < starts:
        problems.append(
            Problem(
                w("ends_on"),
                f"结束日期（{ends:%Y-%m-%d}）早于开始日期（{starts:%Y-%m-%d}）",
                "the event ends before it starts",
            )
        )
    elif (ends - starts).days > MAX_DAYS:
        problems.append(
            Problem(w("ends_on"), "活动持续超过一年，请分别登记", "longer than a year: split it")
        )
    participants = out["participants"]
    if participants is not None:
        if isinstance(participants, bool) or not isinstance(participants, int):
            problems.append(
                Problem(
                    w("participants"), "参加人数应为整数", "participants must be a whole number"
                )
            )
        elif participants < 0:
            problems.append(
                Problem(
                    w("participants"),
                    f"参加人数不能为负数（{participants}）",
                    f"participants cannot be negative ({participants})",
                )
            )
        elif starts is not None and starts > timezone.localdate():
            problems.append(
                Problem(
                    w("participants"),
                    f"活动（{starts:%Y-%m-%d}）尚未开始，参加人数在活动后填写",
                    "the event has not started; count participants afterwards",
                )
            )
    since = organizer_since(organizer)
    if starts is not None and since is not None and starts < since:
        problems.append(
            Problem(
                w("starts_on"),
                f"活动日期（{starts:%Y-%m-%d}）早于主办单位「{organizer.name}」成立"
                f"（{since:%Y-%m-%d}）",
                f"the event ({starts:%Y-%m-%d}) is before its organiser existed "
                f"(registered {since:%Y-%m-%d})",
            )
        )
    base = out["base"]
    if base is not None:
        if not isinstance(base, Carrier) or base.kind != Carrier.Kind.POPULARIZATION_BASE:
            problems.append(
                Problem(w("base"), "所选载体不是科普基地", "the carrier chosen is not a 科普基地")
            )
        elif starts is not None and starts < base.recognised_on:
            problems.append(
                Problem(
                    w("starts_on"),
                    f"活动日期（{starts:%Y-%m-%d}）早于科普基地「{base.name}」认定"
                    f"（{base.recognised_on:%Y-%m-%d}）",
                    f"the event is before the base was recognised ({base.recognised_on:%Y-%m-%d})",
                )
            )
    return out, problems


def _check_files(files: Sequence[UploadLike], kind: str) -> tuple[list, list[Problem]]:
    if kind not in ATTACHMENT_KINDS:
        return [], [Problem("kind", f"未知附件类别「{kind}」", f"unknown attachment kind '{kind}'")]
    return check_files(
        list(files), max_bytes=MAX_BYTES, allowed=ATTACHMENT_KINDS[kind], max_files=MAX_FILES
    )


def _store(user, event: Event, checked, kind: str) -> list[EventAttachment]:
    """Save the files under MEDIA_ROOT with random names; remove them if the rows roll back."""
    stored: list[str] = []
    saved = []
    try:
        with transaction.atomic():
            for c in checked:
                att = EventAttachment(
                    event=event,
                    kind=kind,
                    original_name=c.original_name,
                    content_type=KINDS[c.kind].content_type,
                    size=c.size,
                    sha256=c.sha256,
                    uploaded_by=user if getattr(user, "pk", None) else None,
                )
                att.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                stored.append(att.file.name)
                att.save()
                saved.append(att)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return saved


def create_event(
    user,
    *,
    files: Sequence[UploadLike] = (),
    file_kind: str = EventAttachment.Kind.PHOTO,
    is_demo: bool = False,
    **values,
) -> Event:
    """Record an event, with photos or its report attached if given."""
    _require(user, "popularization.manage_event", None, "只有科技局可以登记科普活动", "bureau only")
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    out, problems = check_event(values)
    checked, more = _check_files(files, file_kind) if files else ([], [])
    if problems + more:
        raise Rejected(problems + more)
    with transaction.atomic():
        event = Event.objects.create(
            **out, created_by=user if getattr(user, "pk", None) else None, is_demo=is_demo
        )
        _store(user, event, checked, file_kind)
    return event


@transaction.atomic
def update_event(user, event: Event, **values) -> Event:
    """Correct an event (the form sends every field); the audit log keeps the old values."""
    _require(
        user, "popularization.manage_event", event, "只有科技局可以修改科普活动", "bureau only"
    )
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    out, problems = check_event(values)
    if problems:
        raise Rejected(problems)
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = [k for k, v in out.items() if getattr(event, k) != v]
    if changed:
        for k in changed:
            setattr(event, k, out[k])
        event.save()
    return event


def attach(user, event: Event, files: Sequence[UploadLike], kind: str) -> list[EventAttachment]:
    """Add photos (JPEG, PNG) or reports (PDF, Word, Excel) to an event."""
    _require(user, "popularization.manage_event", event, "只有科技局可以上传附件", "bureau only")
    checked, problems = _check_files(files, kind)
    if not files:
        problems.append(Problem("files", "请选择要上传的文件", "choose a file to upload"))
    if problems:
        raise Rejected(problems)
    return _store(user, event, checked, kind)
