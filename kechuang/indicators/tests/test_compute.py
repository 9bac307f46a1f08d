"""Indicators computed from approved figures, per year and org unit, with status and warnings."""

from decimal import Decimal

import pytest

from kechuang.indicators.models import DataElement, DataValue, OrgUnit
from kechuang.indicators.selectors import compute_plan

pytestmark = pytest.mark.django_db


def put(code: str, year: int, value, unit="650202", status="approved", demo=False):
    element = DataElement.objects.get(code=code)
    ou = OrgUnit.objects.get(code=unit)
    last = DataValue.objects.filter(element=element, org_unit=ou, year=year, is_current=True)
    last.update(is_current=False)
    return DataValue.objects.create(
        element=element,
        org_unit=ou,
        year=year,
        value=Decimal(value),
        status=status,
        is_current=status == "approved",
        source="test",
        is_demo=demo,
        version=DataValue.objects.filter(element=element, org_unit=ou, year=year).count() + 1,
    )


def result_for(plan, code, unit=None):
    return next(r for r in compute_plan(plan, unit).indicators if r.indicator.code == code)


def value_in(r, year):
    return next(v for v in r.values if v.year == year)


def test_rd_intensity_is_rd_over_gdp_in_percent(plan):
    put("RD_EXP", 2023, "3000000000")
    put("GDP", 2023, "200000000000")
    assert value_in(result_for(plan, "RD_INTENSITY"), 2023).value == Decimal("1.5")


def test_drafts_and_submitted_figures_do_not_count(plan):
    put("RD_EXP", 2023, "3000000000", status="submitted")
    put("GDP", 2023, "200000000000")
    v = value_in(result_for(plan, "RD_INTENSITY"), 2023)
    assert v.value is None and v.error.code == "missing_value"


def test_division_by_zero_is_an_error_for_that_year_only(plan):
    put("RD_EXP", 2023, "1")
    put("GDP", 2023, "0")
    put("RD_EXP", 2024, "1")
    put("GDP", 2024, "100")
    r = result_for(plan, "RD_INTENSITY")
    assert value_in(r, 2023).error.code == "division_by_zero"
    assert value_in(r, 2024).value == Decimal(1)


def test_a_region_without_its_own_figures_is_the_ratio_of_its_parts_sums(plan):
    town_a = OrgUnit.objects.create(
        code="T1", name="甲镇", parent=plan.region, path=plan.region.path + "T1/"
    )
    OrgUnit.objects.create(
        code="T2", name="乙镇", parent=plan.region, path=plan.region.path + "T2/"
    )
    put("RD_EXP", 2023, "10", unit="T1")
    put("GDP", 2023, "100", unit="T1")
    put("RD_EXP", 2023, "30", unit="T2")
    put("GDP", 2023, "900", unit="T2")
    district = value_in(result_for(plan, "RD_INTENSITY"), 2023)
    assert district.value == Decimal(
        4
    )  # (10 + 30) / (100 + 900) * 100, not the mean of 10 and 3.33
    assert value_in(result_for(plan, "RD_INTENSITY", town_a), 2023).value == Decimal(10)


def test_a_published_total_wins_over_the_sum_of_its_parts(plan):
    OrgUnit.objects.create(
        code="T1", name="甲镇", parent=plan.region, path=plan.region.path + "T1/"
    )
    put("RD_EXP", 2023, "10", unit="T1")
    put("RD_EXP", 2023, "12")
    put("GDP", 2023, "100")
    assert value_in(result_for(plan, "RD_INTENSITY"), 2023).value == Decimal(12)


def test_demo_inputs_mark_the_computed_value(plan):
    put("RD_EXP", 2023, "1", demo=True)
    put("GDP", 2023, "100")
    assert value_in(result_for(plan, "RD_INTENSITY"), 2023).is_demo


def test_the_demo_dashboard_spreads_over_every_status(demo):
    statuses = {
        r.indicator.code: r.assessment.status.value
        for r in compute_plan(demo, key_only=True).indicators
    }
    assert statuses["IND_RD_FIRM_SHARE"] == "achieved"
    assert statuses["RD_INTENSITY"] == "at_risk"
    assert statuses["HNTE_PER_10K_ENT"] == "lagging"
    assert statuses["FISCAL_ST"] == "lagging"  # 只增不减 broken by the 2022 dip


def test_the_plans_own_target_conflict_is_flagged(demo):
    warnings = {w.code for w in result_for(demo, "INVENTION_PATENTS_PER_10K").warnings}
    assert "target_below_baseline" in warnings


def test_a_jump_and_a_missing_year_are_flagged(demo):
    assert "outlier_jump" in {w.code for w in result_for(demo, "TECH_CONTRACT").warnings}
    missing = [
        w for w in result_for(demo, "HV_PATENTS_PER_10K").warnings if w.code == "missing_year"
    ]
    assert [w.year for w in missing] == [2021]


def test_validation_rules_report_a_broken_relation(plan):
    put("RD_FTE", 2023, "500")
    put("RD_PERSONNEL", 2023, "400")
    violations = compute_plan(plan).violations
    assert [(year, v.rule_code) for year, v in violations] == [(2023, "RD_FTE_LE_HEADCOUNT")]


def test_a_deeper_tree_uses_each_levels_published_total(plan):
    town = OrgUnit.objects.create(
        code="T1", name="甲镇", parent=plan.region, path=plan.region.path + "T1/"
    )
    OrgUnit.objects.create(code="V1", name="一村", parent=town, path=town.path + "V1/")
    OrgUnit.objects.create(
        code="T2", name="乙镇", parent=plan.region, path=plan.region.path + "T2/"
    )
    put("RD_EXP", 2023, "5", unit="V1")  # ignored: the town publishes its own total
    put("RD_EXP", 2023, "10", unit="T1")
    put("RD_EXP", 2023, "30", unit="T2")
    put("GDP", 2023, "1000")
    assert value_in(result_for(plan, "RD_INTENSITY"), 2023).value == Decimal(4)


def test_the_full_recompute_covers_every_unit_and_year(plan):
    from kechuang.indicators.selectors import compute_all_units

    OrgUnit.objects.create(
        code="T1", name="甲镇", parent=plan.region, path=plan.region.path + "T1/"
    )
    put("RD_EXP", 2023, "10", unit="T1")
    put("GDP", 2023, "100", unit="T1")
    t1 = OrgUnit.objects.get(code="T1").pk
    results = compute_all_units(plan)
    assert value_in_list(results[t1]["RD_INTENSITY"], 2023) == Decimal(10)
    assert len(results[t1]["RD_INTENSITY"]) == len(plan.years)


def value_in_list(values, year):
    return next(v.value for v in values if v.year == year)


def test_the_full_recompute_rolls_up_like_the_dashboard(plan):
    from kechuang.indicators.selectors import compute_all_units

    for code, rd, gdp in (("T1", "10", "100"), ("T2", "30", "900")):
        OrgUnit.objects.create(
            code=code, name=code, parent=plan.region, path=plan.region.path + code + "/"
        )
        put("RD_EXP", 2023, rd, unit=code)
        put("GDP", 2023, gdp, unit=code)
    district = compute_all_units(plan)[plan.region.pk]["RD_INTENSITY"]
    assert value_in_list(district, 2023) == value_in(result_for(plan, "RD_INTENSITY"), 2023).value
    assert value_in_list(district, 2023) == Decimal(4)
