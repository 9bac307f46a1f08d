"""Reads of cultivation: assessments, the pipeline, proposals, the funnel, alerts and the
registry-versus-statistics reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kechuang.core.criteria import CODES, Outcome, Result, Status, assess, result_to_dict
from kechuang.cultivation.models import (
    STAGE_ORDER,
    PipelineEntry,
    ServiceRecord,
    Stage,
    StageChange,
    YearlyEvaluation,
)
from kechuang.enterprises.facts import facts_for, facts_for_many
from kechuang.enterprises.models import Certification, Enterprise, YearlyFigures

# --- assessments -----------------------------------------------------------------------------


def assessments(enterprise: Enterprise, *, on: dt.date | None = None) -> list[Result]:
    """Every rule set's assessment of the enterprise from its registry facts, today."""
    day = on or timezone.localdate()
    facts = facts_for(enterprise, on=day)
    return [assess(code, facts, on=day) for code in CODES]


OUTCOME_CLASS = {
    Outcome.ELIGIBLE.value: "ok",
    Outcome.NOT_ELIGIBLE.value: "bad",
    Outcome.NEEDS_REVIEW.value: "warn",
}
STATUS_CLASS = {"pass": "ok", "fail": "bad", "needs_review": "warn"}
STATUS_LABELS = {s.value: (s.label_zh, s.label_en) for s in Status}
OUTCOME_LABELS = {o.value: (o.label_zh, o.label_en) for o in Outcome}


def _shown(actual, threshold) -> tuple[str, str]:
    """Ratios (a threshold strictly between 0 and 1) as percentages; everything else as is."""
    try:
        t = Decimal(threshold)
        a = Decimal(actual)
    except (TypeError, ArithmeticError, ValueError):
        return (actual if actual is not None else "—", threshold if threshold is not None else "—")
    if 0 < t < 1 and "." in str(threshold):
        return f"{a * 100:.2f}%", f"{t * 100:.2f}%".replace(".00%", "%")
    return str(actual), str(threshold)


def assessment_views(enterprise: Enterprise, *, on: dt.date | None = None) -> list[dict]:
    """The assessments as template-ready data: strings for numbers (as the JSON form gives
    them), a badge class and both labels for every outcome and status."""
    views = []
    for result in assessments(enterprise, on=on):
        data = result_to_dict(result)
        data["badge"] = OUTCOME_CLASS[data["outcome"]]
        data["outcome_zh"], data["outcome_en"] = OUTCOME_LABELS[data["outcome"]]
        for c in data["criteria"]:
            c["actual_shown"], c["threshold_shown"] = _shown(c["actual"], c["threshold"])
            c["badge"] = STATUS_CLASS[c["status"]]
            c["status_zh"], c["status_en"] = STATUS_LABELS[c["status"]]
        views.append(data)
    return views


# --- the pipeline ----------------------------------------------------------------------------


def pipeline(stage: str | None = None) -> QuerySet[PipelineEntry]:
    qs = PipelineEntry.objects.select_related("enterprise", "service_officer")
    return qs.filter(stage=stage) if stage else qs


def stage_counts() -> dict[str, int]:
    counts = dict(PipelineEntry.objects.values_list("stage").annotate(n=Count("id")))
    return {s: counts.get(s, 0) for s in Stage.values}


def proposals(status: str = StageChange.Status.PROPOSED) -> QuerySet[StageChange]:
    return (
        StageChange.objects.filter(status=status)
        .select_related("enterprise", "standard", "proposed_by", "confirmed_by")
        .order_by("to_stage", "enterprise__name")
    )


def history(enterprise: Enterprise) -> QuerySet[StageChange]:
    return (
        StageChange.objects.filter(enterprise=enterprise)
        .select_related("proposed_by", "confirmed_by", "standard")
        .order_by("-proposed_at", "-id")
    )


def services_of(enterprise: Enterprise) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(enterprise=enterprise).select_related("officer")


def overdue_follow_ups(today: dt.date | None = None) -> QuerySet[ServiceRecord]:
    today = today or timezone.localdate()
    return (
        ServiceRecord.objects.filter(follow_up_on__lt=today, follow_up_done=False)
        .select_related("enterprise", "officer")
        .order_by("follow_up_on", "id")
    )


def latest_evaluation(enterprise: Enterprise) -> YearlyEvaluation | None:
    return YearlyEvaluation.objects.filter(enterprise=enterprise).order_by("-year").first()


# --- the funnel ------------------------------------------------------------------------------


@dataclass
class FunnelRow:
    year: int
    discovered: int  # 发现: entered the pipeline that year
    served: int  # 服务: had a service record that year
    put_forward: int  # 推出: in the pool with an HNTE assessment eligible or needing review
    certified: int  # 认定: HNTE certificate issued that year


