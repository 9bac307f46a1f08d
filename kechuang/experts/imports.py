"""The expert library as an Excel file: the template, the import and the export.

An import is checked whole before anything is written: every bad row is reported with its row
number and column, and one bad row means nothing is written. Rows match existing experts by
ID number (through its keyed hash, never decrypting) or by code: a row with a code updates that
expert; a row without one updates the expert with the same ID number or adds a new one. An
exported file carries masked ID numbers; re-imported with its codes, the masked number means
"unchanged", so export → edit → import works.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kechuang.accounts.models import Organization
from kechuang.audit.services import log_bulk
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.enterprises.tables import (
    HEAD_FILL,
    REQUIRED_FILL,
    CellParser,
    Column,
    open_table,
    workbook,
)
from kechuang.experts import services
from kechuang.experts.models import Expert, ExpertField
from kechuang.uploads import check_files

MAX_BYTES = 20 * 1024 * 1024
SHEET_ROWS_FORMATTED = 2000  # rows of the template whose ID column is preset to text

COLUMNS = (
    Column(
        "code",
        "专家编号",
        "code",
        "text",
        help_zh="更新已有专家时填写（如 E00012）；新专家留空，系统自动编号",
        max_length=16,
    ),
    Column("name", "姓名", "name", "text", True, max_length=50),
    Column(
        "id_number",
        "身份证号",
        "ID number",
        "text",
        True,
        "18 位，按 GB 11643 校验；本列须为“文本”格式（模板已设置），否则 Excel 会丢失后三位",
    ),
    Column("gender", "性别", "gender", "choice", choices=Expert.Gender),
    Column("title", "职称级别", "title level", "choice", True, choices=Expert.Title),
    Column("title_name", "职称", "title", "text", help_zh="如：教授级高级工程师", max_length=100),
    Column("organization_name", "工作单位", "unit", "text", True, max_length=200),
    Column(
        "organization_code",
        "单位代码",
        "unit code",
        "text",
        help_zh="平台内已有单位的代码，可留空",
        max_length=64,
    ),
    Column(
        "fields",
        "技术领域",
        "fields",
        "text",
        True,
        "国家重点支持的高新技术领域，多个用“、”分隔：" + "、".join(services.FIELDS),
        max_length=200,
    ),
    Column("specialty", "专业特长", "specialty", "text", max_length=500),
    Column("phone", "联系电话", "phone", "text", max_length=50),
    Column("email", "电子邮箱", "e-mail", "text", max_length=254),
    Column("is_finance", "科技金融专家", "finance expert", "bool", help_zh="是/否，留空为“否”"),
    Column("available", "可参加评审", "available", "bool", help_zh="是/否，留空为“是”"),
    Column("unavailable_from", "不可参加起", "unavailable from", "date", help_zh="如 2026-03-01"),
    Column("unavailable_until", "不可参加止", "unavailable until", "date"),
    Column("unavailable_reason", "不可参加原因", "reason", "text", max_length=200),
)
_LABEL = {c.key: c.zh for c in COLUMNS} | {"organization": "单位代码"}
# The ID number is read raw: a numeric cell must be caught before it is turned into text.
_PARSER = CellParser(c for c in COLUMNS if c.key != "id_number")


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    line: int
    prefix: str
    code: str
    org_code: str
    values: dict
    problems: list[Problem]  # this row's, so the report reads row by row


def template() -> bytes:
    """The sheet to fill in (header in Chinese and English) and a sheet explaining the columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([c.header for c in COLUMNS])
    for cell, c in zip(ws[1], COLUMNS, strict=True):
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if c.required else HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = max(14, len(c.zh) * 2 + 6)
        if c.key == "id_number":
            for row in range(2, SHEET_ROWS_FORMATTED + 2):
                ws.cell(row=row, column=cell.column).number_format = "@"
    ws.freeze_panes = "A2"
    info = wb.create_sheet("说明")
    for line in (
        "专家库导入模板 / expert library import template",
        "在“数据”表第 2 行起逐行填写；表头不要修改。"
        "Fill the 数据 sheet from row 2; keep the header.",
        "整份文件逐行校验，任何一行有错则全部不导入，并列出出错的行和列。"
        "If any row is wrong nothing is imported and every problem is listed.",
        "按身份证号或专家编号更新已有专家，可重复导入。Rows update experts with the same ID number "
        "or code: re-importing is safe.",
        "",
    ):
        info.append([line])
    info.append(["列 / column", "必填 / required", "说明 / notes", "可选值 / allowed values"])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for c in COLUMNS:
        allowed = (
            "；".join(f"{label}（{v}）" for v, label in c.choices.choices) if c.choices else ""
        )
        info.append([c.header, "是 / yes" if c.required else "", c.help_zh, allowed])
    for col, width in zip("ABCD", (30, 14, 70, 50), strict=True):
        info.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(experts: Iterable[Expert]) -> bytes:
    """The experts in the import layout, ID numbers masked (re-importable with their codes)."""
    header = [c.header for c in COLUMNS]
    yes_no = {True: "是", False: "否"}
    rows = (
        [
            e.code,
            e.name,
            e.id_number_masked,
            e.get_gender_display() if e.gender else "",
            e.get_title_display(),
            e.title_name,
            e.organization_name,
            e.organization.code if e.organization_id else "",
            "、".join(e.fields),
            e.specialty,
            e.phone,
            e.email,
            yes_no[e.is_finance],
            yes_no[e.available],
            e.unavailable_from,
            e.unavailable_until,
            e.unavailable_reason,
        ]
        for e in experts
    )
    return workbook(header, rows)


