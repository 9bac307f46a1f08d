"""Reads: the counting figures, computed indicators, status and warnings.

Indicators are computed on read from the approved figures, so nothing derived can go stale.
One query fetches every figure a plan needs for an org unit; the arithmetic is the pure core's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from kechuang.core import forecast as FC
from kechuang.core import formula as F
from kechuang.core import quality as QL
from kechuang.core import validation as V
from kechuang.core.rollup import rolled_up
from kechuang.indicators.models import DataElement, DataValue, OrgUnit
from kechuang.plans.models import Indicator, Plan


@dataclass
class YearValue:
    year: int
    value: Decimal | None
    error: F.FormulaError | None = None
    is_demo: bool = False


@dataclass
class IndicatorResult:
    indicator: Indicator
    values: list[YearValue]
    assessment: FC.Assessment
    warnings: list[QL.QualityWarning] = field(default_factory=list)

    @property
    def has_demo(self) -> bool:
        return any(v.is_demo for v in self.values)

    @property
    def latest(self) -> YearValue | None:
        return next((v for v in reversed(self.values) if v.value is not None), None)


@dataclass
class PlanResult:
    plan: Plan
    org_unit: OrgUnit
    indicators: list[IndicatorResult]
    violations: list[tuple[int, V.Violation]]

    @property
    def has_demo(self) -> bool:
        return any(r.has_demo for r in self.indicators)

    def by_status(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.indicators:
            counts[r.assessment.status.value] += 1
        return dict(counts)


def compiled_formulas(indicators: list[Indicator]) -> tuple[dict[str, F.Formula], list[str]]:
    formulas = {i.code: F.parse(i.formula) for i in indicators}
    return formulas, F.evaluation_order(formulas, element_codes(formulas))


def element_codes(formulas: dict[str, F.Formula]) -> set[str]:
    return set().union(*(f.references for f in formulas.values())) - set(formulas)


@dataclass(frozen=True)
class Elements:
    """The data elements a computation reads: ids for queries, codes for formulas."""

    code_of: dict[int, str]
    summable: set[str]

    @classmethod
    def for_codes(cls, codes: set[str]) -> Elements:
        rows = DataElement.objects.filter(code__in=codes).values_list("pk", "code", "aggregation")
        code_of, summable = {}, set()
        for pk, code, aggregation in rows:
            code_of[pk] = code
            if aggregation == DataElement.Aggregation.SUM:
                summable.add(code)
        return cls(code_of, summable)

    def ids(self, codes: set[str] | None = None) -> list[int]:
        return [pk for pk, code in self.code_of.items() if codes is None or code in codes]


def _current(element_ids: list[int], years: range) -> QuerySet[DataValue]:
    # Filtering on element ids (not codes through a join) lets the partial covering index
    # datavalue_current_cover answer these reads without touching the table.
    return DataValue.objects.filter(
        is_current=True, element_id__in=element_ids, year__gte=years.start, year__lt=years.stop
    )


def counting_values(
    codes: set[str], unit: OrgUnit, years: range
) -> tuple[dict[tuple[str, int], Decimal], set[tuple[str, int]]]:
    """Approved current figures for ``unit``; where it has none, its children's sum.

    The unit's own figures come first (one query). Only the missing summable keys are rolled up,
    summed by the database over the children; a deeper tree falls back to a full roll-up.
    """
    elements = Elements.for_codes(codes)
    code_of = elements.code_of
    direct: dict[tuple[str, int], Decimal] = {}
    demo: set[tuple[str, int]] = set()
    for element_id, year, value, is_demo in (
        _current(elements.ids(), years)
        .filter(org_unit=unit)
        .values_list("element_id", "year", "value", "is_demo")
    ):
        direct[(code_of[element_id], year)] = value
        if is_demo:
            demo.add((code_of[element_id], year))
    missing = {c for c in elements.summable for y in years if (c, y) not in direct}
    if not missing:
        return direct, demo
    below = list(
        OrgUnit.objects.filter(path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .values_list("pk", "parent_id")
    )
    if not below:
        return direct, demo
    if any(parent_id != unit.pk for _, parent_id in below):
        return _rolled_up_subtree(elements, unit, years, direct, demo, below)
    sums = (
        _current(elements.ids(missing), years)
        .filter(org_unit_id__in=[pk for pk, _ in below])
        .values("element_id", "year")
        .annotate(total=Sum("value"), demo=Count("id", filter=Q(is_demo=True)))
    )
    for row in sums:
        key = (code_of[row["element_id"]], row["year"])
        if key not in direct:
            direct[key] = row["total"]
            if row["demo"]:
                demo.add(key)
    return direct, demo


def _rolled_up_subtree(elements: Elements, unit, years, direct, demo, below):
    """The general case: every figure of the subtree, rolled up level by level in Python."""
    by_unit = _by_unit(elements, years, [pk for pk, _ in below], demo)
    by_unit[unit.pk] = direct
    return rolled_up(unit.pk, _children(below), by_unit, elements.summable), demo


def _by_unit(
    elements: Elements, years: range, unit_ids: list[int] | None, demo: set | None = None
) -> dict[int, dict[tuple[str, int], Decimal]]:
    code_of = elements.code_of
    qs = _current(elements.ids(), years)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    out: dict[int, dict[tuple[str, int], Decimal]] = defaultdict(dict)
    for element_id, unit_id, year, value, is_demo in qs.values_list(
        "element_id", "org_unit_id", "year", "value", "is_demo"
    ):
        out[unit_id][(code_of[element_id], year)] = value
        if is_demo and demo is not None:
            demo.add((code_of[element_id], year))
    return out


def _children(pairs) -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in pairs:
        if parent_id is not None:
            children[parent_id].append(pk)
    return children


def compute_all_units(plan: Plan) -> dict[int, dict[str, list[YearValue]]]:
    """Every indicator for every org unit and year, from one read of all figures.

    Units without figures of their own get their children's sums, as on the dashboard. This is
    the full recompute (exports, reports, the benchmark); pages use compute_plan.
    """
    indicators = list(plan_indicators(plan))
    formulas, order = compiled_formulas(indicators)
    years = plan.years
    elements = Elements.for_codes(element_codes(formulas))
    direct = _by_unit(elements, years, None)
    children = _children(OrgUnit.objects.values_list("pk", "parent_id"))
    out: dict[int, dict[str, list[YearValue]]] = {}
    for unit_id in set(direct) | set(children):
        values = (
            rolled_up(unit_id, children, direct, elements.summable)
            if unit_id in children
            else direct[unit_id]
        )
        by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for (code, year), value in values.items():
            by_year[year][code] = value
        series: dict[str, list[YearValue]] = {code: [] for code in formulas}
        for year in years:
            for code, result in F.evaluate_all(formulas, order, by_year.get(year, {})).items():
                if isinstance(result, F.FormulaError):
                    series[code].append(YearValue(year, None, result))
                else:
                    series[code].append(YearValue(year, result))
        out[unit_id] = series
    return out


def target_of(ind: Indicator) -> FC.Target:
    return FC.Target(
        kind=FC.TargetKind(ind.target_kind),
        value=ind.target_value,
        year=ind.target_year,
        direction=FC.Direction(ind.direction),
    )


def baseline_of(ind: Indicator) -> FC.Point | None:
    if ind.baseline_year is None or ind.baseline_value is None:
        return None
    return FC.Point(ind.baseline_year, ind.baseline_value)


def plan_indicators(plan: Plan, *, key_only: bool = False) -> QuerySet[Indicator]:
    qs = plan.indicators.select_related("owner").order_by("sort_order")
    return qs.filter(is_key=True) if key_only else qs


def compute_plan(
    plan: Plan,
    unit: OrgUnit | None = None,
    *,
    as_of_year: int | None = None,
    key_only: bool = False,
) -> PlanResult:
    """Every indicator of ``plan`` for every year of the plan, with status and warnings."""
    unit = unit or plan.region
    all_indicators = list(plan_indicators(plan))
    formulas, order = compiled_formulas(all_indicators)
    years = plan.years
    rules = validation_rules(plan)
    codes = element_codes(formulas).union(
        *(r.left_formula.references | r.right_formula.references for r in rules)
    )
    values, demo = counting_values(codes, unit, years)
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for (code, year), v in values.items():
        by_year[year][code] = v
    results = {i.code: [] for i in all_indicators}
    for year in years:
        computed = F.evaluate_all(formulas, order, by_year.get(year, {}))
        for code, out in computed.items():
            f = formulas[code]
            is_demo = any((ref, year) in demo for ref in f.references)
            if isinstance(out, F.FormulaError):
                results[code].append(YearValue(year, None, out, is_demo))
            else:
                results[code].append(YearValue(year, out, None, is_demo))
    last_year = as_of_year or max((y for y in years if by_year.get(y)), default=years.start)
    shown = [i for i in all_indicators if i.is_key] if key_only else all_indicators
    out = []
    for ind in shown:
        # Judged at the precision the indicator is published with, as readers compare it.
        quantum = Decimal(1).scaleb(-ind.decimals)
        series = [
            FC.Point(v.year, v.value.quantize(quantum, ROUND_HALF_UP))
            for v in results[ind.code]
            if v.value is not None
        ]
        target, baseline = target_of(ind), baseline_of(ind)
        assessment = FC.assess(
            series, target, baseline, as_of_year=as_of_year, places=ind.decimals + 1
        )
        warnings = QL.check_series(
            series,
            baseline=baseline,
            target=target,
            unit=ind.unit,
            years=range(years.start, min(last_year, years.stop - 1) + 1),
        )
        if baseline is not None:
            computed = next((v.value for v in results[ind.code] if v.year == baseline.year), None)
            warnings += QL.check_stated_baseline(
                baseline, computed, unit=ind.unit, places=_places(ind.baseline_value)
            )
        out.append(IndicatorResult(ind, results[ind.code], assessment, warnings))
    violations = [(year, v) for year in sorted(by_year) for v in V.run_rules(rules, by_year[year])]
    return PlanResult(plan, unit, out, violations)


def _places(stated: Decimal) -> int:
    """Decimals a stated figure was published with (1.28 → 2, 36 → 0)."""
    return max(0, -stated.normalize().as_tuple().exponent)


def validation_rules(plan: Plan) -> list[V.ValidationRule]:
    return [
        V.ValidationRule(
            code=r.code,
            name_zh=r.name,
            name_en=r.name_en,
            left=r.left,
            operator=r.operator,
            right=r.right,
            importance=r.importance,
            missing=V.MissingStrategy(r.missing),
        )
        for r in plan.validation_rules.all()
    ]


def value_history(indicator: Indicator, unit: OrgUnit) -> QuerySet[DataValue]:
    """Every version of every figure the indicator uses, with who entered and approved it."""
    codes = element_codes({indicator.code: F.parse(indicator.formula)})
    return (
        DataValue.objects.filter(element__code__in=codes, org_unit=unit)
        .select_related("element", "entered_by", "reviewed_by", "org_unit")
        .order_by("element__code", "year", "-version")
    )


# --- data entry ----------------------------------------------------------------------------


def workable_elements(user) -> QuerySet[DataElement]:
    """Elements the user may enter: all for bureau staff, their department's for reporters."""
    qs = DataElement.objects.select_related("owner").order_by("code")
    if user.is_bureau:
        return qs
    if user.role == user.Role.REPORTER and user.organization_id:
        return qs.filter(owner_id=user.organization_id)
    return qs.none()


