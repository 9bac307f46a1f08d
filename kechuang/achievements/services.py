"""Writes to the achievements database and the contract registry, and the indicator feed.

Each function checks permission on the object, checks all its input and raises ``Rejected``
naming every problem, and only then writes, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.achievements.models import Achievement, TechContract
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at, clean_ip_number
from kechuang.enterprises.models import Enterprise, IntellectualProperty
from kechuang.indicators.models import DataElement, DataValue, OrgUnit
from kechuang.indicators.services import QUANTUM, enter_value
from kechuang.plans.models import Plan
from kechuang.policies.search import tokens
from kechuang.projects.models import Project

FIRST_YEAR = 1949
TRL_RANGE = range(1, 10)
ACHIEVEMENT_FIELDS = (
    "title",
    "co_owners",
    "field",
    "trl",
    "year",
    "transfer_status",
    "transfer_mode",
    "abstract",
    "is_public",
)
CONTRACT_VALUE, TRADE_VALUE = "TECH_CONTRACT_VALUE", "TECH_TRADE_VALUE"
PUBLISH_SOURCE = "技术合同登记（平台汇总）"
MAX_MONEY = Decimal("1e14")  # DecimalField(16, 2)
CENT = Decimal("0.01")


def yuan(value: Decimal | None) -> Decimal:
    """A database sum in yuan to the fen (SQLite returns sums with stray decimal places)."""
    return (value or Decimal(0)).quantize(CENT)


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _where(model, key: str, prefix: str = "") -> str:
    return at(prefix, str(model._meta.get_field(key).verbose_name), key)


# --- achievements ----------------------------------------------------------------------------


def check_achievement(values: dict) -> tuple[dict, list[Problem]]:
    out = {k: values.get(k) for k in ACHIEVEMENT_FIELDS}
    problems: list[Problem] = []

    def w(key: str) -> str:
        return _where(Achievement, key)

    for key in ("title", "co_owners", "abstract", "field", "transfer_mode"):
        out[key] = (out[key] or "").strip()
    out["is_public"] = bool(out["is_public"])
    if not out["title"]:
        problems.append(Problem(w("title"), "请填写成果名称", "the title is required"))
    trl = out["trl"]
    if isinstance(trl, bool) or not isinstance(trl, int) or trl not in TRL_RANGE:
        problems.append(
            Problem(
                w("trl"),
                f"技术成熟度应为 1 至 9 的整数（现为「{trl}」）",
                f"the TRL must be a whole number from 1 to 9 (not '{trl}')",
            )
        )
    year, latest = out["year"], timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        problems.append(
            Problem(
                w("year"),
                f"完成年度「{year}」应在 {FIRST_YEAR}–{latest} 之间",
                f"the year '{year}' must be within {FIRST_YEAR}–{latest}",
            )
        )
    if out["field"] and out["field"] not in Enterprise.HighTechField.values:
        problems.append(
            Problem(
                w("field"), f"未知技术领域「{out['field']}」", f"unknown field '{out['field']}'"
            )
        )
    status = out["transfer_status"] or Achievement.TransferStatus.NOT_TRANSFERRED
    out["transfer_status"] = status
    mode = out["transfer_mode"]
    if status not in Achievement.TransferStatus.values:
        problems.append(
            Problem(w("transfer_status"), f"未知转化状态「{status}」", f"unknown '{status}'")
        )
    if mode and mode not in Achievement.TransferMode.values:
        problems.append(Problem(w("transfer_mode"), f"未知转化方式「{mode}」", f"unknown '{mode}'"))
    if status == Achievement.TransferStatus.TRANSFERRED and not mode:
        problems.append(
            Problem(
                w("transfer_mode"),
                "已转化的成果须注明转化方式（转让、许可、作价投资或合作）",
                "a transferred achievement needs its mode of transfer",
            )
        )
    if status == Achievement.TransferStatus.NOT_TRANSFERRED and mode:
        problems.append(
            Problem(
                w("transfer_mode"),
                "未转化的成果不应填写转化方式",
                "an achievement not transferred has no mode of transfer",
            )
        )
    return out, problems


def _links(
    owners: Iterable[Organization], ip_numbers: Iterable[str], project_codes: Iterable[str]
) -> tuple[list[IntellectualProperty], list[Project], list[Problem]]:
    """IP numbers resolved among the owners' enterprises' rights; project codes to projects."""
    problems: list[Problem] = []
    owner_ids = [o.pk for o in owners]
    numbers = list(dict.fromkeys(n for n in (clean_ip_number(x) for x in ip_numbers) if n))
    ip = list(
        IntellectualProperty.objects.filter(
            enterprise__organization_id__in=owner_ids, number__in=numbers
        )
    )
    missing = [n for n in numbers if n not in {i.number for i in ip}]
    if missing:
        problems.append(
            Problem(
                _where(Achievement, "ip"),
                "以下号码不是完成单位（企业库）名下的知识产权：" + "、".join(missing),
                "not IP of the owning enterprises: " + ", ".join(missing),
            )
        )
    codes = list(dict.fromkeys(c.strip().upper() for c in project_codes if c.strip()))
    projects = list(Project.objects.filter(code__in=codes))
    unknown = [c for c in codes if c not in {p.code for p in projects}]
    if unknown:
        problems.append(
            Problem(
                _where(Achievement, "projects"),
                "未找到以下项目编号：" + "、".join(unknown),
                "unknown project codes: " + ", ".join(unknown),
            )
        )
    return ip, projects, problems


def index(achievement: Achievement, owners: Iterable[Organization]) -> None:
    """Rebuild the search columns ``policies.search.search`` reads: the title (weighted
    highest), the abstract, then the owners' names; each with its pinyin and initials."""
    body = " ".join([*(o.name for o in owners), achievement.co_owners])
    achievement.search_title = tokens(achievement.title, pinyin=True)
    achievement.search_summary = tokens(achievement.abstract, pinyin=True)
    achievement.search_body = tokens(body, pinyin=True)


