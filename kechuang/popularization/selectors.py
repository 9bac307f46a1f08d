"""Reads for science popularization: the public calendar, the bureau's list, yearly totals,
figures for the report and open data."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import translation

from kechuang.popularization.models import Event

# --- the public calendar ----------------------------------------------------------------------


def parse_month(text: str, today: dt.date) -> tuple[int, int]:
    """ "2026-12" → (2026, 12); anything else → today's month."""
    try:
        year, month = (int(x) for x in (text or "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 1949 <= year <= today.year + 10:
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def public_events(
    start: dt.date, end: dt.date, *, kind: str = "", audience: str = ""
) -> QuerySet[Event]:
    """Public events overlapping [start, end], with organiser and base, in date order."""
    qs = Event.objects.filter(is_public=True, starts_on__lte=end, ends_on__gte=start)
    if kind in Event.Kind.values:
        qs = qs.filter(kind=kind)
    if audience in Event.Audience.values:
        qs = qs.filter(audience=audience)
    return qs.select_related("organizer", "base").order_by("starts_on", "title")


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    events: list[Event]

    @property
    def param(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def prev_param(self) -> str:
        y, m = _shift(self.year, self.month, -1)
        return f"{y}-{m:02d}"

    @property
    def next_param(self) -> str:
        y, m = _shift(self.year, self.month, 1)
        return f"{y}-{m:02d}"


def calendar_month(
    year: int, month: int, *, today: dt.date, kind: str = "", audience: str = ""
) -> Month:
    """The month as Monday-first weeks, each day holding the public events on it (an event of
    several days shows on each), and the month's events as a list. One query."""
    weeks = cal.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks[0][0], weeks[-1][-1]
    events = list(public_events(start, end, kind=kind, audience=audience))
    grid = [[Day(d, d.month == month, d == today) for d in week] for week in weeks]
    by_date = {day.date: day for week in grid for day in week}
    for e in events:
        d = max(e.starts_on, start)
        while d <= min(e.ends_on, end):
            by_date[d].events.append(e)
            d += dt.timedelta(days=1)
    first, last = dt.date(year, month, 1), dt.date(year, month, cal.monthrange(year, month)[1])
    in_month = [e for e in events if e.starts_on <= last and e.ends_on >= first]
    return Month(year, month, grid, in_month)


# --- the bureau's list ------------------------------------------------------------------------

SORTS = {
    "date": ("-starts_on", "title"),
    "-date": ("starts_on", "title"),
    # Events with no count yet sort last on every database (PostgreSQL puts NULLs first).
    "participants": (F("participants").desc(nulls_last=True), "-starts_on"),
}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    year: int | None = None
    kind: str = ""
    audience: str = ""
    visibility: str = ""
    sort: str = "date"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        year = params.get("year", "")
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            kind=params.get("kind", "") if params.get("kind") in Event.Kind.values else "",
            audience=params.get("audience", "")
            if params.get("audience") in Event.Audience.values
            else "",
            visibility=params.get("visibility", "")
            if params.get("visibility") in {"public", "internal"}
            else "",
            sort=sort if sort in SORTS else "date",
        )


def event_list(filters: Filters) -> QuerySet[Event]:
    qs = Event.objects.select_related("organizer", "base")
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(venue__icontains=q)
            | Q(organizer__name__icontains=q)
            | Q(organizer_name__icontains=q)
        )
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    if filters.visibility:
        qs = qs.filter(is_public=filters.visibility == "public")
    return qs.order_by(*SORTS[filters.sort])


def event_years() -> list[int]:
    return sorted({d.year for d in Event.objects.dates("starts_on", "year")}, reverse=True)


EXPORT_HEADER = [
    "活动名称 / title",
    "活动类型 / kind",
    "开始日期 / starts",
    "结束日期 / ends",
    "地点 / venue",
    "主办单位 / organiser",
    "面向人群 / audience",
    "参加人数 / participants",
    "所属科普基地 / base",
    "公开 / public",
]


def export_rows(qs: QuerySet[Event]):
    for e in qs:
        yield [
            e.title,
            e.get_kind_display(),
            e.starts_on,
            e.ends_on,
            e.venue,
            e.organizer_display,
            e.get_audience_display(),
            e.participants,
            e.base.name if e.base_id else "",
            "是" if e.is_public else "否",
        ]


# --- yearly totals ------------------------------------------------------------------------------


@dataclass
class YearTotals:
    year: int
    events: int = 0
    participants: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def yearly_totals() -> list[YearTotals]:
    """Events and participants per year (by start date) and events by kind, oldest first. One
    query."""
    rows: dict[int, YearTotals] = {}
    for r in (
        Event.objects.annotate(y=ExtractYear("starts_on"))
        .values("y", "kind")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by("y")
    ):
        t = rows.setdefault(r["y"], YearTotals(r["y"]))
        t.events += r["n"]
        t.participants += r["people"] or 0
        t.by_kind[r["kind"]] = r["n"]
    return [rows[y] for y in sorted(rows)]


def totals_chart(rows: list[YearTotals]) -> dict:
    """Events (bars) and participants (line, right axis) per year, for series.js."""
    return {
        "x": [r.year for r in rows],
        "series": [
            {"zh": "活动场次", "en": "Events", "kind": "bar", "values": [r.events for r in rows]},
            {
                "zh": "参加人数",
                "en": "Participants",
                "kind": "line",
                "axis": "y2",
                "values": [r.participants for r in rows],
            },
        ],
        "y2_zh": "人次",
        "y2_en": "people",
    }


# --- figures for the yearly report ------------------------------------------------------------

BRANDS = (Event.Kind.SCIENCE_WEEK, Event.Kind.SCIENCE_DAY, Event.Kind.SCIENCE_WINTER)


def event_figures(year: int) -> dict:
    """The year's science-popularization events (by start date), for the yearly report.

    Keys: ``year``; ``events`` (count); ``participants`` (sum of counted turnout, int);
    ``public`` (events on the public calendar); ``by_kind`` / ``by_audience``
    {Event.Kind / Event.Audience value: {"events", "participants"}}; ``brands``: the plan's
    three brand campaigns 科技周, 全国科普日, 科技之冬 {kind: {"events", "participants"}}, each
    present even when zero; ``bases`` (distinct 科普基地 with an event); ``uncounted`` (events
    with no turnout recorded yet).
    """
    qs = Event.objects.filter(starts_on__year=year)

    def grouped(key: str) -> dict:
        return {
            r[key]: {"events": r["n"], "participants": r["people"] or 0}
            for r in qs.values(key).annotate(n=Count("pk"), people=Sum("participants"))
        }

    by_kind = grouped("kind")
    agg = qs.aggregate(
        n=Count("pk"),
        people=Sum("participants"),
        public=Count("pk", filter=Q(is_public=True)),
        bases=Count("base", distinct=True),
        uncounted=Count("pk", filter=Q(participants__isnull=True)),
    )
    return {
        "year": year,
        "events": agg["n"],
        "participants": agg["people"] or 0,
        "public": agg["public"],
        "by_kind": by_kind,
        "by_audience": grouped("audience"),
        "brands": {str(k): by_kind.get(k, {"events": 0, "participants": 0}) for k in BRANDS},
        "bases": agg["bases"],
        "uncounted": agg["uncounted"],
    }


# --- open data --------------------------------------------------------------------------------

PUBLIC_FIELDS = (
    "id",
    "title",
    "kind",
    "kind_label",
    "starts_on",
    "ends_on",
    "venue",
    "organizer",
    "audience",
    "audience_label",
    "participants",
    "base",
)


def public_rows() -> list[dict]:
    """Public events with only the fields in ``PUBLIC_FIELDS``: the organiser as a unit's
    name, no description (it may name people), no attachments, no internal events."""
    qs = (
        Event.objects.filter(is_public=True)
        .select_related("organizer", "base")
        .order_by("starts_on", "pk")
    )
    with translation.override("zh-hans"):
        return [
            {
                "id": e.pk,
                "title": e.title,
                "kind": e.kind,
                "kind_label": str(e.get_kind_display()),
                "starts_on": e.starts_on,
                "ends_on": e.ends_on,
                "venue": e.venue,
                "organizer": e.organizer_display,
                "audience": e.audience,
                "audience_label": str(e.get_audience_display()),
                "participants": e.participants,
                "base": e.base.name if e.base_id else "",
            }
            for e in qs
        ]
