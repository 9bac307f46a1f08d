"""Policy conditions (申请条件) as data: a small language over named enterprise facts.

A condition is plain YAML or JSON — nested mappings, never code — and is never run with
``eval``. Its forms (documented in ``docs/policy-conditions.md``):

    all: [cond, ...]                  every one must hold
    any: [cond, ...]                  at least one must hold
    not: cond                         must not hold
    fact: NAME, OP: VALUE             a comparison on one named fact (see ``FACTS``)
    ruleset: CODE                     eligible under a rule set of the rules core (hnte, …)

Every condition, and every policy, gets one of three verdicts: eligible, possibly (a fact it
needs is missing — the missing facts are listed) or not eligible, with an explanation per
condition in Chinese and English that puts the actual value beside what is needed. The logic is
Kleene's: one failed condition under ``all`` is decisive even while others are missing; one met
condition under ``any`` is enough.

Conditions are checked when they are saved (``compile_condition``): an unknown fact, an operator
that does not suit the fact's type, or a value of the wrong type is refused with its path inside
the condition (``all[2].fact``), so a stored condition can always be evaluated.

Readings chosen:

- ``….latest`` facts are the accounting year before the matching day (上一年度), as in the
  qualification rules; a year without figures makes them missing, never zero.
- Ratios are exact Decimal fractions (0.03 = 3%); a ratio over a zero denominator is missing.
- ``certification.<kind>.valid`` and the listing and incident facts are missing only when the
  record is unknown (``None`` in the facts); an empty record means "none".

Two evaluators share one set of fact derivations: ``evaluate`` explains one enterprise;
``Matcher`` decides many enterprises × many conditions at once, deriving each enterprise's facts
once and combining whole columns as bit masks, so that 100,000 enterprises × 200 policies take
seconds. A test keeps the two in agreement.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal, InvalidOperation
from enum import Enum
from functools import partial
from itertools import compress
from typing import Any

from kechuang.core.criteria import registry
from kechuang.core.criteria._common import num, pct, pct_label, wan
from kechuang.core.criteria.facts import (
    CertificationKind,
    EnterpriseFacts,
    IncidentKind,
    IPClass,
    IPKind,
    IPStatus,
    ListingKind,
    add_years,
)
from kechuang.core.criteria.hnte import FIELDS, field_index
from kechuang.core.criteria.result import Outcome, Result, Status
from kechuang.core.criteria.sme_size import size_of
from kechuang.core.problems import Problem, Rejected

MAX_DEPTH = 16
_EXACT = Context(prec=34)
_WAN = Decimal(10000)


class Verdict(Enum):
    ELIGIBLE = "eligible"
    POSSIBLY = "possibly"
    NOT_ELIGIBLE = "not_eligible"

    @property
    def label_zh(self) -> str:
        return _VERDICT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _VERDICT_LABELS[self][1]


_VERDICT_LABELS = {
    Verdict.ELIGIBLE: ("符合", "eligible"),
    Verdict.POSSIBLY: ("可能符合（缺少数据）", "possibly eligible (data missing)"),
    Verdict.NOT_ELIGIBLE: ("不符合", "not eligible"),
}
_FROM_OUTCOME = {
    Outcome.ELIGIBLE: Verdict.ELIGIBLE,
    Outcome.NEEDS_REVIEW: Verdict.POSSIBLY,
    Outcome.NOT_ELIGIBLE: Verdict.NOT_ELIGIBLE,
}


# ---------------------------------------------------------------------------------------------
# What a condition can be about


@dataclass(frozen=True)
class Subject:
    """An enterprise as the conditions see it: the rules core's facts plus what only the
    registry knows (whether it is registered in the district, its park)."""

    facts: EnterpriseFacts
    in_district: bool | None = None
    park: str | None = None


TYPES = {
    "bool": ("是/否", "yes/no"),
    "int": ("整数", "integer"),
    "decimal": ("数值", "number"),
    "text": ("文本", "text"),
    "date": ("日期", "date"),
}
# Where a missing fact is recorded: the enterprise fills its figures, IP and profile itself;
# the bureau records registration data, titles, listings and incidents.
FILL_FIGURES, FILL_IP, FILL_PROFILE, FILL_BUREAU = "figures", "ip", "profile", "bureau"


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str  # a key of TYPES
    label_zh: str
    label_en: str
    family: str  # the derivation that produces it, with its neighbours, once per enterprise
    unit: str = ""  # ratio, yuan, persons, years, count: how values are shown
    choices: tuple[str, ...] = ()
    choices_en: tuple[str, ...] = ()
    fill: str = FILL_BUREAU


def _ratio(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or not b:
        return None
    return _EXACT.divide(a, b)


def _family_registry(s: Subject, on: date) -> tuple:
    return (s.in_district, s.park)


def _family_profile(s: Subject, on: date) -> tuple:
    f = s.facts
    code = f.industry_code
    field = f.high_tech_field
    if field is not None:
        index = field_index(field)
        field = FIELDS[index] if index is not None else field.strip()
    reg = f.registered_on
    years = None
    if reg is not None:
        years = max(0, on.year - reg.year - ((on.month, on.day) < (reg.month, reg.day)))
    return (
        f.resident,
        f.restricted_products,
        f.independent_legal_person,
        code,
        None if not code else code[0].upper(),
        field,
        reg,
        years,
    )


_SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


def _family_size(s: Subject, on: date) -> tuple:
    band = size_of(s.facts, on.year - 1).band
    return (None if band is None else _SIZE_NAMES[band],)


_NO_FIGURES = (None,) * 11


def _family_figures(s: Subject, on: date) -> tuple:
    facts = s.facts
    y = facts.year(on.year - 1)
    if y is None:
        return _NO_FIGURES
    revenue, main, assets = y.operating_revenue, y.main_revenue, y.total_assets
    rd = None if y.rd is None else y.rd.booked_total
    prev = facts.year(on.year - 2)
    before = None if prev is None else prev.main_revenue
    growth = None
    if main is not None and before:
        growth = _EXACT.subtract(_EXACT.divide(main, before), 1)
    return (
        y.employees,
        revenue,
        main,
        assets,
        y.net_profit,
        rd,
        _ratio(rd, revenue),
        _ratio(y.st_staff, y.employees),
        _ratio(y.high_tech_income, y.total_income),
        growth,
        _ratio(y.liabilities, assets),
    )


_CLASS_I, _CLASS_II, _GRANTED = IPClass.I, IPClass.II, IPStatus.GRANTED
_INVENTION = IPKind.INVENTION_PATENT


def _family_ip(s: Subject, on: date) -> tuple:
    rights = s.facts.ip
    if rights is None:
        return (None, None, None)
    i = ii = invention = 0
    for r in rights:
        if not r.valid or r.status is not _GRANTED:
            continue
        if r.granted_on is not None and r.granted_on > on:
            continue
        if r.ip_class is _CLASS_I:
            i += 1
            if r.kind is _INVENTION:
                invention += 1
        elif r.ip_class is _CLASS_II:
            ii += 1
    return (i, ii, invention)


_KINDS = tuple(CertificationKind)
_UNKNOWN_TITLES, _NO_TITLES = (None,) * len(_KINDS), (False,) * len(_KINDS)


def _family_certifications(s: Subject, on: date) -> tuple:
    certs = s.facts.certifications
    if certs is None:
        return _UNKNOWN_TITLES
    held = [c.kind for c in certs if c.valid_on(on)]
    if not held:
        return _NO_TITLES  # most enterprises: no need to look up each kind
    return tuple(kind in held for kind in _KINDS)


def _family_listings(s: Subject, on: date) -> tuple:
    listings = s.facts.listings
    if listings is None:
        return (None, None)
    active = {entry.kind for entry in listings if entry.active_on(on)}
    return (ListingKind.SERIOUS_DISHONESTY in active, ListingKind.ABNORMAL_OPERATION in active)


_SERIOUS_KINDS = frozenset(IncidentKind)


def _family_incidents(s: Subject, on: date) -> tuple:
    incidents = s.facts.incidents
    if incidents is None:
        return (None, None)
    year_ago, three_years = on - timedelta(days=365), add_years(on, -3)
    days = [e.occurred_on for e in incidents if e.serious and e.occurred_on <= on]
    return (any(d >= year_ago for d in days), any(d > three_years for d in days))


_CERT_TITLES = {
    CertificationKind.HNTE: ("高新技术企业证书", "HNTE certificate"),
    CertificationKind.TECH_SME: ("科技型中小企业入库登记", "tech-SME registration"),
    CertificationKind.INNOVATIVE_SME: ("创新型中小企业称号", "innovative-SME title"),
    CertificationKind.TECH_INNOVATIVE_SME: (
        "科技和创新型中小企业称号",
        "tech and innovative SME title",
    ),
    CertificationKind.SPECIALIZED_SME: ("专精特新中小企业称号", "specialised SME title"),
    CertificationKind.LITTLE_GIANT: ("专精特新“小巨人”企业称号", "'little giant' title"),
    CertificationKind.TECH_INNOVATION_DEMO: (
        "国家技术创新示范企业称号",
        "national technology-innovation demonstration title",
    ),
    CertificationKind.IP_ADVANTAGE: ("国家知识产权优势企业称号", "national IP-advantage title"),
    CertificationKind.IP_DEMONSTRATION: (
        "国家知识产权示范企业称号",
        "national IP-demonstration title",
    ),
    CertificationKind.MAKER_CHINA_TOP500: (
        "“创客中国”大赛全国 500 强称号",
        "Maker China national top-500 title",
    ),
}

_FIELDS_EN = (
    "electronic information",
    "biology and new medicine",
    "aerospace",
    "new materials",
    "high-tech services",
    "new energy and energy saving",
    "resources and environment",
    "advanced manufacturing and automation",
)

_SPECS: tuple[FactSpec, ...] = (
    FactSpec(
        "registered_in_district", "bool", "在本区注册", "registered in the district", "registry"
    ),
    FactSpec("park", "text", "所在园区（代码）", "industrial park (code)", "registry"),
    FactSpec("resident", "bool", "境内注册居民企业", "resident enterprise in China", "profile"),
    FactSpec(
        "restricted_products",
        "bool",
        "产品属于禁止、限制或淘汰类",
        "products prohibited, restricted or obsolete",
        "profile",
    ),
    FactSpec(
        "independent_legal_person",
        "bool",
        "具有独立法人资格",
        "independent legal person",
        "profile",
    ),
    FactSpec("industry_code", "text", "国民经济行业代码", "GB/T 4754 industry code", "profile"),
    FactSpec("industry_section", "text", "国民经济行业门类", "GB/T 4754 section", "profile"),
    FactSpec(
        "high_tech_field",
        "text",
        "高新技术领域",
        "high-tech field",
        "profile",
        choices=FIELDS,
        choices_en=_FIELDS_EN,
        fill=FILL_PROFILE,
    ),
    FactSpec("registered_on", "date", "成立日期", "registration date", "profile"),
    FactSpec(
        "years_registered", "int", "成立年限", "years since registration", "profile", unit="years"
    ),
    FactSpec(
        "size_class",
        "text",
        "企业规模（中小企业划型）",
        "enterprise size (SME classification)",
        "size",
        choices=("大型", "中型", "小型", "微型"),
        choices_en=("large", "medium", "small", "micro"),
        fill=FILL_FIGURES,
    ),
    *(
        FactSpec(name, type_, zh, en, "figures", unit=unit, fill=FILL_FIGURES)
        for name, type_, zh, en, unit in (
            ("employees.latest", "decimal", "上一年度职工人数", "employees last year", "persons"),
            (
                "operating_revenue.latest",
                "decimal",
                "上一年度营业收入",
                "operating revenue last year",
                "yuan",
            ),
            (
                "main_revenue.latest",
                "decimal",
                "上一年度主营业务收入",
                "main business revenue last year",
                "yuan",
            ),
            (
                "total_assets.latest",
                "decimal",
                "上一年度资产总额",
                "total assets last year",
                "yuan",
            ),
            ("net_profit.latest", "decimal", "上一年度净利润", "net profit last year", "yuan"),
            ("rd.latest", "decimal", "上一年度研发费用", "R&D expense last year", "yuan"),
            (
                "rd_ratio.latest",
                "decimal",
                "上一年度研发费用占营业收入比例",
                "R&D as a share of operating revenue last year",
                "ratio",
            ),
            (
                "st_staff_ratio.latest",
                "decimal",
                "上一年度科技人员占职工总数比例",
                "S&T staff as a share of employees last year",
                "ratio",
            ),
            (
                "high_tech_income_ratio.latest",
                "decimal",
                "上一年度高新技术产品（服务）收入占收入总额比例",
                "high-tech income as a share of total income last year",
                "ratio",
            ),
            (
                "main_revenue_growth.latest",
                "decimal",
                "上一年度主营业务收入增长率",
                "main business revenue growth last year",
                "ratio",
            ),
            (
                "debt_ratio.latest",
                "decimal",
                "上一年度资产负债率",
                "debt-to-asset ratio last year",
                "ratio",
            ),
        )
    ),
    FactSpec(
        "ip.class_i.count",
        "int",
        "有效的Ⅰ类知识产权数",
        "valid class I IP rights",
        "ip",
        unit="count",
        fill=FILL_IP,
    ),
    FactSpec(
        "ip.class_ii.count",
        "int",
        "有效的Ⅱ类知识产权数",
        "valid class II IP rights",
        "ip",
        unit="count",
        fill=FILL_IP,
    ),
    FactSpec(
        "ip.invention_patents.count",
        "int",
        "有效发明专利数",
        "valid invention patents",
        "ip",
        unit="count",
        fill=FILL_IP,
    ),
    *(
        FactSpec(
            f"certification.{kind.value}.valid",
            "bool",
            f"持有有效的{_CERT_TITLES[kind][0]}",
            f"holds a valid {_CERT_TITLES[kind][1]}",
            "certifications",
        )
        for kind in _KINDS
    ),
    FactSpec(
        "listing.serious_dishonesty.active",
        "bool",
        "列入严重违法失信名单",
        "on the serious-dishonesty list",
        "listings",
    ),
    FactSpec(
        "listing.abnormal_operation.active",
        "bool",
        "列入经营异常名录",
        "on the abnormal-operation list",
        "listings",
    ),
    FactSpec(
        "incidents.serious.within_1_year",
        "bool",
        "近一年（365 天内）发生重大事故或严重违法行为",
        "a major incident or serious violation in the last 365 days",
        "incidents",
    ),
    FactSpec(
        "incidents.serious.within_3_years",
        "bool",
        "近三年发生重大事故或严重违法行为",
        "a major incident or serious violation in the last three years",
        "incidents",
    ),
)

FACTS: Mapping[str, FactSpec] = {spec.name: spec for spec in _SPECS}
"""Every fact a condition may name, in the order the documentation lists them."""


@dataclass(frozen=True)
class _Family:
    derive: Callable[[Subject, date], tuple]
    names: tuple[str, ...]


_FAMILIES: Mapping[str, _Family] = {
    name: _Family(derive, tuple(s.name for s in _SPECS if s.family == name))
    for name, derive in (
        ("registry", _family_registry),
        ("profile", _family_profile),
        ("size", _family_size),
        ("figures", _family_figures),
        ("ip", _family_ip),
        ("certifications", _family_certifications),
        ("listings", _family_listings),
        ("incidents", _family_incidents),
    )
}


def derive(subject: Subject, on: date, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of the named facts (all facts when None) on ``on``; None means missing.

    Each family of facts is derived once, however many of its facts are asked for.
    """
    wanted = FACTS.keys() if names is None else names
    families = dict.fromkeys(FACTS[n].family for n in wanted)
    values: dict[str, Any] = {}
    for family in families:
        fam = _FAMILIES[family]
        values.update(zip(fam.names, fam.derive(subject, on), strict=True))
    return values