def _save_achievement(
    user,
    achievement: Achievement,
    values: dict,
    owners: list[Organization],
    ip_numbers: Iterable[str],
    project_codes: Iterable[str],
) -> Achievement:
    out, problems = check_achievement(values)
    if not owners and not out["co_owners"]:
        problems.append(
            Problem(
                _where(Achievement, "owners"),
                "请至少选择一个完成单位或填写其他完成单位",
                "name at least one owning organisation",
            )
        )
    ip, projects, more = _links(owners, ip_numbers, project_codes)
    problems += more
    if problems:
        raise Rejected(problems)
    for k, v in out.items():
        setattr(achievement, k, v)
    index(achievement, owners)
    if achievement.pk is None:
        achievement.created_by = user if getattr(user, "pk", None) else None
    achievement.save()
    achievement.owners.set(owners)
    achievement.ip.set(ip)
    achievement.projects.set(projects)
    return achievement


@transaction.atomic
def create_achievement(
    user,
    *,
    owners: Iterable[Organization] = (),
    ip_numbers: Iterable[str] = (),
    project_codes: Iterable[str] = (),
    is_demo: bool = False,
    **values,
) -> Achievement:
    """Register an achievement; IP by number (held by an owner), projects by code."""
    _require(user, "achievements.manage_achievement", None, "只有科技局可以登记成果", "bureau only")
    unknown = set(values) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown achievement fields: {sorted(unknown)}")
    return _save_achievement(
        user, Achievement(is_demo=is_demo), values, list(owners), ip_numbers, project_codes
    )


@transaction.atomic
def update_achievement(
    user,
    achievement: Achievement,
    *,
    owners: Iterable[Organization] = (),
    ip_numbers: Iterable[str] = (),
    project_codes: Iterable[str] = (),
    **values,
) -> Achievement:
    """Replace the record as a whole (the form sends every field); the audit log keeps the old."""
    _require(
        user,
        "achievements.manage_achievement",
        achievement,
        "只有科技局可以修改成果",
        "bureau only",
    )
    unknown = set(values) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown achievement fields: {sorted(unknown)}")
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
    return _save_achievement(user, achievement, values, list(owners), ip_numbers, project_codes)


# --- technology contracts --------------------------------------------------------------------

CONTRACT_FIELDS = (
    "registration_number",
    "registered_on",
    "kind",
    "title",
    "seller",
    "seller_name",
    "seller_region",
    "seller_in_district",
    "buyer",
    "buyer_name",
    "buyer_region",
    "amount",
    "trade_value",
    "field",
    "achievement",
    "note",
)


def contract_where(key: str, prefix: str = "") -> str:
    return _where(TechContract, key, prefix)


