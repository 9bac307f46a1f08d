import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core import conditions as C
from kechuang.core.criteria import facts_from_dict
from kechuang.core.criteria.facts import (
    Certification,
    CertificationKind,
    EnterpriseFacts,
    IPClass,
    IPKind,
    IPRight,
    Listing,
    ListingKind,
    YearFigures,
)
from kechuang.core.problems import Rejected

ROOT = Path(__file__).parents[3]
DOC = yaml.safe_load((Path(__file__).parents[1] / "cases" / "conditions.yaml").read_text("utf-8"))
EXAMPLE = json.loads((ROOT / "schemas" / "facts.example.json").read_text("utf-8"))


def subject(name: str) -> C.Subject:
    spec = DOC["subjects"][name]
    facts = EXAMPLE if spec.get("example") else spec["facts"]
    return C.Subject(facts_from_dict(facts), spec.get("in_district"), spec.get("park"))


def traces(trace: C.Trace) -> dict[str, C.Trace]:
    found = {trace.path: trace}
    for child in trace.children:
        found |= traces(child)
    return found


EVALUATE = [pytest.param(c, id=c["id"]) for c in DOC["evaluate"]]


@pytest.mark.parametrize("case", EVALUATE)
def test_evaluate_cases(case):
    condition = C.compile_condition(case["condition"])
    result = C.evaluate(condition, subject(case["subject"]), case["day"])
    assert result.verdict.value == case["verdict"], C.evaluation_to_dict(result)
    assert [m.key for m in result.missing] == case.get("missing", [])
    by_path = traces(result.trace)
    for path, verdict in case.get("paths", {}).items():
        assert by_path[path].verdict.value == verdict, path
    for path, fragments in case.get("texts", {}).items():
        said = by_path[path].zh + " / " + by_path[path].en
        for fragment in fragments:
            assert fragment in said, said
    for t in by_path.values():
        assert t.zh and t.en


@pytest.mark.parametrize("case", EVALUATE)
def test_the_batch_matcher_agrees_with_the_explained_verdict(case):
    condition = C.compile_condition(case["condition"])
    names = list(DOC["subjects"])
    subjects = [subject(n) for n in names]
    matcher = C.Matcher({"p": condition})
    out = matcher.run(subjects, case["day"])["p"]
    for i, s in enumerate(subjects):
        one = C.evaluate(condition, s, case["day"])
        expected = one.verdict
        got = (
            C.Verdict.ELIGIBLE
            if i in out.eligible
            else C.Verdict.POSSIBLY
            if i in out.possibly
            else C.Verdict.NOT_ELIGIBLE
        )
        assert got is expected, names[i]
        if got is C.Verdict.POSSIBLY:
            assert matcher.missing("p", i) == tuple(m.key for m in one.missing), names[i]
    assert sum(out.counts) == len(subjects)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DOC["refused"]])
def test_refused_cases_name_every_problem_and_where(case):
    with pytest.raises(Rejected) as info:
        C.compile_condition(case["condition"])
    problems = info.value.problems
    assert [p.where for p in problems] == [where for where, _ in case["problems"]]
    for problem, (_, fragment) in zip(problems, case["problems"], strict=True):
        assert fragment in problem.message_en, problem.message_en
        assert problem.message_zh
    assert C.check(case["condition"]) == problems


def test_a_sound_condition_has_no_problems_and_keeps_its_data_as_json():
    data = {"all": [{"fact": "registered_on", ">=": date(2020, 1, 1)}, {"ruleset": "hnte"}]}
    assert C.check(data) == []
    condition = C.compile_condition(data)
    assert condition.data == {
        "all": [{"fact": "registered_on", ">=": "2020-01-01"}, {"ruleset": "hnte"}]
    }
    assert condition.facts == ("registered_on",) and condition.rule_sets == ("hnte",)
    json.dumps(condition.data)


def test_nesting_deeper_than_the_limit_is_refused():
    data: dict = {"fact": "resident", "is": True}
    for _ in range(C.MAX_DEPTH + 1):
        data = {"not": data}
    with pytest.raises(Rejected) as info:
        C.compile_condition(data)
    assert "nested deeper" in info.value.problems[0].message_en


def test_description_says_what_is_needed_in_plain_words():
    condition = C.compile_condition(DOC["evaluate"][-1]["condition"])
    lines = [t.zh for t in traces(C.describe(condition)).values()]
    assert "持有有效的科技型中小企业入库登记：是" in lines
    assert "企业规模（中小企业划型）：小型、微型 之一" in lines
    assert "上一年度研发费用占营业收入比例 ≥ 3%" in lines
    assert "列入严重违法失信名单：否" in lines
    assert any("科技型中小企业评价" in line for line in lines)
    assert all(t.verdict is None for t in traces(C.describe(condition)).values())


