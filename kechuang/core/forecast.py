"""Where an indicator stands against its plan target, and where its trend leads by the target year.

Trends are fitted in floating point (a handful of yearly figures needs nothing more) and
reported as Decimals rounded to 6 places, so that results are stable to display and compare.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from enum import Enum
from itertools import pairwise
from typing import Literal

from kechuang.core.formula import format_decimal

AT_RISK_PROGRESS = Decimal("0.8")
"""The bureau's threshold: an indicator not on course for its target but expected to cover at
least this fraction of the distance from baseline to target is "at risk"; less is "seriously
behind"."""

_PLACES = Decimal("0.000001")
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
# A float carries about 16 significant digits; fitted parameters keep 15 of them.
_PARAMETERS = Context(prec=15, rounding=ROUND_HALF_EVEN)
# Two fits whose errors differ by less than this fraction of the series' magnitude are equally
# good: the difference is float noise (two points are fitted exactly by both models).
_TIE = 1e-9


class TargetKind(Enum):
    VALUE = "value"
    NON_DECREASING = "non_decreasing"  # 只增不减
    NON_INCREASING = "non_increasing"  # 只减不增


class Direction(Enum):
    HIGHER = "higher"
    LOWER = "lower"


class Status(Enum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LAGGING = "lagging"
    NO_DATA = "no_data"

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    Status.ACHIEVED: ("已达成", "Achieved"),
    Status.ON_TRACK: ("预计达成", "On track"),
    Status.AT_RISK: ("存在风险", "At risk"),
    Status.LAGGING: ("严重滞后", "Seriously behind"),
    Status.NO_DATA: ("暂无数据", "No data"),
}


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: Decimal | None  # only VALUE targets have one
    year: int
    direction: Direction

    def __post_init__(self) -> None:
        if self.kind is TargetKind.VALUE and self.value is None:
            raise ValueError("a VALUE target needs a value")


@dataclass(frozen=True)
class Fit:
    """A trend through the points, counted in years from ``base_year`` (the first point's year).

    linear: value = intercept + slope × (year − base_year);
    compound: value = base × (1 + rate) ^ (year − base_year).
    """

    model: Literal["linear", "compound"]
    parameters: Mapping[str, Decimal]
    base_year: int
    rmse: Decimal  # in the indicator's own units
    target_year: int
    forecast: Decimal  # at target_year
    annual_change: Decimal  # linear: slope; compound: rate as a fraction

    def predict(self, year: int) -> Decimal:
        return _predict(self.model, self.parameters, year - self.base_year)


@dataclass(frozen=True)
class Reason:
    code: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Assessment:
    status: Status
    target: Target
    baseline: Point | None
    latest: Point | None
    gap: Decimal | None = None  # still to go in the good direction; 0 once met
    years_left: int | None = None
    required_annual_change: Decimal | None = None  # signed, comparable with Fit.annual_change
    required_annual_rate: Decimal | None = None
    fit: Fit | None = None
    other_fit: Fit | None = None
    forecast: Decimal | None = None
    progress: Decimal | None = None
    reasons: tuple[Reason, ...] = ()


def _round(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, context=_CONTEXT)


def _predict(model: str, parameters: Mapping[str, Decimal], years: int) -> Decimal:
    with localcontext(_CONTEXT):
        if model == "linear":
            value = parameters["intercept"] + parameters["slope"] * years
        else:
            value = parameters["base"] * (1 + parameters["rate"]) ** years
    return _round(value)


def _fit(
    model: Literal["linear", "compound"],
    parameters: Mapping[str, float],
    base_year: int,
    actual: Sequence[float],
    fitted: Sequence[float],
    target_year: int,
) -> Fit:
    exact = {name: _PARAMETERS.create_decimal_from_float(v) for name, v in parameters.items()}
    rmse = math.sqrt(
        math.fsum((a - f) ** 2 for a, f in zip(actual, fitted, strict=True)) / len(actual)
    )
    change = exact["slope"] if model == "linear" else exact["rate"]
    return Fit(
        model=model,
        parameters=exact,
        base_year=base_year,
        rmse=_round(Decimal(rmse)),
        target_year=target_year,
        forecast=_predict(model, exact, target_year - base_year),
        annual_change=_round(change),
    )


def _axes(points: Sequence[Point]) -> tuple[int, list[float], list[float]] | None:
    if len({p.year for p in points}) < 2:
        return None
    base_year = min(p.year for p in points)
    return base_year, [float(p.year - base_year) for p in points], [float(p.value) for p in points]


