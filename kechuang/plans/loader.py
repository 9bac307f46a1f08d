"""Load a plan file: parse, validate everything, then upsert by code in one transaction.

Re-running with the same file changes nothing. Items missing from the file but present in the
database are reported; they are deleted only when the caller asks to prune.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from kechuang.accounts.models import Organization
from kechuang.core import formula as F
from kechuang.core.problems import Problem, Rejected
from kechuang.indicators.models import DataElement, DataValue, OrgUnit
from kechuang.plans.models import Indicator, Plan, TaskNode, ValidationRule
from kechuang.plans.schema import PlanFile, TaskEntry
from kechuang.supervision.models import Milestone

PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不符合要求",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "too_short": "至少需要一项",
    "list_type": "应为列表",
    "model_type": "应为映射（键: 值）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "value_error": "取值无效",
}


@dataclass
class LoadReport:
    plan_code: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    not_in_file: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(root)"


def parse_plan_file(path: Path) -> tuple[PlanFile, bytes]:
    """Read and shape-check a plan file; raise Rejected naming file, path and problem."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Rejected(
            [Problem(name, f"无法读取文件：{exc.strerror}", f"cannot read: {exc}")]
        ) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise Rejected(
            [Problem(where, f"YAML 格式错误：{problem}", f"malformed YAML: {problem}")]
        ) from exc
    if not isinstance(data, dict):
        raise Rejected([Problem(name, "文件内容应为 YAML 映射", "the file must be a YAML mapping")])
    try:
        return PlanFile.model_validate(data), raw
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            zh = PYDANTIC_ZH.get(err["type"], "取值无效")
            detail = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(f"{name} › {_path(err['loc'])}", f"{zh}（{detail}）", detail))
        raise Rejected(problems) from exc


def _walk(tasks: list[TaskEntry], parent: TaskEntry | None = None):
    for t in tasks:
        yield t, parent
        yield from _walk(t.children, t)


def check_references(doc: PlanFile, name: str) -> list[Problem]:
    """Every cross-reference in the file must resolve, in the file or in the database."""
    problems: list[Problem] = []

    def bad(where: str, zh: str, en: str) -> None:
        problems.append(Problem(f"{name} › {where}", zh, en))

    def dupes(kind: str, codes: list[str]) -> None:
        seen: set[str] = set()
        for i, c in enumerate(codes):
            if c in seen:
                bad(f"{kind}[{i}].code", f"代码 {c} 重复", f"duplicate code {c}")
            seen.add(c)

    depts = {d.code for d in doc.departments} | set(
        Organization.objects.filter(
            kind__in=[Organization.Kind.BUREAU, Organization.Kind.DEPARTMENT]
        ).values_list("code", flat=True)
    )
    units_in_file = [u.code for u in doc.org_units]
    units = set(units_in_file) | set(OrgUnit.objects.values_list("code", flat=True))
    elements = {e.code for e in doc.elements} | set(
        DataElement.objects.values_list("code", flat=True)
    )
    indicator_codes = [i.code for i in doc.indicators]
    tasks = list(_walk(doc.tasks))

    dupes("departments", [d.code for d in doc.departments])
    dupes("org_units", units_in_file)
    dupes("elements", [e.code for e in doc.elements])
    dupes("indicators", indicator_codes)
    dupes("validation_rules", [r.code for r in doc.validation_rules])
    seen_tasks: set[str] = set()
    for t, _ in tasks:
        if t.code in seen_tasks:
            bad(f"tasks › {t.code}", f"任务编号 {t.code} 重复", f"duplicate task code {t.code}")
        seen_tasks.add(t.code)

    if doc.plan.region not in units:
        bad("plan.region", f"区域 {doc.plan.region} 未定义", f"unknown org unit {doc.plan.region}")
    earlier: set[str] = set(OrgUnit.objects.values_list("code", flat=True))
    for i, u in enumerate(doc.org_units):
        if u.parent and u.parent not in earlier:
            bad(
                f"org_units[{i}].parent",
                f"上级区域 {u.parent} 未定义（上级须写在下级之前）",
                f"unknown parent {u.parent} (parents must come first)",
            )
        earlier.add(u.code)
    for i, e in enumerate(doc.elements):
        if e.owner not in depts:
            bad(
                f"elements[{i}].owner",
                f"责任单位 {e.owner} 未定义",
                f"unknown department {e.owner}",
            )
    for i, code in enumerate(indicator_codes):
        if code in elements:
            bad(
                f"indicators[{i}].code",
                f"指标代码 {code} 与数据元代码重名",
                f"indicator code {code} is also an element code",
            )
    names = elements | set(indicator_codes)
    formulas: dict[str, F.Formula] = {}
    for i, ind in enumerate(doc.indicators):
        if ind.owner and ind.owner not in depts:
            bad(
                f"indicators[{i}].owner",
                f"责任单位 {ind.owner} 未定义",
                f"unknown department {ind.owner}",
            )
        try:
            formulas[ind.code] = f = F.parse(ind.formula)
            F.check_references(f, names)
        except F.FormulaError as exc:
            bad(f"indicators[{i}].formula", exc.message_zh, exc.message_en)
    if formulas and not problems:
        try:
            F.evaluation_order(formulas, elements)
        except F.FormulaError as exc:
            bad("indicators", exc.message_zh, exc.message_en)
    for i, r in enumerate(doc.validation_rules):
        for side in ("left", "right"):
            try:
                F.check_references(F.parse(getattr(r, side)), elements)
            except F.FormulaError as exc:
                bad(f"validation_rules[{i}].{side}", exc.message_zh, exc.message_en)
    for i, b in enumerate(doc.baseline_values):
        if b.element not in elements:
            bad(
                f"baseline_values[{i}].element",
                f"数据元 {b.element} 未定义",
                f"unknown element {b.element}",
            )
        if b.org_unit not in units:
            bad(
                f"baseline_values[{i}].org_unit",
                f"区域 {b.org_unit} 未定义",
                f"unknown org unit {b.org_unit}",
            )
    for t, _ in tasks:
        for dept in ([t.lead] if t.lead else []) + t.co:
            if dept not in depts:
                bad(f"tasks › {t.code}", f"单位 {dept} 未定义", f"unknown department {dept}")
    return problems