# ---------------------------------------------------------------------------------------------
# The compiled form


OPERATORS: Mapping[str, tuple[str, ...]] = {
    "bool": ("is",),
    "text": ("is", "in", "not_in", "starts_with"),
    "int": ("==", "!=", ">=", ">", "<=", "<", "between", "in", "not_in"),
    "decimal": ("==", "!=", ">=", ">", "<=", "<", "between"),
    "date": ("==", "!=", ">=", ">", "<=", "<", "between"),
}
ALL_OPERATORS = frozenset(op for ops in OPERATORS.values() for op in ops)
_INVERSE = {"==": "!=", "!=": "==", ">=": "<", "<": ">=", ">": "<=", "<=": ">", "in": "not_in"}
_INVERSE |= {v: k for k, v in _INVERSE.items()}
_FILL = {"text": "", "int": 0, "decimal": Decimal(0), "date": date.min}


@dataclass(frozen=True)
class Leaf:
    path: str
    fact: FactSpec
    op: str
    operand: Any  # bool, str, int, Decimal, date, or a tuple/frozenset of them

    @property
    def key(self) -> Hashable:
        return (self.fact.name, self.op, self.operand)


@dataclass(frozen=True)
class AllOf:
    path: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    path: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    path: str
    child: Node


@dataclass(frozen=True)
class RuleSetRef:
    path: str
    code: str


