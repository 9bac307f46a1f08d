"""Rule sets by code and effective period: which version is in force on a day.

A rule set version covers [effective_from, effective_to]; days outside every modelled version
get a "not modelled" rule set whose result says so (needs review) instead of failing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from kechuang.core.criteria import gradient
from kechuang.core.criteria.facts import EnterpriseFacts
from kechuang.core.criteria.hnte import Hnte2016
from kechuang.core.criteria.result import (
    CriterionSpec,
    Note,
    NoteKind,
    Outcome,
    Result,
    RuleSetInfo,
    Source,
    Status,
    criterion,
    result,
)
from kechuang.core.criteria.sme_size import SmeSize2011
from kechuang.core.criteria.tech_sme import TechSme2017
from kechuang.core.problems import Problem, Rejected


class RuleSet(Protocol):
    info: RuleSetInfo

    def assess(self, facts: EnterpriseFacts, on: date) -> Result: ...


class NotModelled:
    """A period the platform has no rules for; assessing it returns a clear needs-review result."""

    def __init__(self, info: RuleSetInfo) -> None:
        self.info = info
        self._spec = CriterionSpec(
            f"{info.code}.not_modelled",
            "规则未建模",
            "Rules not modelled",
            Source(info.source, "—"),
        )

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        info = self.info
        zh = f"{on} 适用的{info.name_zh}规则（{info.version}）未在本平台建模，请人工审查"
        en = f"The {info.name_en} rules in force on {on} ({info.version}) are not modelled here"
        c = criterion(self._spec, Status.REVIEW, None, None, zh, en)
        n = Note(f"{info.code}.not_modelled", NoteKind.MANUAL_REVIEW, zh, en)
        return result(
            info,
            facts.name,
            on,
            facts.application_date or on,
            Outcome.NEEDS_REVIEW,
            (c,),
            None,
            (),
            (n,),
            None,
            f"{info.name_zh}：规则未建模，需人工审查",
            f"{info.name_en}: rules not modelled, review by hand",
        )


_MODELLED: tuple[RuleSet, ...] = (
    Hnte2016(),
    TechSme2017(),
    SmeSize2011(),
    *gradient.RULE_SETS,
)
_STUBS: tuple[RuleSet, ...] = (NotModelled(gradient.LITTLE_GIANT_2022),)

CODES = ("hnte", "tech_sme", "sme_size", "innovative_sme", "specialized_sme", "little_giant")


def _versions(code: str) -> list[RuleSet]:
    found = [r for r in (*_MODELLED, *_STUBS) if r.info.code == code]
    return sorted(found, key=lambda r: r.info.effective_from or date.min)


def _before_first(first: RuleSet) -> NotModelled:
    info = first.info
    start = info.effective_from
    return NotModelled(
        RuleSetInfo(
            code=info.code,
            name_zh=info.name_zh,
            name_en=info.name_en,
            version=f"{start} 以前（未建模）",
            effective_from=None,
            effective_to=start - timedelta(days=1) if start else None,
            source="—",
            modelled=False,
        )
    )


_BY_CODE: dict[str, tuple[RuleSet, ...]] = {}
for _code in CODES:
    _found = _versions(_code)
    _first = _found[0]
    _BY_CODE[_code] = (
        (_before_first(_first), *_found) if _first.info.effective_from else tuple(_found)
    )


def rule_set(code: str, on: date) -> RuleSet:
    """The version of rule set ``code`` in force on ``on``."""
    versions = _BY_CODE.get(code)
    if versions is None:
        raise Rejected(
            [
                Problem(
                    "rule_set",
                    f"未知的规则集“{code}”；可用：{'、'.join(CODES)}",
                    f"Unknown rule set '{code}'; known: {', '.join(CODES)}",
                )
            ]
        )
    for version in versions:
        if version.info.in_force_on(on):
            return version
    raise AssertionError(f"no version of {code} covers {on}")  # the periods leave no gap


def list_rule_sets() -> list[RuleSetInfo]:
    """Every version of every rule set, modelled or not, by code and then by start date."""
    return [version.info for code in CODES for version in _BY_CODE[code]]


def assess(rule_set_code: str, facts: EnterpriseFacts, on: date) -> Result:
    """Assess ``facts`` under the version of ``rule_set_code`` in force on ``on``.

    ``on`` picks the version; the application date (for registration age, windows of years
    and incidents) is ``facts.application_date`` when given, else ``on``.
    """
    return rule_set(rule_set_code, on).assess(facts, on)