def _upsert(model, lookup: dict, values: dict) -> tuple[object, bool, bool]:
    """get-or-create by natural key; save only when a field actually differs (keeps audit quiet)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def _dec(v: Decimal | None) -> Decimal | None:
    return None if v is None else Decimal(v).quantize(Decimal("0.000001"))


def load_plan(path: Path, *, prune: bool = False) -> LoadReport:
    """Validate ``path`` completely, then write it; raise Rejected and write nothing on error."""
    doc, raw = parse_plan_file(path)
    problems = check_references(doc, str(path))
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        return _write(doc, raw, path, prune)


def _write(doc: PlanFile, raw: bytes, path: Path, prune: bool) -> LoadReport:
    report = LoadReport(doc.plan.code)
    orgs: dict[str, Organization] = {}
    for d in doc.departments:
        obj, c, u = _upsert(
            Organization,
            {"code": d.code},
            {
                "name": d.name,
                "name_en": d.name_en,
                "kind": d.kind,
                "phone": d.phone,
                "address": d.address,
            },
        )
        report.count("departments", c, u)
        orgs[d.code] = obj

    def org(code: str | None) -> Organization | None:
        if code is None:
            return None
        if code not in orgs:
            orgs[code] = Organization.objects.get(code=code)
        return orgs[code]

    units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
    for u in doc.org_units:
        parent = units.get(u.parent) if u.parent else None
        path_str = (parent.path if parent else "/") + u.code + "/"
        obj, c, ch = _upsert(
            OrgUnit,
            {"code": u.code},
            {"name": u.name, "name_en": u.name_en, "parent": parent, "path": path_str},
        )
        report.count("org_units", c, ch)
        units[u.code] = obj

    elements: dict[str, DataElement] = {}
    for e in doc.elements:
        obj, c, ch = _upsert(
            DataElement,
            {"code": e.code},
            {
                "name": e.name,
                "name_en": e.name_en,
                "unit": e.unit,
                "value_type": e.value_type,
                "aggregation": e.aggregation,
                "owner": org(e.owner),
                "definition": e.definition,
                "definition_en": e.definition_en,
                "source": e.source,
            },
        )
        report.count("elements", c, ch)
        elements[e.code] = obj

    meta = doc.plan
    plan, c, ch = _upsert(
        Plan,
        {"code": meta.code},
        {
            "title": meta.title,
            "title_en": meta.title_en,
            "document_number": meta.document_number,
            "issuer": meta.issuer,
            "issuer_en": meta.issuer_en,
            "issued_on": meta.issued_on,
            "period_start": meta.period_start,
            "period_end": meta.period_end,
            "baseline_year": meta.baseline_year,
            "region": units[meta.region],
            "summary": meta.summary,
            "summary_en": meta.summary_en,
            "source": meta.source,
            "task_assignment_note": meta.task_assignment_note,
            "task_assignment_note_en": meta.task_assignment_note_en,
            "source_file": path.name,
            "source_sha256": hashlib.sha256(raw).hexdigest(),
        },
    )
    report.count("plan", c, ch)

    for order, ind in enumerate(doc.indicators):
        b = ind.baseline
        _, c, ch = _upsert(
            Indicator,
            {"plan": plan, "code": ind.code},
            {
                "number": ind.number,
                "is_key": ind.key,
                "sort_order": order,
                "name": ind.name,
                "name_en": ind.name_en,
                "unit": ind.unit,
                "decimals": ind.decimals,
                "formula": ind.formula,
                "direction": ind.direction,
                "target_kind": ind.target.kind,
                "target_value": _dec(ind.target.value),
                "target_year": ind.target.year,
                "target_text": ind.target.text,
                "target_source": ind.target_source,
                "owner": org(ind.owner),
                "baseline_year": b.year if b else None,
                "baseline_value": _dec(b.value) if b else None,
                "baseline_source": b.source if b else "",
                "definition": ind.definition,
                "definition_en": ind.definition_en,
                "choices": [ch.model_dump() for ch in ind.choices],
                "notes": ind.notes,
                "notes_en": ind.notes_en,
            },
        )
        report.count("indicators", c, ch)

    for r in doc.validation_rules:
        _, c, ch = _upsert(
            ValidationRule,
            {"plan": plan, "code": r.code},
            {
                "name": r.name,
                "name_en": r.name_en,
                "left": r.left,
                "operator": r.operator,
                "right": r.right,
                "importance": r.importance,
                "missing": r.missing,
            },
        )
        report.count("validation_rules", c, ch)

    nodes: dict[str, TaskNode] = {}  # parents are walked before their children
    for order, (t, parent) in enumerate(_walk(doc.tasks)):
        node, c, ch = _upsert(
            TaskNode,
            {"plan": plan, "code": t.code},
            {
                "parent": nodes[parent.code] if parent else None,
                "level": t.level,
                "sort_order": order,
                "title": t.title,
                "title_en": t.title_en,
                "summary": t.summary,
                "summary_en": t.summary_en,
                "lead_department": org(t.lead),
            },
        )
        co = {org(code).pk for code in t.co}
        if set(node.co_departments.values_list("pk", flat=True)) != co:
            node.co_departments.set(co)
            ch = True
        report.count("tasks", c, ch)
        nodes[t.code] = node
        for m in t.milestones:
            _, c, ch = _upsert(
                Milestone,
                {"task": node, "title": m.title},
                {"title_en": m.title_en, "due_on": m.due},
            )
            report.count("milestones", c, ch)

    _load_baseline_values(doc, elements, units, report)
    _report_missing(plan, doc, list(nodes), report, prune)
    return report


def _load_baseline_values(doc: PlanFile, elements, units, report: LoadReport) -> None:
    """Figures the plan text states are approved facts with the plan as their source."""
    for b in doc.baseline_values:
        element = elements.get(b.element) or DataElement.objects.get(code=b.element)
        unit = units[b.org_unit]
        value = _dec(b.value)
        current = DataValue.objects.filter(
            element=element, org_unit=unit, year=b.year, is_current=True
        ).first()
        if current is not None:
            if current.value != value:
                report.warnings.append(
                    f"{b.element} {b.org_unit} {b.year}: 已有审核值 {current.value}，"
                    f"与规划文件 {value} 不同，保留已有值 / an approved value {current.value} "
                    f"differs from the file's {value}; kept the approved one"
                )
            continue
        last = (
            DataValue.objects.filter(element=element, org_unit=unit, year=b.year)
            .order_by("-version")
            .first()
        )
        now = timezone.now()
        DataValue.objects.create(
            element=element,
            org_unit=unit,
            year=b.year,
            value=value,
            version=(last.version + 1) if last else 1,
            status=DataValue.Status.APPROVED,
            is_current=True,
            source=b.source,
            note="规划文本所列基期数据 / baseline stated in the plan",
            submitted_at=now,
            reviewed_at=now,
        )
        report.count("baseline_values", True, False)


def _report_missing(plan: Plan, doc: PlanFile, task_codes, report: LoadReport, prune: bool):
    stale = {
        "indicators": plan.indicators.exclude(code__in=[i.code for i in doc.indicators]),
        "tasks": plan.tasks.exclude(code__in=task_codes),
        "validation_rules": plan.validation_rules.exclude(
            code__in=[r.code for r in doc.validation_rules]
        ),
    }
    for kind, qs in stale.items():
        codes = list(qs.values_list("code", flat=True))
        if not codes:
            continue
        if prune:
            qs.delete()
            report.warnings.append(f"{kind}: 已删除 / pruned {', '.join(codes)}")
        else:
            report.not_in_file += [f"{kind}:{c}" for c in codes]
