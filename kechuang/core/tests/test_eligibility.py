import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from kechuang.core import eligibility as E
from kechuang.core.criteria import facts_from_dict
from kechuang.core.criteria.result import Outcome

DOC = yaml.safe_load((Path(__file__).parents[1] / "cases" / "eligibility.yaml").read_text("utf-8"))


def applicant(case: dict) -> E.Applicant:
    facts = copy.deepcopy(DOC["base"]) | case.get("change", {})
    options = {"kind": "enterprise", "in_district": True, "no_facts": False}
    options |= case.get("applicant", {})
    kind = E.ApplicantKind(options["kind"])
    if options["no_facts"] or kind is E.ApplicantKind.INSTITUTION:
        return E.Applicant(facts["name"], kind)
    return E.Applicant(facts["name"], kind, facts_from_dict(facts), options["in_district"])


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DOC["cases"]])
def test_case(case):
    on = date.fromisoformat(case.get("day", DOC["day"]))
    result = E.evaluate(case["conditions"], applicant(case), on)
    by_code = {r.code: r for r in result.results}
    assert [r.code for r in result.results] == list(case["conditions"])
    for code, status in case["expect"].items():
        assert by_code[code].status.value == status, by_code[code].explanation_en
    for code, fragment in case.get("says_zh", {}).items():
        assert fragment in by_code[code].explanation_zh, by_code[code].explanation_zh
    for code, fragment in case.get("says_en", {}).items():
        assert fragment in by_code[code].explanation_en, by_code[code].explanation_en
    for r in result.results:
        assert r.explanation_zh and r.explanation_en and str(r.source)


def test_a_missing_fact_never_raises():
    bare = E.Applicant("空白企业", facts=facts_from_dict({"name": "空白企业"}))
    codes = list(E.CONDITIONS)
    codes[-1] = "min_years_registered:1"
    result = E.evaluate(codes, bare, date(2026, 1, 1))
    assert {r.status for r in result.results} == {E.REVIEW}
    assert all(r.missing for r in result.results)


def test_the_outcome_is_not_eligible_when_any_condition_fails():
    facts = facts_from_dict({"name": "甲", "registered_on": "2025-01-01", "listings": []})
    a = E.Applicant("甲", facts=facts, in_district=True)
    day = date(2026, 1, 1)
    assert E.evaluate(["registered_in_district"], a, day).outcome is Outcome.ELIGIBLE
    review = E.evaluate(["registered_in_district", "valid_hnte"], a, day)
    assert review.outcome is Outcome.NEEDS_REVIEW and len(review.needs_review) == 1
    failed = E.evaluate(["valid_hnte", "min_years_registered:3"], a, day)
    assert failed.outcome is Outcome.NOT_ELIGIBLE
    assert [r.code for r in failed.failed] == ["min_years_registered:3"]


def test_no_conditions_means_eligible():
    assert E.evaluate([], E.Applicant("甲"), date(2026, 1, 1)).outcome is Outcome.ELIGIBLE


@pytest.mark.parametrize(
    ("codes", "fragment"),
    [
        (["nope"], "无法识别的申报条件「nope」"),
        (["valid_hnte:2"], "无法识别"),
        (["min_years_registered"], "无法识别"),
        (["min_years_registered:0"], "无法识别"),
        (["min_years_registered:x"], "无法识别"),
        ([3], "无法识别"),
        (["valid_hnte", "valid_hnte"], "重复"),
        (["min_years_registered:2", "min_years_registered:3"], "重复"),
        ("valid_hnte", "列表"),
    ],
)
def test_bad_condition_lists_are_reported_by_position(codes, fragment):
    problems = E.check_codes(codes)
    assert problems and fragment in problems[0].message_zh
    assert problems[0].where.startswith("eligibility")


def test_a_good_condition_list_has_no_problems():
    assert E.check_codes(["registered_in_district", "min_years_registered:3"]) == []


def test_conditions_describe_themselves_with_their_parameter():
    [years] = E.describe(["min_years_registered:3"])
    assert years.name_zh == "成立满 3 年" and "3 years" in years.description_en
    [hnte] = E.describe(["valid_hnte"])
    assert hnte.name_zh == "持有有效的高新技术企业证书" and "含到期当日" in hnte.description_zh


def test_results_are_kept_as_plain_json():
    r = E.evaluate(["valid_hnte"], E.Applicant("所", E.ApplicantKind.INSTITUTION), date(2026, 1, 1))
    data = E.result_to_dict(r.results[0])
    assert data["status"] == "needs_review" and data["source"].startswith("国科发火〔2016〕32号")
