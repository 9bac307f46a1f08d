"""Technology contracts as an Excel file: template, export (the same layout) and the import.

An import is checked whole first: every bad row is reported with its row number and column, and
one bad row means nothing is written. Rows match contracts by registration number, so an
exported file, edited and re-imported, updates what changed and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kechuang.achievements import services
from kechuang.achievements.models import TechContract
from kechuang.audit.services import log_bulk
from kechuang.carriers.imports import read_sheet, template
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at, clean_uscc
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import CellParser, Column, workbook

COLUMNS = (
    Column("registration_number", "登记编号", "registration number", "text", True, max_length=40),
    Column("registered_on", "登记日期", "registered on", "date", True, "如 2024-05-20"),
    Column("kind", "合同类型", "kind", "choice", True, choices=TechContract.Kind),
    Column("title", "合同名称", "title", "text", True, max_length=300),
    Column(
        "seller_uscc", "卖方统一社会信用代码", "seller USCC", "text", help_zh="企业库中的卖方填写"
    ),
    Column("seller_name", "卖方名称", "seller", "text", help_zh="不在企业库的卖方必填"),
    Column("seller_region", "卖方所在地区", "seller region", "text", max_length=100),
    Column(
        "seller_in_district",
        "卖方为本区单位",
        "seller in district",
        "bool",
        help_zh="是/否；企业库中的卖方留空按企业库登记",
    ),
    Column("buyer_uscc", "买方统一社会信用代码", "buyer USCC", "text"),
    Column("buyer_name", "买方名称", "buyer", "text", help_zh="不在企业库的买方必填"),
    Column("buyer_region", "买方所在地区", "buyer region", "text", max_length=100),
    Column("amount", "合同成交额（元）", "contract value (yuan)", "money", True),
    Column(
        "trade_value",
        "技术交易额（元）",
        "technology transaction value (yuan)",
        "money",
        True,
        "不能超过合同成交额",
    ),
    Column("field", "技术领域", "field", "choice", choices=Enterprise.HighTechField),
    Column("note", "备注", "note", "text", max_length=500),
)
_PARSER = CellParser(COLUMNS)
_LABEL = {c.key: c.zh for c in COLUMNS}
AUDITED = [f for f in services.CONTRACT_FIELDS if f != "achievement"] + ["year"]
NOTES = (
    "在“数据”表第 2 行起逐行填写；表头不要修改。Fill the 数据 sheet from row 2; keep the header.",
    "金额以“元”为单位；技术交易额为合同成交额中扣除非技术性费用后的部分，不能超过合同成交额。",
    "卖方、买方在企业库中的，填写统一社会信用代码即可；否则填写名称和所在地区，并注明卖方是否为"
    "本区单位（指标“技术合同成交额”只计本区单位作为卖方的合同）。",
    "整份文件逐行校验，任何一行有错则全部不导入，并列出出错的行和列；按登记编号更新已有合同，"
    "可重复导入。If any row is wrong nothing is imported; re-importing is safe.",
)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def contract_template() -> bytes:
    return template(COLUMNS, "技术合同导入模板 / technology contracts", NOTES)


def export(contracts: Iterable[TechContract]) -> bytes:
    """The contracts in the import layout (re-importable)."""
    yes_no = {True: "是", False: "否"}
    rows = (
        [
            c.registration_number,
            c.registered_on,
            c.get_kind_display(),
            c.title,
            c.seller.uscc if c.seller_id else "",
            c.seller_name,
            c.seller_region,
            yes_no[c.seller_in_district],
            c.buyer.uscc if c.buyer_id else "",
            c.buyer_name,
            c.buyer_region,
            c.amount,
            c.trade_value,
            c.get_field_display() if c.field else "",
            c.note,
        ]
        for c in contracts
    )
    return workbook([c.header for c in COLUMNS], rows)


def _where(prefix: str, key: str) -> str:
    return at(prefix, _LABEL.get(key, key), key)


def import_contracts(user, upload) -> ImportResult:
    """Check the whole file, then write it in one transaction; ``Rejected`` lists every problem."""
    if not user.has_perm("achievements.manage_contracts"):
        raise PermissionDenied("只有科技局可以导入技术合同 / only the bureau may import contracts")
    name, lines = read_sheet(upload, COLUMNS)
    parsed_rows = []
    for line, cells in lines:
        prefix = f"{name} 第{line}行 / row {line}"
        parsed, bad = _PARSER.parse(cells, lambda c, prefix=prefix: _where(prefix, c.key))
        parsed_rows.append((line, prefix, parsed, bad))
    codes = {
        clean_uscc(p[f"{side}_uscc"])
        for _, _, p, _ in parsed_rows
        for side in ("seller", "buyer")
        if p[f"{side}_uscc"]
    }
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
    numbers = {(p["registration_number"] or "").upper() for _, _, p, _ in parsed_rows}
    existing = {
        c.registration_number: c
        for c in TechContract.objects.filter(registration_number__in=numbers)
    }
    problems: list[Problem] = []
    checked: list[tuple[dict, TechContract | None]] = []
    first_line: dict[str, int] = {}
    for line, prefix, parsed, bad in parsed_rows:
        problems += bad
        values = {k: parsed.get(k) for k in services.CONTRACT_FIELDS if k in parsed}
        for side, zh in (("seller", "卖方"), ("buyer", "买方")):
            code = clean_uscc(parsed[f"{side}_uscc"])
            values[side] = enterprises.get(code) if code else None
            if code and values[side] is None:
                problems.append(
                    Problem(
                        _where(prefix, f"{side}_uscc"),
                        f"企业库中没有统一社会信用代码为 {code} 的{zh}",
                        f"no registry enterprise has USCC {code}",
                    )
                )
        if bad:
            continue
        out, more = services.check_contract(values, prefix)
        problems += more
        number = out["registration_number"]
        if number in first_line:
            problems.append(
                Problem(
                    _where(prefix, "registration_number"),
                    f"登记编号 {number} 与第{first_line[number]}行重复",
                    f"registration number {number} repeats row {first_line[number]}",
                )
            )
            continue
        first_line[number] = line
        checked.append((out, existing.get(number)))
    if problems:
        raise Rejected(problems)
    return _write(user, checked, name)


def _value(contract: TechContract, key: str):
    return getattr(contract, f"{key}_id") if key in {"seller", "buyer"} else getattr(contract, key)


def _plain(key: str, value):
    return value.pk if key in {"seller", "buyer"} and value is not None else value


def _write(user, checked: list[tuple[dict, TechContract | None]], name: str) -> ImportResult:
    result = ImportResult(rows=len(checked))
    actor = user if getattr(user, "pk", None) else None
    now = timezone.now()
    to_create, to_update, before = [], [], {}
    changed_keys: set[str] = set()
    for out, contract in checked:
        out = {k: v for k, v in out.items() if k != "achievement"}
        if contract is None:
            to_create.append(
                TechContract(
                    **out,
                    year=out["registered_on"].year,
                    created_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        changed = [k for k, v in out.items() if _value(contract, k) != _plain(k, v)]
        if not changed:
            result.unchanged += 1
            continue
        before[contract.pk] = {k: _value(contract, k) for k in AUDITED}
        for k in changed:
            setattr(contract, k, out[k])
        contract.year = contract.registered_on.year
        contract.updated_at = now
        changed_keys.update(changed)
        to_update.append(contract)
    with transaction.atomic():
        created = TechContract.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            TechContract.objects.bulk_update(
                to_update, [*changed_keys, "year", "updated_at"], batch_size=1000
            )
        note = f"import {name}"
        log_bulk(created, LogEntry.Action.CREATE, actor=actor, fields=AUDITED, note=note)
        log_bulk(
            to_update, LogEntry.Action.UPDATE, actor=actor, fields=AUDITED, before=before, note=note
        )
    result.created, result.updated = len(created), len(to_update)
    return result
