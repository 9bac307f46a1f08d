"""Checks on enterprise input, shared by the forms, the API and the file imports.

Each check returns the problems it found (``Problem(where, zh, en)``), never raises, and never
touches the database: callers pass in whatever lookups they need, so a 100,000-row import runs
them without a query per row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from kechuang.core.problems import Problem
from kechuang.enterprises.models import IntellectualProperty

FIRST_YEAR = 1949


def at(prefix: str, zh: str, key: str) -> str:
    """Where a problem is: the row (if any), then the field in both languages."""
    field = f"{zh} / {key}"
    return f"{prefix} · {field}" if prefix else field


def today() -> dt.date:
    return timezone.localdate()


# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------------


def clean_uscc(raw: object) -> str:
    return stdnum_uscc.compact(str(raw or ""))


def check_uscc(code: str, where: str) -> list[Problem]:
    """The code's length, alphabet and check character, by python-stdnum (GB 32100)."""
    if not code:
        return [Problem(where, "请填写统一社会信用代码", "the USCC is required")]
    try:
        stdnum_uscc.validate(code)
    except InvalidLength:
        return [
            Problem(
                where,
                f"统一社会信用代码「{code}」应为 18 位，现为 {len(code)} 位",
                f"USCC '{code}' must have 18 characters, not {len(code)}",
            )
        ]
    except InvalidFormat:
        return [
            Problem(
                where,
                f"统一社会信用代码「{code}」格式错误：前 8 位应为数字，其余为数字或大写字母"
                "（不含 I、O、Z、S、V）",
                f"USCC '{code}' is malformed: 8 digits, then digits or capitals other than "
                "I, O, Z, S, V",
            )
        ]
    except InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code[:-1])
        return [
            Problem(
                where,
                f"统一社会信用代码「{code}」校验码错误：第 18 位应为「{expected}」，"
                f"而不是「{code[-1]}」（请核对是否抄错）",
                f"USCC '{code}' fails its check: the 18th character should be '{expected}', "
                f"not '{code[-1]}' (check for a typing error)",
            )
        ]
    return []


# --- IP numbers ------------------------------------------------------------------------------

PATENT = re.compile(r"^(?:ZL)?(\d{8}|\d{12})\.([0-9X])$")
SOFTWARE = re.compile(r"^(\d{4})SR(\d{1,7})$")
PATENT_TYPE_DIGITS = {
    IntellectualProperty.Kind.INVENTION_PATENT: ("1", "8"),  # 8: PCT application, invention
    IntellectualProperty.Kind.UTILITY_MODEL: ("2", "9"),  # 9: PCT application, utility model
    IntellectualProperty.Kind.DESIGN_PATENT: ("3",),
}
PATENT_KIND_ZH = {
    IntellectualProperty.Kind.INVENTION_PATENT: "发明专利",
    IntellectualProperty.Kind.UTILITY_MODEL: "实用新型专利",
    IntellectualProperty.Kind.DESIGN_PATENT: "外观设计专利",
}
CLASS_OF_KIND = {
    "invention_patent": "I",
    "defence_patent": "I",
    "plant_variety": "I",
    "crop_variety": "I",
    "new_drug": "I",
    "tcm_protected": "I",
    "ic_layout": "I",
    "utility_model": "II",
    "design_patent": "II",
    "software_copyright": "II",
    "trademark": "none",
}


def clean_ip_number(raw: object) -> str:
    """Spaces and full-width punctuation removed, capitals; a patent loses its "ZL".

    The application number is the patent's identity: ZL202310123456.6 and 202310123456.6 name
    the same patent, so both are stored as the latter.
    """
    text = str(raw or "").strip().upper().replace("．", ".").replace("。", ".")
    text = re.sub(r"\s+", "", text)
    if PATENT.match(text) and text.startswith("ZL"):
        text = text[2:]
    return text