Node = Leaf | AllOf | AnyOf | Not | RuleSetRef


@dataclass(frozen=True)
class Condition:
    """A checked condition: its tree, the facts and rule sets it reads, and its data as JSON."""

    root: Node
    facts: tuple[str, ...]
    rule_sets: tuple[str, ...]
    data: Any


def _join(path: str, part: str) -> str:
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


def _where(path: str, key: str | None = None) -> str:
    if key is None:
        return path or "conditions"
    return _join(path, key)


def _plain(value: Any) -> Any:
    """The condition as JSON: dates as ISO strings, Decimals as strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


class _Compiler:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.facts: dict[str, None] = {}
        self.rule_sets: dict[str, None] = {}

    def bad(self, where: str, zh: str, en: str) -> None:
        self.problems.append(Problem(where, zh, en))

    def node(self, data: Any, path: str, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            self.bad(_where(path), f"嵌套超过 {MAX_DEPTH} 层", f"nested deeper than {MAX_DEPTH}")
            return None
        if not isinstance(data, Mapping):
            self.bad(
                _where(path),
                "条件应为一个映射，含 all、any、not、fact 或 ruleset 之一",
                "a condition must be a mapping with one of all, any, not, fact or ruleset",
            )
            return None
        forms = [k for k in ("all", "any", "not", "fact", "ruleset") if k in data]
        if len(forms) != 1:
            zh = "应恰好含 all、any、not、fact、ruleset 之一"
            en = "needs exactly one of all, any, not, fact, ruleset"
            if forms:
                zh += f"，实际有：{'、'.join(forms)}"
                en += f"; found {', '.join(forms)}"
            self.bad(_where(path), zh, en)
            return None
        form = forms[0]
        if form == "fact":
            return self.leaf(data, path)
        extra = [str(k) for k in data if k != form]
        if extra:
            self.bad(
                _where(path, extra[0]),
                f"{form} 条件不能带其他键：{'、'.join(extra)}",
                f"a {form} condition takes no other keys: {', '.join(extra)}",
            )
            return None
        if form == "ruleset":
            return self.rule_set(data["ruleset"], path)
        if form == "not":
            child = self.node(data["not"], _join(path, "not"), depth + 1)
            if child is None:
                return None
            if isinstance(child, Leaf) and (inverse := _invert(child)) is not None:
                # Said plainly: "not on the list" reads better than "not (on the list)".
                return Leaf(_join(path, "not"), child.fact, inverse[0], inverse[1])
            return Not(path, child)
        items = data[form]
        if not isinstance(items, list) or not items:
            self.bad(
                _where(path, form),
                f"{form} 后应为非空列表",
                f"{form} needs a non-empty list",
            )
            return None
        children = [
            self.node(item, _join(_join(path, form), f"[{i}]"), depth + 1)
            for i, item in enumerate(items)
        ]
        if any(c is None for c in children):
            return None
        return (AllOf if form == "all" else AnyOf)(path, tuple(children))

    def rule_set(self, code: Any, path: str) -> Node | None:
        if code not in registry.CODES:
            self.bad(
                _where(path, "ruleset"),
                f"未知的规则集“{code}”；可用：{'、'.join(registry.CODES)}",
                f"unknown rule set '{code}'; known: {', '.join(registry.CODES)}",
            )
            return None
        self.rule_sets[code] = None
        return RuleSetRef(path, code)

    def leaf(self, data: Mapping, path: str) -> Node | None:
        name = data["fact"]
        spec = FACTS.get(name) if isinstance(name, str) else None
        if spec is None:
            close = difflib.get_close_matches(str(name), FACTS, n=3, cutoff=0.6)
            hint_zh = f"；是否指：{'、'.join(close)}" if close else ""
            hint_en = f"; did you mean: {', '.join(close)}" if close else ""
            self.bad(
                _where(path, "fact"),
                f"未知的事实“{name}”{hint_zh}（可用事实见 docs/policy-conditions.md）",
                f"unknown fact '{name}'{hint_en} (the facts are listed in "
                "docs/policy-conditions.md)",
            )
            return None
        ops = [k for k in data if k != "fact"]
        allowed = OPERATORS[spec.type]
        type_zh, type_en = TYPES[spec.type]
        if not ops:
            self.bad(
                _where(path),
                f"缺少比较运算符；{type_zh}类事实可用：{' '.join(allowed)}",
                f"no operator; a {type_en} fact takes: {' '.join(allowed)}",
            )
            return None
        if len(ops) > 1:
            self.bad(
                _where(path, str(ops[1])),
                f"一个条件只能有一个运算符，实际有：{'、'.join(map(str, ops))}",
                f"one operator per condition; found {', '.join(map(str, ops))}",
            )
            return None
        op = ops[0]
        if op not in allowed:
            known = "" if op in ALL_OPERATORS else "未知的运算符；"
            known_en = "" if op in ALL_OPERATORS else "unknown operator; "
            self.bad(
                _where(path, str(op)),
                f"{known}“{op}”不适用于{type_zh}类事实“{name}”；可用：{' '.join(allowed)}",
                f"{known_en}'{op}' does not apply to the {type_en} fact '{name}'; "
                f"use one of: {' '.join(allowed)}",
            )
            return None
        self.facts[name] = None
        where = _where(path, op)
        operand = self.operand(spec, op, data[op], where)
        if operand is None:
            return None
        return Leaf(path, spec, op, operand)

    def operand(self, spec: FactSpec, op: str, value: Any, where: str) -> Any:
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.bad(where, f"{op} 后应为非空列表", f"{op} needs a non-empty list")
                return None
            items = [self.scalar(spec, v, f"{where}[{i}]") for i, v in enumerate(value)]
            # Kept in the order written, which is the order the explanation lists them in.
            return None if any(v is None for v in items) else tuple(dict.fromkeys(items))
        if op == "between":
            if not isinstance(value, list) or len(value) != 2:
                self.bad(where, "between 后应为 [下限, 上限]", "between needs [low, high]")
                return None
            low = self.scalar(spec, value[0], f"{where}[0]")
            high = self.scalar(spec, value[1], f"{where}[1]")
            if low is None or high is None:
                return None
            if low > high:
                self.bad(where, "下限大于上限", "the low bound is above the high bound")
                return None
            return (low, high)
        if op == "starts_with":
            items = value if isinstance(value, list) else [value]
            if not items or not all(isinstance(v, str) and v for v in items):
                self.bad(
                    where,
                    "starts_with 后应为非空文本或文本列表",
                    "starts_with needs a non-empty text or a list of them",
                )
                return None
            return tuple(items)
        return self.scalar(spec, value, where)

    def scalar(self, spec: FactSpec, value: Any, where: str) -> Any:
        t = spec.type
        if t == "bool":
            if isinstance(value, bool):
                return value
            return self._wrong(where, "true 或 false", "true or false", value)
        if t == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return self._wrong(where, "整数", "an integer", value)
        if t == "decimal":
            if isinstance(value, float):
                self.bad(
                    where,
                    f'小数请写成带引号的文本（如 "{value}"），以免二进制浮点误差',
                    f'write decimals as quoted text (e.g. "{value}") so they stay exact',
                )
                return None
            if isinstance(value, int) and not isinstance(value, bool):
                return Decimal(value)
            if isinstance(value, str):
                try:
                    d = Decimal(value.strip())
                except InvalidOperation:
                    d = None
                if d is not None and d.is_finite():
                    return d
            return self._wrong(where, '数值（如 "0.03"）', 'a number (e.g. "0.03")', value)
        if t == "date":
            if isinstance(value, date):
                return value
            if isinstance(value, str):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            return self._wrong(where, "日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)", value)
        if not isinstance(value, str) or not value:
            return self._wrong(where, "非空文本", "non-empty text", value)
        if spec.choices and value not in spec.choices:
            self.bad(
                where,
                f"“{value}”不是可选值；可选：{'、'.join(spec.choices)}",
                f"'{value}' is not one of: {', '.join(spec.choices)}",
            )
            return None
        return value

    def _wrong(self, where: str, zh: str, en: str, value: Any) -> None:
        self.bad(where, f"应为{zh}，实际为 {value!r}", f"expected {en}, got {value!r}")


def _invert(leaf: Leaf) -> tuple[str, Any] | None:
    if leaf.op == "is":
        if leaf.fact.type == "bool":
            return "is", not leaf.operand
        return "not_in", (leaf.operand,)
    if leaf.op in _INVERSE:
        return _INVERSE[leaf.op], leaf.operand
    return None


def check(data: Any) -> list[Problem]:
    """Every problem of a condition as written, each naming its path; empty when it is sound."""
    compiler = _Compiler()
    compiler.node(data, "", 0)
    return compiler.problems


def compile_condition(data: Any) -> Condition:
    """The checked, compiled condition; ``Rejected`` with every problem and its path."""
    compiler = _Compiler()
    root = compiler.node(data, "", 0)
    if compiler.problems or root is None:
        raise Rejected(compiler.problems)
    return Condition(root, tuple(compiler.facts), tuple(compiler.rule_sets), _plain(data))


# ---------------------------------------------------------------------------------------------
# One enterprise, explained


@dataclass(frozen=True)
class Trace:
    """One condition's verdict and explanation; ``verdict`` is None in a plain description."""

    kind: str  # all, any, not, fact, ruleset, criterion (of a rule set)
    path: str
    verdict: Verdict | None
    zh: str
    en: str
    children: tuple[Trace, ...] = ()
    fact: str | None = None


