"""Pieces every rule set uses: the arithmetic context, number formats, date windows and the
readings of facts (IP counts, incidents, listings, titles) that several rule sets share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from functools import lru_cache
from typing import NamedTuple

from kechuang.core.criteria.facts import (
    Acquisition,
    CertificationKind,
    EnterpriseFacts,
    IncidentKind,
    IPClass,
    IPStatus,
    Ownership,
    add_years,
)
from kechuang.core.criteria.result import INFO, Note, NoteKind, Status, note

# Every assessment runs in this context, whatever the caller's thread has set. Fifty digits keep
# products of yuan amounts exact (growth tests multiply two of them); rounding towards floor makes
# a displayed ratio never read as meeting a threshold it misses (9.996% shows as 9.99%, not 10%).
CONTEXT = Context(prec=50, rounding=ROUND_FLOOR)
# Amounts still needed round up; a context's methods take it positionally, which is cheaper
# than the ``rounding=`` keyword of Decimal.quantize.
_UP = Context(prec=50, rounding=ROUND_CEILING)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
WAN = Decimal(10000)
CENT = Decimal("0.01")

PASS, FAIL, REVIEW = Status.PASS, Status.FAIL, Status.REVIEW
INFO_GROUP = INFO  # criteria shown for information only


def wan(amount: Decimal) -> str:
    """Yuan shown in 万元 with two decimals (rounded down)."""
    return f"{amount / WAN:,.2f}"


def wan_up(amount: Decimal) -> str:
    """An amount still needed, in 万元 rounded up, so that the displayed figure is enough."""
    return f"{_UP.quantize(amount / WAN, CENT):,.2f}"


def yuan_up(amount: Decimal) -> Decimal:
    """Rounded up to the fen: the smallest payable amount that closes the gap."""
    return _UP.quantize(amount, CENT)


def pct(ratio: Decimal) -> str:
    value = ratio * HUNDRED
    # Rounding towards floor makes x − x a negative zero; show it as plain zero.
    return f"{value:.2f}%" if value else "0.00%"


def pct_label(ratio: Decimal) -> str:
    """A threshold as written in the rules: 0.05 → 5%, 0.035 → 3.5%."""
    text = format((ratio * HUNDRED).normalize(), "f")
    return text + "%"


def num(value: Decimal) -> str:
    """A head count or other plain figure: integers bare, otherwise two decimals."""
    if value % 1:
        return f"{value:.2f}"
    return f"{value:.0f}"


def ceil_int(value: Decimal) -> int:
    return int(_UP.to_integral_value(value))


def days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)


def years_before(day: date, years: int) -> date:
    return add_years(day, -years)


def window(facts: EnterpriseFacts, application: date, length: int = 3) -> tuple[int, ...]:
    """近三个会计年度: the ``length`` accounting years before the application year, less those
    before the year of registration (实际经营期不满三年的按实际经营时间计算)."""
    registered = facts.registered_on
    return _window(application.year, None if registered is None else registered.year, length)


@lru_cache(maxsize=1024)
def _window(application_year: int, registered_year: int | None, length: int) -> tuple[int, ...]:
    latest = application_year - 1
    first = latest - length + 1
    if registered_year is not None and registered_year > first:
        first = registered_year
    return tuple(range(first, latest + 1))


def missing_text(names: Iterable[tuple[str, str]]) -> tuple[str, str]:
    pairs = list(names)
    return (
        "缺少数据：" + "、".join(zh for zh, _ in pairs),
        "Missing data: " + ", ".join(en for _, en in pairs),
    )


FIELD_LABELS: dict[str, tuple[str, str]] = {
    "main_revenue": ("主营业务收入", "main business revenue"),
    "sales": ("销售收入", "sales revenue"),
    "operating_revenue": ("营业收入", "operating revenue"),
    "total_income": ("收入总额", "total income"),
    "high_tech_income": ("高新技术产品（服务）收入", "high-tech product (service) income"),
    "rd": ("研发费用", "R&D expense"),
    "employees": ("职工总数", "number of employees"),
    "employees_year_end": ("从业人员", "employed persons"),
    "st_staff": ("科技人员数", "S&T personnel"),
    "rd_staff": ("研发人员数", "R&D personnel"),
    "total_assets": ("资产总额", "total assets"),
    "liabilities": ("负债总额", "total liabilities"),
    "net_assets": ("净资产", "net assets"),
    "net_profit": ("净利润", "net profit"),
    "cost_and_expense_total": ("成本费用支出总额", "total costs and expenses"),
    "conversions": ("科技成果转化数", "technology conversions"),
}


@dataclass(frozen=True)
class Missing:
    """Facts a criterion needed and did not get, as JSON paths and in both languages."""

    paths: tuple[str, ...]
    zh: str
    en: str


def missing_year_fields(pairs: Iterable[tuple[int, str]]) -> Missing:
    paths, labels = [], []
    for year, name in pairs:
        paths.append(f"$.years[year={year}].{name}")
        zh, en = FIELD_LABELS[name]
        labels.append((f"{year} 年{zh}", f"{year} {en}"))
    zh, en = missing_text(labels)
    return Missing(tuple(paths), zh, en)


def with_missing(zh: str, en: str, missing: list[Missing]) -> tuple[str, str, tuple[str, ...]]:
    """An explanation extended with what was missing, and the missing facts' paths."""
    zh = zh + "；" + "；".join(m.zh for m in missing)
    en = en + "; " + "; ".join(m.en for m in missing)
    return zh, en, tuple(path for m in missing for path in m.paths)