# --- the import ------------------------------------------------------------------------------


def import_experts(user, upload) -> ImportResult:
    """Check the whole file, then write it in one transaction; ``Rejected`` lists every problem,
    row by row."""
    if not user.has_perm("experts.manage_expert"):
        raise PermissionDenied("只有科技局可以导入专家 / only the bureau may import experts")
    checked, problems = check_files([upload], max_bytes=MAX_BYTES, allowed={"xlsx"})
    if problems:
        raise Rejected(problems)
    name = checked[0].original_name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        upload.seek(0)
        path.write_bytes(upload.read())
        with open_table(path, name, COLUMNS) as table:
            rows = _read(table.rows, name)
    if not rows:
        raise Rejected([Problem(name, "文件中没有数据行", "the file has no data rows")])
    matched = _match(rows)
    problems = [p for r in rows for p in r.problems]
    if problems:
        raise Rejected(problems)
    return _write(user, matched, name)


def _read(lines, name: str) -> list[_Row]:
    rows: list[_Row] = []
    for line, cells in lines:
        prefix = f"{name} 第{line}行 / row {line}"
        parsed, bad = _PARSER.parse(cells, lambda c, prefix=prefix: _where(prefix, c.key))
        # Only the columns the file has: a file without a phone column leaves phones alone.
        values = {k: parsed[k] for k in _PROFILE_KEYS if k in cells}
        for key, value in values.items():
            if value is None and key in _DEFAULTS:
                values[key] = _DEFAULTS[key]
        if "id_number" in cells:
            values["id_number"] = cells["id_number"]
        code = (parsed.get("code") or "").upper()
        rows.append(_Row(line, prefix, code, parsed.get("organization_code") or "", values, bad))
    return rows


_PROFILE_KEYS = [
    k for k in services.PROFILE_FIELDS if k not in {"id_number", "organization", "user"}
]
# An empty cell means: no text, not a finance expert, available; dates stay None.
_DEFAULTS = {k: "" for k in _PROFILE_KEYS} | {"is_finance": False, "available": True}
del _DEFAULTS["unavailable_from"], _DEFAULTS["unavailable_until"]


def _where(prefix: str, key: str) -> str:
    return at(prefix, _LABEL.get(key, key), key)


def _add(row: _Row, key: str, zh: str, en: str) -> None:
    row.problems.append(Problem(_where(row.prefix, key), zh, en))