def fit_linear(points: Sequence[Point], target_year: int) -> Fit | None:
    """Least-squares line; None unless the points span at least two distinct years."""
    axes = _axes(points)
    if axes is None:
        return None
    base_year, xs, ys = axes
    slope, intercept = statistics.linear_regression(xs, ys)
    fitted = [intercept + slope * x for x in xs]
    parameters = {"slope": slope, "intercept": intercept}
    return _fit("linear", parameters, base_year, ys, fitted, target_year)


def fit_compound(points: Sequence[Point], target_year: int) -> Fit | None:
    """Constant growth rate, fitted by least squares on ln(value); needs every value > 0."""
    axes = _axes(points)
    if axes is None or any(p.value <= 0 for p in points):
        return None
    base_year, xs, ys = axes
    slope, intercept = statistics.linear_regression(xs, [math.log(y) for y in ys])
    fitted = [math.exp(intercept + slope * x) for x in xs]
    parameters = {"rate": math.expm1(slope), "base": math.exp(intercept)}
    return _fit("compound", parameters, base_year, ys, fitted, target_year)


def _fits(points: Sequence[Point], target_year: int) -> tuple[Fit | None, Fit | None]:
    """(chosen, rejected): the lower error wins and a tie goes to the simpler, linear model."""
    linear, compound = fit_linear(points, target_year), fit_compound(points, target_year)
    if linear is None or compound is None:
        return linear, None
    margin = Decimal(_TIE * max(abs(float(p.value)) for p in points))
    if compound.rmse < linear.rmse - margin:
        return compound, linear
    return linear, compound


def best_fit(points: Sequence[Point], target_year: int) -> Fit | None:
    """The better of the linear and compound fits; a tie goes to linear."""
    return _fits(points, target_year)[0]


# Decimals shown in reasons: the caller's display precision for the indicator being assessed.
# A context variable keeps assess() re-entrant without threading the number through every helper.
_places: ContextVar[int] = ContextVar("places", default=6)


def _n(value: Decimal) -> str:
    return format_decimal(value, _places.get())


def _percent(fraction: Decimal, places: int = 1) -> str:
    return format_decimal(fraction * 100, places) + "%"


def _signed(text: str) -> str:
    return text if text.startswith("-") else "+" + text


_MODEL_NAMES = {"linear": ("线性", "linear"), "compound": ("复合增长", "compound-growth")}


def _trend_reason(fit: Fit, other: Fit | None) -> Reason:
    zh_model, en_model = _MODEL_NAMES[fit.model]
    if fit.model == "linear":
        change = _signed(_n(fit.annual_change))
    else:
        change = _signed(_percent(fit.annual_change))
    zh = f"采用{zh_model}趋势：年均变化 {change}，拟合误差（RMSE）{_n(fit.rmse)}"
    en = f"{en_model.capitalize()} trend used: {change} a year, fit error (RMSE) {_n(fit.rmse)}"
    if other is not None:
        other_zh, other_en = _MODEL_NAMES[other.model]
        zh += f"；{other_zh}趋势拟合误差 {_n(other.rmse)}，未采用"
        en += f"; the {other_en} trend fits worse or no better (RMSE {_n(other.rmse)})"
    return Reason("trend", zh, en)


def assess(
    series: Sequence[Point],
    target: Target,
    baseline: Point | None,
    as_of_year: int | None = None,
    places: int = 6,
) -> Assessment:
    """Status of the yearly ``series`` against ``target``.

    Values after ``as_of_year`` are ignored, so a past assessment can be reproduced. The
    baseline joins the trend fit (and the year-on-year checks) unless the series has a value
    for its year, which then wins; the baseline alone is not data to assess. ``places`` is the
    number of decimals the reasons show.
    """
    token = _places.set(places)
    try:
        return _assess(series, target, baseline, as_of_year)
    finally:
        _places.reset(token)


def _assess(
    series: Sequence[Point], target: Target, baseline: Point | None, as_of_year: int | None
) -> Assessment:
    observed = sorted((p for p in series if as_of_year is None or p.year <= as_of_year), key=_year)
    years = [p.year for p in observed]
    if len(set(years)) != len(years):
        raise ValueError("the series has more than one value for a year")
    if not observed:
        reason = Reason("no_data", "尚无监测数据", "No monitoring data yet")
        return Assessment(Status.NO_DATA, target, baseline, None, reasons=(reason,))
    points = observed
    if baseline is not None and baseline.year not in years:
        points = sorted([*observed, baseline], key=_year)
    fit, other = _fits(points, target.year)
    with localcontext(_CONTEXT):
        if target.kind is TargetKind.VALUE:
            return _assess_value(observed[-1], points, target, baseline, fit, other)
        return _assess_direction(observed[-1], points, target, baseline, fit, other)


