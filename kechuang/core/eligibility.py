"""申报条件: the eligibility conditions a call for applications can require, as pure rules.

A call lists condition codes (``registered_in_district``, ``min_years_registered:3`` …). Each is
evaluated on what the registry knows about the applicant on the day of submission and gives
pass / fail / needs review, an explanation in Chinese and English, and its source. A missing
fact never raises: the condition needs review and names what is missing, and the bureau settles
it in the formal check (形式审查). Only a failed condition blocks a submission.

Readings chosen where the facts leave room:

- ``registered_in_district``: the registry keeps no deregistration date; an enterprise that is
  not (or no longer) registered in the district is kept with 区内企业 = no. So the fact is
  ``Applicant.in_district``; an enterprise organisation with no registry record at all fails,
  because the registry is the bureau's own list of the district's enterprises.
- Listings (严重违法失信名单, 经营异常名录) count while active: from the day listed up to, not
  including, the day removed. A listing removed on the day of submission no longer counts.
- Certificates are valid up to and including their last day (``Certification.valid_on``): a
  certificate expiring on the day of submission still counts.
- ``min_years_registered:N`` holds from the N-th anniversary of the registration date.
- Research institutions (科研机构) are not in the enterprise registry, so every enterprise
  condition is reported as not checkable for them (needs review): the formal check decides
  whether the condition applies to that institution and whether it holds. They are never
  blocked automatically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from kechuang.core.criteria.facts import (
    DEFAULT_VALIDITY_YEARS,
    Certification,
    CertificationKind,
    EnterpriseFacts,
    ListingKind,
    add_years,
)
from kechuang.core.criteria.result import Outcome, Source, Status
from kechuang.core.problems import Problem

PASS, FAIL, REVIEW = Status.PASS, Status.FAIL, Status.REVIEW
MAX_YEARS = 50


class ApplicantKind(Enum):
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"


@dataclass(frozen=True)
class Applicant:
    """Who applies, as far as the conditions need to know.

    ``facts`` is None when the registry holds no record of the applicant; ``in_district`` is
    the registry's 区内企业 flag (None when there is no record).
    """

    name: str
    kind: ApplicantKind = ApplicantKind.ENTERPRISE
    facts: EnterpriseFacts | None = None
    in_district: bool | None = None


@dataclass(frozen=True)
class ConditionSpec:
    key: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    source: Source
    takes_years: bool = False


@dataclass(frozen=True)
class ConditionResult:
    code: str
    name_zh: str
    name_en: str
    status: Status
    explanation_zh: str
    explanation_en: str
    source: Source
    missing: tuple[str, ...] = ()  # paths of the facts that were missing


@dataclass(frozen=True)
class Eligibility:
    applicant: str
    on: date
    results: tuple[ConditionResult, ...]

    @property
    def failed(self) -> tuple[ConditionResult, ...]:
        return tuple(r for r in self.results if r.status is FAIL)

    @property
    def needs_review(self) -> tuple[ConditionResult, ...]:
        return tuple(r for r in self.results if r.status is REVIEW)

    @property
    def outcome(self) -> Outcome:
        if self.failed:
            return Outcome.NOT_ELIGIBLE
        if self.needs_review:
            return Outcome.NEEDS_REVIEW
        return Outcome.ELIGIBLE


GUIDE = Source("申报指南", "申报条件")
CONDITIONS: dict[str, ConditionSpec] = {
    s.key: s
    for s in (
        ConditionSpec(
            "registered_in_district",
            "在本区注册登记",
            "Registered in the district",
            "申报单位在本区企业库中登记为区内企业，且未迁出或注销",
            "The applicant is in the district's enterprise registry as a district enterprise, "
            "not moved out or deregistered",
            GUIDE,
        ),
        ConditionSpec(
            "no_serious_dishonesty",
            "未列入严重违法失信名单",
            "Not on the serious-dishonesty list",
            "申报当日未被列入严重违法失信名单",
            "Not on the list of seriously illegal and dishonest entities on the day of applying",
            Source("国家市场监督管理总局令第44号", "《市场监督管理严重违法失信名单管理办法》"),
        ),
        ConditionSpec(
            "no_abnormal_operation",
            "未列入经营异常名录",
            "Not on the abnormal-operation list",
            "申报当日未被列入经营异常名录",
            "Not on the list of enterprises with abnormal operations on the day of applying",
            Source("国家工商行政管理总局令第68号", "《企业经营异常名录管理暂行办法》"),
        ),
        ConditionSpec(
            "valid_hnte",
            "持有有效的高新技术企业证书",
            "Holds a valid HNTE certificate",
            "申报当日持有有效期内的高新技术企业证书（有效期三年，含到期当日）",
            "Holds a high and new technology enterprise certificate valid on the day of applying "
            "(three years, the last day included)",
            Source("国科发火〔2016〕32号", "第十五条"),
        ),
        ConditionSpec(
            "valid_tech_sme",
            "已入库科技型中小企业",
            "Registered technology-based SME",
            "申报当日持有有效的科技型中小企业入库登记编号（当年有效）",
            "Holds a technology-based SME registration valid on the day of applying",
            Source("国科发政〔2017〕115号", "第十二条"),
        ),
        ConditionSpec(
            "min_years_registered",
            "成立满 {n} 年",
            "Registered at least {n} years",
            "申报单位成立（注册）满 {n} 年",
            "The applicant was registered at least {n} years before the day of applying",
            GUIDE,
            takes_years=True,
        ),
    )
}


@dataclass(frozen=True)
class Condition:
    code: str  # as the call stores it, e.g. "min_years_registered:3"
    spec: ConditionSpec
    years: int | None = None

    def _fill(self, text: str) -> str:
        return text.format(n=self.years) if self.spec.takes_years else text

    @property
    def name_zh(self) -> str:
        return self._fill(self.spec.name_zh)

    @property
    def name_en(self) -> str:
        return self._fill(self.spec.name_en)

    @property
    def description_zh(self) -> str:
        return self._fill(self.spec.description_zh)

    @property
    def description_en(self) -> str:
        return self._fill(self.spec.description_en)


def parse(code: str) -> Condition:
    """A stored condition code as a condition; ``ValueError`` names what is wrong."""
    if not isinstance(code, str):
        raise ValueError(f"a condition code must be text, not {code!r}")
    key, sep, param = code.strip().partition(":")
    spec = CONDITIONS.get(key)
    if spec is None:
        raise ValueError(f"unknown condition {code!r}")
    if not spec.takes_years:
        if sep:
            raise ValueError(f"condition {key!r} takes no parameter")
        return Condition(key, spec)
    if not param.isdigit() or not 1 <= int(param) <= MAX_YEARS:
        raise ValueError(f"condition {key!r} needs a number of years from 1 to {MAX_YEARS}")
    years = int(param)
    return Condition(f"{key}:{years}", spec, years)


def check_codes(codes: Any, where: str = "eligibility") -> list[Problem]:
    """Every problem with a call's list of condition codes, for the service to refuse at once."""
    if not isinstance(codes, list | tuple):
        return [Problem(where, "申报条件应为条件代码列表", "conditions must be a list of codes")]
    problems, seen = [], set()
    for i, code in enumerate(codes, start=1):
        try:
            condition = parse(code)
        except ValueError as exc:
            known = "、".join(CONDITIONS)
            problems.append(
                Problem(
                    f"{where}[{i}]",
                    f"无法识别的申报条件「{code}」（可用：{known}；成立年限写作 "
                    f"min_years_registered:3）",
                    f"{exc}; known: {', '.join(CONDITIONS)}",
                )
            )
            continue
        if condition.spec.key in seen:
            problems.append(
                Problem(
                    f"{where}[{i}]",
                    f"申报条件「{condition.name_zh}」重复",
                    f"condition {condition.code!r} is listed twice",
                )
            )
        seen.add(condition.spec.key)
    return problems


