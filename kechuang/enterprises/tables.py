"""The three tables clerks exchange with the registry: enterprises, yearly figures, IP.

One column list per table serves the import (header matching and cell parsing), the template
(header row, instructions sheet) and the export, so an exported file re-imports unchanged.
Files are read as streams (openpyxl read-only, csv reader): a 100,000-row file is never held
in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from unittest import mock

from django.db import models
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise, ImportJob, IntellectualProperty

MAX_MONEY = Decimal("1e16")  # DecimalField(18, 2)
MAX_PEOPLE = Decimal("1e8")  # DecimalField(10, 2)
CENT = Decimal("0.01")
NUMERIC = frozenset({"money", "people"})
LIMITS = {"money": MAX_MONEY, "people": MAX_PEOPLE}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str  # text, date, money, people, int, choice, bool
    required: bool = False
    help_zh: str = ""
    help_en: str = ""
    choices: type[models.TextChoices] | None = None
    max_length: int = 200

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


def _choices_help(choices: type[models.TextChoices]) -> str:
    return "；".join(f"{label}（{value}）" for value, label in choices.choices)


ENTERPRISE_COLUMNS = (
    Column("uscc", "统一社会信用代码", "uscc", "text", True, "18 位，按 GB 32100 校验"),
    Column("name", "企业名称", "name", "text", True, max_length=200),
    Column("registered_on", "成立日期", "registered on", "date", help_zh="如 2018-05-20"),
    Column(
        "industry",
        "行业代码",
        "industry",
        "text",
        help_zh="GB/T 4754-2017 代码，如 C26 或 26（大类）、K701（中类）",
    ),
    Column("park", "园区代码", "park", "text", help_zh="园区代码或园区名称；不在园区可留空"),
    Column("ownership", "登记注册类型", "ownership", "choice", choices=Enterprise.Ownership),
    Column(
        "high_tech_field",
        "高新技术领域",
        "high-tech field",
        "choice",
        choices=Enterprise.HighTechField,
    ),
    Column("address", "注册地址", "address", "text", max_length=300),
    Column("contact_name", "联系人", "contact", "text", max_length=50),
    Column("contact_phone", "联系电话", "phone", "text", max_length=50),
    Column("in_district", "区内企业", "in district", "bool", help_zh="是/否，留空为“是”"),
    *(
        Column(k, zh, en, "bool", help_zh="是/否，留空为“未申报”")
        for k, zh, en in (
            ("resident", "境内注册居民企业", "resident enterprise"),
            ("restricted_products", "产品属于禁止限制淘汰类", "restricted products"),
            ("rd_management_system", "研发组织管理制度", "R&D management system"),
            ("rd_accounting_system", "研发投入核算体系", "R&D accounting system"),
            ("rd_ledger", "研发费用辅助账", "R&D auxiliary ledger"),
            ("rd_organisation", "内部研发机构", "internal R&D organisation"),
            ("industry_university_cooperation", "产学研合作", "industry-university cooperation"),
            ("conversion_incentives", "成果转化激励制度", "conversion incentives"),
            ("open_innovation_platform", "开放式创新创业平台", "open innovation platform"),
            ("talent_training", "科技人员培养进修", "S&T staff training"),
            ("skills_training", "职工技能培训", "skills training"),
            ("talent_recruitment", "优秀人才引进", "talent recruitment"),
            ("performance_rewards", "人才绩效评价奖励制度", "performance rewards"),
        )
    ),
    Column(
        "ip_advancement",
        "知识产权技术先进程度（预评）",
        "IP advancement (pre-assessment)",
        "choice",
        choices=Enterprise.AdvancementView,
    ),
    Column(
        "ip_core_support",
        "知识产权核心支持作用（预评）",
        "IP core support (pre-assessment)",
        "choice",
        choices=Enterprise.SupportView,
    ),
)

FIGURE_VALUES = (
    ("operating_revenue", "营业收入", "operating revenue", "money"),
    ("main_revenue", "主营业务收入", "main business revenue", "money"),
    ("other_revenue", "其他业务收入", "other business revenue", "money"),
    ("total_income", "收入总额", "total income", "money"),
    ("non_taxable_income", "不征税收入", "non-taxable income", "money"),
    ("high_tech_income", "高新技术产品（服务）收入", "high-tech product income", "money"),
    ("technical_income", "技术性收入", "technical income", "money"),
    ("rd_personnel", "研发-人员人工费用", "R&D personnel", "money"),
    ("rd_direct_inputs", "研发-直接投入费用", "R&D direct inputs", "money"),
    ("rd_depreciation", "研发-折旧与长期待摊", "R&D depreciation", "money"),
    ("rd_amortization", "研发-无形资产摊销", "R&D amortisation", "money"),
    ("rd_design", "研发-设计费用", "R&D design", "money"),
    ("rd_trials", "研发-装备调试与试验费用", "R&D trials", "money"),
    ("rd_outsourced_domestic", "研发-委托境内研发", "R&D outsourced domestic", "money"),
    ("rd_outsourced_overseas", "研发-委托境外研发", "R&D outsourced overseas", "money"),
    ("rd_other", "研发-其他费用", "R&D other", "money"),
    ("rd_domestic", "境内研究开发费用", "domestic R&D", "money"),
    ("employees", "职工总数", "employees", "people"),
    ("st_staff", "科技人员数", "S&T personnel", "people"),
    ("rd_staff", "研发人员数", "R&D personnel count", "people"),
    ("total_assets", "资产总额", "total assets", "money"),
    ("liabilities", "负债总额", "liabilities", "money"),
    ("net_assets", "净资产", "net assets", "money"),
    ("net_profit", "净利润", "net profit", "money"),
    ("cost_and_expense_total", "成本费用支出总额", "total costs and expenses", "money"),
    ("conversions", "科技成果转化数", "technology conversions", "int"),
)
FIGURE_KEYS = tuple(k for k, *_ in FIGURE_VALUES)
FIGURE_LABELS = {k: (zh, en) for k, zh, en, _ in FIGURE_VALUES}

_FIGURE_HELP = {"money": "元，保留两位小数", "people": "人，全年月平均数", "int": "项，当年数"}

FIGURE_COLUMNS = (
    Column("uscc", "统一社会信用代码", "uscc", "text", True),
    Column("enterprise_name", "企业名称", "enterprise name", "text", help_zh="仅供核对，不导入"),
    Column("year", "年度", "year", "int", True, "会计年度，如 2024"),
    *(Column(k, zh, en, kind, help_zh=_FIGURE_HELP[kind]) for k, zh, en, kind in FIGURE_VALUES),
    Column("source", "数据来源", "source", "text", help_zh="如：2024年度企业所得税年度纳税申报表"),
)

IP_COLUMNS = (
    Column("uscc", "统一社会信用代码", "uscc", "text", True),
    Column("kind", "知识产权类型", "kind", "choice", True, choices=IntellectualProperty.Kind),
    Column(
        "number",
        "号码",
        "number",
        "text",
        True,
        "专利：ZL202310123456.6 或 202310123456.6；软件著作权：2023SR0123456",
        max_length=64,
    ),
    Column("title", "名称", "title", "text", True, max_length=300),
    Column(
        "ip_class",
        "类别",
        "class",
        "choice",
        help_zh="仅“其他”类型填写：I、II 或 none",
        choices=IntellectualProperty.IPClass,
    ),
    Column("applied_on", "申请日", "applied on", "date"),
    Column("granted_on", "授权日", "granted on", "date"),
    Column(
        "status",
        "法律状态",
        "status",
        "choice",
        help_zh="留空：有授权日为已授权，否则已申请",
        choices=IntellectualProperty.Status,
    ),
    Column("valid", "有效", "valid", "bool", help_zh="是/否，留空为“是”"),
    Column("ownership", "权属", "ownership", "choice", choices=IntellectualProperty.Ownership),
    Column(
        "acquisition", "获得方式", "acquisition", "choice", choices=IntellectualProperty.Acquisition
    ),
    Column(
        "used_for_hnte_application",
        "已用于高企申报",
        "used for HNTE",
        "text",
        help_zh="已用于某次高企申报的，填写申报年度或证书编号",
    ),
    Column("high_value", "高价值知识产权", "high value", "bool", help_zh="是/否，留空为“否”"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportJob.Kind.ENTERPRISES: ENTERPRISE_COLUMNS,
    ImportJob.Kind.FIGURES: FIGURE_COLUMNS,
    ImportJob.Kind.IP: IP_COLUMNS,
}
TITLES = {
    ImportJob.Kind.ENTERPRISES: ("企业名录", "enterprises"),
    ImportJob.Kind.FIGURES: ("企业年度数据", "yearly figures"),
    ImportJob.Kind.IP: ("企业知识产权", "intellectual property"),
}


# --- cells -----------------------------------------------------------------------------------


def text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(raw: object) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    value = text(raw)
    value = value.split(" ")[0].split("T")[0]
    for form in DATE_FORMS:
        m = form.match(value)
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def parse_number(raw: object, limit: Decimal) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        cleaned = text(raw).replace(",", "").replace("，", "").replace(" ", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            return None
    if not value.is_finite() or abs(value) >= limit:
        return None
    return value.quantize(CENT, ROUND_HALF_UP)


YES = {"是", "y", "yes", "true", "1", "有效", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "无效", "×"}


def parse_bool(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    value = text(raw).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling of a choice: its value, its Chinese label, case-insensitive."""
    out: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                out[str(value).lower()] = value
                out[str(label).lower()] = value
    if choices is IntellectualProperty.IPClass:
        out.update({"ⅰ": "I", "ⅱ": "II", "1": "I", "2": "II", "i类": "I", "ii类": "II"})
    return out


