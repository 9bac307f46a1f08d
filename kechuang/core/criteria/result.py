"""What an assessment returns, and its JSON and text forms.

A result carries the outcome, every criterion with its actual value, threshold, status,
explanation (Chinese and English) and legal source, the score as a range where experts decide,
a gap analysis and the notes that say which interpretation was applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Context, Decimal
from enum import Enum
from typing import Any

Value = Decimal | int | str | bool | None


class _Labelled(Enum):
    """An enum whose members carry Chinese and English labels as plain attributes.

    Plain attributes, not properties over a dict, because results read them on every
    assessment and an enum member's hash is computed in Python.
    """

    def __new__(cls, value: str, label_zh: str, label_en: str):
        member = object.__new__(cls)
        member._value_ = value
        member.label_zh = label_zh
        member.label_en = label_en
        return member


class Outcome(_Labelled):
    ELIGIBLE = ("eligible", "符合条件", "eligible")
    NOT_ELIGIBLE = ("not_eligible", "不符合条件", "not eligible")
    NEEDS_REVIEW = ("needs_review", "需人工复核", "needs review")


class Status(_Labelled):
    PASS = ("pass", "通过", "pass")
    FAIL = ("fail", "未通过", "fail")
    REVIEW = ("needs_review", "需复核", "review")


_ELIGIBLE, _NOT_ELIGIBLE, _NEEDS_REVIEW = (
    Outcome.ELIGIBLE,
    Outcome.NOT_ELIGIBLE,
    Outcome.NEEDS_REVIEW,
)
_PASS, _FAIL, _REVIEW = Status.PASS, Status.FAIL, Status.REVIEW


class NoteKind(Enum):
    DECISION = "decision"  # the platform chose a reading where the text leaves room
    MANUAL_REVIEW = "manual_review"  # a ⚠ case: computed by common practice, check by hand
    EXPERT = "expert"  # only an expert can settle this
    UNCONFIRMED = "unconfirmed"  # the rule text itself is not yet checked against the original


REQUIRED = "required"
"""Criterion group of the conditions that must all pass."""
INFO = "info"
"""Criterion group shown for information; it never changes the outcome."""


@dataclass(frozen=True)
class Source:
    document: str  # 文号, e.g. 国科发火〔2016〕32号
    article: str  # 条款, e.g. 第十一条（五）

    def __str__(self) -> str:
        return f"{self.document} {self.article}"


@dataclass(frozen=True)
class RuleSetInfo:
    code: str
    name_zh: str
    name_en: str
    version: str
    effective_from: date | None
    effective_to: date | None  # last day in force; None = still in force
    source: str
    needs_confirmation: bool = False
    modelled: bool = True

    def in_force_on(self, day: date) -> bool:
        after_start = self.effective_from is None or self.effective_from <= day
        return after_start and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Criterion:
    code: str
    name_zh: str
    name_en: str
    status: Status
    actual: Value
    threshold: Value
    explanation_zh: str
    explanation_en: str
    source: Source
    group: str = REQUIRED  # REQUIRED, INFO, or the name of a set of alternatives (one suffices)
    expert: bool = False  # the machine's reading holds, but part of it is an expert's call
    missing: tuple[str, ...] = ()  # paths of the facts that were missing


@dataclass(frozen=True)
class ScoreItem:
    code: str
    name_zh: str
    name_en: str
    category: str
    full_marks: int
    min_points: int
    max_points: int
    expert: bool  # the band itself needs an expert (not only the points within it)
    explanation_zh: str
    explanation_en: str
    source: Source


@dataclass(frozen=True)
class ScoreCategory:
    code: str
    name_zh: str
    name_en: str
    full_marks: int  # also the cap on the category's sum
    min_points: int
    max_points: int


@dataclass(frozen=True)
class Score:
    min_points: int  # conservative: every open judgement at its lowest
    max_points: int  # optimistic: every open judgement at its highest
    full_marks: int
    pass_mark: int
    categories: tuple[ScoreCategory, ...]
    items: tuple[ScoreItem, ...]

    @property
    def expert_items(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items if item.expert)


@dataclass(frozen=True)
class Gap:
    criterion: str
    amount: Decimal | int
    unit: str  # yuan, persons, days, points, ip_class_i, ip_class_ii, years
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Note:
    code: str
    kind: NoteKind
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Classification:
    """A size class under the 2011 规定 and, for industrial firms, the 规上 flag."""

    code: str  # large, medium, small, micro
    name_zh: str
    name_en: str
    industry: str
    industry_zh: str
    industry_en: str
    above_scale: bool | None  # 规模以上工业企业; None when not an industrial enterprise


@dataclass(frozen=True)
class Result:
    rule_set: RuleSetInfo
    enterprise: str
    assessed_on: date
    application_date: date
    outcome: Outcome
    criteria: tuple[Criterion, ...]
    score: Score | None
    gaps: tuple[Gap, ...]
    notes: tuple[Note, ...]
    classification: Classification | None
    summary_zh: str
    summary_en: str


# Building a frozen dataclass through its __init__ costs about 2 µs on the target machine
# (one object.__setattr__ per field); an assessment builds some thirty result objects. These
# builders set the instance dictionary in one step, giving identical, still-immutable objects
# at a quarter of the cost. Each passes every field, so nothing relies on defaults.
_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True)
class CriterionSpec:
    """The unchanging parts of a criterion, prepared once per rule set."""

    code: str
    name_zh: str
    name_en: str
    source: Source
    group: str = REQUIRED


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name_zh: str
    name_en: str
    category: str
    full_marks: int
    source: Source


def criterion(
    spec: CriterionSpec,
    status: Status,
    actual: Value,
    threshold: Value,
    zh: str,
    en: str,
    expert: bool = False,
    missing: tuple[str, ...] = (),
) -> Criterion:
    made = _new(Criterion)
    _set(
        made,
        "__dict__",
        {
            "code": spec.code,
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "status": status,
            "actual": actual,
            "threshold": threshold,
            "explanation_zh": zh,
            "explanation_en": en,
            "source": spec.source,
            "group": spec.group,
            "expert": expert,
            "missing": missing,
        },
    )
    return made


def item(spec: ItemSpec, low: int, high: int, expert: bool, zh: str, en: str) -> ScoreItem:
    made = _new(ScoreItem)
    _set(
        made,
        "__dict__",
        {
            "code": spec.code,
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "category": spec.category,
            "full_marks": spec.full_marks,
            "min_points": low,
            "max_points": high,
            "expert": expert,
            "explanation_zh": zh,
            "explanation_en": en,
            "source": spec.source,
        },
    )
    return made


def category(
    code: str, name_zh: str, name_en: str, full_marks: int, low: int, high: int
) -> ScoreCategory:
    made = _new(ScoreCategory)
    _set(
        made,
        "__dict__",
        {
            "code": code,
            "name_zh": name_zh,
            "name_en": name_en,
            "full_marks": full_marks,
            "min_points": low,
            "max_points": high,
        },
    )
    return made


def score(
    low: int,
    high: int,
    full_marks: int,
    pass_mark: int,
    categories: tuple[ScoreCategory, ...],
    items: tuple[ScoreItem, ...],
) -> Score:
    made = _new(Score)
    _set(
        made,
        "__dict__",
        {
            "min_points": low,
            "max_points": high,
            "full_marks": full_marks,
            "pass_mark": pass_mark,
            "categories": categories,
            "items": items,
        },
    )
    return made


def gap(code: str, amount: Decimal | int, unit: str, zh: str, en: str) -> Gap:
    made = _new(Gap)
    _set(
        made,
        "__dict__",
        {"criterion": code, "amount": amount, "unit": unit, "message_zh": zh, "message_en": en},
    )
    return made


def note(code: str, kind: NoteKind, zh: str, en: str) -> Note:
    made = _new(Note)
    _set(made, "__dict__", {"code": code, "kind": kind, "message_zh": zh, "message_en": en})
    return made


def decide(criteria: Iterable[Criterion]) -> Outcome:
    """Every required criterion must pass, and in each set of alternatives at least one.

    One failure is decisive even when other criteria still need review.
    """
    review = False
    alternatives: dict[str, Status] = {}
    for c in criteria:
        group = c.group
        if group == REQUIRED:
            if c.status is _FAIL:
                return _NOT_ELIGIBLE
            if c.status is _REVIEW:
                review = True
        elif group != INFO:
            best = alternatives.get(group)
            if best is not _PASS and (best is None or c.status is not _FAIL):
                alternatives[group] = c.status
    for status in alternatives.values():
        if status is _FAIL:
            return _NOT_ELIGIBLE
        if status is _REVIEW:
            review = True
    return _NEEDS_REVIEW if review else _ELIGIBLE


def decide_required(criteria: list[Criterion]) -> Outcome:
    """``decide`` for rule sets whose criteria are all required (or informational)."""
    review = False
    for c in criteria:
        status = c.status
        if status is _FAIL and c.group != INFO:
            return _NOT_ELIGIBLE
        if status is _REVIEW and c.group != INFO:
            review = True
    return _NEEDS_REVIEW if review else _ELIGIBLE


def result(
    info: RuleSetInfo,
    enterprise: str,
    assessed_on: date,
    application_date: date,
    outcome: Outcome,
    criteria: tuple[Criterion, ...],
    score_: Score | None,
    gaps: tuple[Gap, ...],
    notes: tuple[Note, ...],
    classification: Classification | None,
    summary_zh: str,
    summary_en: str,
) -> Result:
    made = _new(Result)
    _set(
        made,
        "__dict__",
        {
            "rule_set": info,
            "enterprise": enterprise,
            "assessed_on": assessed_on,
            "application_date": application_date,
            "outcome": outcome,
            "criteria": criteria,
            "score": score_,
            "gaps": gaps,
            "notes": notes,
            "classification": classification,
            "summary_zh": summary_zh,
            "summary_en": summary_en,
        },
    )
    return made


# ---------------------------------------------------------------------------------------------
# JSON and text forms


_MICRO = Decimal("0.000001")
_WIDE = Context(prec=60)  # whatever the caller's context, quantizing a ratio must not fail


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if value.as_tuple().exponent < -6:
            # Ratios carry fifty digits; six decimals, rounded down, are enough to read and
            # never show a missed threshold as met (the decision used the exact figures).
            value = value.quantize(_MICRO, rounding=ROUND_FLOOR, context=_WIDE)
        return format(value, "f")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Source):
        return {"document": value.document, "article": value.article, "text": str(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return {name: _plain(v) for name, v in vars(value).items()}


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data: Decimals become strings (at most six decimals), dates
    ISO strings, enums their values."""
    data = _plain(result)
    if result.score is not None:
        data["score"]["expert_items"] = list(result.score.expert_items)
    return data