# --- the conditions -----------------------------------------------------------------------------


Judge = Callable[[Condition, EnterpriseFacts, Applicant, date], tuple[Status, str, str, tuple]]


def _district(c: Condition, facts: EnterpriseFacts, a: Applicant, day: date):
    if a.in_district is None:
        return (
            REVIEW,
            "缺少数据：是否区内企业",
            "Missing data: whether the enterprise is in the district",
            ("$.in_district",),
        )
    if a.in_district:
        return PASS, "在本区企业库中登记为区内企业", "In the registry as a district enterprise", ()
    return (
        FAIL,
        "企业库中登记为区外企业（已迁出或不在本区注册），不符合申报条件",
        "The registry records the enterprise as outside the district (moved out or registered "
        "elsewhere)",
        (),
    )


_LISTS = {
    ListingKind.SERIOUS_DISHONESTY: ("严重违法失信名单", "the serious-dishonesty list"),
    ListingKind.ABNORMAL_OPERATION: ("经营异常名录", "the abnormal-operation list"),
}


def _not_listed(kind: ListingKind) -> Judge:
    zh_name, en_name = _LISTS[kind]

    def judge(c: Condition, facts: EnterpriseFacts, a: Applicant, day: date):
        if facts.listings is None:
            return (
                REVIEW,
                f"缺少数据：{zh_name}记录",
                f"Missing data: {en_name} record",
                ("$.listings",),
            )
        active = [x for x in facts.listings if x.kind is kind and x.active_on(day)]
        if active:
            since = min(x.listed_on for x in active)
            return (
                FAIL,
                f"自 {since} 起被列入{zh_name}，{day} 仍未移出",
                f"On {en_name} since {since}, still listed on {day}",
                (),
            )
        removed = [
            x.removed_on for x in facts.listings if x.kind is kind and x.removed_on is not None
        ]
        zh = f"{day} 未被列入{zh_name}"
        en = f"Not on {en_name} on {day}"
        if removed and max(removed) <= day:
            zh += f"（曾列入，已于 {max(removed)} 移出）"
            en += f" (listed before, removed on {max(removed)})"
        return PASS, zh, en, ()

    return judge