class CellParser:
    """Turns the raw cells of one row into typed values, collecting a problem per bad cell."""

    def __init__(self, columns: Iterable[Column]) -> None:
        self.columns = tuple(columns)
        self.lookups = {c.key: choice_lookup(c.choices) for c in self.columns if c.choices}

    def parse(self, cells: dict[str, object], where: Callable[[Column], str]):
        values: dict[str, object] = {}
        problems: list[Problem] = []
        for c in self.columns:
            raw = cells.get(c.key)
            if c.kind in NUMERIC and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                # The common case of a numeric cell in a large file: no text round trip.
                value = parse_number(raw, LIMITS[c.kind])
                if value is None:
                    problems.append(
                        Problem(where(c), f"{c.zh}「{raw}」超出范围", f"{c.en} is out of range")
                    )
                values[c.key] = value
                continue
            shown = text(raw)
            if shown == "":
                values[c.key] = None
                if c.required:
                    problems.append(Problem(where(c), f"请填写{c.zh}", f"{c.en} is required"))
                continue
            value, problem = self._one(c, raw, shown)
            if problem is not None:
                problems.append(Problem(where(c), *problem))
            values[c.key] = value
        return values, problems

    def _one(self, c: Column, raw: object, shown: str):
        if c.kind == "text":
            if len(shown) > c.max_length:
                return None, (f"{c.zh}超过 {c.max_length} 字", f"{c.en} is too long")
            return shown, None
        if c.kind == "date":
            day = parse_date(raw)
            if day is None:
                return None, (
                    f"{c.zh}「{shown}」不是日期（应如 2020-05-20）",
                    f"{c.en} '{shown}' is not a date (e.g. 2020-05-20)",
                )
            return day, None
        if c.kind in {"money", "people"}:
            value = parse_number(raw, MAX_MONEY if c.kind == "money" else MAX_PEOPLE)
            if value is None:
                return None, (f"{c.zh}「{shown}」不是数字", f"{c.en} '{shown}' is not a number")
            return value, None
        if c.kind == "int":
            value = parse_number(raw, MAX_PEOPLE)
            if value is None or value != value.to_integral_value():
                return None, (
                    f"{c.zh}「{shown}」不是整数",
                    f"{c.en} '{shown}' is not a whole number",
                )
            return int(value), None
        if c.kind == "bool":
            flag = parse_bool(raw)
            if flag is None:
                return None, (
                    f"{c.zh}「{shown}」应填“是”或“否”",
                    f"{c.en} '{shown}' must be yes/no",
                )
            return flag, None
        value = self.lookups[c.key].get(shown.lower())
        if value is None:
            allowed = "、".join(str(label) for _, label in c.choices.choices)
            return None, (
                f"{c.zh}「{shown}」不是可选值（{allowed}）",
                f"{c.en} '{shown}' is not one of the allowed values",
            )
        return value, None