def _year(point: Point) -> int:
    return point.year


def _by_progress(progress: Decimal) -> Status:
    return Status.AT_RISK if progress >= AT_RISK_PROGRESS else Status.LAGGING


def _assess_value(
    latest: Point,
    points: Sequence[Point],
    target: Target,
    baseline: Point | None,
    fit: Fit | None,
    other: Fit | None,
) -> Assessment:
    goal = target.value
    sign = 1 if target.direction is Direction.HIGHER else -1
    # Without a baseline, progress is measured from the first value of the series.
    start = baseline or points[0]
    start_zh, start_en = ("基期值", "baseline") if baseline else ("首个数据", "first value")
    years_left = max(0, target.year - latest.year)
    met = sign * (latest.value - goal) >= 0
    period_over = latest.year >= target.year
    forecast = fit.forecast if fit is not None and not period_over else None
    measurable = sign * (goal - start.value) > 0
    progress = None
    if measurable:
        reached = latest.value if forecast is None else forecast
        progress = _round((reached - start.value) / (goal - start.value))

    value, year, t, ty = _n(latest.value), latest.year, _n(goal), target.year
    threshold = _percent(AT_RISK_PROGRESS)
    # Progress is shown as precisely as it is judged, so a lagging 79.95% never reads as 80%.
    reasons = []
    if met:
        status = Status.ACHIEVED
        reasons.append(
            Reason(
                "target_met",
                f"{year} 年实际值 {value}，已达到 {ty} 年目标 {t}",
                f"The {year} value {value} meets the {ty} target of {t}",
            )
        )
    elif not measurable:
        status = Status.LAGGING
        reasons.append(
            Reason(
                "target_not_beyond_start",
                f"目标值 {t} 并不优于{start_zh} {_n(start.value)}（{start.year} 年），无法计算完成"
                f"进度，只判断是否达标：{year} 年实际值 {value} 未达标",
                f"The target {t} is no better than the {start_en} {_n(start.value)} "
                f"({start.year}), so progress cannot be measured and only met or not met is "
                f"judged: the {year} value {value} does not meet it",
            )
        )
    elif period_over:
        status = _by_progress(progress)
        reasons.append(
            Reason(
                "period_over",
                f"已到目标年 {ty} 年：{year} 年实际值 {value}，目标 {t}，完成进度 "
                f"{_percent(progress, 2)}（风险线 {threshold}）",
                f"The target year {ty} has been reached: the {year} value {value} against a "
                f"target of {t} is {_percent(progress, 2)} of the way (at-risk line {threshold})",
            )
        )
    elif fit is not None:
        zh_model, en_model = _MODEL_NAMES[fit.model]
        f = _n(fit.forecast)
        if sign * (fit.forecast - goal) >= 0:
            status = Status.ON_TRACK
            reasons.append(
                Reason(
                    "forecast_meets",
                    f"按{zh_model}趋势，{ty} 年预计为 {f}，可达到目标 {t}",
                    f"On the {en_model} trend, {ty} is forecast at {f}, meeting the target of {t}",
                )
            )
        else:
            status = _by_progress(progress)
            reasons.append(
                Reason(
                    "forecast_short",
                    f"按{zh_model}趋势，{ty} 年预计为 {f}，达不到目标 {t}；预计完成进度 "
                    f"{_percent(progress, 2)}（风险线 {threshold}）",
                    f"On the {en_model} trend, {ty} is forecast at {f}, short of the target of "
                    f"{t}: {_percent(progress, 2)} of the way (at-risk line {threshold})",
                )
            )
        reasons.append(_trend_reason(fit, other))
    elif baseline is None:
        status = Status.AT_RISK
        reasons.append(
            Reason(
                "too_few_points",
                f"只有 {year} 年一个数据且没有基期值，数据点太少，无法判断趋势",
                f"Only one value ({year}) and no baseline: too few points to judge a trend",
            )
        )
    else:
        # The only value is for the baseline year itself, so no progress is due yet.
        status = Status.ON_TRACK if sign * (latest.value - baseline.value) >= 0 else Status.LAGGING
        reasons.append(
            Reason(
                "baseline_year_only",
                f"只有基期年（{year} 年）的数据：实际值 {value}，基期值 {_n(baseline.value)}",
                f"Only baseline-year data ({year}): value {value}, baseline {_n(baseline.value)}",
            )
        )

    gap = max(Decimal(0), sign * (goal - latest.value))
    change, rate = _required(latest.value, goal, years_left, met)
    if change is not None and not met:
        zh = f"距目标还差 {_n(gap)}，剩余 {years_left} 年，需年均变化 {_signed(_n(change))}"
        en = f"{_n(gap)} still to go in {years_left} year(s): {_signed(_n(change))} a year"
        if rate is not None:
            zh += f"（年均增速 {_signed(_percent(rate))}）"
            en += f" ({_signed(_percent(rate))} a year compounded)"
        reasons.append(Reason("required", zh, en))
    return Assessment(
        status=status,
        target=target,
        baseline=baseline,
        latest=latest,
        gap=gap,
        years_left=years_left,
        required_annual_change=change,
        required_annual_rate=rate,
        fit=fit,
        other_fit=other,
        forecast=forecast,
        progress=progress,
        reasons=tuple(reasons),
    )