PUT_FORWARD = (Outcome.ELIGIBLE.value, Outcome.NEEDS_REVIEW.value)


def funnel(years: range) -> list[FunnelRow]:
    """发现一批、服务一批、推出一批、认定一批, one row per year, four grouped queries in all."""

    def by_year(qs, field_: str) -> dict[int, int]:
        year = F(field_) if field_ == "year" else ExtractYear(field_.removesuffix("__year"))
        return {
            row["y"]: row["n"]
            for row in qs.values(y=year).annotate(n=Count("enterprise_id", distinct=True))
        }

    first, last = years.start, years.stop - 1
    discovered = by_year(
        PipelineEntry.objects.filter(entered_on__year__range=(first, last)), "entered_on__year"
    )
    served = by_year(ServiceRecord.objects.filter(date__year__range=(first, last)), "date__year")
    put_forward = by_year(
        YearlyEvaluation.objects.filter(
            year__range=(first, last), stage=Stage.POOL, hnte_outcome__in=PUT_FORWARD
        ),
        "year",
    )
    certified = by_year(
        Certification.objects.filter(
            kind=Certification.Kind.HNTE,
            issued_on__year__range=(first, last),
            enterprise__in_district=True,
        ),
        "issued_on__year",
    )
    return [
        FunnelRow(
            y, discovered.get(y, 0), served.get(y, 0), put_forward.get(y, 0), certified.get(y, 0)
        )
        for y in years
    ]


# --- alerts ----------------------------------------------------------------------------------


