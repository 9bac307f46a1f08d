"""Science-popularization events over JSON: the public list (no login), one event for the
bureau."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.popularization import selectors
from kechuang.popularization.models import Event

router = Router(tags=["popularization"])


class PublicEvent(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    organizer: str
    audience: str
    audience_label: str
    participants: int | None
    base: str


class PublicFilters(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str = ""
    audience: str = ""


class EventOut(PublicEvent):
    organizer_code: str | None
    description: str
    is_public: bool
    is_demo: bool
    attachments: list[str]


def _public(e: Event) -> dict:
    return {
        "id": e.pk,
        "title": e.title,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "venue": e.venue,
        "organizer": e.organizer_display,
        "audience": e.audience,
        "audience_label": e.get_audience_display(),
        "participants": e.participants,
        "base": e.base.name if e.base_id else "",
    }


@router.get("/events/public", response=list[PublicEvent], summary="公开的科普活动 / public events")
@paginate
def public_events(request, filters: Query[PublicFilters]):
    """Public events overlapping [start, end] (default: this year), in date order."""
    today = timezone.localdate()
    start = filters.start or dt.date(today.year, 1, 1)
    end = filters.end or dt.date(today.year, 12, 31)
    qs = selectors.public_events(start, end, kind=filters.kind, audience=filters.audience)
    return [_public(e) for e in qs]


@router.get(
    "/events/{event_id}",
    response=EventOut,
    auth=django_auth,
    summary="科普活动详情 / one event (bureau)",
)
def get_event(request, event_id: int):
    if not request.user.has_perm("popularization.view_events"):
        raise PermissionDenied("只有科技局可以查看活动详情 / bureau only")
    e = Event.objects.select_related("organizer", "base").filter(pk=event_id).first()
    if e is None:
        raise Http404
    return _public(e) | {
        "organizer_code": e.organizer.code if e.organizer_id else None,
        "description": e.description,
        "is_public": e.is_public,
        "is_demo": e.is_demo,
        "attachments": [a.original_name for a in e.attachments.all()],
    }
