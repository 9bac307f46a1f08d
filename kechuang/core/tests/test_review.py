from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core import review as R
from kechuang.core.problems import Rejected

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "review.yaml").read_text("utf-8"))
OVERALL = [R.Criterion("q", "总体评价", Decimal(100), Decimal(100))]
STATS = ("mean", "trimmed_mean", "final", "minimum", "maximum", "stdev")


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def criteria_of(case: dict) -> list[R.Criterion]:
    return [R.Criterion(c[0], c[1], dec(c[2]), dec(c[3])) for c in case["criteria"]]


def sheets_of(case: dict, criteria: list[R.Criterion]) -> list[R.ScoreSheet]:
    sheets = []
    for expert, scores in case["sheets"].items():
        if isinstance(scores, list):
            scores = dict(zip([c.id for c in criteria], scores, strict=True))
        sheets.append(R.ScoreSheet(expert, {k: dec(v) for k, v in scores.items()}))
    return sheets


def overall(*totals) -> list[R.ScoreSheet]:
    return [R.ScoreSheet(f"E{i}", {"q": dec(t)}) for i, t in enumerate(totals, 1)]


def case_aggregate(case: dict) -> R.Aggregate:
    criteria = criteria_of(case)
    kwargs = {"threshold": dec(case["threshold"])} if "threshold" in case else {}
    return R.aggregate(criteria, sheets_of(case, criteria), **kwargs)


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["id"]) for c in CASES["aggregate"] if "expect" in c]
)
def test_aggregate_cases(case):
    a = case_aggregate(case)
    expect = case["expect"]
    if "n" in expect:
        assert a.n == expect["n"]
    if "totals" in expect:
        assert {t.expert: t.total for t in a.totals} == {
            e: dec(t) for e, t in expect["totals"].items()
        }
    for name in STATS:
        if name in expect:
            assert getattr(a, name) == dec(expect[name]), name
    if "dropped" in expect:
        assert list(a.dropped) == expect["dropped"]
    if "criterion_means" in expect:
        assert dict(a.criterion_means) == {c: dec(m) for c, m in expect["criterion_means"].items()}
    if "warnings" in expect:
        assert [[w.expert, w.total, w.others_mean, w.difference] for w in a.warnings] == [
            [e, dec(t), dec(o), dec(d)] for e, t, o, d in expect["warnings"]
        ]
    if "notes" in expect:
        assert [n.code for n in a.notes] == expect["notes"]
    for message in [*a.warnings, *a.notes]:
        assert message.message_zh and message.message_en


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["id"]) for c in CASES["aggregate"] if "refused" in c]
)
def test_refused_cases_name_every_problem_and_where(case):
    with pytest.raises(Rejected) as info:
        case_aggregate(case)
    problems = info.value.problems
    assert [p.where for p in problems] == [where for where, _fragment in case["refused"]]
    for problem, (_where, fragment) in zip(problems, case["refused"], strict=True):
        assert fragment in problem.message_en
        assert problem.message_zh


def case_ranking(case: dict) -> R.Ranking:
    results = {app: R.aggregate(OVERALL, overall(*t)) for app, t in case["applications"].items()}
    return R.rank(results, required_sheets=case["required_sheets"])


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES["ranking"]])
def test_ranking_cases(case):
    ranking = case_ranking(case)
    if "ranked" in case:
        assert [[r.application, r.rank, r.final, r.tied] for r in ranking.ranked] == [
            [a, rank, dec(f), tied] for a, rank, f, tied in case["ranked"]
        ]
        assert [[t.rank, list(t.applications)] for t in ranking.ties] == case["ties"]
        assert [[i.application, i.sheets] for i in ranking.incomplete] == case["incomplete"]
    if "budget" in case:
        requested = {a: dec(v) for a, v in case["requested"].items()}
        advice = R.funding_line(ranking, requested, dec(case["budget"]))
        assert [[i.application, i.fits, i.remaining] for i in advice.items] == [
            [a, fits, dec(left)] for a, fits, left in case["funding"]
        ]
        assert advice.funded == dec(case["funded"])
        assert advice.funded + advice.remaining == advice.budget
        assert [n.code for n in advice.notes] == case["funding_notes"]


# --- messages -----------------------------------------------------------------------------------


def test_spread_warning_names_expert_total_others_mean_and_difference():
    (warning,) = R.aggregate(OVERALL, overall("80.01", 60, 60)).warnings
    assert (
        warning.message_zh
        == "专家 E1 的总分 80.01 与其他专家的平均分 60.00 相差 +20.01，超过 20 分"
    )
    assert warning.message_en == (
        "expert E1's total 80.01 differs from the other experts' mean 60.00 by +20.01, "
        "more than 20 points"
    )