def check_contract(values: dict, prefix: str = "") -> tuple[dict, list[Problem]]:
    """Contract values (``seller``/``buyer`` as Enterprise or None) → model values, problems.

    Touches no database, so the import runs it on every row; the uniqueness of the
    registration number is the caller's check.
    """
    out = {k: values.get(k) for k in CONTRACT_FIELDS}
    problems: list[Problem] = []

    def w(key: str) -> str:
        return contract_where(key, prefix)

    for key in (
        "registration_number",
        "title",
        "seller_name",
        "seller_region",
        "buyer_name",
        "buyer_region",
        "field",
        "note",
    ):
        out[key] = (out[key] or "").strip()
    out["registration_number"] = out["registration_number"].upper()
    if not out["registration_number"]:
        problems.append(
            Problem(w("registration_number"), "请填写登记编号", "the number is required")
        )
    if not out["title"]:
        problems.append(Problem(w("title"), "请填写合同名称", "the title is required"))
    if out["kind"] not in TechContract.Kind.values:
        problems.append(Problem(w("kind"), "请选择合同类型", "choose the kind of contract"))
    day = out["registered_on"]
    if not isinstance(day, dt.date):
        problems.append(Problem(w("registered_on"), "请填写登记日期", "the date is required"))
    elif day > timezone.localdate():
        problems.append(
            Problem(
                w("registered_on"),
                f"登记日期（{day:%Y-%m-%d}）不能晚于今天",
                f"the registration date ({day:%Y-%m-%d}) cannot be in the future",
            )
        )
    elif day.year < FIRST_YEAR:
        problems.append(Problem(w("registered_on"), "登记日期过早", "the date is too early"))
    for side, zh in (("seller", "卖方"), ("buyer", "买方")):
        enterprise = out[side]
        if enterprise is not None:
            out[f"{side}_name"] = enterprise.name
        elif not out[f"{side}_name"]:
            problems.append(
                Problem(w(f"{side}_name"), f"请填写{zh}名称", f"the {side}'s name is required")
            )
    if out["seller_in_district"] is None:
        if out["seller"] is not None:
            out["seller_in_district"] = out["seller"].in_district
        else:
            problems.append(
                Problem(
                    w("seller_in_district"),
                    "卖方不在企业库中，请注明其是否为本区单位",
                    "the seller is not in the registry: say whether it is a district unit",
                )
            )
    amount, trade = out["amount"], out["trade_value"]
    for key, value, zh in (("amount", amount, "合同成交额"), ("trade_value", trade, "技术交易额")):
        if not isinstance(value, Decimal):
            problems.append(Problem(w(key), f"请填写{zh}（元）", f"the {key} is required"))
        elif value < 0:
            problems.append(
                Problem(w(key), f"{zh}不能为负数（{value}）", f"the {key} cannot be negative")
            )
        elif value >= MAX_MONEY:
            problems.append(Problem(w(key), f"{zh}（{value}）超出范围", f"the {key} is too large"))
    if isinstance(amount, Decimal) and isinstance(trade, Decimal) and trade > amount:
        problems.append(
            Problem(
                w("trade_value"),
                f"技术交易额（{trade} 元）超过合同成交额（{amount} 元）：技术交易额是成交额中"
                "扣除设备、原材料等非技术性费用后的部分，不能更大",
                f"the technology transaction value ({trade}) exceeds the contract value "
                f"({amount}); it is the technical part of it",
            )
        )
    if out["field"] and out["field"] not in Enterprise.HighTechField.values:
        problems.append(Problem(w("field"), f"未知技术领域「{out['field']}」", "unknown field"))
    return out, problems


def _number_taken(number: str, contract: TechContract | None, prefix: str = "") -> list[Problem]:
    same = TechContract.objects.filter(registration_number=number)
    if contract is not None:
        same = same.exclude(pk=contract.pk)
    if number and same.exists():
        return [
            Problem(
                contract_where("registration_number", prefix),
                f"登记编号 {number} 已登记",
                f"registration number {number} is already registered",
            )
        ]
    return []


@transaction.atomic
def register_contract(user, *, is_demo: bool = False, **values) -> TechContract:
    _require(user, "achievements.manage_contracts", None, "只有科技局可以登记合同", "bureau only")
    unknown = set(values) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    out, problems = check_contract(values)
    problems += _number_taken(out["registration_number"], None)
    if problems:
        raise Rejected(problems)
    return TechContract.objects.create(
        **out,
        year=out["registered_on"].year,
        created_by=user if getattr(user, "pk", None) else None,
        is_demo=is_demo,
    )