def workable_values(user) -> QuerySet[DataValue]:
    """Versions the user may open: every one for bureau staff, their department's for reporters."""
    qs = DataValue.objects.select_related("element", "org_unit", "entered_by", "reviewed_by")
    if user.is_bureau:
        return qs
    if user.role == user.Role.REPORTER and user.organization_id:
        return qs.filter(element__owner_id=user.organization_id)
    return qs.none()


def versions_of(dv: DataValue) -> list[DataValue]:
    return list(
        DataValue.objects.filter(element_id=dv.element_id, org_unit_id=dv.org_unit_id, year=dv.year)
        .select_related("entered_by", "reviewed_by")
        .order_by("-version")
    )


def audit_of(values: list[DataValue]):
    from auditlog.models import LogEntry

    return (
        LogEntry.objects.get_for_objects(DataValue.objects.filter(pk__in=[v.pk for v in values]))
        .select_related("actor")
        .order_by("-timestamp")
    )


def review_queue() -> QuerySet[DataValue]:
    return (
        DataValue.objects.filter(status=DataValue.Status.SUBMITTED)
        .select_related("element", "element__owner", "org_unit", "entered_by")
        .order_by("submitted_at", "pk")
    )


def current_by_key(plan: Plan, element_ids) -> dict[tuple[int, int], DataValue]:
    return {
        (dv.element_id, dv.year): dv
        for dv in DataValue.objects.filter(
            element_id__in=element_ids,
            org_unit=plan.region,
            is_current=True,
            year__in=list(plan.years),
        )
    }