_TITLES = {
    CertificationKind.HNTE: ("高新技术企业证书", "HNTE certificate"),
    CertificationKind.TECH_SME: ("科技型中小企业入库登记", "technology-based SME registration"),
}


def _last_day(cert: Certification) -> date:
    if cert.expires_on is not None:
        return cert.expires_on
    return add_years(cert.issued_on, DEFAULT_VALIDITY_YEARS[cert.kind]) - timedelta(days=1)


def _holds(kind: CertificationKind) -> Judge:
    zh_name, en_name = _TITLES[kind]

    def judge(c: Condition, facts: EnterpriseFacts, a: Applicant, day: date):
        if facts.certifications is None:
            return REVIEW, f"缺少数据：{zh_name}", f"Missing data: {en_name}", ("$.certifications",)
        held = [x for x in facts.certifications if x.kind is kind and x.issued_on <= day]
        valid = [x for x in held if x.valid_on(day)]
        if valid:
            best = max(valid, key=_last_day)
            number = f"（编号 {best.number}）" if best.number else ""
            number_en = f" (no. {best.number})" if best.number else ""
            return (
                PASS,
                f"持有有效的{zh_name}{number}，有效期至 {_last_day(best)}",
                f"Holds a valid {en_name}{number_en}, valid until {_last_day(best)}",
                (),
            )
        if held:
            last = max(_last_day(x) for x in held)
            return (
                FAIL,
                f"{zh_name}已于 {last} 到期，{day} 不在有效期内",
                f"The {en_name} expired on {last}; not valid on {day}",
                (),
            )
        return FAIL, f"没有{zh_name}", f"No {en_name} on record", ()

    return judge


def _years(c: Condition, facts: EnterpriseFacts, a: Applicant, day: date):
    registered, n = facts.registered_on, c.years or 0
    if registered is None:
        return REVIEW, "缺少数据：成立日期", "Missing data: registration date", ("$.registered_on",)
    full = add_years(registered, n)
    if full <= day:
        return (
            PASS,
            f"成立于 {registered}，至 {day} 已满 {n} 年",
            f"Registered on {registered}: {n} years completed by {day}",
            (),
        )
    return (
        FAIL,
        f"成立于 {registered}，至 {day} 未满 {n} 年（{full} 满 {n} 年）",
        f"Registered on {registered}: fewer than {n} years on {day} ({n} years on {full})",
        (),
    )


JUDGES: dict[str, Judge] = {
    "registered_in_district": _district,
    "no_serious_dishonesty": _not_listed(ListingKind.SERIOUS_DISHONESTY),
    "no_abnormal_operation": _not_listed(ListingKind.ABNORMAL_OPERATION),
    "valid_hnte": _holds(CertificationKind.HNTE),
    "valid_tech_sme": _holds(CertificationKind.TECH_SME),
    "min_years_registered": _years,
}


def _judge(c: Condition, a: Applicant, day: date) -> ConditionResult:
    def out(status: Status, zh: str, en: str, missing: tuple = ()) -> ConditionResult:
        return ConditionResult(c.code, c.name_zh, c.name_en, status, zh, en, c.spec.source, missing)

    if a.kind is ApplicantKind.INSTITUTION:
        return out(
            REVIEW,
            f"申报单位为科研机构，不在企业库中，“{c.name_zh}”无法自动核验，由形式审查人工核实",
            f"The applicant is a research institution, not in the enterprise registry: "
            f"'{c.name_en}' cannot be checked automatically and is verified in the formal check",
        )
    if a.facts is None:
        if c.spec.key == "registered_in_district":
            return out(
                FAIL,
                "申报单位未在本区企业库中登记，请先联系科技局登记企业信息",
                "The applicant is not in the district's enterprise registry; ask the bureau to "
                "register it first",
            )
        return out(
            REVIEW,
            "企业库中没有该单位的记录，无法核验，由形式审查人工核实",
            "The registry holds no record of the applicant; verified in the formal check",
            ("$",),
        )
    status, zh, en, missing = JUDGES[c.spec.key](c, a.facts, a, day)
    return out(status, zh, en, missing)


def evaluate(codes: Iterable[str], applicant: Applicant, on: date) -> Eligibility:
    """Each condition of ``codes`` judged for ``applicant`` on ``on``, in the call's order.

    The codes must be valid (:func:`check_codes`); an unknown code raises ``ValueError``.
    """
    return Eligibility(
        applicant.name, on, tuple(_judge(parse(code), applicant, on) for code in codes)
    )


def describe(codes: Sequence[str]) -> list[Condition]:
    """The conditions of a call, to show applicants what is required before they apply."""
    return [parse(code) for code in codes]


def result_to_dict(r: ConditionResult) -> dict[str, Any]:
    """JSON-ready, as an application keeps the results it was submitted with."""
    return {
        "code": r.code,
        "name_zh": r.name_zh,
        "name_en": r.name_en,
        "status": r.status.value,
        "explanation_zh": r.explanation_zh,
        "explanation_en": r.explanation_en,
        "source": str(r.source),
        "missing": list(r.missing),
    }