@transaction.atomic
def update_contract(user, contract: TechContract, **values) -> TechContract:
    """Correct a contract (the form sends every field); the audit log keeps the old values."""
    _require(
        user, "achievements.manage_contracts", contract, "只有科技局可以修改合同", "bureau only"
    )
    unknown = set(values) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    contract = TechContract.objects.select_for_update().get(pk=contract.pk)
    out, problems = check_contract(values)
    problems += _number_taken(out["registration_number"], contract)
    if problems:
        raise Rejected(problems)
    for k, v in out.items():
        setattr(contract, k, v)
    contract.year = contract.registered_on.year
    contract.save()
    return contract


# --- the feed into key indicator 8 -----------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    year: int
    contracts: int
    amount: Decimal
    trade_value: Decimal


def district_totals(year: int) -> Totals:
    """The year's registered contracts with a district seller (the indicator's 卖方口径)."""
    agg = TechContract.objects.filter(year=year, seller_in_district=True).aggregate(
        n=Count("pk"), amount=Sum("amount"), trade=Sum("trade_value")
    )
    return Totals(year, agg["n"], yuan(agg["amount"]), yuan(agg["trade"]))


def district_unit(year: int) -> OrgUnit | None:
    """The region of the plan covering the year (its baseline included), else of the latest."""
    plans = Plan.objects.select_related("region")
    plan = (
        plans.filter(baseline_year__lte=year, period_end__gte=year)
        .order_by("-period_start")
        .first()
        or plans.order_by("-period_start").first()
    )
    return plan.region if plan else None


@dataclass
class Published:
    element: str
    value: Decimal
    outcome: str  # "new_version" | "revised" | "unchanged"
    data_value: DataValue | None = None


@dataclass
class PublishResult:
    totals: Totals
    published: list[Published] = field(default_factory=list)


def publish_contract_totals(user, year: int) -> PublishResult:
    """Send the year's sums to TECH_CONTRACT_VALUE and TECH_TRADE_VALUE for approval.

    Written through ``indicators.services.enter_value`` as submitted figures with the source
    "技术合同登记（平台汇总）": an approved figure is never changed (a new version is opened), an
    open revision is revised, and a total equal to what is already approved writes nothing.
    """
    _require(user, "achievements.publish_totals", None, "只有科技局可以报送合同合计", "bureau only")
    totals = district_totals(year)
    elements = {
        e.code: e for e in DataElement.objects.filter(code__in=[CONTRACT_VALUE, TRADE_VALUE])
    }
    unit = district_unit(year)
    where = f"{year} 年度 / year {year}"
    problems = []
    if totals.contracts == 0:
        problems.append(
            Problem(
                where,
                f"{year} 年没有本区单位作为卖方登记的技术合同，没有可报送的合计",
                f"no contracts with a district seller were registered in {year}",
            )
        )
    missing = [c for c in (CONTRACT_VALUE, TRADE_VALUE) if c not in elements]
    if missing or unit is None:
        problems.append(
            Problem(
                where,
                "尚未载入包含数据元 " + "、".join(missing or [CONTRACT_VALUE]) + " 的规划",
                "load the plan holding the data elements first",
            )
        )
    if problems:
        raise Rejected(problems)
    result = PublishResult(totals)
    note = f"{totals.contracts} 份本区卖方技术合同（平台登记汇总）"
    with transaction.atomic():
        for code, value in ((CONTRACT_VALUE, totals.amount), (TRADE_VALUE, totals.trade_value)):
            element = elements[code]
            value = value.quantize(QUANTUM)
            keyed = DataValue.objects.filter(element=element, org_unit=unit, year=year)
            current = keyed.filter(is_current=True).first()
            open_rev = keyed.filter(
                status__in=[DataValue.Status.DRAFT, DataValue.Status.SUBMITTED]
            ).first()
            if open_rev is None and current is not None and current.value == value:
                result.published.append(Published(code, value, "unchanged", current))
                continue
            if (
                open_rev is not None
                and open_rev.value == value
                and open_rev.status == DataValue.Status.SUBMITTED
            ):
                result.published.append(Published(code, value, "unchanged", open_rev))
                continue
            dv = enter_value(
                user,
                element=element,
                org_unit=unit,
                year=year,
                value=value,
                source=PUBLISH_SOURCE,
                note=note,
                submit=True,
            )
            outcome = "revised" if open_rev is not None else "new_version"
            result.published.append(Published(code, value, outcome, dv))
    return result