def template_rows(plan: Plan, department) -> list[dict]:
    elements = list(DataElement.objects.filter(owner=department).order_by("code"))
    current = current_by_key(plan, [e.pk for e in elements])
    region = plan.region
    rows = []
    for e in elements:
        for year in plan.years:
            dv = current.get((e.pk, year))
            rows.append(
                {
                    "element": e.code,
                    "element_name": e.name,
                    "unit": e.unit,
                    "year": year,
                    "org_unit": region.code,
                    "org_unit_name": region.name,
                    "value": dv.value if dv else None,
                    "source": dv.source if dv else "",
                    "note": "",
                }
            )
    return rows


def export_values(qs: QuerySet[DataValue]) -> bytes:
    from kechuang.indicators.spreadsheets import values_workbook

    header = [
        "数据元代码 element",
        "数据元名称 name",
        "区域 org unit",
        "年份 year",
        "版本 version",
        "数值 value",
        "单位 unit",
        "状态 status",
        "当前有效 current",
        "来源 source",
        "填报人 entered by",
        "审核人 reviewed by",
        "审核时间 reviewed at",
        "演示 demo",
    ]
    rows = (
        [
            dv.element.code,
            dv.element.name,
            dv.org_unit.code,
            dv.year,
            dv.version,
            dv.value,
            dv.element.unit,
            dv.get_status_display(),
            "是" if dv.is_current else "",
            dv.source,
            str(dv.entered_by or ""),
            str(dv.reviewed_by or ""),
            dv.reviewed_at.replace(tzinfo=None) if dv.reviewed_at else None,
            "是" if dv.is_demo else "",
        ]
        for dv in qs.iterator(chunk_size=2000)
    )
    return values_workbook(header, rows)
