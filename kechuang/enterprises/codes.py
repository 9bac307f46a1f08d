"""Code lists as data: GB/T 4754-2017 industries from data/codes, loaded idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Industry

INDUSTRY_FILE = settings.BASE_DIR / "data" / "codes" / "gbt4754-2017.yaml"
SCHEMA = "kechuang-codes/1"
# Under a division its 中类 are listed as ``groups``; under a group its 小类 as ``classes``.
CHILDREN = {
    Industry.Level.DIVISION: ("groups", Industry.Level.GROUP),
    Industry.Level.GROUP: ("classes", Industry.Level.CLASS),
}
DIGITS = {Industry.Level.DIVISION: 2, Industry.Level.GROUP: 3, Industry.Level.CLASS: 4}


@dataclass
class CodesReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Entry:
    code: str
    level: str
    section: str
    parent: str | None
    name: str
    name_en: str
    size_category: str


def _entry(code: str, level: str, section: str, parent, raw: dict, category: str) -> _Entry:
    name, name_en = str(raw.get("name") or "").strip(), str(raw.get("name_en") or "").strip()
    return _Entry(code, level, section, parent, name, name_en, category)


def _entries(doc: dict, where: str) -> tuple[list[_Entry], list[Problem]]:
    problems: list[Problem] = []
    out: list[_Entry] = []
    categories = set(Industry.SizeCategory.values)

    def category(raw: dict, inherited: str, at: str) -> str:
        if "size_category" not in raw:
            return inherited
        value = raw["size_category"] or ""
        if value and value not in categories:
            problems.append(
                Problem(at, f"未知划型行业「{value}」", f"unknown size category '{value}'")
            )
        return value

    def walk(raw: dict, level: str, section: str, parent: str, inherited: str, at: str) -> None:
        digits = str(raw.get("code", "")).strip()
        if not digits.isdigit() or len(digits) != DIGITS[level]:
            problems.append(
                Problem(
                    at,
                    f"代码「{digits}」应为 {DIGITS[level]} 位数字",
                    f"code '{digits}' must be {DIGITS[level]} digits",
                )
            )
            return
        if level != Industry.Level.DIVISION and not digits.startswith(parent[1:]):
            problems.append(
                Problem(at, f"代码 {digits} 不在 {parent} 之下", f"{digits} is not under {parent}")
            )
            return
        code = section + digits
        mine = category(raw, inherited, at)
        out.append(_entry(code, level, section, parent, raw, mine))
        if level in CHILDREN:
            key, child_level = CHILDREN[level]
            for i, child in enumerate(raw.get(key) or [], start=1):
                walk(child, child_level, section, code, mine, f"{at} › {key}[{i}]")

    for i, raw in enumerate(doc.get("sections") or [], start=1):
        at = f"{where} › sections[{i}]"
        letter = str(raw.get("code", "")).strip()
        if len(letter) != 1 or not letter.isalpha() or not letter.isupper():
            problems.append(
                Problem(at, f"门类代码「{letter}」应为一个大写字母", "a section is one letter")
            )
            continue
        mine = category(raw, "", at)
        out.append(_entry(letter, Industry.Level.SECTION, letter, None, raw, mine))
        for j, division in enumerate(raw.get("divisions") or [], start=1):
            walk(division, Industry.Level.DIVISION, letter, letter, mine, f"{at} › divisions[{j}]")
    seen: set[str] = set()
    for e in out:
        if not e.name:
            problems.append(Problem(f"{where} › {e.code}", "缺少名称", "the name is missing"))
        if e.code in seen:
            problems.append(Problem(f"{where} › {e.code}", "代码重复", "duplicate code"))
        seen.add(e.code)
    return out, problems


def load_industry_codes(path: Path = INDUSTRY_FILE) -> CodesReport:
    """Create or update every code in the file; codes no longer in it are left alone."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise Rejected([Problem(str(path), "无法读取代码文件", f"cannot read: {exc}")]) from exc
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise Rejected(
            [Problem(str(path), f"schema 应为 {SCHEMA}", f"not a code list (schema {SCHEMA})")]
        )
    entries, problems = _entries(doc, path.name)
    if problems:
        raise Rejected(problems)
    report = CodesReport()
    with transaction.atomic():
        existing = {i.code: i for i in Industry.objects.select_for_update()}
        for e in entries:  # parents come before their children in the file's order
            parent = existing.get(e.parent) if e.parent else None
            values = {
                "level": e.level,
                "section": e.section,
                "parent": parent,
                "name": e.name,
                "name_en": e.name_en,
                "size_category": e.size_category,
            }
            current = existing.get(e.code)
            if current is None:
                existing[e.code] = Industry.objects.create(code=e.code, **values)
                report.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                report.updated += 1
            else:
                report.unchanged += 1
            report.by_level[e.level] = report.by_level.get(e.level, 0) + 1
    return report
