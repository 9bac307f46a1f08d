"""Entry and exit standards of the pipeline stages: the condition tests and their defaults.

A standard is data (``StageStandard.conditions``, a list of {"test": name, ...params}); this
module knows what each test means. Tests read the enterprise's facts and the assessments of
the rule sets, never the database, so they can run over a hundred thousand enterprises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kechuang.core.criteria import EnterpriseFacts, Outcome, Result, Status
from kechuang.core.criteria.facts import add_years

Context = tuple[EnterpriseFacts, Mapping[str, Result], date]


@dataclass(frozen=True)
class Check:
    ok: bool
    zh: str
    en: str


def _outcome(ctx: Context, rule_set: str, allowed: list[str]) -> Check:
    r = ctx[1][rule_set]
    ok = r.outcome.value in allowed
    return Check(
        ok,
        f"{r.rule_set.name_zh}：{r.outcome.label_zh}",
        f"{r.rule_set.name_en}: {r.outcome.label_en}",
    )


def _not_failed(
    ctx: Context, rule_set: str, exclude: list[str] = (), allow_review: bool = True
) -> Check:
    """No decisive failure among the criteria, leaving out ``exclude``: a required criterion
    fails, or every criterion of a set of alternatives does (as the rule sets decide)."""
    r = ctx[1][rule_set]
    bad = {Status.FAIL} if allow_review else {Status.FAIL, Status.REVIEW}
    failed, groups = [], {}
    for c in r.criteria:
        if c.group == "info" or c.code in exclude:
            continue
        if c.group == "required":
            if c.status in bad:
                failed.append(c)
        else:
            groups.setdefault(c.group, []).append(c)
    for members in groups.values():
        if all(c.status in bad for c in members):
            failed.extend(members)
    if failed:
        return Check(
            False,
            "未满足：" + "、".join(c.name_zh for c in failed),
            "Not met: " + ", ".join(c.name_en for c in failed),
        )
    if exclude:
        return Check(
            True,
            f"{r.rule_set.name_zh}：除研发费用、高新收入占比等外，硬性条件无不满足项",
            f"{r.rule_set.name_en}: no hard condition failed (R&D and income ratios aside)",
        )
    return Check(
        True,
        f"{r.rule_set.name_zh}：无不满足项（{r.outcome.label_zh}）",
        f"{r.rule_set.name_en}: no condition failed ({r.outcome.label_en})",
    )


def _holds(ctx: Context, kind: str, negate: bool = False) -> Check:
    facts, _, day = ctx
    held = any(c.kind.value == kind and c.valid_on(day) for c in facts.certifications or ())
    ok = held != negate
    if held:
        return Check(
            ok, f"持有有效的{_TITLE_ZH.get(kind, kind)}证书", f"holds a valid {kind} certificate"
        )
    return Check(ok, f"无有效的{_TITLE_ZH.get(kind, kind)}证书", f"no valid {kind} certificate")


def _listed(ctx: Context, kind: str, negate: bool = False) -> Check:
    facts, _, day = ctx
    listed = any(li.kind.value == kind and li.active_on(day) for li in facts.listings or ())
    label = _LIST_ZH.get(kind, kind)
    if listed:
        return Check(not negate, f"列入{label}", f"on the {kind} list")
    return Check(negate, f"未列入{label}", f"not on the {kind} list")


def _registered_within(ctx: Context, years: int) -> Check:
    facts, _, day = ctx
    reg = facts.registered_on
    if reg is None:
        return Check(False, "成立日期未知", "registration date unknown")
    ok = add_years(reg, years) > day
    return Check(
        ok,
        f"{reg} 成立（{years} 年以内：{'是' if ok else '否'}）",
        f"registered {reg} (within {years} years: {'yes' if ok else 'no'})",
    )


def _has_ip_or_rd(ctx: Context) -> Check:
    facts = ctx[0]
    ip = sum(1 for r in facts.ip or () if r.valid)
    rd = any(y.rd is not None and y.rd.booked_total > 0 for y in facts.years)
    ok = ip > 0 or rd
    return Check(
        ok,
        f"知识产权 {ip} 项；{'有' if rd else '无'}研发投入",
        f"{ip} IP right(s); {'some' if rd else 'no'} R&D spending",
    )


def _any(ctx: Context, of: list[dict[str, Any]]) -> Check:
    """Alternatives: the first that holds, else all the reasons none did."""
    checks = []
    for cond in of:
        check = _run(cond, ctx)
        if check.ok:
            return check
        checks.append(check)
    return Check(False, "；".join(c.zh for c in checks), "; ".join(c.en for c in checks))


def _run(cond: dict[str, Any], ctx: Context) -> Check:
    params = {k: v for k, v in cond.items() if k != "test"}
    return TESTS[cond["test"]](ctx, **params)


TESTS: dict[str, Callable[..., Check]] = {
    "any": _any,
    "outcome": _outcome,
    "criteria_not_failed": _not_failed,
    "holds": _holds,
    "listed": _listed,
    "registered_within_years": _registered_within,
    "has_ip_or_rd": _has_ip_or_rd,
}

_TITLE_ZH = {"hnte": "高新技术企业", "tech_sme": "科技型中小企业"}
_LIST_ZH = {"serious_dishonesty": "严重违法失信名单", "abnormal_operation": "经营异常名录"}


def evaluate(conditions: list[dict[str, Any]], ctx: Context) -> tuple[bool, list[Check]]:
    """Every condition's check; the standard holds when all do."""
    checks = [_run(cond, ctx) for cond in conditions]
    return all(c.ok for c in checks), checks