def test_evaluation_is_json_ready_with_where_to_fill_each_missing_fact():
    condition = C.compile_condition(
        {"all": [{"fact": "rd_ratio.latest", ">=": "0.03"}, {"ruleset": "hnte"}]}
    )
    data = C.evaluation_to_dict(C.evaluate(condition, subject("empty"), date(2026, 6, 30)))
    json.dumps(data, ensure_ascii=False)
    assert data["verdict"] == "possibly"
    assert [m["key"] for m in data["missing"]] == ["rd_ratio.latest", "ruleset.hnte"]
    assert data["missing"][0]["fill"] == C.FILL_FIGURES
    assert data["trace"]["children"][1]["kind"] == "ruleset"


def test_every_fact_is_documented():
    doc = (ROOT / "docs" / "policy-conditions.md").read_text("utf-8")
    for name in C.FACTS:
        assert f"`{name}`" in doc, name
    for op in C.ALL_OPERATORS:
        assert f"`{op}`" in doc, op


def test_every_fact_can_be_derived_and_has_an_allowed_operator():
    values = C.derive(subject("ruixi"), date(2025, 6, 30))
    assert set(values) == set(C.FACTS)
    for spec in C.FACTS.values():
        assert C.OPERATORS[spec.type]
        assert spec.fill in {C.FILL_FIGURES, C.FILL_IP, C.FILL_PROFILE, C.FILL_BUREAU}


def test_verdicts_have_labels_in_both_languages():
    for v in C.Verdict:
        assert v.label_zh and v.label_en


# --- the batch matcher agrees with the explained verdict on generated data -------------------

DAY = date(2026, 6, 30)
_money = st.one_of(st.none(), st.integers(0, 50_000_000).map(Decimal))
_people = st.one_of(st.none(), st.integers(0, 400).map(Decimal))


@st.composite
def subjects(draw) -> C.Subject:
    years = []
    for year in (2024, 2025):
        if draw(st.booleans()):
            years.append(
                YearFigures(
                    year=year,
                    main_revenue=draw(_money),
                    employees=draw(_people),
                    st_staff=draw(_people),
                    total_assets=draw(_money),
                    liabilities=draw(_money),
                )
            )
    certs = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.builds(
                    Certification,
                    kind=st.sampled_from([CertificationKind.HNTE, CertificationKind.TECH_SME]),
                    issued_on=st.dates(date(2020, 1, 1), date(2026, 12, 31)),
                ),
                max_size=2,
            ).map(tuple),
        )
    )
    listings = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.builds(
                    Listing,
                    kind=st.sampled_from(list(ListingKind)),
                    listed_on=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
                ),
                max_size=1,
            ).map(tuple),
        )
    )
    ip = draw(
        st.one_of(
            st.none(),
            st.integers(0, 3).map(
                lambda n: tuple(IPRight(IPKind.INVENTION_PATENT, IPClass.I) for _ in range(n))
            ),
        )
    )
    facts = EnterpriseFacts(
        name="甲",
        registered_on=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2026, 1, 1)))),
        industry_code=draw(st.sampled_from([None, "C2614", "G5431", "I6510"])),
        years=tuple(years),
        certifications=certs,
        listings=listings,
        ip=ip,
    )
    return C.Subject(facts, draw(st.sampled_from([None, True, False])))


_LEAVES = st.sampled_from(
    [
        {"fact": "registered_in_district", "is": True},
        {"fact": "certification.hnte.valid", "is": True},
        {"fact": "certification.tech_sme.valid", "is": False},
        {"fact": "listing.serious_dishonesty.active", "is": True},
        {"fact": "size_class", "in": ["小型", "微型"]},
        {"fact": "size_class", "is": "中型"},
        {"fact": "industry_code", "starts_with": ["C", "I65"]},
        {"fact": "rd_ratio.latest", ">=": "0.03"},
        {"fact": "main_revenue.latest", "<": 20_000_000},
        {"fact": "main_revenue_growth.latest", "between": ["0", "0.5"]},
        {"fact": "st_staff_ratio.latest", ">": "0.1"},
        {"fact": "debt_ratio.latest", "!=": "0.5"},
        {"fact": "years_registered", ">=": 3},
        {"fact": "years_registered", "in": [1, 2]},
        {"fact": "ip.class_i.count", "==": 1},
        {"fact": "registered_on", "<=": "2015-06-30"},
    ]
)
_CONDITIONS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        inner.map(lambda x: {"not": x}),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_CONDITIONS, min_size=1, max_size=4), st.lists(subjects(), min_size=1, max_size=8))
def test_batch_and_one_by_one_always_agree(datas, people):
    compiled = {i: C.compile_condition(d) for i, d in enumerate(datas)}
    matcher = C.Matcher(compiled)
    out = matcher.run(people, DAY)
    for key, condition in compiled.items():
        eligible, possibly = set(out[key].eligible), set(out[key].possibly)
        for i, s in enumerate(people):
            one = C.evaluate(condition, s, DAY)
            got = "eligible" if i in eligible else "possibly" if i in possibly else "not_eligible"
            assert got == one.verdict.value
            if got == "possibly":
                assert matcher.missing(key, i) == tuple(m.key for m in one.missing)


def test_an_empty_batch_decides_nothing():
    matcher = C.Matcher({"p": C.compile_condition({"fact": "resident", "is": True})})
    assert matcher.run([], DAY)["p"].counts == (0, 0, 0)
