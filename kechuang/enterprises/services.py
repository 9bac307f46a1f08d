"""Writes to the enterprise registry, one object at a time. Each runs in one transaction.

Permission is checked here, on the object, so the pages, the API and the CLI obey the same
rules. Every function checks all of its input first and raises ``Rejected`` listing each
problem; only then does it write. File imports (many rows at once) are in ``imports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.core.criteria.facts import DEFAULT_VALIDITY_YEARS, CertificationKind, add_years
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises import checks
from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    Industry,
    IntellectualProperty,
    Park,
    YearlyFigures,
)
from kechuang.enterprises.tables import FIGURE_KEYS, FIGURE_LABELS

# What an enterprise user may change on its own profile; the rest is registration data the
# bureau keeps (identity, industry, park, ownership, the service officer).
SELF_SERVICE_FIELDS = ("address", "contact_name", "contact_phone", "high_tech_field")
PROFILE_FIELDS = (
    "name",
    "registered_on",
    "address",
    "industry",
    "park",
    "ownership",
    "high_tech_field",
    "contact_name",
    "contact_phone",
    "in_district",
    *Enterprise.DECLARATION_FIELDS,
    *Enterprise.VIEW_FIELDS,
)


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def organization_code(uscc: str) -> str:
    return f"ent-{uscc.lower()}"


# --- lookups shared with the imports ---------------------------------------------------------


@dataclass
class Lookups:
    """Codes a row may name, loaded once per request or file (no query per row)."""

    industries: dict[str, int]  # "C26", "26", "K701", "701" → id
    parks: dict[str, int]  # code or name → id

    @classmethod
    def load(cls) -> Lookups:
        industries: dict[str, int] = {}
        for pk, code in Industry.objects.values_list("pk", "code"):
            industries[code.upper()] = pk
            if len(code) > 1:  # divisions, groups and classes are numbered across sections
                industries[code[1:]] = pk
        parks: dict[str, int] = {}
        for pk, code, name in Park.objects.values_list("pk", "code", "name"):
            parks[code.lower()] = pk
            parks[name.lower()] = pk
        return cls(industries, parks)

    def industry(self, raw: str) -> int | None:
        return self.industries.get(raw.strip().upper())

    def park(self, raw: str) -> int | None:
        return self.parks.get(raw.strip().lower())


def check_profile(values: dict, lookups: Lookups, where) -> tuple[dict, list[Problem]]:
    """Profile values as typed cells give them → model field values, and the problems.

    ``industry`` and ``park`` arrive as codes (a park also by name) and leave as ids.
    """
    problems: list[Problem] = []
    out = dict(values)
    if "name" in values and not (values["name"] or "").strip():
        problems.append(Problem(where("name"), "请填写企业名称", "the name is required"))
    if values.get("industry"):
        out["industry"] = lookups.industry(values["industry"])
        if out["industry"] is None:
            problems.append(
                Problem(
                    where("industry"),
                    f"未知行业代码「{values['industry']}」（GB/T 4754-2017，如 C26）",
                    f"unknown industry code '{values['industry']}' (GB/T 4754-2017, e.g. C26)",
                )
            )
    elif "industry" in values:
        out["industry"] = None
    if values.get("park"):
        out["park"] = lookups.park(values["park"])
        if out["park"] is None:
            problems.append(
                Problem(
                    where("park"),
                    f"未知园区「{values['park']}」",
                    f"unknown park '{values['park']}'",
                )
            )
    elif "park" in values:
        out["park"] = None
    problems += checks.check_not_future(
        values.get("registered_on"), where("registered_on"), "成立日期", "the registration date"
    )
    blank_is_empty = ("ownership", "high_tech_field", "address", "contact_name", "contact_phone")
    for key in (*blank_is_empty, *Enterprise.VIEW_FIELDS):
        if key in out and out[key] is None:
            out[key] = ""
    if "in_district" in out and out["in_district"] is None:
        out["in_district"] = True
    return out, problems


def _field_where(key: str) -> str:
    label = Enterprise._meta.get_field(key).verbose_name if key != "uscc" else "统一社会信用代码"
    return checks.at("", str(label), key)


def apply_profile(enterprise: Enterprise, values: dict) -> list[str]:
    """Set checked profile values (industry and park as ids) and name the fields that changed."""
    changed = []
    for key, value in values.items():
        attr = f"{key}_id" if key in {"industry", "park"} else key
        if getattr(enterprise, attr) != value:
            setattr(enterprise, attr, value)
            changed.append(key)
    return changed


# --- enterprises -----------------------------------------------------------------------------


def create_enterprise(user, *, uscc: str, is_demo: bool = False, **profile) -> Enterprise:
    """A new enterprise and the organisation its users will belong to."""
    _require(
        user,
        "enterprises.add_enterprise",
        None,
        "只有科技局可以登记企业",
        "only the bureau may register enterprises",
    )
    code = checks.clean_uscc(uscc)
    problems = checks.check_uscc(code, _field_where("uscc"))
    if not problems and Enterprise.objects.filter(uscc=code).exists():
        problems.append(
            Problem(_field_where("uscc"), f"企业 {code} 已登记", f"{code} is already registered")
        )
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile.setdefault("name", "")
    values, more = check_profile(profile, Lookups.load(), _field_where)
    problems += more
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        org = Organization.objects.filter(code=organization_code(code)).first()
        if org is None:
            org = Organization.objects.create(
                code=organization_code(code),
                name=values["name"].strip(),
                kind=Organization.Kind.ENTERPRISE,
                is_demo=is_demo,
            )
        enterprise = Enterprise(uscc=code, organization=org, is_demo=is_demo)
        apply_profile(enterprise, values)
        enterprise.name = enterprise.name.strip()
        enterprise.save()
    return enterprise


def update_enterprise(user, enterprise: Enterprise, **profile) -> Enterprise:
    """Change the profile; an enterprise user may change only its contact details and field."""
    _require(
        user,
        "enterprises.change_enterprise",
        enterprise,
        "无权修改该企业信息",
        "you may not change this enterprise",
    )
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    bureau_only = set(profile) - set(SELF_SERVICE_FIELDS)
    if bureau_only and not user.has_perm("enterprises.manage_enterprise", enterprise):
        raise PermissionDenied(
            "企业用户只能修改地址、联系人、联系电话和技术领域，其他信息请联系科技局 / "
            f"enterprise users may not change {', '.join(sorted(bureau_only))}"
        )
    values, problems = check_profile(profile, Lookups.load(), _field_where)
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        changed = apply_profile(enterprise, values)
        if changed:
            enterprise.name = enterprise.name.strip()
            enterprise.save()
            if "name" in changed:
                Organization.objects.filter(pk=enterprise.organization_id).update(
                    name=enterprise.name
                )
    return enterprise


def assign_service_officer(user, enterprise: Enterprise, officer) -> Enterprise:
    _require(
        user,
        "enterprises.manage_enterprise",
        enterprise,
        "只有科技局可以指派服务专员",
        "only the bureau may assign a service officer",
    )
    if officer is not None and not officer.is_bureau:
        raise Rejected(
            [
                Problem(
                    "service_officer",
                    "服务专员须为科技局工作人员",
                    "the service officer must be bureau staff",
                )
            ]
        )
    enterprise.service_officer = officer
    enterprise.save(update_fields=["service_officer", "updated_at"])
    return enterprise


# --- yearly figures --------------------------------------------------------------------------


def figures_where(prefix: str = ""):
    def where(key: str) -> str:
        zh, _ = FIGURE_LABELS.get(key, ("年度", "year"))
        return checks.at(prefix, zh, key)

    return where


def check_figure_values(values: dict[str, Decimal | None], where) -> list[Problem]:
    return checks.check_figures(values, where, FIGURE_LABELS)


@transaction.atomic
def save_figures(
    user,
    enterprise: Enterprise,
    year: int,
    values: dict[str, Decimal | None],
    *,
    source: str = "",
    submit: bool = True,
) -> YearlyFigures:
    """Enter or correct one year's figures.

    Keys left out of ``values`` keep what they were; a key given as None clears it. A change to
    approved figures sends them back for review (submitted); the audit log keeps the old values.
    """
    _require(
        user,
        "enterprises.submit_figures",
        enterprise,
        "无权填报该企业的年度数据",
        "you may not enter figures for this enterprise",
    )
    unknown = set(values) - set(FIGURE_KEYS)
    if unknown:
        raise TypeError(f"unknown figure fields: {sorted(unknown)}")
    where = figures_where()
    problems = checks.check_year(year, where("year"), enterprise.registered_on)
    figures = (
        YearlyFigures.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    )
    merged = {k: getattr(figures, k) if figures else None for k in FIGURE_KEYS}
    merged.update(values)
    problems += check_figure_values(merged, where)
    if len(source) > 200:
        problems.append(Problem(where("source"), "数据来源过长", "the source is too long"))
    if problems:
        raise Rejected(problems)
    now = timezone.now()
    if figures is None:
        figures = YearlyFigures(enterprise=enterprise, year=year, is_demo=enterprise.is_demo)
    elif all(getattr(figures, k) == v for k, v in merged.items()) and figures.source == source:
        if submit and figures.status == YearlyFigures.Status.DRAFT:
            figures.status, figures.submitted_at = YearlyFigures.Status.SUBMITTED, now
            figures.save()
        return figures
    for k, v in merged.items():
        setattr(figures, k, v)
    figures.source = source.strip()
    figures.entered_by = user
    was_approved = figures.status == YearlyFigures.Status.APPROVED
    if submit or was_approved:
        figures.status, figures.submitted_at = YearlyFigures.Status.SUBMITTED, now
    else:
        figures.status = YearlyFigures.Status.DRAFT
    figures.approved_by, figures.approved_at = None, None
    figures.save()
    return figures


@transaction.atomic
def approve_figures(user, figures: YearlyFigures, comment: str = "") -> YearlyFigures:
    _require(
        user,
        "enterprises.approve_figures",
        figures,
        "只有科技局可以审核企业数据",
        "only the bureau may approve figures",
    )
    figures = YearlyFigures.objects.select_for_update().get(pk=figures.pk)
    if figures.status != YearlyFigures.Status.SUBMITTED:
        raise Rejected(
            [Problem(str(figures), "只有待审核的数据可以审核", "only submitted figures")]
        )
    figures.status = YearlyFigures.Status.APPROVED
    figures.approved_by, figures.approved_at = user, timezone.now()
    figures.review_comment = comment.strip()[:500]
    figures.save()
    return figures


@transaction.atomic
def return_figures(user, figures: YearlyFigures, comment: str) -> YearlyFigures:
    """Send figures back to the enterprise as a draft, saying why."""
    _require(
        user,
        "enterprises.approve_figures",
        figures,
        "只有科技局可以退回企业数据",
        "only the bureau may return figures",
    )
    if not comment.strip():
        raise Rejected([Problem("comment", "退回时请写明原因", "say why the figures are returned")])
    figures = YearlyFigures.objects.select_for_update().get(pk=figures.pk)
    figures.status = YearlyFigures.Status.DRAFT
    figures.approved_by, figures.approved_at = None, None
    figures.review_comment = comment.strip()[:500]
    figures.save()
    return figures


# --- intellectual property -------------------------------------------------------------------

IP_FIELDS = (
    "title",
    "ip_class",
    "applied_on",
    "granted_on",
    "status",
    "valid",
    "ownership",
    "acquisition",
    "used_for_hnte_application",
    "high_value",
)


def ip_where(prefix: str = ""):
    def where(key: str) -> str:
        label = IntellectualProperty._meta.get_field(key).verbose_name
        return checks.at(prefix, str(label), key)

    return where


def check_ip(values: dict, where) -> tuple[dict, list[Problem]]:
    """Kind, number and dates; the class follows the kind (declared only for "other")."""
    out = dict.fromkeys(IP_FIELDS) | dict(values)
    kind = values.get("kind")
    out["number"] = checks.clean_ip_number(values.get("number"))
    problems = []
    if kind is not None:
        problems += checks.check_ip_number(kind, out["number"], where("number"))
    if not (values.get("title") or "").strip():
        problems.append(Problem(where("title"), "请填写知识产权名称", "the title is required"))
    if kind == IntellectualProperty.Kind.OTHER:
        if not values.get("ip_class"):
            problems.append(
                Problem(
                    where("ip_class"),
                    "“其他”类知识产权须注明类别（Ⅰ类、Ⅱ类或不计）",
                    "an 'other' right needs its class (I, II or none)",
                )
            )
    elif kind is not None:
        out["ip_class"] = checks.CLASS_OF_KIND[kind]
    applied, granted = values.get("applied_on"), values.get("granted_on")
    problems += checks.check_not_future(applied, where("applied_on"), "申请日", "the filing date")
    problems += checks.check_not_future(granted, where("granted_on"), "授权日", "the grant date")
    if applied and granted and granted < applied:
        problems.append(
            Problem(where("granted_on"), "授权日早于申请日", "granted before it was applied for")
        )
    if not out.get("status"):
        out["status"] = (
            IntellectualProperty.Status.GRANTED if granted else IntellectualProperty.Status.APPLIED
        )
    defaults = {
        "valid": True,
        "ownership": IntellectualProperty.Ownership.SOLE,
        "acquisition": IntellectualProperty.Acquisition.SELF_DEVELOPED,
        "used_for_hnte_application": "",
        "high_value": False,
    }
    for key, default in defaults.items():
        if out.get(key) is None:
            out[key] = default
    return out, problems


@transaction.atomic
def save_ip(user, enterprise: Enterprise, **data) -> IntellectualProperty:
    """Add a right, or update the one with the same kind and number."""
    _require(
        user,
        "enterprises.add_ip",
        enterprise,
        "无权登记该企业的知识产权",
        "you may not add IP for this enterprise",
    )
    values, problems = check_ip(data, ip_where())
    if not values.get("kind"):
        problems.append(Problem(ip_where()("kind"), "请选择知识产权类型", "the kind is required"))
    if problems:
        raise Rejected(problems)
    ip, _ = IntellectualProperty.objects.get_or_create(
        enterprise=enterprise,
        kind=values["kind"],
        number=values["number"],
        defaults={k: values[k] for k in IP_FIELDS} | {"is_demo": enterprise.is_demo},
    )
    changed = [k for k in IP_FIELDS if getattr(ip, k) != values[k]]
    if changed:
        for k in changed:
            setattr(ip, k, values[k])
        ip.save()
    return ip


# --- certifications and events (the bureau's record) -----------------------------------------


def default_expiry(kind: str, issued_on: dt.date) -> dt.date:
    """The last day of validity: HNTE and the 梯度培育 titles 3 years, tech-SME 1 year."""
    years = DEFAULT_VALIDITY_YEARS[CertificationKind(kind)]
    return add_years(issued_on, years) - dt.timedelta(days=1)


@transaction.atomic
def add_certification(
    user,
    enterprise: Enterprise,
    *,
    kind: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    number: str = "",
    issuer: str = "",
) -> Certification:
    _require(
        user,
        "enterprises.manage_enterprise",
        enterprise,
        "只有科技局可以登记资质",
        "only the bureau may record certifications",
    )
    problems = []
    if kind not in Certification.Kind.values:
        problems.append(Problem("kind", f"未知资质类型「{kind}」", f"unknown kind '{kind}'"))
    problems += checks.check_not_future(issued_on, "issued_on", "发证日期", "the issue date")
    if expires_on is not None and expires_on < issued_on:
        problems.append(
            Problem("expires_on", "有效期至早于发证日期", "expires before it was issued")
        )
    if not problems and enterprise.certifications.filter(kind=kind, issued_on=issued_on).exists():
        problems.append(Problem("issued_on", "同日已登记同类资质", "already recorded for that day"))
    if problems:
        raise Rejected(problems)
    return Certification.objects.create(
        enterprise=enterprise,
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on or default_expiry(kind, issued_on),
        number=number.strip(),
        issuer=issuer.strip(),
        is_demo=enterprise.is_demo,
    )


@transaction.atomic
def add_event(
    user,
    enterprise: Enterprise,
    *,
    category: str,
    date: dt.date,
    kind: str = "",
    level: str = "",
    role: str = "",
    rank: int | None = None,
    name: str = "",
    description: str = "",
    ended_on: dt.date | None = None,
    serious: bool = True,
) -> EnterpriseEvent:
    """Record an incident, a listing, an award, a standard or an R&D institution."""
    _require(
        user,
        "enterprises.manage_enterprise",
        enterprise,
        "只有科技局可以记录企业事项",
        "only the bureau may record events",
    )
    E = EnterpriseEvent
    problems = checks.check_not_future(date, "date", "日期", "the date")
    if category == E.Category.INCIDENT and kind not in E.INCIDENT_KINDS:
        problems.append(Problem("kind", "请选择事故或违法的类型", "choose the kind of incident"))
    elif category == E.Category.LISTING and kind not in E.LISTING_KINDS:
        problems.append(Problem("kind", "请选择名录或名单", "choose the list"))
    elif category in E.LEVELS and level not in E.LEVELS[category]:
        problems.append(Problem("level", "请选择级别", "choose the level"))
    elif category not in E.Category.values:
        problems.append(Problem("category", f"未知类别「{category}」", f"unknown '{category}'"))
    if category == E.Category.AWARD and (rank is None or rank < 1):
        problems.append(
            Problem("rank", "请填写完成单位排名（1 为第一）", "give the rank (1 = first)")
        )
    if category == E.Category.STANDARD and role not in E.Role.values:
        problems.append(Problem("role", "请选择主导或参与", "choose lead or participate"))
    if category in {E.Category.AWARD, E.Category.STANDARD, E.Category.INSTITUTION} and not name:
        problems.append(Problem("name", "请填写名称", "the name is required"))
    if ended_on is not None and ended_on < date:
        problems.append(Problem("ended_on", "移出日期早于列入日期", "removed before it was listed"))
    if problems:
        raise Rejected(problems)
    return E.objects.create(
        enterprise=enterprise,
        category=category,
        kind=kind if category in {E.Category.INCIDENT, E.Category.LISTING} else "",
        level=level if category in E.LEVELS else "",
        role=role if category == E.Category.STANDARD else "",
        rank=rank if category == E.Category.AWARD else None,
        name=name.strip(),
        description=description.strip(),
        date=date,
        ended_on=ended_on if category == E.Category.LISTING else None,
        serious=serious,
        recorded_by=user,
        is_demo=enterprise.is_demo,
    )