def missing_fact(path: str, label_zh: str, label_en: str) -> Missing:
    return Missing((path,), f"缺少数据：{label_zh}", f"Missing data: {label_en}")


class IPCount(NamedTuple):
    """IP rights that count on a day (a named tuple: built on every assessment, so kept cheap)."""

    class_i: int
    class_ii: int
    class_i_self: int  # Ⅰ类 obtained by the enterprise's own R&D
    class_i_high_value: int
    self_developed: int  # of either class
    co_owned: int
    reused_class_ii: int  # Ⅱ类 already used for an earlier HNTE application, not counted
    applied_class_i: int  # Ⅰ类 applied for and still pending

    @property
    def total(self) -> int:
        return self.class_i + self.class_ii


_CLASS_I, _CLASS_NONE = IPClass.I, IPClass.NONE
_APPLIED, _SELF, _CO = IPStatus.APPLIED, Acquisition.SELF_DEVELOPED, Ownership.CO_OWNED


def count_ip(facts: EnterpriseFacts, day: date, *, hnte: bool, lead_only: bool) -> IPCount:
    """Valid, granted rights of class Ⅰ or Ⅱ held on ``day``.

    For HNTE a Ⅱ类 right may serve one application only (工作指引), so rights marked as used
    before are left out. ``lead_only`` keeps the rights tied to the lead product (梯度培育).
    Co-owned rights are counted and reported, since only one owner may use them.
    """
    i = ii = i_self = i_high = self_dev = co = reused = applied_i = 0
    for right in facts.ip or ():
        kind = right.ip_class
        if kind is _CLASS_NONE or not right.valid or (lead_only and not right.main_product_related):
            continue
        if right.status is _APPLIED:
            if kind is _CLASS_I:
                applied_i += 1
            continue
        granted = right.granted_on
        if granted is not None and granted > day:
            continue
        own = right.acquisition is _SELF
        if kind is _CLASS_I:
            i += 1
            if own:
                i_self += 1
            if right.high_value:
                i_high += 1
        elif hnte and right.used_for_hnte:
            reused += 1
            continue
        else:
            ii += 1
        if own:
            self_dev += 1
        if right.ownership is _CO:
            co += 1
    return IPCount(i, ii, i_self, i_high, self_dev, co, reused, applied_i)


def co_owned_note(count: IPCount) -> Note:
    return note(
        "co_owned_ip",
        NoteKind.MANUAL_REVIEW,
        f"其中 {count.co_owned} 项知识产权为共有，只能由一个权属人在申请中使用，请确认其他权属人未"
        "使用",
        f"{count.co_owned} of the IP rights are co-owned; only one owner may use each in an "
        "application, so confirm the other owners have not",
    )


INCIDENT_NAMES = {
    IncidentKind.SAFETY: ("重大安全事故", "major safety accident"),
    IncidentKind.QUALITY: ("重大质量事故", "major quality accident"),
    IncidentKind.ENVIRONMENTAL: ("严重环境违法行为", "serious environmental violation"),
    IncidentKind.NETWORK_DATA_SECURITY: (
        "网络安全或数据安全事件",
        "network or data security event",
    ),
    IncidentKind.TAX_EVASION: ("偷税漏税", "tax evasion"),
    IncidentKind.RESEARCH_INTEGRITY: ("科研严重失信行为", "serious research misconduct"),
}


def incidents_between(
    facts: EnterpriseFacts, kinds: tuple[IncidentKind, ...], first: date, last: date
) -> list[tuple[IncidentKind, date]]:
    return [
        (e.kind, e.occurred_on)
        for e in facts.incidents or ()
        if e.serious and e.kind in kinds and first <= e.occurred_on <= last
    ]


def describe_incidents(found: list[tuple[IncidentKind, date]]) -> tuple[str, str]:
    zh = "、".join(f"{d} {INCIDENT_NAMES[k][0]}" for k, d in found)
    en = ", ".join(f"{INCIDENT_NAMES[k][1]} on {d}" for k, d in found)
    return zh, en


def valid_titles(
    facts: EnterpriseFacts, kinds: tuple[CertificationKind, ...], day: date
) -> list[CertificationKind]:
    return [c.kind for c in facts.certifications or () if c.kind in kinds and c.valid_on(day)]


def equity_between(facts: EnterpriseFacts, first: date, last: date) -> Decimal:
    total = ZERO
    for f in facts.financing or ():
        if f.qualified_investor and first <= f.received_on <= last:
            total += f.amount
    return total
