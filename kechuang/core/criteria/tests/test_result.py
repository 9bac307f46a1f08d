"""Result objects, their JSON and text forms, the registry and the YAML-subset reader."""

import itertools
import json
from dataclasses import FrozenInstanceError, fields
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kechuang.core.criteria import (
    CODES,
    Outcome,
    Status,
    _yaml,
    assess,
    facts_from_dict,
    hnte,
    list_rule_sets,
    result,
    result_to_dict,
    result_to_text,
    rule_set,
    sme_size,
)
from kechuang.core.criteria.facts import EnterpriseFacts
from kechuang.core.problems import Rejected

ROOT = Path(__file__).parents[4]
EXAMPLE = json.loads((ROOT / "schemas" / "facts.example.json").read_text("utf-8"))
ON = date(2025, 6, 30)


@pytest.fixture(scope="module")
def facts():
    return facts_from_dict(EXAMPLE)


@pytest.mark.parametrize("code", CODES)
def test_result_to_dict_is_json_with_decimal_strings(facts, code):
    data = result_to_dict(assess(code, facts, ON))
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text) == data
    assert data["rule_set"]["code"] == code
    assert data["outcome"] in ("eligible", "not_eligible", "needs_review")
    for c in data["criteria"]:
        assert {"code", "status", "actual", "threshold", "explanation_zh", "explanation_en"} <= set(
            c
        )
        assert c["source"]["document"]
        assert not isinstance(c["actual"], float)


def test_hnte_dict_carries_the_score_range_and_expert_items(facts):
    data = result_to_dict(assess("hnte", facts, ON))
    assert data["score"]["min_points"] == 75 and data["score"]["max_points"] == 96
    assert "hnte.score.ip_advancement" in data["score"]["expert_items"]
    rd = next(c for c in data["criteria"] if c["code"] == "hnte.rd_ratio")
    assert rd["threshold"] == "0.04"
    assert Decimal(rd["actual"]) > Decimal("0.05")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", CODES)
def test_text_trace_names_every_criterion(facts, code, lang):
    r = assess(code, facts, ON)
    text = result_to_text(r, lang=lang)
    for c in r.criteria:
        assert (c.name_zh if lang == "zh" else c.name_en) in text
        assert (c.explanation_zh if lang == "zh" else c.explanation_en) in text
        assert str(c.source) in text


def test_text_trace_of_a_failing_hnte_shows_the_gap(facts):
    years = [
        {**y, "rd": {"personnel": "100000"}} if y["year"] == 2024 else y for y in EXAMPLE["years"]
    ]
    r = assess("hnte", facts_from_dict({**EXAMPLE, "years": years}), ON)
    assert r.outcome is Outcome.NOT_ELIGIBLE
    zh, en = result_to_text(r, "zh"), result_to_text(r, "en")
    assert "差距分析" in zh and "万元" in zh
    assert "Gap analysis" in en and "more R&D" in en


def test_text_trace_refuses_other_languages(facts):
    with pytest.raises(ValueError):
        result_to_text(assess("hnte", facts, ON), lang="fr")


def test_2026_text_warns(facts):
    text = result_to_text(assess("specialized_sme", facts, date(2026, 4, 1)))
    assert "⚠" in text


def test_fast_builders_equal_the_dataclass_constructors():
    spec = hnte.C_RD
    made = result.criterion(spec, Status.PASS, Decimal(1), Decimal(2), "中", "en", True, ("$.x",))
    plain = result.Criterion(
        spec.code,
        spec.name_zh,
        spec.name_en,
        Status.PASS,
        Decimal(1),
        Decimal(2),
        "中",
        "en",
        spec.source,
        spec.group,
        True,
        ("$.x",),
    )
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    with pytest.raises(FrozenInstanceError):
        made.status = Status.FAIL
    one = result.item(hnte.I_COUNT, 1, 2, False, "中", "en")
    assert {f.name for f in fields(result.ScoreItem)} == set(vars(one))
    note = result.note("c", result.NoteKind.DECISION, "中", "en")
    assert note == result.Note("c", result.NoteKind.DECISION, "中", "en")
    g = result.gap("c", 1, "points", "中", "en")
    assert g == result.Gap("c", 1, "points", "中", "en")


@pytest.mark.parametrize(
    ("low", "high", "status"),
    [(70, 70, Status.FAIL), (71, 71, Status.PASS), (70, 71, Status.REVIEW), (71, 94, Status.PASS)],
)
def test_hnte_pass_mark_is_more_than_70(low, high, status):
    assert hnte._score_verdict(low, high, (False, False, False, False))[0] is status