_MARK = {Status.PASS: "✓", Status.FAIL: "✗", Status.REVIEW: "?"}


def _points(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def result_to_text(result: Result, lang: str = "zh") -> str:
    """A readable trace: outcome, each criterion and score item, gaps and notes."""
    if lang not in ("zh", "en"):
        raise ValueError("lang must be 'zh' or 'en'")
    zh = lang == "zh"
    info = result.rule_set
    if zh:
        lines = [
            f"{info.name_zh}（{info.code} {info.version}）",
            f"依据：{info.source}",
        ]
    else:
        lines = [f"{info.name_en} ({info.code} {info.version})", f"Source: {info.source}"]
    if info.needs_confirmation:
        lines.append(
            "⚠ 本规则集数据尚待与官方文本核对"
            if zh
            else "⚠ This rule set is awaiting confirmation against the official text"
        )
    if zh:
        lines.append(
            f"企业：{result.enterprise}；评估日：{result.assessed_on}；"
            f"申请日：{result.application_date}"
        )
        lines.append(f"结论：{result.summary_zh}")
    else:
        lines.append(
            f"Enterprise: {result.enterprise}; assessed on {result.assessed_on}; "
            f"application date {result.application_date}"
        )
        lines.append(f"Outcome: {result.summary_en}")
    if result.classification is not None:
        c = result.classification
        lines.append(
            f"规模：{c.name_zh}（{c.industry_zh}）"
            if zh
            else f"Size: {c.name_en} ({c.industry_en})"
        )
    lines.append("")
    lines.append("条件：" if zh else "Criteria:")
    for c in result.criteria:
        if c.group == REQUIRED:
            tag = ""
        elif c.group == INFO:
            tag = " [参考]" if zh else " [for information]"
        else:
            tag = f" [任一满足：{c.group}]" if zh else f" [one of: {c.group}]"
        expert = (" [专家]" if zh else " [expert]") if c.expert else ""
        name = c.name_zh if zh else c.name_en
        label = c.status.label_zh if zh else c.status.label_en
        status = f"（{label}）" if zh else f" ({label})"
        lines.append(f"  {_MARK[c.status]} {name}{status}{tag}{expert}")
        lines.append("      " + (c.explanation_zh if zh else c.explanation_en))
        lines.append(("      依据：" if zh else "      Source: ") + str(c.source))
    s = result.score
    if s is not None:
        lines.append("")
        lines.append(
            f"评分：{_points(s.min_points, s.max_points)} 分（满分 {s.full_marks}，"
            f"须 ≥ {s.pass_mark}）"
            if zh
            else f"Score: {_points(s.min_points, s.max_points)} of {s.full_marks} "
            f"(needs ≥ {s.pass_mark})"
        )
        for cat in s.categories:
            colon = "：" if zh else ": "
            lines.append(
                f"  {cat.name_zh if zh else cat.name_en}{colon}"
                f"{_points(cat.min_points, cat.max_points)}/{cat.full_marks}"
            )
            for it in s.items:
                if it.category != cat.code:
                    continue
                expert = (" [专家]" if zh else " [expert]") if it.expert else ""
                lines.append(
                    f"    {it.name_zh if zh else it.name_en}{colon}"
                    f"{_points(it.min_points, it.max_points)}/{it.full_marks}{expert} — "
                    + (it.explanation_zh if zh else it.explanation_en)
                )
        if s.expert_items:
            names = [(it.name_zh if zh else it.name_en) for it in s.items if it.expert]
            lines.append(
                "需专家判断：" + "、".join(names) if zh else "Needs an expert: " + ", ".join(names)
            )
    if result.gaps:
        lines.append("")
        lines.append("差距分析：" if zh else "Gap analysis:")
        lines.extend("  - " + (g.message_zh if zh else g.message_en) for g in result.gaps)
    if result.notes:
        lines.append("")
        lines.append("说明：" if zh else "Notes:")
        lines.extend("  - " + (n.message_zh if zh else n.message_en) for n in result.notes)
    return "\n".join(lines) + "\n"