def _required(
    latest: Decimal, goal: Decimal, years_left: int, met: bool
) -> tuple[Decimal | None, Decimal | None]:
    """(linear change, compound rate) needed each year to reach ``goal`` in time."""
    if met:
        return Decimal(0), Decimal(0)
    if years_left == 0:
        return None, None
    change = _round((goal - latest) / years_left)
    rate = None
    if goal > 0 and latest > 0:
        rate = _round((goal / latest) ** (Decimal(1) / years_left) - 1)
    return change, rate


_DIRECTION_WORDS = {
    # (below/above in zh, in en, the rule in zh, in en)
    TargetKind.NON_DECREASING: ("低于", "below", "只增不减", "must not decrease"),
    TargetKind.NON_INCREASING: ("高于", "above", "只减不增", "must not increase"),
}


def _assess_direction(
    latest: Point,
    points: Sequence[Point],
    target: Target,
    baseline: Point | None,
    fit: Fit | None,
    other: Fit | None,
) -> Assessment:
    sign = 1 if target.kind is TargetKind.NON_DECREASING else -1
    worse_zh, worse_en, rule_zh, rule_en = _DIRECTION_WORDS[target.kind]
    period_over = latest.year >= target.year
    forecast = fit.forecast if fit is not None and not period_over else None
    breaks = [(a, b) for a, b in pairwise(points) if sign * (b.value - a.value) < 0]
    first = points[0]
    reasons = [
        Reason(
            "reversed",
            f"{b.year} 年（{_n(b.value)}）{worse_zh} {a.year} 年（{_n(a.value)}），未做到{rule_zh}",
            f"{b.year} ({_n(b.value)}) is {worse_en} {a.year} ({_n(a.value)}); "
            f"the indicator {rule_en}",
        )
        for a, b in breaks
    ]
    if breaks:
        status = Status.LAGGING
    elif period_over:
        status = Status.ACHIEVED
        reasons.append(
            Reason(
                "held",
                f"{first.year}–{latest.year} 年逐年做到{rule_zh}，已到目标年 {target.year} 年",
                f"{first.year}–{latest.year}: the indicator never broke the rule "
                f"(it {rule_en}), and the target year {target.year} has been reached",
            )
        )
    elif fit is None:
        # A single year cannot break the rule yet, so it is not flagged; the reason says why.
        status = Status.ON_TRACK
        reasons.append(
            Reason(
                "only_one_year",
                f"只有 {latest.year} 年一个数据，尚无法判断是否{rule_zh}",
                f"Only one year of data ({latest.year}): too early to tell whether it holds",
            )
        )
    else:
        upcoming = fit.predict(latest.year + 1)
        if sign * (upcoming - _round(latest.value)) < 0:
            status = Status.AT_RISK
            reasons.append(
                Reason(
                    "trend_reverses",
                    f"至今{rule_zh}，但按趋势 {latest.year + 1} 年预计为 {_n(upcoming)}，"
                    f"{worse_zh} {latest.year} 年的 {_n(latest.value)}",
                    f"Held so far, but the trend forecasts {_n(upcoming)} for {latest.year + 1}, "
                    f"{worse_en} the {latest.year} value {_n(latest.value)}",
                )
            )
        else:
            status = Status.ON_TRACK
            reasons.append(
                Reason(
                    "held_so_far",
                    f"{first.year}–{latest.year} 年逐年做到{rule_zh}，按趋势 {latest.year + 1} 年"
                    f"预计为 {_n(upcoming)}",
                    f"{first.year}–{latest.year}: held every year; the trend forecasts "
                    f"{_n(upcoming)} for {latest.year + 1}",
                )
            )
        reasons.append(_trend_reason(fit, other))
    return Assessment(
        status=status,
        target=target,
        baseline=baseline,
        latest=latest,
        years_left=max(0, target.year - latest.year),
        fit=fit,
        other_fit=other,
        forecast=forecast,
        reasons=tuple(reasons),
    )