def test_two_experts_note_says_why_there_is_no_spread_warning():
    notes = {n.code: n for n in R.aggregate(OVERALL, overall(100, 0)).notes}
    assert "outlier cannot be told" in notes["spread_not_checked"].message_en
    assert "无法判断谁偏离" in notes["spread_not_checked"].message_zh


def test_trimmed_note_names_the_experts_left_out():
    (note,) = R.aggregate(OVERALL, overall(70, 50, 95, 60, 80)).notes
    assert note.message_en == (
        "5 experts: the mean after leaving out the highest (E3, 95.00) "
        "and the lowest (E2, 50.00) is 70.00"
    )


def test_tie_and_incomplete_messages_are_for_the_panel():
    ranking = R.rank(
        {
            "A": R.aggregate(OVERALL, overall(80, 80)),
            "B": R.aggregate(OVERALL, overall(80, 80)),
            "C": R.aggregate(OVERALL, overall(90)),
        },
        required_sheets=2,
    )
    (tie,) = ranking.ties
    assert (
        tie.message_en
        == "A, B share rank 1 with the final score 80.00; the panel decides their order"
    )
    assert tie.message_zh == "A、B 最终得分同为 80.00，并列第 1 名，由评审组决定先后"
    (incomplete,) = ranking.incomplete
    assert incomplete.message_en == "C has 1 of the 2 required score sheets and is not ranked"


def test_funding_skip_records_the_amounts_and_the_line_is_only_advice():
    ranking = R.rank(
        {"A": R.aggregate(OVERALL, overall(90)), "B": R.aggregate(OVERALL, overall(80))},
        required_sheets=1,
    )
    advice = R.funding_line(
        ranking, {"A": Decimal("800000"), "B": Decimal("300000")}, Decimal(500000)
    )
    assert advice.fitting == ("B",)
    skipped = advice.items[0]
    assert skipped.reason_en == (
        "requests 800,000.00 yuan, more than the 500,000.00 left; "
        "skipped, the next one is considered"
    )
    assert "超过剩余预算 500,000.00 元" in skipped.reason_zh
    assert advice.notes[0].message_en == "the funding line is advice for the panel, not a decision"


# --- validation ---------------------------------------------------------------------------------


def test_check_sheet_refuses_a_bad_sheet_and_expert_total_scores_a_good_one():
    criteria = [
        R.Criterion("c1", "创新性", Decimal(40), Decimal(10)),
        R.Criterion("c2", "可行性", Decimal(60), Decimal(20)),
    ]
    with pytest.raises(Rejected) as info:
        R.check_sheet(criteria, R.ScoreSheet("E1", {"c1": Decimal(3)}))
    assert info.value.problems[0].message_zh == "专家 E1 未对「可行性」（c2）评分"
    sheet = R.ScoreSheet("E1", {"c1": Decimal("7.5"), "c2": Decimal(15)})
    assert R.expert_total(criteria, sheet) == Decimal("75.00")


def test_a_score_that_is_not_a_number_is_refused():
    with pytest.raises(Rejected) as info:
        R.check_sheet(OVERALL, R.ScoreSheet("E1", {"q": Decimal("NaN")}))
    assert info.value.problems[0].where == "sheets.E1.q"
    with pytest.raises(Rejected):
        R.check_sheet(OVERALL, R.ScoreSheet("E1", {"q": 80.0}))


def test_check_criteria_refuses_an_empty_list():
    with pytest.raises(Rejected) as info:
        R.check_criteria([])
    assert info.value.problems[0].where == "criteria"


def test_same_expert_twice_is_refused():
    sheets = [R.ScoreSheet("E1", {"q": Decimal(80)}), R.ScoreSheet("E1", {"q": Decimal(70)})]
    with pytest.raises(Rejected) as info:
        R.aggregate(OVERALL, sheets)
    assert [p.where for p in info.value.problems] == ["sheets.E1"]


def test_negative_threshold_is_refused():
    with pytest.raises(Rejected) as info:
        R.aggregate(OVERALL, overall(80), threshold=Decimal(-1))
    assert info.value.problems[0].where == "threshold"


def test_required_sheets_must_be_positive():
    with pytest.raises(Rejected) as info:
        R.rank({}, required_sheets=0)
    assert info.value.problems[0].where == "required_sheets"