def patent_check_digit(digits: str) -> str:
    """The check character of a Chinese patent application number (ZC 0006-2003).

    Each digit is multiplied by the weights 2, 3, 4, 5, 6, 7, 8, 9 in turn (starting again at 2
    after 9), the products summed, and the sum taken modulo 11; a remainder of 10 is written X.
    The same rule covers the 8-digit numbers used before October 2003 and the 12-digit ones
    since. Checked against published examples (201710601862.3, 95115608.X).
    """
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_ip_number(kind: str, number: str, where: str) -> list[Problem]:
    """The shape of the number for the kinds whose numbering is fixed; others only non-empty.

    Patents (invention, utility model, design): 8 or 12 digits, a dot, the check character,
    optionally preceded by ZL; the type digit (5th of 12, 3rd of 8) must match the kind, and the
    check character must be right. Software copyright registrations: year + SR + serial, as in
    2023SR0123456. Other kinds (defence patents, plant varieties, drugs…) have numberings this
    platform does not check.
    """
    if not number:
        return [Problem(where, "请填写知识产权号码", "the number is required")]
    if len(number) > 64:
        return [Problem(where, "号码过长（最多 64 个字符）", "the number is over 64 characters")]
    if kind in PATENT_TYPE_DIGITS:
        m = PATENT.match(number)
        if m is None:
            return [
                Problem(
                    where,
                    f"专利号「{number}」格式错误，应如 ZL202310123456.6 或 202310123456.6"
                    "（12 位数字、小数点、1 位校验位）",
                    f"patent number '{number}' is malformed; expected e.g. ZL202310123456.6 "
                    "(12 digits, a dot, a check character)",
                )
            ]
        digits, check = m.groups()
        type_digit = digits[4] if len(digits) == 12 else digits[2]
        allowed = PATENT_TYPE_DIGITS[kind]
        problems = []
        if type_digit not in allowed:
            problems.append(
                Problem(
                    where,
                    f"专利号「{number}」的类型位为「{type_digit}」，"
                    f"{PATENT_KIND_ZH[kind]}应为「{'或'.join(allowed)}」",
                    f"patent number '{number}' has type digit '{type_digit}'; a {kind} "
                    f"has {' or '.join(allowed)}",
                )
            )
        if len(digits) == 12 and not 2003 <= int(digits[:4]) <= today().year:
            problems.append(
                Problem(
                    where,
                    f"专利号「{number}」的申请年份 {digits[:4]} 不合理",
                    f"patent number '{number}' has an impossible year {digits[:4]}",
                )
            )
        expected = patent_check_digit(digits)
        if check != expected:
            problems.append(
                Problem(
                    where,
                    f"专利号「{number}」校验位错误：小数点后应为「{expected}」，而不是「{check}」",
                    f"patent number '{number}' fails its check: the character after the dot "
                    f"should be '{expected}', not '{check}'",
                )
            )
        return problems
    if kind == IntellectualProperty.Kind.SOFTWARE_COPYRIGHT:
        m = SOFTWARE.match(number)
        if m is None or not 1990 <= int(m.group(1)) <= today().year:
            return [
                Problem(
                    where,
                    f"软件著作权登记号「{number}」格式错误，应如 2023SR0123456",
                    f"software copyright number '{number}' is malformed; expected e.g. "
                    "2023SR0123456",
                )
            ]
    return []


# --- dates -----------------------------------------------------------------------------------


def check_not_future(day: dt.date | None, where: str, zh: str, en: str) -> list[Problem]:
    if day is not None and day > today():
        return [
            Problem(
                where,
                f"{zh}（{day:%Y-%m-%d}）不能晚于今天",
                f"{en} ({day:%Y-%m-%d}) cannot be in the future",
            )
        ]
    return []


def check_year(year: int, where: str, registered_on: dt.date | None = None) -> list[Problem]:
    """An accounting year that has begun, not before 1949 nor before the enterprise existed."""
    latest = today().year
    if year > latest:
        return [
            Problem(
                where,
                f"年度 {year} 尚未开始（最晚 {latest} 年）",
                f"year {year} has not begun (latest {latest})",
            )
        ]
    if year < FIRST_YEAR:
        return [Problem(where, f"年度 {year} 早于 {FIRST_YEAR} 年", f"year {year} is too early")]
    if registered_on is not None and year < registered_on.year:
        return [
            Problem(
                where,
                f"年度 {year} 早于企业成立（{registered_on:%Y-%m-%d}）",
                f"year {year} is before the enterprise was registered ({registered_on:%Y-%m-%d})",
            )
        ]
    return []