@dataclass(frozen=True)
class MissingFact:
    key: str  # a fact name, or "ruleset.<code>"
    label_zh: str
    label_en: str
    fill: str  # figures, ip, profile or bureau: where it is recorded


@dataclass(frozen=True)
class Evaluation:
    verdict: Verdict
    missing: tuple[MissingFact, ...]
    trace: Trace


def _value_text(spec: FactSpec, value: Any) -> tuple[str, str]:
    if value is None:
        return "缺少数据", "missing"
    if spec.type == "bool":
        return ("是", "yes") if value else ("否", "no")
    if spec.type == "date":
        return value.isoformat(), value.isoformat()
    if spec.type == "text":
        return value, _choice_en(spec, value)
    unit = spec.unit
    if unit == "ratio":
        return pct(value), pct(value)
    if unit == "yuan":
        return f"{wan(value)} 万元", f"¥{wan(value)}万"
    if unit == "persons":
        return f"{num(value)} 人", f"{num(value)} persons"
    if unit == "years":
        return f"{value} 年", f"{value} years"
    if unit == "count":
        return f"{value} 项", str(value)
    return str(value), str(value)


def _choice_en(spec: FactSpec, value: str) -> str:
    if value in spec.choices and spec.choices_en:
        return spec.choices_en[spec.choices.index(value)]
    return value


