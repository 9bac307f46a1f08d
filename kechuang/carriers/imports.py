"""Carrier metrics as an Excel file: the yearly template, the all-or-nothing import.

The template has one row per carrier standing in the year, pre-filled with what is on file.
An upload is checked whole first (every bad cell reported with its row and column, nothing
written if any is wrong), then written in one transaction; rows match by carrier name and
year, so re-importing the same file changes nothing. A row whose figures are all blank is a
carrier not reporting this time, not an error.

``read_sheet`` and ``template`` are the generic halves, shared with the contract import.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kechuang.carriers import selectors, services
from kechuang.carriers.models import Carrier, CarrierMetrics
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.enterprises.tables import HEAD_FILL, REQUIRED_FILL, CellParser, Column, open_table
from kechuang.uploads import check_files

MAX_BYTES = 10 * 1024 * 1024


def _int(key: str, zh: str, en: str) -> Column:
    return Column(key, zh, en, "int", help_zh="整数，不能为负")


COLUMNS = (
    Column("carrier", "载体名称", "carrier", "text", True, "与平台登记的载体名称一致"),
    Column("kind", "载体类型", "kind", "text", help_zh="仅供核对，不导入"),
    Column("year", "年度", "year", "int", True, "如 2024；不能早于载体认定年份"),
    Column("area_m2", "场地面积（平方米）", "area (m²)", "money", help_zh="孵化类载体填写"),
    _int("firms_incubating", "在孵企业数", "firms in incubation"),
    _int("firms_graduated", "毕业企业数", "firms graduated"),
    _int("jobs", "带动就业人数", "jobs"),
    Column(
        "investment_raised",
        "在孵企业获得投融资（元）",
        "investment raised (yuan)",
        "money",
        help_zh="元，孵化类载体填写",
    ),
    _int("staff", "研发人员数", "R&D staff"),
    _int("projects", "承担项目数", "projects"),
    _int("patents", "专利数", "patents"),
    _int("papers", "论文数", "papers"),
    _int("standards", "标准数", "standards"),
    Column("source", "数据来源", "source", "text", max_length=200),
)
_PARSER = CellParser(COLUMNS)
_LABEL = {c.key: c.zh for c in COLUMNS}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    blank: int = 0


# --- generic halves --------------------------------------------------------------------------


def template(
    columns: Sequence[Column], title: str, notes: Iterable[str], rows: Iterable[list] = ()
) -> bytes:
    """A 数据 sheet with the bilingual header (required columns shaded) and given rows, and a
    说明 sheet explaining every column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([c.header for c in columns])
    for cell, c in zip(ws[1], columns, strict=True):
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if c.required else HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = max(12, len(c.zh) * 2 + 4)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    info = wb.create_sheet("说明")
    info.append([title])
    for line in notes:
        info.append([line])
    info.append([])
    info.append(["列 / column", "必填 / required", "说明 / notes", "可选值 / allowed values"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for c in columns:
        allowed = "；".join(str(label) for _, label in c.choices.choices) if c.choices else ""
        info.append([c.header, "是 / yes" if c.required else "", c.help_zh, allowed])
    for col, width in zip("ABCD", (34, 14, 60, 60), strict=True):
        info.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_sheet(upload, columns: tuple[Column, ...]) -> tuple[str, list[tuple[int, dict]]]:
    """The upload's name and its non-empty rows as (line, {column key: raw cell}).

    The file must really be an .xlsx (judged by content) within the size limit."""
    checked, problems = check_files([upload], max_bytes=MAX_BYTES, allowed={"xlsx"})
    if problems:
        raise Rejected(problems)
    name = checked[0].original_name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        upload.seek(0)
        path.write_bytes(upload.read())
        with open_table(path, name, columns) as table:
            rows = list(table.rows)
    if not rows:
        raise Rejected([Problem(name, "文件中没有数据行", "the file has no data rows")])
    return name, rows


# --- carrier metrics -------------------------------------------------------------------------

NOTES = (
    "在“数据”表逐行填写（已按载体预填平台现有数值）；表头不要修改。"
    "Fill the 数据 sheet; keep the header row.",
    "孵化类载体（众创空间、创业苗圃、孵化器、加速器）填写场地、在孵与毕业企业、就业、投融资；"
    "其他载体填写研发人员、项目、专利、论文、标准。Incubators report space, firms, jobs and "
    "investment; the others report staff, projects, patents, papers, standards.",
    "毕业企业数不能超过当年在孵企业数；数值不能为负；年度不能早于载体认定年份。",
    "整份文件逐行校验，任何一行有错则全部不导入，并列出出错的行和列；按载体名称和年度更新，"
    "可重复导入。If any row is wrong nothing is imported; re-importing is safe.",
)


def metrics_template(year: int) -> bytes:
    carriers = selectors.standing_at(year).order_by("name")
    on_file = {
        m.carrier_id: m for m in CarrierMetrics.objects.filter(year=year, carrier__in=carriers)
    }
    rows = []
    for c in carriers:
        m = on_file.get(c.pk)
        values = [getattr(m, k) if m else None for k in CarrierMetrics.VALUE_FIELDS]
        rows.append([c.name, c.get_kind_display(), year, *values, m.source if m else ""])
    return template(COLUMNS, f"{year} 年度载体数据导入模板 / carrier metrics {year}", NOTES, rows)


def _where(prefix: str, key: str) -> str:
    return at(prefix, _LABEL.get(key, key), key)


def import_metrics(user, upload, *, approve: bool = False) -> ImportResult:
    """Check the whole file, then write it in one transaction; ``Rejected`` lists every problem."""
    if not user.has_perm("carriers.import_metrics"):
        raise PermissionDenied("只有科技局可以导入载体数据 / only the bureau may import")
    name, lines = read_sheet(upload, COLUMNS)
    carriers = {c.name: c for c in Carrier.objects.all()}
    on_file = {(m.carrier_id, m.year): m for m in CarrierMetrics.objects.all()}
    problems: list[Problem] = []
    checked = []
    first_line: dict[tuple[int, int], int] = {}
    result = ImportResult(rows=len(lines))
    for line, cells in lines:
        prefix = f"{name} 第{line}行 / row {line}"
        parsed, bad = _PARSER.parse(cells, lambda c, prefix=prefix: _where(prefix, c.key))
        problems += bad
        carrier = carriers.get(parsed["carrier"] or "")
        if parsed["carrier"] and carrier is None:
            problems.append(
                Problem(
                    _where(prefix, "carrier"),
                    f"平台中没有名为「{parsed['carrier']}」的载体",
                    f"no carrier is named '{parsed['carrier']}'",
                )
            )
        year = parsed["year"]
        values = {k: parsed[k] for k in CarrierMetrics.VALUE_FIELDS if k in cells}
        if carrier is None or year is None or bad:
            continue
        if all(v is None for v in values.values()):
            result.blank += 1
            continue
        problems += services.check_year(year, carrier.recognised_on, _where(prefix, "year"))
        existing = on_file.get((carrier.pk, year))
        merged = (existing.values() if existing else {}) | values
        problems += services.check_metrics(carrier.kind, merged, prefix)
        key = (carrier.pk, year)
        if key in first_line:
            problems.append(
                Problem(
                    prefix,
                    f"与第{first_line[key]}行重复（{carrier.name}，{year}）",
                    f"duplicates row {first_line[key]} ({carrier.name}, {year})",
                )
            )
            continue
        first_line[key] = line
        checked.append((carrier, year, values, parsed["source"] or "", existing))
    if not problems and not checked:
        problems.append(Problem(name, "文件中没有填写任何数值", "the file has no values"))
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        for carrier, year, values, source, existing in checked:
            _, changed = services.apply_metrics(
                user, carrier, year, values, source=source, approve=approve, existing=existing
            )
            if not changed:
                result.unchanged += 1
            elif existing is None:
                result.created += 1
            else:
                result.updated += 1
    return result