def test_funding_line_refuses_missing_or_negative_amounts_and_budget():
    ranking = R.rank(
        {"A": R.aggregate(OVERALL, overall(90)), "B": R.aggregate(OVERALL, overall(80))},
        required_sheets=1,
    )
    with pytest.raises(Rejected) as info:
        R.funding_line(ranking, {"B": Decimal(-5)}, Decimal(-1))
    assert [p.where for p in info.value.problems] == ["budget", "requested.A", "requested.B"]


# --- properties ---------------------------------------------------------------------------------

totals_2dp = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=200, deadline=None)
@given(totals=st.lists(totals_2dp, min_size=1, max_size=12), shift=st.randoms())
def test_property_final_lies_between_min_and_max_and_ignores_sheet_order(totals, shift):
    a = R.aggregate(OVERALL, overall(*totals))
    assert a.minimum <= a.final <= a.maximum
    assert a.minimum <= a.mean <= a.maximum
    if a.trimmed_mean is not None:
        assert a.n >= 5 and a.minimum <= a.trimmed_mean <= a.maximum
    shuffled = overall(*totals)
    shift.shuffle(shuffled)
    b = R.aggregate(OVERALL, shuffled)
    assert (b.mean, b.trimmed_mean, b.final, b.stdev) == (a.mean, a.trimmed_mean, a.final, a.stdev)


@st.composite
def call_with_sheets(draw):
    # Integer weights summing to 100, every max_score 10 and scores in tenths: each total
    # Σ weight × score / 10 is then exact to 0.01, so no rounding blurs the shift.
    cuts = sorted(draw(st.sets(st.integers(1, 99), max_size=4)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    criteria = [
        R.Criterion(f"c{i}", f"指标{i}", Decimal(w), Decimal(10)) for i, w in enumerate(weights)
    ]
    d = draw(st.integers(0, 30)) / Decimal(10)
    tenths = st.integers(0, 100 - int(d * 10)).map(lambda t: Decimal(t) / 10)
    n = draw(st.integers(1, 8))
    sheets = [R.ScoreSheet(f"E{e}", {c.id: draw(tenths) for c in criteria}) for e in range(n)]
    return criteria, sheets, d


@settings(max_examples=200, deadline=None)
@given(call_with_sheets())
def test_property_adding_d_to_every_score_raises_final_by_d_times_weight_over_max(data):
    criteria, sheets, d = data
    raised = [R.ScoreSheet(s.expert, {k: v + d for k, v in s.scores.items()}) for s in sheets]
    before, after = R.aggregate(criteria, sheets), R.aggregate(criteria, raised)
    rise = d * sum(c.weight / c.max_score for c in criteria)  # = 10 × d here
    assert after.final - before.final == rise
    assert [t.total for t in after.totals] == [t.total + rise for t in before.totals]


@settings(max_examples=200, deadline=None)
@given(
    apps=st.dictionaries(
        st.text("ABCDEFGH", min_size=1, max_size=2),
        st.lists(st.sampled_from([Decimal(x) for x in (60, 70, "70.5", 80, 90)]), max_size=6),
        max_size=10,
    ),
    required=st.integers(1, 4),
    budget=st.integers(0, 10).map(lambda b: Decimal(b * 100000)),
    amounts=st.lists(
        st.integers(0, 5).map(lambda a: Decimal(a * 100000)), min_size=10, max_size=10
    ),
)
def test_property_ranking_is_a_permutation_with_competition_ranks(apps, required, budget, amounts):
    results = {a: R.aggregate(OVERALL, overall(*t)) for a, t in apps.items()}
    ranking = R.rank(results, required_sheets=required)
    ranked = [r.application for r in ranking.ranked]
    listed = ranked + [i.application for i in ranking.incomplete]
    assert sorted(listed) == sorted(apps)
    for r in ranking.ranked:
        assert results[r.application].n >= required
        assert r.rank == 1 + sum(o.final > r.final for o in ranking.ranked)
        assert r.tied == (sum(o.final == r.final for o in ranking.ranked) > 1)
    assert all(results[i.application].n < required for i in ranking.incomplete)

    requested = dict(zip(ranked, amounts, strict=False))
    advice = R.funding_line(ranking, requested, budget)
    assert [i.application for i in advice.items] == ranked
    assert advice.funded <= budget
    left = budget
    for item in advice.items:
        # Skipped only when it really did not fit what was left at its turn.
        assert item.fits == (item.requested <= left)
        left -= item.requested if item.fits else 0
        assert item.remaining == left