# --- reading files ---------------------------------------------------------------------------


def header_map(columns: Iterable[Column], header: Iterable[object], where: str) -> dict[str, int]:
    """Column positions from the header row; either language, or both as the template has."""
    columns = tuple(columns)
    names: dict[str, str] = {}
    for c in columns:
        for n in (c.zh, c.en, c.key, c.header):
            names[n.lower()] = c.key
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        label = text(cell).lower()
        key = names.get(label) or names.get(label.split("/")[0].strip())
        if key and key not in found:
            found[key] = i
    missing = [c for c in columns if c.required and c.key not in found]
    if missing:
        raise Rejected(
            [
                Problem(
                    f"{where} 第1行 / row 1",
                    "缺少列：" + "、".join(c.zh for c in missing),
                    "missing column(s): " + ", ".join(c.en for c in missing),
                )
            ]
        )
    return found


@dataclass
class Table:
    """The rows of an uploaded sheet, as (line number, {column key: raw cell})."""

    rows: Iterator[tuple[int, dict[str, object]]]
    estimated_rows: int | None


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes so, else GB18030 (Excel's)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while block := fh.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _keyed(columns, it: Iterator[tuple], name: str) -> Iterator[tuple[int, dict[str, object]]]:
    header = next(it, None)
    if header is None:
        raise Rejected([Problem(name, "文件为空", "the file is empty")])
    cols = header_map(columns, header, name)
    for line, row in enumerate(it, start=2):
        if not row or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        yield line, {k: row[i] if i < len(row) else None for k, i in cols.items()}


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_LOADING = threading.Lock()


def _size_from_head(ws: ReadOnlyWorksheet) -> None:
    """Size a sheet from its <dimension> element, which sits at the head of the sheet's XML.

    openpyxl's read-only loader, finding no such element (openpyxl's own write-only files, our
    exports among them, leave it out), parses the whole sheet just to size it: a second full
    read of a 100,000-row file. Left unsized, the sheet still streams to its end.
    """
    with ws._get_source() as src:
        m = DIMENSION.search(src.read(16384))
    if m:
        bounds = range_boundaries(m.group(1).decode())
        ws._min_column, ws._min_row, ws._max_column, ws._max_row = bounds


def _load_streaming(path: Path):
    # The patch is scoped to this call; the lock keeps two imports from interleaving it.
    with _LOADING, mock.patch.object(ReadOnlyWorksheet, "_get_size", _size_from_head):
        return load_workbook(path, read_only=True, data_only=True)


@contextmanager
def open_table(path: Path, name: str, columns: tuple[Column, ...]):
    """The file's rows, streamed; the header is checked as soon as iteration starts."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            wb = _load_streaming(path)
        except Exception as exc:  # openpyxl raises several unrelated types for a bad file
            raise Rejected(
                [Problem(name, "无法读取 Excel 文件", f"not a readable .xlsx file: {exc}")]
            ) from exc
        try:
            ws = wb["数据"] if "数据" in wb.sheetnames else wb.worksheets[0]
            estimate = (ws.max_row - 1) if ws.max_row else None
            yield Table(_keyed(columns, ws.iter_rows(values_only=True), name), estimate)
        finally:
            wb.close()
    elif suffix == ".csv":
        with path.open(encoding=_csv_encoding(path), newline="") as fh:
            yield Table(_keyed(columns, csv.reader(fh), name), None)
    else:
        raise Rejected(
            [Problem(name, "只支持 .xlsx 或 .csv 文件", "only .xlsx or .csv files are accepted")]
        )


# --- writing files ---------------------------------------------------------------------------

HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def template_workbook(kind: str, example: list[object] | None = None) -> bytes:
    """An empty sheet with the bilingual header, and a sheet explaining every column."""
    columns = COLUMNS[kind]
    zh, en = TITLES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([c.header for c in columns])
    for cell, c in zip(ws[1], columns, strict=True):
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if c.required else HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = max(14, len(c.zh) * 2 + 4)
    if example:
        ws.append(example)
    ws.freeze_panes = "A2"
    info = wb.create_sheet("说明")
    for line in (
        f"{zh}导入模板 / {en} import template",
        "在“数据”表第 2 行起逐行填写；表头不要修改。Fill the 数据 sheet from row 2; keep the "
        "header row.",
        "金额一律以“元”为单位，人数为全年月平均数。Money in yuan; staff as yearly averages.",
        "整份文件逐行校验，任何一行有错则全部不导入，并列出出错的行和列。"
        "The whole file is checked; if any row is wrong nothing is imported and every "
        "problem is listed.",
        "按统一社会信用代码（年度数据再加年度，知识产权再加类型和号码）更新已有记录，可重复导入。"
        "Rows update existing records by USCC (+ year; + kind and number): "
        "re-importing is safe.",
        "",
    ):
        info.append([line])
    info.append(["列 / column", "必填 / required", "说明 / notes", "可选值 / allowed values"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for c in columns:
        info.append(
            [
                c.header,
                "是 / yes" if c.required else "",
                c.help_zh,
                _choices_help(c.choices) if c.choices else "",
            ]
        )
    for col, width in zip("ABCD", (34, 14, 50, 80), strict=True):
        info.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_csv(kind: str) -> bytes:
    """The header row only, UTF-8 with BOM so Excel opens the Chinese correctly."""
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook(header: list[str], rows: Iterable[list]) -> bytes:
    """A streamed (write-only) sheet: memory stays flat however many rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
