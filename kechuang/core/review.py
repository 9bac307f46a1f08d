"""Expert review results: each expert's total, the application's final score, the ranking of a
call's applications and an advisory funding line.

The formulas, the rounding and a worked example are in docs/review-scoring.md. In short:

- an expert's total on a 0–100 scale is Σ weight × score / max_score;
- the final score is the mean of the totals, or, with 5 or more experts, the trimmed mean that
  leaves out ONE highest and ONE lowest total;
- a total is flagged when it differs from the mean of the other experts by MORE than the
  threshold (exactly the threshold is not flagged);
- applications are ranked by final score, ties share a rank (1, 2, 2, 4) and are flagged, and
  applications with fewer score sheets than required are listed apart, unranked.

Every figure is computed exactly (as fractions) and rounded once, to 0.01 with ROUND_HALF_UP, so
nothing depends on the order of additions and x.xx5 always rounds up. The mean, the trimmed mean
and the spread are computed from the rounded totals, the figures the panel sees, so anyone can
recheck them by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

from kechuang.core.formula import format_decimal
from kechuang.core.problems import Problem, Rejected

WEIGHT_TOTAL = Decimal(100)
SPREAD_THRESHOLD = Decimal(20)
"""Default points on the 100 scale by which a total may differ from the others' mean."""
TRIM_FROM = 5
"""Fewest experts for a trimmed mean: with fewer, leaving out two totals would leave too few."""
SPREAD_FROM = 3
"""Fewest experts for spread warnings: with two, each differs from "the others" by the same
amount, so a warning could not say which of them is the outlier."""

_CENT = Decimal("0.01")
_SQRT = Context(prec=34)


# --- input --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: Decimal  # the weights of a call's criteria sum to 100
    max_score: Decimal  # the top of this criterion's own scale, e.g. 10


@dataclass(frozen=True)
class ScoreSheet:
    expert: str
    scores: Mapping[str, Decimal]  # criterion id -> score on that criterion's scale


# --- output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    code: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class ExpertTotal:
    expert: str
    total: Decimal  # 0–100, rounded to 0.01


