from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kechuang.core import forecast as FC

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "forecast.yaml").read_text("utf-8"))
DECIMAL_FIELDS = (
    "gap",
    "progress",
    "forecast",
    "required_annual_change",
    "required_annual_rate",
)


def point(pair: list | None) -> FC.Point | None:
    return None if pair is None else FC.Point(pair[0], Decimal(str(pair[1])))


def target(spec: dict) -> FC.Target:
    value = spec["value"]
    return FC.Target(
        kind=FC.TargetKind(spec["kind"]),
        value=None if value is None else Decimal(str(value)),
        year=spec["year"],
        direction=FC.Direction(spec["direction"]),
    )


def optional_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in CASES])
def test_assess(case):
    a = FC.assess(
        [point(p) for p in case["series"]],
        target(case["target"]),
        point(case["baseline"]),
        as_of_year=case.get("as_of_year"),
    )
    expect = case["expect"]
    assert a.status is FC.Status(expect["status"])
    if "reasons" in expect:
        assert [r.code for r in a.reasons] == expect["reasons"]
    if "latest" in expect:
        assert a.latest == point(expect["latest"])
    if "years_left" in expect:
        assert a.years_left == expect["years_left"]
    for name in DECIMAL_FIELDS:
        if name in expect:
            assert getattr(a, name) == optional_decimal(expect[name]), name
    if "fit" in expect:
        assert (a.fit.model if a.fit else None) == expect["fit"]
    if "other_fit" in expect:
        assert (a.other_fit.model if a.other_fit else None) == expect["other_fit"]
    if "annual_change" in expect:
        assert a.fit.annual_change == Decimal(str(expect["annual_change"]))
    if "rmse" in expect:
        assert a.fit.rmse == Decimal(str(expect["rmse"]))
    english = " | ".join(r.message_en for r in a.reasons)
    for fragment in case.get("says", []):
        assert fragment in english
    for reason in a.reasons:
        assert reason.message_zh and reason.message_en


def test_status_labels():
    labels = {s.value: (s.label_zh, s.label_en) for s in FC.Status}
    assert labels == {
        "achieved": ("已达成", "Achieved"),
        "on_track": ("预计达成", "On track"),
        "at_risk": ("存在风险", "At risk"),
        "lagging": ("严重滞后", "Seriously behind"),
        "no_data": ("暂无数据", "No data"),
    }


def test_value_target_needs_a_value():
    with pytest.raises(ValueError):
        FC.Target(FC.TargetKind.VALUE, None, 2025, FC.Direction.HIGHER)


def test_series_with_two_values_for_a_year_is_refused():
    series = [FC.Point(2021, Decimal(1)), FC.Point(2021, Decimal(2))]
    target = FC.Target(FC.TargetKind.VALUE, Decimal(5), 2025, FC.Direction.HIGHER)
    with pytest.raises(ValueError):
        FC.assess(series, target, None)


def test_fits_need_two_distinct_years():
    points = [FC.Point(2021, Decimal(1)), FC.Point(2021, Decimal(2))]
    assert FC.fit_linear(points, 2025) is None
    assert FC.fit_compound(points, 2025) is None
    assert FC.best_fit(points[:1], 2025) is None


def test_compound_fit_needs_positive_values():
    points = [FC.Point(2020, Decimal(0)), FC.Point(2021, Decimal(2))]
    assert FC.fit_compound(points, 2025) is None
    assert FC.best_fit(points, 2025).model == "linear"


def test_compound_fit_reports_parameters_and_error_in_original_units():
    points = [
        FC.Point(2020, Decimal(100)),
        FC.Point(2021, Decimal(110)),
        FC.Point(2022, Decimal(125)),
    ]
    fit = FC.fit_compound(points, 2025)
    # ln-space least squares on 100, 110, 125 (evenly spaced): rate = sqrt(1.25) - 1 and
    # base = cube root of (100 * 110 * 125) / sqrt(1.25)
    assert fit.model == "compound"
    assert fit.parameters["rate"].quantize(Decimal("0.000001")) == Decimal("0.118034")
    assert fit.parameters["base"].quantize(Decimal("0.000001")) == Decimal("99.459413")
    assert fit.rmse == Decimal("0.853710")
    assert fit.forecast == fit.predict(2025) == Decimal("173.748445")
    assert fit.annual_change == Decimal("0.118034")


def test_linear_fit_parameters():
    points = [FC.Point(2020, Decimal(1)), FC.Point(2021, Decimal(3)), FC.Point(2022, Decimal(4))]
    fit = FC.fit_linear(points, 2024)
    # y = 1.166667 + 1.5 x, residuals -1/6, 1/3, -1/6
    assert fit.parameters["slope"] == Decimal("1.5")
    assert fit.parameters["intercept"].quantize(Decimal("0.000001")) == Decimal("1.166667")
    assert fit.rmse == Decimal("0.235702")
    assert fit.forecast == Decimal("7.166667")
    assert fit.base_year == 2020


@given(
    slope=st.decimals(min_value=-1000, max_value=1000, places=2),
    intercept=st.decimals(min_value=0, max_value=10**5, places=2),
    first_year=st.integers(min_value=2000, max_value=2030),
    count=st.integers(min_value=2, max_value=10),
    ahead=st.integers(min_value=0, max_value=10),
)
def test_linear_fit_of_an_exactly_linear_series_forecasts_exactly(
    slope, intercept, first_year, count, ahead
):
    points = [FC.Point(first_year + i, intercept + slope * i) for i in range(count)]
    target_year = first_year + count - 1 + ahead
    fit = FC.fit_linear(points, target_year)
    expected = intercept + slope * (target_year - first_year)
    assert abs(fit.forecast - expected) <= Decimal("1e-6")
    assert abs(fit.annual_change - slope) <= Decimal("1e-6")
    assert fit.rmse <= Decimal("1e-6")
    assert FC.best_fit(points, target_year).model == "linear"


@given(
    base=st.decimals(min_value=1, max_value=10**4, places=2),
    rate=st.decimals(min_value=Decimal("0.05"), max_value=Decimal("0.5"), places=2),
    count=st.integers(min_value=3, max_value=8),
)
def test_compound_fit_wins_on_an_exactly_exponential_series(base, rate, count):
    points = [FC.Point(2020 + i, base * (1 + rate) ** i) for i in range(count)]
    fit = FC.best_fit(points, 2030)
    assert fit.model == "compound"
    assert abs(fit.annual_change - rate) <= Decimal("1e-6")