def test_decide_alternatives():
    spec = result.CriterionSpec("x", "x", "x", result.Source("d", "a"))
    route = result.CriterionSpec("r", "r", "r", result.Source("d", "a"), "route")

    def c(s, status):
        return result.criterion(s, status, None, None, "", "")

    P, F, R = Status.PASS, Status.FAIL, Status.REVIEW
    assert result.decide([c(spec, P), c(route, F), c(route, P)]) is Outcome.ELIGIBLE
    assert result.decide([c(spec, P), c(route, F), c(route, F)]) is Outcome.NOT_ELIGIBLE
    assert result.decide([c(spec, P), c(route, F), c(route, R)]) is Outcome.NEEDS_REVIEW
    assert result.decide([c(spec, R), c(route, P)]) is Outcome.NEEDS_REVIEW
    assert result.decide([c(spec, F), c(route, R)]) is Outcome.NOT_ELIGIBLE


def test_list_rule_sets_covers_every_code_with_dated_versions():
    infos = list_rule_sets()
    assert {i.code for i in infos} == set(CODES)
    for code in CODES:
        versions = [i for i in infos if i.code == code]
        for before, after in itertools.pairwise(versions):
            assert after.effective_from is not None
            assert before.effective_to == date.fromordinal(after.effective_from.toordinal() - 1)
        assert versions[-1].effective_to is None
    flagged = {(i.code, i.version) for i in infos if i.needs_confirmation}
    assert flagged == {
        ("innovative_sme", "2026"),
        ("specialized_sme", "2026"),
        ("little_giant", "2026"),
    }
    for info in infos:
        assert info.name_zh and info.name_en and info.source


def test_rule_set_picks_the_version_in_force():
    assert rule_set("innovative_sme", date(2026, 3, 31)).info.version == "2022"
    assert rule_set("innovative_sme", date(2026, 4, 1)).info.version == "2026"
    assert rule_set("hnte", date(2030, 1, 1)).info.version == "2016"


def test_unknown_rule_set_is_rejected_in_both_languages():
    with pytest.raises(Rejected) as raised:
        rule_set("hnte2008", ON)
    problem = raised.value.problems[0]
    assert "hnte2008" in problem.message_zh and "hnte2008" in problem.message_en


def test_the_callers_decimal_context_does_not_change_results(facts):
    from decimal import localcontext

    expected = result_to_dict(assess("hnte", facts, ON))
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = "ROUND_UP"
        assert result_to_dict(assess("hnte", facts, ON)) == expected


def test_assessment_is_deterministic(facts):
    first = [result_to_dict(assess(code, facts, ON)) for code in CODES]
    assert first == [result_to_dict(assess(code, facts, ON)) for code in CODES]


def test_facts_reject_two_figures_for_a_year():
    from kechuang.core.criteria.facts import YearFigures

    with pytest.raises(ValueError):
        EnterpriseFacts(name="x", years=(YearFigures(2024), YearFigures(2024)))


# -- the YAML-subset reader the core uses instead of PyYAML ------------------------------------


def test_size_table_reads_the_same_as_pyyaml():
    text = (Path(sme_size.__file__).parent / "data" / sme_size.DATA_FILE).read_text("utf-8")
    assert _yaml.load(text) == yaml.safe_load(text)


def test_size_table_has_all_sixteen_rows_with_sources():
    assert len(sme_size.TABLE.rows) == 16
    assert sme_size.TABLE.source.startswith("工信部联企业〔2011〕300号")
    articles = [row.article for row in sme_size.TABLE.rows]
    assert articles[0] == "第四条（一）" and articles[-1] == "第四条（十六）"


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb:\n  - x\n  - {k: v, n: 2}\n  - - nested\n",
        "list:\n- 1\n- two\nempty: []\nflag: true\nnothing: null\n",
        "- name: a\n  value: 1\n- name: b\n  value: 'it''s'\n",
        '# comment only\nkey: value # trailing comment\nquoted: "#not a comment"\n',
    ],
)
def test_yaml_subset_agrees_with_pyyaml(text):
    assert _yaml.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1.5\n", "a: 2011-06-18\n", "a: &x 1\n", "a:\n\t- 1\n", "a: [1, [2]]\n", "a: 1\na: 2\n"],
)
def test_yaml_subset_refuses_what_it_cannot_read_exactly(text):
    with pytest.raises(_yaml.YamlSubsetError):
        _yaml.load(text)
