"""DHIS2-style validation rules: two formulas over one year's figures, and how they must compare.

As in DHIS2, the missing-value strategy applies to each side separately: a rule is skipped when
either side says so, and a missing value that does not cause a skip counts as 0.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Literal

from kechuang.core.formula import Formula, FormulaError, format_decimal, parse

_COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}
_IMPORTANCE = ("high", "medium", "low")


class MissingStrategy(Enum):
    SKIP_IF_ANY_MISSING = "skip_if_any_missing"
    SKIP_IF_ALL_MISSING = "skip_if_all_missing"
    NEVER_SKIP = "never_skip"


@dataclass(frozen=True)
class ValidationRule:
    """A rule ``left operator right``; the sides are parsed on construction, so a rule with a
    syntax error is refused (:class:`~kechuang.core.formula.FormulaSyntaxError`) up front."""

    code: str
    name_zh: str
    name_en: str
    left: str
    operator: str
    right: str
    importance: Literal["high", "medium", "low"]
    missing: MissingStrategy
    left_formula: Formula = field(init=False, repr=False, compare=False)
    right_formula: Formula = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.operator not in _COMPARISONS:
            raise ValueError(f"unknown operator {self.operator!r}")
        if self.importance not in _IMPORTANCE:
            raise ValueError(f"unknown importance {self.importance!r}")
        # Frozen: the parsed sides are set once here and never change.
        object.__setattr__(self, "left_formula", parse(self.left))
        object.__setattr__(self, "right_formula", parse(self.right))


@dataclass(frozen=True)
class Violation:
    rule_code: str
    importance: str
    left_value: Decimal | None
    right_value: Decimal | None
    message_zh: str
    message_en: str
    error_code: str | None = None  # set when the rule could not be evaluated at all


def _missing(formula: Formula, values: Mapping[str, Decimal]) -> list[str]:
    return sorted(name for name in formula.references if name not in values)


def _skips(formula: Formula, missing: list[str], strategy: MissingStrategy) -> bool:
    if strategy is MissingStrategy.SKIP_IF_ANY_MISSING:
        return bool(missing)
    if strategy is MissingStrategy.SKIP_IF_ALL_MISSING:
        # A side without references (a constant) is never "all missing".
        return bool(missing) and len(missing) == len(formula.references)
    return False


def run_rules(rules: Sequence[ValidationRule], values: Mapping[str, Decimal]) -> list[Violation]:
    """The rules that ``values`` break, in rule order; skipped rules report nothing."""
    violations = []
    for rule in rules:
        violation = _check(rule, values)
        if violation is not None:
            violations.append(violation)
    return violations


def _check(rule: ValidationRule, values: Mapping[str, Decimal]) -> Violation | None:
    left_missing = _missing(rule.left_formula, values)
    right_missing = _missing(rule.right_formula, values)
    if _skips(rule.left_formula, left_missing, rule.missing) or _skips(
        rule.right_formula, right_missing, rule.missing
    ):
        return None
    zeros = sorted({*left_missing, *right_missing})
    scope = {**values, **dict.fromkeys(zeros, Decimal(0))}
    name_en = rule.name_en or rule.name_zh
    left_value = right_value = None
    try:
        left_value = rule.left_formula.evaluate(scope)
        right_value = rule.right_formula.evaluate(scope)
    except FormulaError as error:
        return Violation(
            rule.code,
            rule.importance,
            left_value,
            right_value,
            f"无法检查规则“{rule.name_zh}”（{rule.code}）：{error.message_zh}",
            f"Rule '{name_en}' ({rule.code}) could not be checked: {error.message_en}",
            error.code,
        )
    if _COMPARISONS[rule.operator](left_value, right_value):
        return None
    lv, rv, op = format_decimal(left_value), format_decimal(right_value), rule.operator
    zh = (
        f"不满足规则“{rule.name_zh}”（{rule.code}）：左侧 {rule.left} 为 {lv}，"
        f"右侧 {rule.right} 为 {rv}，应满足 左侧 {op} 右侧"
    )
    en = (
        f"Rule '{name_en}' ({rule.code}) not met: left side {rule.left} is {lv}, "
        f"right side {rule.right} is {rv}; expected left {op} right"
    )
    if zeros:
        zh += f"（缺失的 {'、'.join(zeros)} 按 0 计）"
        en += f" (missing {', '.join(zeros)} counted as 0)"
    return Violation(rule.code, rule.importance, left_value, right_value, zh, en)