def _bound_text(spec: FactSpec, value: Any) -> tuple[str, str]:
    """A threshold as a person writes it: 0.03 → 3%, 1000000 yuan → 100 万元."""
    if spec.type != "decimal":
        return _value_text(spec, value)
    if spec.unit == "ratio":
        return pct_label(value), pct_label(value)
    if spec.unit == "yuan":
        text = format((value / _WAN).normalize(), "f")
        return f"{text} 万元", f"¥{text}万"
    text = format(value.normalize(), "f")
    if spec.unit == "persons":
        return f"{text} 人", f"{text} persons"
    return text, text


_SYMBOLS = {"==": "=", "!=": "≠", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _need_text(leaf: Leaf) -> tuple[str, str]:
    spec, op, v = leaf.fact, leaf.op, leaf.operand
    if op == "is":
        return _value_text(spec, v)
    if op in _SYMBOLS:
        zh, en = _bound_text(spec, v)
        return f"{_SYMBOLS[op]} {zh}", f"{_SYMBOLS[op]} {en}"
    if op == "between":
        lo, hi = _bound_text(spec, v[0]), _bound_text(spec, v[1])
        return f"{lo[0]} 至 {hi[0]}（含）", f"{lo[1]} to {hi[1]} inclusive"
    if op == "starts_with":
        return f"以 {'、'.join(v)} 开头", f"starting with {' or '.join(v)}"
    zh = "、".join(_value_text(spec, x)[0] for x in v)
    en = ", ".join(_value_text(spec, x)[1] for x in v)
    if op == "in":
        return f"{zh} 之一", f"one of {en}"
    return f"不为 {zh}", f"none of {en}"


def _test(leaf: Leaf, value: Any) -> bool:
    op, v = leaf.op, leaf.operand
    if op == "is" or op == "==":
        return value == v
    if op == "!=":
        return value != v
    if op == ">=":
        return value >= v
    if op == ">":
        return value > v
    if op == "<=":
        return value <= v
    if op == "<":
        return value < v
    if op == "between":
        return v[0] <= value <= v[1]
    if op == "in":
        return value in v
    if op == "not_in":
        return value not in v
    return value.startswith(v)  # starts_with


_NODE_TEXT = {
    "all": ("须同时满足以下 {n} 项", "all of the following {n}"),
    "any": ("满足以下 {n} 项之一即可", "any one of the following {n}"),
    "not": ("不得符合以下情形", "must not hold"),
}


def _combine(kind: str, verdicts: list[Verdict]) -> Verdict:
    if kind == "all":
        if Verdict.NOT_ELIGIBLE in verdicts:
            return Verdict.NOT_ELIGIBLE
        return Verdict.POSSIBLY if Verdict.POSSIBLY in verdicts else Verdict.ELIGIBLE
    if Verdict.ELIGIBLE in verdicts:
        return Verdict.ELIGIBLE
    return Verdict.POSSIBLY if Verdict.POSSIBLY in verdicts else Verdict.NOT_ELIGIBLE


def _flip(v: Verdict) -> Verdict:
    if v is Verdict.POSSIBLY:
        return v
    return Verdict.NOT_ELIGIBLE if v is Verdict.ELIGIBLE else Verdict.ELIGIBLE


def _rule_set_text(result: Result) -> tuple[str, str]:
    info = result.rule_set
    name_zh, name_en = f"{info.name_zh}（{info.version}）", f"{info.name_en} ({info.version})"
    outcome = result.outcome
    zh, en = f"{name_zh}：{outcome.label_zh}", f"{name_en}: {outcome.label_en}"
    required = [c for c in result.criteria if c.group != "info"]
    if outcome is Outcome.NOT_ELIGIBLE:
        failed = [c for c in required if c.status is Status.FAIL]
        if failed:
            zh += "；未通过：" + "、".join(c.name_zh for c in failed)
            en += "; not met: " + ", ".join(c.name_en for c in failed)
    elif outcome is Outcome.NEEDS_REVIEW:
        review = [c for c in required if c.status is Status.REVIEW]
        if review:
            zh += "；待确认：" + "、".join(c.name_zh for c in review)
            en += "; to confirm: " + ", ".join(c.name_en for c in review)
    return zh, en


_FROM_STATUS = {
    Status.PASS: Verdict.ELIGIBLE,
    Status.REVIEW: Verdict.POSSIBLY,
    Status.FAIL: Verdict.NOT_ELIGIBLE,
}


def _criteria_traces(node: RuleSetRef, result: Result) -> tuple[Trace, ...]:
    """The rule set's own criteria, each with its explanation, under the rule-set condition."""
    return tuple(
        Trace(
            "criterion",
            f"{_join(node.path, 'ruleset')}.{c.code}",
            _FROM_STATUS[c.status],
            f"{c.name_zh}：{c.explanation_zh}",
            f"{c.name_en}: {c.explanation_en}",
        )
        for c in result.criteria
        if c.group != "info"
    )


def _rule_set_missing(result: Result) -> MissingFact:
    paths = [p for c in result.criteria if c.status is Status.REVIEW for p in c.missing]
    fill = FILL_BUREAU
    if any(p.startswith("$.years") for p in paths):
        fill = FILL_FIGURES
    elif any(p.startswith("$.ip") for p in paths):
        fill = FILL_IP
    names = [c for c in result.criteria if c.status is Status.REVIEW]
    info = result.rule_set
    return MissingFact(
        f"ruleset.{info.code}",
        f"{info.name_zh}待确认：" + "、".join(c.name_zh for c in names),
        f"{info.name_en} to confirm: " + ", ".join(c.name_en for c in names),
        fill,
    )


def evaluate(
    condition: Condition,
    subject: Subject,
    on: date,
    *,
    values: Mapping[str, Any] | None = None,
    results: Mapping[str, Result] | None = None,
) -> Evaluation:
    """The verdict of one enterprise, with the missing facts and an explanation per condition.

    ``values`` (from ``derive``) and ``results`` (rule-set assessments) may be passed in when
    several conditions are evaluated for the same enterprise, so each is derived once.
    """
    if values is None:
        values = derive(subject, on, condition.facts)
    results = dict(results or {})
    for code in condition.rule_sets:
        if code not in results:
            results[code] = registry.assess(code, subject.facts, on)
    missing: dict[str, MissingFact] = {}

    def walk(node: Node) -> Trace:
        if isinstance(node, Leaf):
            spec = node.fact
            value = values[spec.name]
            need_zh, need_en = _need_text(node)
            have_zh, have_en = _value_text(spec, value)
            if value is None:
                verdict = Verdict.POSSIBLY
                missing.setdefault(
                    spec.name, MissingFact(spec.name, spec.label_zh, spec.label_en, spec.fill)
                )
            else:
                verdict = Verdict.ELIGIBLE if _test(node, value) else Verdict.NOT_ELIGIBLE
            return Trace(
                "fact",
                node.path,
                verdict,
                f"{spec.label_zh}：{have_zh}（需要：{need_zh}）",
                f"{spec.label_en}: {have_en} (needed: {need_en})",
                fact=spec.name,
            )
        if isinstance(node, RuleSetRef):
            result = results[node.code]
            verdict = _FROM_OUTCOME[result.outcome]
            if verdict is Verdict.POSSIBLY:
                m = _rule_set_missing(result)
                missing.setdefault(m.key, m)
            zh, en = _rule_set_text(result)
            return Trace("ruleset", node.path, verdict, zh, en, _criteria_traces(node, result))
        if isinstance(node, Not):
            child = walk(node.child)
            zh, en = _NODE_TEXT["not"]
            return Trace("not", node.path, _flip(child.verdict), zh, en, (child,))
        kind = "all" if isinstance(node, AllOf) else "any"
        children = tuple(walk(c) for c in node.children)
        zh, en = _NODE_TEXT[kind]
        n = len(children)
        verdict = _combine(kind, [c.verdict for c in children])
        return Trace(kind, node.path, verdict, zh.format(n=n), en.format(n=n), children)

    trace = walk(condition.root)
    # Missing facts matter only while they could change the verdict.
    lacking = tuple(missing.values()) if trace.verdict is Verdict.POSSIBLY else ()
    return Evaluation(trace.verdict, lacking, trace)


def describe(condition: Condition) -> Trace:
    """The condition in plain words, without an enterprise (for the policy page)."""

    def walk(node: Node) -> Trace:
        if isinstance(node, Leaf):
            spec = node.fact
            zh, en = _need_text(node)
            if node.op in _SYMBOLS:
                zh, en = f"{spec.label_zh} {zh}", f"{spec.label_en} {en}"
            else:
                zh, en = f"{spec.label_zh}：{zh}", f"{spec.label_en}: {en}"
            return Trace("fact", node.path, None, zh, en, fact=spec.name)
        if isinstance(node, RuleSetRef):
            info = registry.rule_set(node.code, date.max).info
            return Trace(
                "ruleset",
                node.path,
                None,
                f"符合{info.name_zh}条件（按平台内置的认定规则判断）",
                f"eligible as {info.name_en} (judged by the platform's qualification rules)",
            )
        if isinstance(node, Not):
            zh, en = _NODE_TEXT["not"]
            return Trace("not", node.path, None, zh, en, (walk(node.child),))
        kind = "all" if isinstance(node, AllOf) else "any"
        children = tuple(walk(c) for c in node.children)
        zh, en = _NODE_TEXT[kind]
        n = len(children)
        return Trace(kind, node.path, None, zh.format(n=n), en.format(n=n), children)

    return walk(condition.root)


def trace_to_dict(trace: Trace) -> dict[str, Any]:
    return {
        "kind": trace.kind,
        "path": trace.path,
        "verdict": None if trace.verdict is None else trace.verdict.value,
        "zh": trace.zh,
        "en": trace.en,
        "fact": trace.fact,
        "children": [trace_to_dict(c) for c in trace.children],
    }


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON-ready data, for storing beside a match."""
    return {
        "verdict": evaluation.verdict.value,
        "missing": [
            {"key": m.key, "zh": m.label_zh, "en": m.label_en, "fill": m.fill}
            for m in evaluation.missing
        ],
        "trace": trace_to_dict(evaluation.trace),
    }


# ---------------------------------------------------------------------------------------------
# Many enterprises × many conditions
#
# A column of n enterprises is a mask: an int whose byte i is 1 when enterprise i is in the set
# (bytes, not bits, because ``bytes(map(test, column))`` builds one in C). Each node's result is
# two masks, eligible and possibly; not eligible is what remains. Combining a node costs a few
# bitwise operations on whole columns, whatever n is.

_is_none = partial(operator.is_, None)


@dataclass(frozen=True)
class Outcomes:
    size: int
    eligible_mask: int
    possibly_mask: int

    def _indices(self, mask: int) -> list[int]:
        return list(compress(range(self.size), mask.to_bytes(self.size, "little")))

    @property
    def eligible(self) -> list[int]:
        """Indices (into the subjects) of the eligible enterprises."""
        return self._indices(self.eligible_mask)

    @property
    def possibly(self) -> list[int]:
        return self._indices(self.possibly_mask)

    @property
    def counts(self) -> tuple[int, int, int]:
        """Eligible, possibly and not eligible."""
        e, p = self.eligible_mask.bit_count(), self.possibly_mask.bit_count()
        return e, p, self.size - e - p


class Matcher:
    """Decides every condition for every enterprise; build once, run on each batch."""

    def __init__(self, conditions: Mapping[Hashable, Condition]) -> None:
        self.conditions = dict(conditions)
        self.facts = tuple(dict.fromkeys(f for c in self.conditions.values() for f in c.facts))
        self.rule_sets = tuple(
            dict.fromkeys(r for c in self.conditions.values() for r in c.rule_sets)
        )
        self.families = tuple(dict.fromkeys(FACTS[f].family for f in self.facts))
        self._missing_bytes: dict[str, bytes] = {}
        self._review_bytes: dict[str, bytes] = {}

    def run(self, subjects: Sequence[Subject], on: date) -> dict[Hashable, Outcomes]:
        """Each condition's verdicts over ``subjects`` (by index) on ``on``."""
        n = len(subjects)
        everyone = int.from_bytes(b"\x01" * n, "little")
        wanted = set(self.facts)
        columns: dict[str, Sequence] = {}
        for family in self.families:
            fam = _FAMILIES[family]
            rows = [fam.derive(s, on) for s in subjects]
            # Only the columns asked for: transposing whole families costs more than the tests.
            for j, name in enumerate(fam.names):
                if name in wanted:
                    columns[name] = list(map(operator.itemgetter(j), rows))
        missing: dict[str, int] = {}
        filled: dict[str, Sequence] = {}
        self._missing_bytes = {}
        for name in self.facts:
            column = columns.get(name, ())
            flags = bytes(map(_is_none, column))
            self._missing_bytes[name] = flags
            missing[name] = int.from_bytes(flags, "little")
            fill = _FILL.get(FACTS[name].type)
            if missing[name] and fill is not None:
                filled[name] = [fill if v is None else v for v in column]
            else:
                filled[name] = column
        reviews: dict[str, tuple[int, int]] = {}
        self._review_bytes = {}
        for code in self.rule_sets:
            outcomes = [registry.assess(code, s.facts, on).outcome for s in subjects]
            review = bytes(map(partial(operator.is_, Outcome.NEEDS_REVIEW), outcomes))
            self._review_bytes[code] = review
            eligible = bytes(map(partial(operator.is_, Outcome.ELIGIBLE), outcomes))
            reviews[code] = (int.from_bytes(eligible, "little"), int.from_bytes(review, "little"))
        leaves: dict[Hashable, tuple[int, int]] = {}

        def leaf_masks(leaf: Leaf) -> tuple[int, int]:
            key = leaf.key
            if key in leaves:
                return leaves[key]
            name = leaf.fact.name
            passed = _leaf_pass(leaf, filled[name])
            unknown = missing[name]
            leaves[key] = masks = (passed & ~unknown, unknown)
            return masks

        def masks_of(node: Node) -> tuple[int, int]:
            if isinstance(node, Leaf):
                return leaf_masks(node)
            if isinstance(node, RuleSetRef):
                return reviews[node.code]
            if isinstance(node, Not):
                t, u = masks_of(node.child)
                return everyone & ~(t | u), u
            parts = [masks_of(c) for c in node.children]
            if isinstance(node, AllOf):
                t = everyone
                failed = 0
                for ct, cu in parts:
                    t &= ct
                    failed |= everyone & ~(ct | cu)
                return t, everyone & ~(t | failed)
            t = 0
            failed = everyone
            for ct, cu in parts:
                t |= ct
                failed &= everyone & ~(ct | cu)
            return t, everyone & ~(t | failed)

        out = {}
        for key, condition in self.conditions.items():
            t, u = masks_of(condition.root)
            out[key] = Outcomes(n, t, u)
        return out

    def missing(self, key: Hashable, index: int) -> tuple[str, ...]:
        """After ``run``, for an enterprise the condition found possibly eligible: the facts
        (and ``ruleset.<code>``) it lacks."""
        condition = self.conditions[key]
        found = [f for f in condition.facts if self._missing_bytes[f][index]]
        found += [f"ruleset.{r}" for r in condition.rule_sets if self._review_bytes[r][index]]
        return tuple(found)


def _leaf_pass(leaf: Leaf, column: Sequence) -> int:
    op, v = leaf.op, leaf.operand
    if op == "between":
        low, high = v
        return int.from_bytes(bytes(map(low.__le__, column)), "little") & int.from_bytes(
            bytes(map(high.__ge__, column)), "little"
        )
    if op == "is" and leaf.fact.type == "bool":
        test: Callable[[Any], bool] = partial(operator.is_, v)
    elif op in ("is", "=="):
        test = v.__eq__
    elif op == "!=":
        test = v.__ne__
    elif op == ">=":
        test = v.__le__
    elif op == ">":
        test = v.__lt__
    elif op == "<=":
        test = v.__ge__
    elif op == "<":
        test = v.__gt__
    elif op == "in":
        test = v.__contains__
    elif op == "not_in":
        test = _not_in(v)
    else:
        test = operator.methodcaller("startswith", v)
    return int.from_bytes(bytes(map(test, column)), "little")


def _not_in(values: tuple) -> Callable[[Any], bool]:
    contains = values.__contains__
    return lambda value: not contains(value)