def _match(rows: list[_Row]) -> list[tuple[_Row, Expert | None, dict]]:
    """Each row checked against the library (loaded in bulk, no query per row) and paired with
    the expert it updates, if any; problems go on their row."""
    by_code = {
        e.code: e
        for e in Expert.objects.select_related("organization").filter(
            code__in={r.code for r in rows if r.code}
        )
    }
    orgs = {
        o.code: o
        for o in Organization.objects.filter(code__in={r.org_code for r in rows if r.org_code})
    }
    parsed = []
    for r in rows:
        values = dict(r.values)
        target = by_code.get(r.code)
        if r.code and target is None:
            _add(
                r,
                "code",
                f"专家编号 {r.code} 不存在（新专家请留空，系统自动编号）",
                f"no expert has code {r.code} (leave it empty for a new expert)",
            )
        raw_id = values.get("id_number")
        if isinstance(raw_id, str) and "*" in raw_id:
            # An exported (masked) number stands for the number already on file.
            values.pop("id_number")
            kept = target is not None and raw_id.strip() == target.id_number_masked
            if not kept and not (r.code and target is None):
                _add(
                    r,
                    "id_number",
                    "身份证号是遮蔽形式，只能在填写了对应专家编号的行上保留",
                    "a masked ID number can only stay on a row with that expert's code",
                )
        if r.org_code:
            values["organization"] = orgs.get(r.org_code)
        out, bad = services.check_profile(
            values, lambda k, r=r: _where(r.prefix, k), creating=target is None
        )
        # A cell the parser already found wrong is reported once.
        reported = {p.where for p in r.problems}
        r.problems += [p for p in bad if p.where not in reported]
        if r.org_code and values["organization"] is None:
            _add(
                r,
                "organization_code",
                f"未知单位代码「{r.org_code}」",
                f"unknown unit code '{r.org_code}'",
            )
        parsed.append((r, target, out))
    digests = {out["id_number_hash"] for _r, _t, out in parsed if out.get("id_number_hash")}
    by_hash = {
        e.id_number_hash: e
        for e in Expert.objects.select_related("organization").filter(id_number_hash__in=digests)
    }
    seen_hash: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    matched = []
    for r, target, out in parsed:
        digest = out.get("id_number_hash")
        if digest:
            if digest in seen_hash:
                first = seen_hash[digest]
                _add(
                    r,
                    "id_number",
                    f"与第 {first} 行的身份证号相同",
                    f"same ID number as row {first}",
                )
            seen_hash.setdefault(digest, r.line)
            holder = by_hash.get(digest)
            if holder is not None and target is not None and holder.pk != target.pk:
                _add(
                    r,
                    "id_number",
                    f"该身份证号属于专家 {holder.code}，与专家编号 {target.code} 不符",
                    f"this ID number belongs to {holder.code}, not {target.code}",
                )
            target = target or holder
        if target is not None:
            if target.code in seen_code:
                first = seen_code[target.code]
                _add(
                    r,
                    "code",
                    f"与第 {first} 行是同一位专家（{target.code}）",
                    f"same expert ({target.code}) as row {first}",
                )
            seen_code.setdefault(target.code, r.line)
        matched.append((r, target, out))
    return matched


def _value(expert: Expert, key: str):
    # The same reading audit.services.log_bulk makes: a foreign key by its id.
    return getattr(expert, f"{key}_id") if hasattr(expert, f"{key}_id") else getattr(expert, key)


def _write(user, rows: list[tuple[_Row, Expert | None, dict]], name: str) -> ImportResult:
    result = ImportResult(rows=len(rows))
    actor = user if getattr(user, "pk", None) else None
    to_create: list[Expert] = []
    to_update: list[Expert] = []
    before: dict[int, dict] = {}
    changed_keys: set[str] = set()
    now = timezone.now()
    for _r, target, out in rows:
        if target is None:
            to_create.append(Expert(**out, created_at=now, updated_at=now))
            continue
        if out.get("id_number_hash") == target.id_number_hash:
            for key in ("id_number_token", "id_number_hash", "id_number_masked"):
                out.pop(key)  # same number: keep the stored token rather than re-encrypt
        old = {k: _value(target, k) for k in services.AUDITED_FIELDS}
        changed = [k for k, v in out.items() if getattr(target, k) != v]
        if not changed:
            result.unchanged += 1
            continue
        for key in changed:
            setattr(target, key, out[key])
        target.updated_at = now
        changed_keys.update(changed)
        before[target.pk] = old
        to_update.append(target)
    with transaction.atomic():
        for expert, code in zip(to_create, services.next_codes(len(to_create)), strict=True):
            expert.code = code
        created = Expert.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Expert.objects.bulk_update(to_update, [*changed_keys, "updated_at"], batch_size=500)
        refreshed = [*created, *(e for e in to_update if "fields" in changed_keys)]
        ExpertField.objects.filter(expert__in=[e.pk for e in refreshed]).delete()
        ExpertField.objects.bulk_create(
            [ExpertField(expert=e, field=f) for e in refreshed for f in e.fields], batch_size=2000
        )
        note = f"import {name}"
        fields = services.AUDITED_FIELDS
        log_bulk(created, LogEntry.Action.CREATE, actor=actor, fields=fields, note=note)
        log_bulk(
            to_update, LogEntry.Action.UPDATE, actor=actor, fields=fields, before=before, note=note
        )
    result.created = len(created)
    result.updated = len(to_update)
    return result
