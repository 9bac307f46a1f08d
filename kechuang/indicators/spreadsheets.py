"""Excel and CSV in and out for figures: department templates, uploads, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kechuang.core.problems import Problem, Rejected
from kechuang.indicators.services import ImportRow

# Header cells accepted on import, in either language; the template writes the first form.
COLUMNS = {
    "element": ("数据元代码", "element"),
    "element_name": ("数据元名称", "element name"),
    "unit": ("单位", "unit"),
    "year": ("年份", "year"),
    "org_unit": ("区域代码", "org unit"),
    "org_unit_name": ("区域名称", "org unit name"),
    "value": ("数值", "value"),
    "source": ("来源", "source"),
    "note": ("说明", "note"),
}
REQUIRED = ("element", "year", "org_unit", "value")
TEMPLATE_ORDER = (
    "element",
    "element_name",
    "unit",
    "year",
    "org_unit",
    "org_unit_name",
    "value",
    "source",
    "note",
)


def _header_map(header: Iterable[object], where: str) -> dict[str, int]:
    lookup = {}
    for key, names in COLUMNS.items():
        for n in names:
            lookup[n.lower()] = key
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = lookup.get(str(cell or "").strip().lower().split("/")[0].strip())
        if key and key not in found:
            found[key] = i
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        names = "、".join(COLUMNS[k][0] for k in missing)
        names_en = ", ".join(COLUMNS[k][1] for k in missing)
        raise Rejected(
            [
                Problem(
                    f"{where} 第1行 / row 1", f"缺少列：{names}", f"missing column(s): {names_en}"
                )
            ]
        )
    return found


def _rows(table: Iterable[tuple], where: str) -> list[ImportRow]:
    it = iter(table)
    header = next(it, None)
    if header is None:
        raise Rejected([Problem(where, "文件为空", "the file is empty")])
    cols = _header_map(header, where)

    def cell(row: tuple, key: str) -> object:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    out = []
    for line, row in enumerate(it, start=2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        out.append(
            ImportRow(
                line,
                cell(row, "element"),
                cell(row, "year"),
                cell(row, "org_unit"),
                cell(row, "value"),
                cell(row, "source"),
                cell(row, "note") or "",
            )
        )
    return out


def read_rows(path: Path) -> list[ImportRow]:
    with path.open("rb") as fh:
        return read_upload(fh, path.name)


def read_upload(fh: BinaryIO, name: str) -> list[ImportRow]:
    """Rows of a .xlsx or .csv upload (UTF-8, with or without BOM, or GB18030)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several unrelated types for a bad file
            raise Rejected(
                [Problem(name, "无法读取 Excel 文件", f"not a readable .xlsx: {exc}")]
            ) from exc
        ws = wb["数据"] if "数据" in wb.sheetnames else wb.worksheets[0]
        try:
            return _rows(ws.iter_rows(values_only=True), name)
        finally:
            wb.close()
    if suffix == ".csv":
        raw = fh.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Rejected(
                [Problem(name, "无法识别文件编码（请用 UTF-8）", "unknown encoding; use UTF-8")]
            )
        return _rows(csv.reader(io.StringIO(text)), name)
    raise Rejected(
        [Problem(name, "只支持 .xlsx 或 .csv 文件", "only .xlsx or .csv files are accepted")]
    )


HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(rows: list[dict], title: str) -> bytes:
    """A fill-in sheet: one row per (element, year, org unit), current value pre-filled."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([f"{COLUMNS[k][0]} / {COLUMNS[k][1]}" for k in TEMPLATE_ORDER])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r in rows:
        ws.append([r.get(k) for k in TEMPLATE_ORDER])
    value_col = TEMPLATE_ORDER.index("value") + 1
    for row in ws.iter_rows(min_row=2, min_col=value_col, max_col=value_col + 2):
        for cell in row:
            cell.fill = INPUT_FILL
    check = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E17",
        formula2="1E17",
        showErrorMessage=True,
        error="请输入数字 / enter a number",
    )
    ws.add_data_validation(check)
    letter = ws.cell(row=1, column=value_col).column_letter
    check.add(f"{letter}2:{letter}{max(ws.max_row, 2)}")
    for col, width in zip("ABCDEFGHI", (22, 34, 8, 8, 12, 14, 20, 30, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    info = wb.create_sheet("说明")
    for line in (
        title,
        "在黄色列填写数值与来源；金额一律以“元”为单位。Fill the yellow columns; money is in yuan.",
        "不要修改前六列与表头。Do not change the first six columns or the header row.",
        "上传后逐行校验，有任何错误则整份文件不导入。The file is checked row by row and imported"
        " only if every row is valid.",
    ):
        info.append([line])
    info.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def values_workbook(header: list[str], rows: Iterable[list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