@dataclass(frozen=True)
class SpreadWarning:
    expert: str
    total: Decimal
    others_mean: Decimal  # mean of the other experts' totals, rounded to 0.01
    difference: Decimal  # total − others_mean, signed
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Aggregate:
    """One application's review result. With no sheets every statistic is None."""

    n: int
    totals: tuple[ExpertTotal, ...]  # in the order the sheets were given
    mean: Decimal | None
    trimmed_mean: Decimal | None  # None when n < TRIM_FROM
    # (lowest, highest) experts left out of the trimmed mean; on equal totals the expert whose
    # id sorts first counts as lower, so the choice is reproducible (the value is the same).
    dropped: tuple[str, ...]
    final: Decimal | None  # trimmed_mean if there is one, else mean
    criterion_means: Mapping[str, Decimal]  # criterion id -> mean score on its own scale
    minimum: Decimal | None
    maximum: Decimal | None
    stdev: Decimal | None  # population standard deviation of the totals
    threshold: Decimal
    warnings: tuple[SpreadWarning, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Ranked:
    application: str
    rank: int
    final: Decimal
    tied: bool  # shares its rank with another application: the panel decides the order


@dataclass(frozen=True)
class Tie:
    rank: int
    final: Decimal
    applications: tuple[str, ...]
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Incomplete:
    application: str
    sheets: int
    required: int
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Ranking:
    # By final score descending; within a tie by application id, an order with no meaning.
    ranked: tuple[Ranked, ...]
    ties: tuple[Tie, ...]
    incomplete: tuple[Incomplete, ...]  # by application id, never ranked
    required_sheets: int


@dataclass(frozen=True)
class FundingItem:
    application: str
    rank: int
    requested: Decimal
    fits: bool
    remaining: Decimal  # budget left after this application was considered
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class FundingAdvice:
    """Advice for the panel, not a decision."""

    budget: Decimal
    items: tuple[FundingItem, ...]  # in rank order
    funded: Decimal  # sum requested by the applications that fit
    remaining: Decimal
    notes: tuple[Note, ...]

    @property
    def fitting(self) -> tuple[str, ...]:
        return tuple(item.application for item in self.items if item.fits)


# --- rounding -----------------------------------------------------------------------------------


def _cents(value: Fraction) -> Decimal:
    """``value`` rounded to 0.01, halves away from zero (ROUND_HALF_UP)."""
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    return (Decimal(-cents if value < 0 else cents) / 100).quantize(_CENT)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return _cents(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# --- validation ---------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _criteria_problems(criteria: Sequence[Criterion]) -> list[Problem]:
    if not criteria:
        return [Problem("criteria", "至少需要一项评审指标", "at least one criterion is needed")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for c in criteria:
        where = f"criteria.{c.id}"
        if c.id in seen:
            problems.append(Problem(where, "评审指标编号重复", "criterion id appears twice"))
        seen.add(c.id)
        if not _is_number(c.weight) or c.weight <= 0:
            problems.append(
                Problem(
                    f"{where}.weight",
                    f"「{c.name}」的权重必须是正数",
                    f"the weight of “{c.name}” must be a positive number",
                )
            )
        if not _is_number(c.max_score) or c.max_score <= 0:
            problems.append(
                Problem(
                    f"{where}.max_score",
                    f"「{c.name}」的满分必须是正数",
                    f"the maximum score of “{c.name}” must be a positive number",
                )
            )
    weights = [c.weight for c in criteria if _is_number(c.weight)]
    if len(weights) == len(criteria) and sum(weights) != WEIGHT_TOTAL:
        total = format_decimal(sum(weights))
        problems.append(
            Problem(
                "criteria",
                f"各评审指标的权重之和为 {total}，应为 100",
                f"the criteria weights sum to {total}, not 100",
            )
        )
    return problems


def _sheet_problems(criteria: Sequence[Criterion], sheet: ScoreSheet) -> list[Problem]:
    e = sheet.expert
    problems: list[Problem] = []
    for c in criteria:
        where = f"sheets.{e}.{c.id}"
        label_zh, label_en = f"「{c.name}」（{c.id}）", f"“{c.name}” ({c.id})"
        if c.id not in sheet.scores:
            problems.append(
                Problem(
                    where, f"专家 {e} 未对{label_zh}评分", f"expert {e} did not score {label_en}"
                )
            )
            continue
        score = sheet.scores[c.id]
        if not _is_number(score):
            problems.append(
                Problem(
                    where,
                    f"专家 {e} 对{label_zh}的评分必须是数字",
                    f"expert {e}'s score for {label_en} must be a number",
                )
            )
        elif score < 0:
            problems.append(
                Problem(
                    where,
                    f"专家 {e} 对{label_zh}的评分 {format_decimal(score)} 低于 0",
                    f"expert {e}'s score {format_decimal(score)} for {label_en} is below 0",
                )
            )
        elif _is_number(c.max_score) and score > c.max_score:
            top = format_decimal(c.max_score)
            problems.append(
                Problem(
                    where,
                    f"专家 {e} 对{label_zh}的评分 {format_decimal(score)} 超过满分 {top}",
                    f"expert {e}'s score {format_decimal(score)} for {label_en} "
                    f"is above the maximum {top}",
                )
            )
    known = {c.id for c in criteria}
    for cid in sorted(set(sheet.scores) - known):
        problems.append(
            Problem(
                f"sheets.{e}.{cid}",
                f"专家 {e} 的评分表含有未知的评审指标 {cid}",
                f"expert {e}'s sheet scores an unknown criterion {cid}",
            )
        )
    return problems


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Refuse a call's criteria unless ids are unique, weights and maxima positive, Σ weight 100."""
    problems = _criteria_problems(criteria)
    if problems:
        raise Rejected(problems)


def check_sheet(criteria: Sequence[Criterion], sheet: ScoreSheet) -> None:
    """Refuse a sheet unless it scores every criterion, and only those, within 0..max_score."""
    problems = _sheet_problems(criteria, sheet)
    if problems:
        raise Rejected(problems)


# --- one application ----------------------------------------------------------------------------


def _total(criteria: Sequence[Criterion], sheet: ScoreSheet) -> Decimal:
    exact = sum(
        (
            Fraction(c.weight) * Fraction(sheet.scores[c.id]) / Fraction(c.max_score)
            for c in criteria
        ),
        Fraction(0),
    )
    return _cents(exact)


def expert_total(criteria: Sequence[Criterion], sheet: ScoreSheet) -> Decimal:
    """The expert's total on the 0–100 scale, e.g. to show the expert on submitting a sheet."""
    check_criteria(criteria)
    check_sheet(criteria, sheet)
    return _total(criteria, sheet)


def _spread(
    totals: Sequence[ExpertTotal], threshold: Decimal
) -> tuple[tuple[SpreadWarning, ...], tuple[Note, ...]]:
    n = len(totals)
    if n == 0:
        return (), ()
    if n < SPREAD_FROM:
        return (), (
            Note(
                "spread_not_checked",
                f"只有 {n} 位专家，不作分差预警："
                "两位专家时每人与“其他专家”的差相同，无法判断谁偏离",
                f"only {n} expert(s), so no spread warning: with two, each differs from "
                "“the others” by the same amount and the outlier cannot be told",
            ),
        )
    whole = sum((Fraction(t.total) for t in totals), Fraction(0))
    warnings = []
    limit = format_decimal(threshold)
    for t in totals:
        others = _cents((whole - Fraction(t.total)) / (n - 1))
        difference = t.total - others
        # Compared after rounding, so the difference the panel reads is the one that was judged.
        if abs(difference) > threshold:
            warnings.append(
                SpreadWarning(
                    t.expert,
                    t.total,
                    others,
                    difference,
                    f"专家 {t.expert} 的总分 {t.total} 与其他专家的平均分 {others} "
                    f"相差 {difference:+}，超过 {limit} 分",
                    f"expert {t.expert}'s total {t.total} differs from the other experts' mean "
                    f"{others} by {difference:+}, more than {limit} points",
                )
            )
    return tuple(warnings), ()


def aggregate(
    criteria: Sequence[Criterion],
    sheets: Sequence[ScoreSheet],
    *,
    threshold: Decimal = SPREAD_THRESHOLD,
) -> Aggregate:
    """Totals, final score, per-criterion means, spread and warnings for one application."""
    problems = _criteria_problems(criteria)
    if not _is_number(threshold) or threshold < 0:
        problems.append(
            Problem("threshold", "分差阈值必须是非负数", "the spread threshold must be 0 or more")
        )
    seen: set[str] = set()
    for sheet in sheets:
        if sheet.expert in seen:
            problems.append(
                Problem(
                    f"sheets.{sheet.expert}",
                    f"专家 {sheet.expert} 提交了两份评分表",
                    f"expert {sheet.expert} has two score sheets",
                )
            )
        seen.add(sheet.expert)
        problems.extend(_sheet_problems(criteria, sheet))
    if problems:
        raise Rejected(problems)

    n = len(sheets)
    if n == 0:
        note = Note("no_sheets", "尚无专家评分", "no expert has scored yet")
        return Aggregate(
            n=0,
            totals=(),
            mean=None,
            trimmed_mean=None,
            dropped=(),
            final=None,
            criterion_means={},
            minimum=None,
            maximum=None,
            stdev=None,
            threshold=threshold,
            warnings=(),
            notes=(note,),
        )

    totals = tuple(ExpertTotal(s.expert, _total(criteria, s)) for s in sheets)
    values = [t.total for t in totals]
    mean = _mean(values)
    notes: list[Note] = []
    trimmed: Decimal | None = None
    dropped: tuple[str, ...] = ()
    if n >= TRIM_FROM:
        ordered = sorted(totals, key=lambda t: (t.total, t.expert))
        low, high = ordered[0], ordered[-1]
        trimmed = _mean([t.total for t in ordered[1:-1]])
        dropped = (low.expert, high.expert)
        notes.append(
            Note(
                "trimmed",
                f"{n} 位专家，去掉一个最高分（{high.expert}，{high.total}）和一个最低分"
                f"（{low.expert}，{low.total}）后取平均：{trimmed}",
                f"{n} experts: the mean after leaving out the highest ({high.expert}, "
                f"{high.total}) and the lowest ({low.expert}, {low.total}) is {trimmed}",
            )
        )
    else:
        notes.append(
            Note(
                "mean_only",
                f"专家少于 {TRIM_FROM} 位（{n} 位），不去掉最高最低分，最终得分取平均分",
                f"fewer than {TRIM_FROM} experts ({n}), so no score is left out and the final "
                "score is the mean",
            )
        )
    warnings, spread_notes = _spread(totals, threshold)
    notes.extend(spread_notes)
    whole = sum((Fraction(v) for v in values), Fraction(0))
    variance = sum(((Fraction(v) - whole / n) ** 2 for v in values), Fraction(0)) / n
    root = _SQRT.sqrt(_SQRT.divide(Decimal(variance.numerator), Decimal(variance.denominator)))
    return Aggregate(
        n=n,
        totals=totals,
        mean=mean,
        trimmed_mean=trimmed,
        dropped=dropped,
        final=mean if trimmed is None else trimmed,
        criterion_means={c.id: _mean([s.scores[c.id] for s in sheets]) for c in criteria},
        minimum=min(values),
        maximum=max(values),
        stdev=_cents(Fraction(root)),
        threshold=threshold,
        warnings=warnings,
        notes=tuple(notes),
    )


# --- a call's applications ----------------------------------------------------------------------


def rank(results: Mapping[str, Aggregate], *, required_sheets: int) -> Ranking:
    """Rank applications by final score; those with fewer than ``required_sheets`` sheets are
    listed apart as incomplete."""
    if (
        isinstance(required_sheets, bool)
        or not isinstance(required_sheets, int)
        or required_sheets < 1
    ):
        raise Rejected(
            [
                Problem(
                    "required_sheets",
                    "所需评分表数必须是正整数",
                    "required sheets must be a positive integer",
                )
            ]
        )
    finals = {
        a: r.final
        for a, r in results.items()
        if r.n >= required_sheets and r.final is not None  # final is set whenever n >= 1
    }
    ordered = sorted(finals, key=lambda a: (-finals[a], a))
    groups: dict[Decimal, list[str]] = {}
    for a in ordered:
        groups.setdefault(finals[a], []).append(a)

    ranked: list[Ranked] = []
    ties: list[Tie] = []
    for final, members in groups.items():
        position = len(ranked) + 1  # standard competition ranking: 1, 2, 2, 4
        tied = len(members) > 1
        ranked.extend(Ranked(a, position, final, tied) for a in members)
        if tied:
            names = "、".join(members)
            ties.append(
                Tie(
                    position,
                    final,
                    tuple(members),
                    f"{names} 最终得分同为 {final}，并列第 {position} 名，由评审组决定先后",
                    f"{', '.join(members)} share rank {position} with the final score {final}; "
                    "the panel decides their order",
                )
            )
    incomplete = tuple(
        Incomplete(
            a,
            results[a].n,
            required_sheets,
            f"{a} 只有 {results[a].n} 份评分表，需要 {required_sheets} 份，暂不排名",
            f"{a} has {results[a].n} of the {required_sheets} required score sheets "
            "and is not ranked",
        )
        for a in sorted(set(results) - set(finals))
    )
    return Ranking(tuple(ranked), tuple(ties), incomplete, required_sheets)


def funding_line(
    ranking: Ranking, requested: Mapping[str, Decimal], budget: Decimal
) -> FundingAdvice:
    """Walk the ranked applications in rank order and mark those whose request still fits the
    budget; one that does not fit is skipped, with the reason, and the walk continues."""
    problems: list[Problem] = []
    if not _is_number(budget) or budget < 0:
        problems.append(Problem("budget", "预算必须是非负数", "the budget must be 0 or more"))
    for r in ranking.ranked:
        amount = requested.get(r.application)
        if amount is None:
            problems.append(
                Problem(
                    f"requested.{r.application}",
                    f"缺少 {r.application} 的申请金额",
                    f"the amount requested by {r.application} is missing",
                )
            )
        elif not _is_number(amount) or amount < 0:
            problems.append(
                Problem(
                    f"requested.{r.application}",
                    f"{r.application} 的申请金额必须是非负数",
                    f"the amount requested by {r.application} must be 0 or more",
                )
            )
    if problems:
        raise Rejected(problems)

    remaining = budget
    items: list[FundingItem] = []
    for r in ranking.ranked:
        amount = requested[r.application]
        fits = amount <= remaining
        if fits:
            remaining -= amount
            reason_zh = f"申请 {_yuan(amount)} 元，在预算内，剩余 {_yuan(remaining)} 元"
            reason_en = f"requests {_yuan(amount)} yuan, within budget; {_yuan(remaining)} left"
        else:
            reason_zh = (
                f"申请 {_yuan(amount)} 元，超过剩余预算 {_yuan(remaining)} 元，跳过，继续看下一项"
            )
            reason_en = (
                f"requests {_yuan(amount)} yuan, more than the {_yuan(remaining)} left; "
                "skipped, the next one is considered"
            )
        items.append(
            FundingItem(r.application, r.rank, amount, fits, remaining, reason_zh, reason_en)
        )

    notes = [
        Note(
            "advice",
            "资助线只是供评审组参考的建议，不是立项决定",
            "the funding line is advice for the panel, not a decision",
        )
    ]
    fits_of = {item.application: item.fits for item in items}
    for tie in ranking.ties:
        outcomes = {fits_of[a] for a in tie.applications if a in fits_of}
        if len(outcomes) == 2:
            notes.append(
                Note(
                    "tie_split",
                    f"资助线落在并列第 {tie.rank} 名（{'、'.join(tie.applications)}）之间，"
                    "按编号排列的先后没有意义，由评审组决定",
                    f"the funding line falls inside the tie at rank {tie.rank} "
                    f"({', '.join(tie.applications)}); their order by id means nothing, "
                    "the panel decides",
                )
            )
    if ranking.incomplete:
        notes.append(
            Note(
                "incomplete_not_considered",
                f"{len(ranking.incomplete)} 项评审未完成的申请不在资助线内",
                f"{len(ranking.incomplete)} application(s) with incomplete reviews "
                "are not considered",
            )
        )
    return FundingAdvice(
        budget=budget,
        items=tuple(items),
        funded=budget - remaining,
        remaining=remaining,
        notes=tuple(notes),
    )
