"""Data-quality warnings on one indicator's yearly series: figures worth a second look.

A warning never changes a value or a status; it tells the person checking the data where to look
and shows the numbers that raised it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from itertools import pairwise
from typing import Literal

from kechuang.core.forecast import Direction, Point, Target, TargetKind
from kechuang.core.formula import format_decimal

OUTLIER_MIN_CHANGE = Decimal("0.5")
"""A year-on-year change (as a fraction of the earlier value) is only an outlier if it is larger
than this and larger than OUTLIER_MEDIAN_FACTOR times the median absolute change of the other
pairs of years: growth from a small base is often steady but large."""

OUTLIER_MEDIAN_FACTOR = Decimal(3)
"""How many times the series' typical (median) change a change must exceed to be an outlier."""

OUTLIER_MIN_CHANGES = 3
"""Below this many year-on-year changes the series says too little about what is typical;
then only OUTLIER_FALLBACK_RISE and OUTLIER_FALLBACK_FALL apply."""

OUTLIER_FALLBACK_RISE = Decimal(1)
"""With too few changes to compare: a rise of more than 100% (more than doubling) is flagged."""

OUTLIER_FALLBACK_FALL = Decimal("0.5")
"""With too few changes to compare: a fall of more than 50% (more than halving) is flagged."""

Severity = Literal["high", "medium", "low"]

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class QualityWarning:
    code: str
    severity: Severity
    message_zh: str
    message_en: str
    year: int | None = None


def check_series(
    series: Sequence[Point],
    *,
    baseline: Point | None,
    target: Target | None,
    unit: str,
    years: range | None,
    allow_over_100: bool = False,
) -> list[QualityWarning]:
    """Warnings on ``series`` and its baseline (which counts as a value for its year unless the
    series has one); ``years`` are the years that should all have a value."""
    by_year = {p.year: p for p in series}
    if baseline is not None:
        by_year.setdefault(baseline.year, baseline)
    points = [by_year[year] for year in sorted(by_year)]
    unit = unit.strip()
    with localcontext(_CONTEXT):
        return [
            *_target_against_baseline(baseline, target, unit),
            *_missing_years(by_year, years),
            *(_percent_out_of_range(points, allow_over_100) if unit == "%" else []),
            *_outlier_jumps(points, unit),
        ]


def _amount(value: Decimal, unit: str) -> str:
    number = format_decimal(value)
    if not unit or unit == "%":
        return number + unit
    return f"{number} {unit}"


def _percent(fraction: Decimal) -> str:
    # Two decimals, so that a change just past a limit never prints as the limit itself.
    return format_decimal(fraction * 100, 2) + "%"


def _target_against_baseline(
    baseline: Point | None, target: Target | None, unit: str
) -> list[QualityWarning]:
    if baseline is None or target is None or target.kind is not TargetKind.VALUE:
        return []
    higher = target.direction is Direction.HIGHER
    # A target equal to the baseline is a plausible "hold the level" target, so it passes.
    wrong_side = target.value < baseline.value if higher else target.value > baseline.value
    if not wrong_side:
        return []
    side_zh, side_en, better_zh, better_en = (
        ("低于", "below", "越高越好", "higher is better")
        if higher
        else ("高于", "above", "越低越好", "lower is better")
    )
    t, b = _amount(target.value, unit), _amount(baseline.value, unit)
    return [
        QualityWarning(
            "target_below_baseline",
            "high",
            f"目标值 {t}（{target.year} 年）{side_zh}基期值 {b}（{baseline.year} 年），而该指标"
            f"{better_zh}，请核对目标值及其单位",
            f"The target {t} ({target.year}) is {side_en} the baseline {b} ({baseline.year}) "
            f"although {better_en}; check the target and its unit",
        )
    ]


def _missing_years(by_year: dict[int, Point], years: range | None) -> list[QualityWarning]:
    return [
        QualityWarning(
            "missing_year", "medium", f"缺少 {year} 年的数据", f"No value for {year}", year
        )
        for year in years or ()
        if year not in by_year
    ]


def _percent_out_of_range(points: Sequence[Point], allow_over_100: bool) -> list[QualityWarning]:
    warnings = []
    for p in points:
        value = format_decimal(p.value)
        if p.value < 0:
            zh, en = f"{p.year} 年数值 {value}% 为负数", f"{p.year}: {value}% is negative"
        elif p.value > 100 and not allow_over_100:
            zh, en = f"{p.year} 年数值 {value}% 超过 100%", f"{p.year}: {value}% is above 100%"
        else:
            continue
        warnings.append(QualityWarning("percent_out_of_range", "high", zh, en, p.year))
    return warnings


def _outlier_jumps(points: Sequence[Point], unit: str) -> list[QualityWarning]:
    # A change from zero has no relative size, so such pairs are left out.
    changes = [(a, b, (b.value - a.value) / abs(a.value)) for a, b in pairwise(points) if a.value]
    warnings = []
    for i, (a, b, change) in enumerate(changes):
        if len(changes) >= OUTLIER_MIN_CHANGES:
            others = [abs(c) for j, (_, _, c) in enumerate(changes) if j != i]
            limit = max(OUTLIER_MIN_CHANGE, OUTLIER_MEDIAN_FACTOR * statistics.median(others))
            if abs(change) <= limit:
                continue
            why_zh = f"远超该序列其他年份的变化幅度（阈值 ±{_percent(limit)}）"
            why_en = f"far beyond the series' other year-on-year changes (limit ±{_percent(limit)})"
        elif change > OUTLIER_FALLBACK_RISE or change < -OUTLIER_FALLBACK_FALL:
            why_zh = "超过翻倍或减半（年份太少，无法与其他年份比较）"
            why_en = "more than doubling or halving (too few years to compare with others)"
        else:
            continue
        shift = _percent(change)
        shift = shift if shift.startswith("-") else "+" + shift
        before, after = _amount(a.value, unit), _amount(b.value, unit)
        warnings.append(
            QualityWarning(
                "outlier_jump",
                "medium",
                f"{b.year} 年数值由 {a.year} 年的 {before} 变为 {after}（{shift}），"
                f"{why_zh}，请核实",
                f"{b.year}: the value went from {before} ({a.year}) to {after} ({shift}), "
                f"{why_en}; please check",
                b.year,
            )
        )
    return warnings


def check_stated_baseline(
    stated: Point | None, computed: Decimal | None, *, unit: str, places: int
) -> list[QualityWarning]:
    """The plan's stated baseline against the value computed from the figures for that year.

    Both are compared at the stated precision, as published figures are rounded. A mismatch
    means either the stated figure or one of the entered ones is wrong (or a different basis).
    """
    if stated is None or computed is None:
        return []
    quantum = Decimal(1).scaleb(-places)
    if computed.quantize(quantum, ROUND_HALF_UP) == stated.value.quantize(quantum, ROUND_HALF_UP):
        return []
    s, c = _amount(stated.value, unit), _amount(computed, unit)
    return [
        QualityWarning(
            "stated_baseline_differs",
            "medium",
            f"规划所列 {stated.year} 年基期值 {s} 与按基础数据计算的 {c} 不一致，请核对口径或数据",
            f"The plan states {s} for {stated.year} but the figures give {c}; check the basis "
            "or the figures",
            stated.year,
        )
    ]