def check_conditions(conditions: Any) -> list[str]:
    """What is wrong with a list of conditions (for the admin and the loader)."""
    if not isinstance(conditions, list):
        return ["conditions must be a list"]
    bad = []
    for i, cond in enumerate(conditions):
        if not isinstance(cond, dict) or cond.get("test") not in TESTS:
            bad.append(f"[{i}]: unknown test {cond!r}")
        elif cond["test"] == "any":
            bad += [f"[{i}].of{b}" for b in check_conditions(cond.get("of"))]
    return bad


_HNTE_RATIOS = ["hnte.rd_ratio", "hnte.rd_domestic", "hnte.high_tech_income", "hnte.score"]
_NOT_DISHONEST = {"test": "listed", "kind": "serious_dishonesty", "negate": True}

# The bureau's defaults (培育库 practice): loaded by the data migration, editable in the admin.
DEFAULT_STANDARDS: list[dict[str, Any]] = [
    {
        "code": "hnte-entry",
        "stage": "hnte",
        "direction": "entry",
        "to_stage": "",
        "priority": 10,
        "name": "持有有效的高新技术企业证书",
        "name_en": "Holds a valid HNTE certificate",
        "conditions": [{"test": "holds", "kind": "hnte"}],
    },
    {
        "code": "pool-entry",
        "stage": "pool",
        "direction": "entry",
        "to_stage": "",
        "priority": 20,
        "name": "科技型中小企业，且除研发费用、高新收入占比外满足高企硬性条件",
        "name_en": "A qualifying tech SME meeting the hard HNTE conditions except the R&D and "
        "high-tech income ratios",
        "conditions": [
            _NOT_DISHONEST,
            # A qualifying tech SME: assessed eligible, or registered as one this year, or —
            # since the registry does not record residency or restricted products — no
            # tech-SME condition failed, leaving those declarations to be checked.
            {
                "test": "any",
                "of": [
                    {"test": "outcome", "rule_set": "tech_sme", "allowed": ["eligible"]},
                    {"test": "holds", "kind": "tech_sme"},
                    {
                        "test": "outcome",
                        "rule_set": "tech_sme",
                        "allowed": ["eligible", "needs_review"],
                    },
                ],
            },
            {"test": "criteria_not_failed", "rule_set": "hnte", "exclude": _HNTE_RATIOS},
        ],
    },
    {
        "code": "startup-entry",
        "stage": "startup",
        "direction": "entry",
        "to_stage": "",
        "priority": 30,
        "name": "成立 5 年以内，有知识产权或研发投入",
        "name_en": "Registered within 5 years, with IP or R&D spending",
        "conditions": [
            _NOT_DISHONEST,
            {"test": "registered_within_years", "years": 5},
            {"test": "has_ip_or_rd"},
        ],
    },
    *[
        {
            "code": f"{stage}-exit-dishonest",
            "stage": stage,
            "direction": "exit",
            "to_stage": "exited",
            "priority": 5,
            "name": "列入严重违法失信名单，出库",
            "name_en": "Listed as seriously dishonest: leaves the pipeline",
            "conditions": [{"test": "listed", "kind": "serious_dishonesty"}],
        }
        for stage in ("team", "startup", "pool", "hnte")
    ],
    {
        "code": "pool-exit-certified",
        "stage": "pool",
        "direction": "exit",
        "to_stage": "hnte",
        "priority": 10,
        "name": "取得高新技术企业证书，转入高新技术企业",
        "name_en": "HNTE certificate obtained: moves to HNTE",
        "conditions": [{"test": "holds", "kind": "hnte"}],
    },
    {
        "code": "hnte-exit-lapsed",
        "stage": "hnte",
        "direction": "exit",
        "to_stage": "pool",
        "priority": 20,
        "name": "高新技术企业证书失效，回到培育库",
        "name_en": "HNTE certificate lapsed: back to the pool",
        "conditions": [{"test": "holds", "kind": "hnte", "negate": True}],
    },
]


def outcome_is(result: Result, *outcomes: Outcome) -> bool:
    return result.outcome in outcomes
