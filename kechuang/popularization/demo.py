"""Demo science-popularization events, flagged ``is_demo``: about sixty, 2021–2026, with the
plan's brand campaigns every year (全国科技活动周 in May, 全国科普日 in September, 科技之冬 in
December) and the 进校园、进社区、进企业、进机关 series (四、4; 二、（五）), plus a few in
December 2026 and January 2027 so the calendar's current month is not empty. Events not yet
held have no turnout. Venues and turnout are invented; organisers are the plan's departments.
Load after the carriers demo (events of the 科普基地 link to its bases).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.carriers.models import Carrier
from kechuang.popularization.models import Event

E, A = Event.Kind, Event.Audience
CULTURE_CENTRE, YOUTH_CENTRE = "独山子区文化中心", "独山子区青少年科技活动中心"


@dataclass(frozen=True)
class _Spec:
    title: str
    kind: str
    starts_on: dt.date
    days: int
    venue: str
    audience: str
    organizer: str = ""  # an organisation code
    organizer_name: str = ""
    base: str = ""
    size: int = 300
    is_public: bool = True
    description: str = ""


def _yearly(y: int) -> list[_Spec]:
    return [
        _Spec(
            f"{y}年全国科技活动周暨独山子区科技周",
            E.SCIENCE_WEEK,
            dt.date(y, 5, 20),
            7,
            "独山子区文化中心广场",
            A.PUBLIC,
            "kjj",
            base=CULTURE_CENTRE,
            size=1200,
            description="科技成果展示、石化科普展板、科技志愿者咨询服务。",
        ),
        _Spec(
            f"{y}年全国科普日独山子区主场活动",
            E.SCIENCE_DAY,
            dt.date(y, 9, 16),
            3,
            "独山子区青少年科技活动中心",
            A.PUBLIC,
            "kx",
            base=YOUTH_CENTRE if y >= 2022 else "",
            size=1500,
            description="科普展品体验、应急科普、科学实验秀。",
        ),
        _Spec(
            f"{y}年“科技之冬”科普宣传月启动",
            E.SCIENCE_WINTER,
            dt.date(y, 12, 10),
            1,
            "独山子区文化中心",
            A.FARMERS,
            "kx",
            base=CULTURE_CENTRE,
            size=600,
            description="农牧民实用技术培训与科技下乡。",
        ),
        _Spec(
            f"{y}年青少年科技创新大赛独山子区选拔赛",
            E.CONTEST,
            dt.date(y, 4, 12),
            1,
            "独山子区第一中学",
            A.YOUTH,
            "jyj",
            size=350,
        ),
        _Spec(
            "科普惠民进社区·健康生活讲堂",
            E.COMMUNITIES,
            dt.date(y, 6, 8),
            1,
            "西宁路街道社区服务中心",
            A.RESIDENTS,
            organizer_name="独山子区西宁路街道办事处",
            size=180,
        ),
        _Spec(
            "安全生产月·应急科普进企业",
            E.ENTERPRISES,
            dt.date(y, 6, 18),
            1,
            "独山子石化工业园区",
            A.WORKERS,
            "yjj",
            size=420,
        ),
        _Spec(
            "领导干部和公务员科学素质专题讲座",
            E.OFFICES,
            dt.date(y, 10, 21),
            1,
            "独山子区政务服务中心报告厅",
            A.PUBLIC,
            "kjj",
            size=150,
        ),
        _Spec(
            "老年人智能手机使用与防诈骗科普讲座",
            E.LECTURE,
            dt.date(y, 11, 9),
            1,
            "独山子区老年活动中心",
            A.ELDERLY,
            "kx",
            size=120,
        ),
        _Spec(
            "科学实验进校园",
            E.SCHOOLS,
            dt.date(y, 3, 28),
            1,
            "独山子区第三小学",
            A.YOUTH,
            "jyj",
            organizer_name="",
            size=500,
        ),
        _Spec(
            f"{y}年科普工作联席会议",
            E.OTHER,
            dt.date(y, 3, 6),
            1,
            "独山子区科学技术局会议室",
            A.PUBLIC,
            "kjj",
            size=30,
            is_public=False,
            description="部署全年科普工作（内部会议）。",
        ),
    ]


EXTRA = (
    _Spec(
        "冰雪运动与冬季健康科普讲座",
        E.LECTURE,
        dt.date(2026, 12, 5),
        1,
        "独山子区文化中心报告厅",
        A.PUBLIC,
        "kx",
    ),
    _Spec(
        "冬季安全用电用气科普进社区",
        E.COMMUNITIES,
        dt.date(2026, 12, 17),
        1,
        "金山路街道社区服务中心",
        A.RESIDENTS,
        organizer_name="独山子区金山路街道办事处",
    ),
    _Spec(
        "2027年“科技之冬”农牧民实用技术培训",
        E.SCIENCE_WINTER,
        dt.date(2027, 1, 12),
        2,
        "独山子区文化中心",
        A.FARMERS,
        "kx",
        base=CULTURE_CENTRE,
    ),
    _Spec(
        "寒假青少年科普冬令营",
        E.SCHOOLS,
        dt.date(2027, 1, 20),
        5,
        "独山子区青少年科技活动中心",
        A.YOUTH,
        "kx",
        base=YOUTH_CENTRE,
    ),
)


def specs() -> list[_Spec]:
    return [s for y in range(2021, 2027) for s in _yearly(y)] + list(EXTRA)


def _turnout(spec: _Spec) -> int:
    """Invented but steady: the event's size give or take a fifth."""
    h = zlib.crc32(f"{spec.title}{spec.starts_on}".encode()) % 41
    return spec.size * (80 + h) // 100


@dataclass
class EventDemoReport:
    events: int = 0


def load_popularization_demo(*, today: dt.date | None = None) -> EventDemoReport:
    """Create the demo events not there yet; running it again adds nothing."""
    today = today or timezone.localdate()
    orgs = {o.code: o for o in Organization.objects.filter(code__in={s.organizer for s in specs()})}
    bases = {c.name: c for c in Carrier.objects.filter(kind=Carrier.Kind.POPULARIZATION_BASE)}
    existing = set(Event.objects.filter(is_demo=True).values_list("title", "starts_on"))
    fresh = []
    for s in specs():
        if (s.title, s.starts_on) in existing:
            continue
        base = bases.get(s.base)
        organizer = orgs.get(s.organizer)
        fresh.append(
            Event(
                title=s.title,
                kind=s.kind,
                starts_on=s.starts_on,
                ends_on=s.starts_on + dt.timedelta(days=s.days - 1),
                venue=s.venue,
                organizer=organizer,
                organizer_name=s.organizer_name or ("" if organizer else "独山子区科学技术协会"),
                audience=s.audience,
                participants=_turnout(s) if s.starts_on < today else None,
                base=base if base and base.recognised_on <= s.starts_on else None,
                description=s.description,
                is_public=s.is_public,
                is_demo=True,
            )
        )
    with transaction.atomic():
        created = Event.objects.bulk_create(fresh)
    return EventDemoReport(events=len(created))


def remove_popularization_demo() -> dict[str, int]:
    """Delete the demo events (and any attachments added to them)."""
    demo = Event.objects.filter(is_demo=True)
    with transaction.atomic():
        counts = {"science events": demo.count()}
        demo.delete()
    return counts
