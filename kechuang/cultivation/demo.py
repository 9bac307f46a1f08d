"""Demo cultivation data over the registry's 300 demo enterprises.

Two yearly re-evaluations run over the demo enterprises and their proposals are confirmed
(the later year's partly, so some proposals stay pending); a few enterprises are placed as
teams or moved out by hand; officers get service records, some with overdue follow-ups.
Idempotent: once demo pipeline entries exist, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.cultivation import services
from kechuang.cultivation.models import (
    PipelineEntry,
    ServiceRecord,
    Stage,
    StageChange,
    YearlyEvaluation,
)
from kechuang.enterprises.models import Enterprise

PENDING = 12  # proposals of the later year left for staff to decide


@dataclass
class CultivationDemoReport:
    entries: int = 0
    proposals_pending: int = 0
    services: int = 0
    overdue: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)


def _officers() -> list[User]:
    officers = list(
        User.objects.filter(role__in=(User.Role.STAFF, User.Role.ADMIN), is_active=True).order_by(
            "username"
        )
    )
    if not officers:
        raise RuntimeError("演示培育数据需要科技局用户 / load the demo users first")
    return officers


def _spread(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


@transaction.atomic
def load_cultivation_demo(
    seed: int = 2025, *, today: dt.date | None = None
) -> CultivationDemoReport:
    today = today or timezone.localdate()
    report = CultivationDemoReport()
    if PipelineEntry.objects.filter(is_demo=True).exists():
        return _summary(report)
    services.load_default_standards()
    rng = random.Random(seed)
    officers = _officers()
    demo = Enterprise.objects.filter(is_demo=True, in_district=True)
    if not demo.exists():
        return _summary(report)
    earlier, later = today.year - 2, today.year - 1
    for year in (earlier, later):
        services.propose_moves(year, today=today, enterprises=demo)
        open_ = list(
            StageChange.objects.filter(
                status=StageChange.Status.PROPOSED, is_demo=True, year=year
            ).select_related("enterprise")
        )
        rng.shuffle(open_)
        keep = PENDING if year == later else 0
        for change in open_[keep:]:
            services.confirm(None, change, on=_spread(rng, year) if year < today.year else today)
    # Backdate entry so the funnel has a history: the earlier year's entrants spread over
    # the plan period, the later year's in that year.
    for entry in PipelineEntry.objects.filter(is_demo=True).select_related("enterprise"):
        first = entry.enterprise.stage_changes.filter(status="confirmed").order_by("id").first()
        year = first.year if first and first.year else later
        entered = _spread(rng, rng.randint(today.year - 5, year))
        entry.entered_on = min(entered, entry.since)
        entry.service_officer = rng.choice(officers)
        entry.save(update_fields=["entered_on", "service_officer"])
    # Teams (not yet qualifying by any standard) and a few who left, placed by hand.
    outside = list(
        demo.exclude(pk__in=PipelineEntry.objects.values("enterprise_id"))
        .exclude(pk__in=StageChange.objects.filter(status="proposed").values("enterprise_id"))
        .order_by("uscc")[:20]
    )
    for e in outside[:15]:
        services.move(
            rng.choice(officers),
            e,
            Stage.TEAM,
            reason="创业团队入驻孵化器，纳入培育",
            on=_spread(rng, later),
        )
    startups = list(
        PipelineEntry.objects.filter(is_demo=True, stage=Stage.STARTUP).select_related(
            "enterprise"
        )[:4]
    )
    for entry in startups:
        services.move(
            rng.choice(officers),
            entry.enterprise,
            Stage.EXITED,
            reason="企业迁出本区",
            on=_spread(rng, later),
        )
    kinds = [k for k, _ in ServiceRecord.Kind.choices]
    records = []
    for entry in PipelineEntry.objects.filter(is_demo=True).select_related("enterprise"):
        for _ in range(rng.randint(1, 3)):
            day = min(
                _spread(rng, rng.randint(max(entry.entered_on.year, today.year - 4), today.year)),
                today,
            )
            follow = (
                day + dt.timedelta(days=rng.choice((14, 30, 60))) if rng.random() < 0.4 else None
            )
            records.append(
                ServiceRecord(
                    enterprise=entry.enterprise,
                    kind=rng.choice(kinds),
                    date=day,
                    officer=entry.service_officer or officers[0],
                    notes=rng.choice(
                        (
                            "走访了解研发投入归集情况，建议建立研发费用辅助账",
                            "高企认定政策培训",
                            "辅导知识产权布局，建议申请发明专利",
                            "对接高校开展产学研合作",
                            "科技型中小企业评价入库辅导",
                        )
                    ),
                    follow_up_on=follow,
                    follow_up_done=bool(follow and follow < today and rng.random() < 0.6),
                    is_demo=True,
                )
            )
    ServiceRecord.objects.bulk_create(records)
    return _summary(report)


def _summary(report: CultivationDemoReport) -> CultivationDemoReport:
    today = timezone.localdate()
    report.entries = PipelineEntry.objects.filter(is_demo=True).count()
    report.proposals_pending = StageChange.objects.filter(is_demo=True, status="proposed").count()
    report.services = ServiceRecord.objects.filter(is_demo=True).count()
    report.overdue = ServiceRecord.objects.filter(
        is_demo=True, follow_up_on__lt=today, follow_up_done=False
    ).count()
    report.stages = dict(
        Counter(PipelineEntry.objects.filter(is_demo=True).values_list("stage", flat=True))
    )
    outcomes: dict[str, Counter] = {}
    for ev in YearlyEvaluation.objects.filter(is_demo=True).values_list("outcomes", flat=True):
        for code, outcome in ev.items():
            outcomes.setdefault(code, Counter())[outcome] += 1
    report.outcomes = {k: dict(v) for k, v in outcomes.items()}
    return report


def remove_cultivation_demo() -> dict[str, int]:
    counts = {}
    for model in (ServiceRecord, StageChange, YearlyEvaluation, PipelineEntry):
        counts[model._meta.verbose_name_plural] = model.objects.filter(is_demo=True).delete()[0]
    return counts