# --- yearly figures --------------------------------------------------------------------------

# Money that can be negative: a loss, and net assets of an insolvent firm.
SIGNED = frozenset({"net_profit", "net_assets"})
# A sum of figures each rounded to the fen on its own may overshoot the whole by a little;
# a clerk should not be refused over rounding.
ROUNDING = Decimal("1.00")


def check_figures(values: dict[str, Decimal | None], where, labels) -> list[Problem]:
    """Signs and shares. ``where(key)`` places a problem; ``labels[key]`` is (zh, en)."""
    problems: list[Problem] = []

    def v(key: str) -> Decimal | None:
        return values.get(key)

    for key, value in values.items():
        if value is not None and value < 0 and key not in SIGNED:
            zh, en = labels[key]
            problems.append(
                Problem(where(key), f"{zh}不能为负数（{value}）", f"{en} cannot be negative")
            )

    def at_most(part: str, whole: str, zh: str, en: str) -> None:
        p, w = v(part), v(whole)
        if p is not None and w is not None and p > w:
            problems.append(Problem(where(part), f"{zh}（{p}）超过{labels[whole][0]}（{w}）", en))

    at_most("st_staff", "employees", "科技人员数", "S&T personnel exceed total employees")
    at_most("rd_staff", "employees", "研发人员数", "R&D personnel exceed total employees")
    at_most("main_revenue", "operating_revenue", "主营业务收入", "main revenue exceeds revenue")
    at_most("non_taxable_income", "total_income", "不征税收入", "non-taxable above total income")
    main, other, operating = v("main_revenue"), v("other_revenue"), v("operating_revenue")
    if (
        main is not None
        and other is not None
        and operating is not None
        and main + other > operating + ROUNDING
    ):
        problems.append(
            Problem(
                where("other_revenue"),
                f"主营业务收入与其他业务收入之和（{main + other}）超过营业收入（{operating}）",
                "main plus other revenue exceed operating revenue",
            )
        )
    rd_parts = [v(k) for k in RD_KEYS]
    declared = [p for p in rd_parts if p is not None]
    rd_total = sum(declared) if declared else None
    domestic = v("rd_domestic")
    if domestic is not None and rd_total is not None and domestic > rd_total:
        problems.append(
            Problem(
                where("rd_domestic"),
                f"境内研究开发费用（{domestic}）超过研发费用合计（{rd_total}）",
                "domestic R&D expense exceeds total R&D expense",
            )
        )
    high, tech, total = v("high_tech_income"), v("technical_income"), v("total_income")
    if total is not None and (high is not None or tech is not None):
        income = total - (v("non_taxable_income") or 0)
        ht = (high or 0) + (tech or 0)
        if ht > income + ROUNDING:
            problems.append(
                Problem(
                    where("high_tech_income"),
                    f"高新技术产品（服务）收入与技术性收入之和（{ht}）超过总收入"
                    f"（收入总额减不征税收入，{income}）",
                    "high-tech product/service plus technical income exceed total income "
                    "(income less non-taxable income)",
                )
            )
    assets, debts, net = v("total_assets"), v("liabilities"), v("net_assets")
    if (
        assets is not None
        and debts is not None
        and net is not None
        and abs(assets - debts - net) > ROUNDING
    ):
        problems.append(
            Problem(
                where("net_assets"),
                f"净资产（{net}）不等于资产总额减负债总额（{assets - debts}）",
                "net assets differ from total assets less liabilities",
            )
        )
    return problems


RD_KEYS = (
    "rd_personnel",
    "rd_direct_inputs",
    "rd_depreciation",
    "rd_amortization",
    "rd_design",
    "rd_trials",
    "rd_outsourced_domestic",
    "rd_outsourced_overseas",
    "rd_other",
)