def _months_later(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    raise AssertionError


def _valid_hnte(day: dt.date) -> Q:
    return Q(kind=Certification.Kind.HNTE, issued_on__lte=day, expires_on__gte=day)


def expiring_hnte(today: dt.date | None = None, months: int = 6) -> QuerySet[Certification]:
    """HNTE certificates running out within ``months`` with no newer certificate behind them."""
    today = today or timezone.localdate()
    horizon = _months_later(today, months)
    renewed = Certification.objects.filter(
        kind=Certification.Kind.HNTE, expires_on__gt=horizon
    ).values("enterprise_id")
    return (
        Certification.objects.filter(_valid_hnte(today), expires_on__lte=horizon)
        .exclude(enterprise_id__in=renewed)
        .select_related("enterprise")
        .order_by("expires_on", "enterprise__name")
    )


def newly_eligible_hnte(
    today: dt.date | None = None, outcome: str = Outcome.ELIGIBLE.value
) -> QuerySet[YearlyEvaluation]:
    """Enterprises whose latest re-evaluation found them HNTE-eligible, without a valid
    certificate today: the ones to encourage to apply."""
    today = today or timezone.localdate()
    latest = YearlyEvaluation.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return YearlyEvaluation.objects.none()
    holders = Certification.objects.filter(_valid_hnte(today)).values("enterprise_id")
    return (
        YearlyEvaluation.objects.filter(year=latest, hnte_outcome=outcome)
        .exclude(enterprise_id__in=holders)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


def figures_due_year(today: dt.date) -> int:
    """Last year's figures are due by 31 May; before then the year before is the one due."""
    return today.year - 1 if (today.month, today.day) > (5, 31) else today.year - 2


def figures_overdue(today: dt.date | None = None) -> tuple[int, QuerySet[Enterprise]]:
    today = today or timezone.localdate()
    year = figures_due_year(today)
    have = YearlyFigures.objects.filter(year=year, status=YearlyFigures.Status.APPROVED).values(
        "enterprise_id"
    )
    qs = (
        Enterprise.objects.filter(in_district=True, registered_on__lt=dt.date(year + 1, 1, 1))
        .exclude(pk__in=have)
        .select_related("service_officer")
        .order_by("name")
    )
    return year, qs


# --- reconciliation --------------------------------------------------------------------------

ELEMENTS = (
    "HNTE_COUNT",
    "HNTE_IND_REVENUE",
    "IND_REVENUE",
    "IND_FIRMS",
    "IND_FIRMS_RD",
    "IND_RD_EXP",
)


@dataclass
class RegistryYear:
    year: int
    values: dict[str, Decimal] = field(default_factory=dict)


def registry_elements(years: range) -> dict[int, dict[str, Decimal]]:
    """The plan's counting elements computed bottom-up from approved registry data.

    规上工业 is the criteria package's own flag (the 2011 size rules' ``above_scale``: industry
    sections B/C/D with 主营业务收入 ≥ 2,000 万元), judged on each year's own figures.
    """
    from kechuang.core.criteria import assess as assess_

    out: dict[int, dict[str, Decimal]] = {}
    for year in years:
        year_end = dt.date(year, 12, 31)
        values = dict.fromkeys(ELEMENTS, Decimal(0))
        values["HNTE_COUNT"] = Decimal(
            Certification.objects.filter(_valid_hnte(year_end), enterprise__in_district=True)
            .values("enterprise_id")
            .distinct()
            .count()
        )
        # Assessed as of 1 January next year, the size rules read this year's figures.
        day = dt.date(year + 1, 1, 1)
        have = YearlyFigures.objects.filter(year=year, status=YearlyFigures.Status.APPROVED)
        qs = Enterprise.objects.filter(in_district=True, pk__in=have.values("enterprise_id"))
        for _, facts in facts_for_many(qs, on=day):
            size = assess_("sme_size", facts, on=day).classification
            if size is None or not size.above_scale:
                continue
            figures = facts.year(year)
            revenue = figures.operating_revenue or Decimal(0)
            values["IND_FIRMS"] += 1
            values["IND_REVENUE"] += revenue
            rd = figures.rd
            intramural = (rd.booked_total - rd.outsourced) if rd is not None else Decimal(0)
            if intramural > 0 or (figures.rd_staff or 0) > 0:
                values["IND_FIRMS_RD"] += 1
            values["IND_RD_EXP"] += intramural
            if any(c.kind.value == "hnte" and c.valid_on(year_end) for c in facts.certifications):
                values["HNTE_IND_REVENUE"] += revenue
        out[year] = values
    return out


@dataclass
class ReconciliationLine:
    code: str
    name_zh: str
    name_en: str
    unit: str  # count, yuan, pct
    registry: Decimal | None
    official: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.registry is None or self.official is None:
            return None
        return self.registry - self.official


def _ratio(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or not b:
        return None
    return (a / b * 100).quantize(Decimal("0.01"))


INDICATOR_LINES = (
    ("HNTE_COUNT", "有效高新技术企业数", "Valid HNTEs", "count"),
    (
        "hnte_revenue_share",
        "规上工业高企营业收入占规上工业营业收入比重",
        "HNTE share of 规上 industrial revenue",
        "pct",
    ),
    (
        "rd_firm_share",
        "有研发活动的规上工业企业占比",
        "Share of 规上 industrial firms with R&D",
        "pct",
    ),
    ("rd_intensity", "规上工业企业研发经费占营业收入比重", "规上 industrial R&D / revenue", "pct"),
)
ELEMENT_LINES = (
    ("HNTE_IND_REVENUE", "规上工业高企营业收入", "Revenue of 规上 industrial HNTEs", "yuan"),
    ("IND_REVENUE", "规上工业企业营业收入", "规上 industrial revenue", "yuan"),
    ("IND_FIRMS", "规上工业企业数", "规上 industrial firms", "count"),
    ("IND_FIRMS_RD", "有研发活动的规上工业企业数", "规上 industrial firms with R&D", "count"),
    ("IND_RD_EXP", "规上工业企业R&D经费内部支出", "规上 industrial intramural R&D", "yuan"),
)


def _derived(v: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
    return {
        "HNTE_COUNT": v.get("HNTE_COUNT"),
        "hnte_revenue_share": _ratio(v.get("HNTE_IND_REVENUE"), v.get("IND_REVENUE")),
        "rd_firm_share": _ratio(v.get("IND_FIRMS_RD"), v.get("IND_FIRMS")),
        "rd_intensity": _ratio(v.get("IND_RD_EXP"), v.get("IND_REVENUE")),
        **{code: v.get(code) for code, *_ in ELEMENT_LINES},
    }


def reconciliation(plan, years: range) -> dict[int, list[ReconciliationLine]]:
    """Per year, each indicator and element from the registry beside the official figure."""
    from kechuang.indicators.selectors import counting_values

    official_raw, _demo = counting_values(set(ELEMENTS), plan.region, years)
    registry = registry_elements(years)
    out: dict[int, list[ReconciliationLine]] = {}
    for year in years:
        official = _derived({c: official_raw.get((c, year)) for c in ELEMENTS})
        mine = _derived(registry[year])
        out[year] = [
            ReconciliationLine(code, zh, en, unit, mine[code], official[code])
            for code, zh, en, unit in (*INDICATOR_LINES, *ELEMENT_LINES)
        ]
    return out


def stage_rank(stage: str) -> int:
    return STAGE_ORDER.get(stage, -1)


def evaluations_by_enterprise(ids: list[int]) -> dict[int, YearlyEvaluation]:
    out: dict[int, YearlyEvaluation] = {}
    for ev in YearlyEvaluation.objects.filter(enterprise_id__in=ids).order_by(
        "enterprise_id", "year"
    ):
        out[ev.enterprise_id] = ev
    return out
