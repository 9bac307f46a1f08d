"""Writes to data values: entry, submission, review, import. Each runs in one transaction.

Permission is checked here, on the object, so the web views, the API and the CLI all obey it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kechuang.audit.services import log_bulk
from kechuang.core.problems import Problem, Rejected
from kechuang.indicators.models import DataElement, DataValue, OrgUnit

MAX_ABS_VALUE = Decimal("1e17")
FIRST_YEAR = 1949
QUANTUM = Decimal("0.000001")  # DataValue.value has six decimal places
AUDITED_FIELDS = ["value", "status", "is_current", "source", "note", "version"]


def parse_decimal(raw: object) -> Decimal | None:
    """A cell or form value as Decimal; None when it is not a finite number."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        return None
    return value.quantize(QUANTUM)


def latest_allowed_year() -> int:
    return timezone.localdate().year


def _check_year(year: int, where: str) -> list[Problem]:
    if not FIRST_YEAR <= year <= latest_allowed_year():
        return [
            Problem(
                where,
                f"年份 {year} 超出范围（{FIRST_YEAR}–{latest_allowed_year()}）",
                f"year {year} is outside {FIRST_YEAR}–{latest_allowed_year()}",
            )
        ]
    return []


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


@transaction.atomic
def enter_value(
    user,
    *,
    element: DataElement,
    org_unit: OrgUnit,
    year: int,
    value: Decimal,
    source: str,
    note: str = "",
    submit: bool = False,
) -> DataValue:
    """Record a figure as a draft (or submitted) revision; an approved figure is never changed."""
    _require(
        user,
        "indicators.enter_value",
        element,
        f"无权填报数据元 {element.code}（不属于本单位）",
        f"you may not enter values for {element.code} (not your department's)",
    )
    problems = _check_year(year, "year")
    if not source.strip():
        problems.append(Problem("source", "请填写数据来源", "a source is required"))
    if problems:
        raise Rejected(problems)
    value = value.quantize(QUANTUM)  # as stored, so history compares like with like
    status = DataValue.Status.SUBMITTED if submit else DataValue.Status.DRAFT
    now = timezone.now()
    keyed = DataValue.objects.select_for_update().filter(
        element=element, org_unit=org_unit, year=year
    )
    open_rev = keyed.filter(status__in=[DataValue.Status.DRAFT, DataValue.Status.SUBMITTED]).first()
    if open_rev is not None:
        open_rev.value, open_rev.source, open_rev.note = value, source.strip(), note.strip()
        open_rev.status = status
        open_rev.entered_by = user
        open_rev.submitted_at = now if submit else None
        open_rev.save()
        return open_rev
    version = (keyed.aggregate(m=Max("version"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            return DataValue.objects.create(
                element=element,
                org_unit=org_unit,
                year=year,
                version=version,
                value=value,
                status=status,
                source=source.strip(),
                note=note.strip(),
                entered_by=user,
                submitted_at=now if submit else None,
            )
    except IntegrityError as exc:  # another request opened a revision at the same moment
        raise Rejected(
            [
                Problem(
                    f"{element.code} {org_unit.code} {year}",
                    "该数据正被他人同时修改，请刷新后重试",
                    "someone else is editing this figure; reload and try again",
                )
            ]
        ) from exc


@transaction.atomic
def submit_value(user, dv: DataValue) -> DataValue:
    _require(user, "indicators.enter_value", dv, "无权提交该数据", "you may not submit this value")
    if dv.status != DataValue.Status.DRAFT:
        raise Rejected([Problem(str(dv), "只有草稿可以提交", "only a draft can be submitted")])
    dv.status, dv.submitted_at = DataValue.Status.SUBMITTED, timezone.now()
    dv.save(update_fields=["status", "submitted_at"])
    return dv


@transaction.atomic
def approve_value(user, dv: DataValue, comment: str = "") -> DataValue:
    """Make this revision the counting one; the version it replaces is kept, no longer current."""
    _require(user, "indicators.approve_value", dv, "无权审核数据", "you may not approve values")
    dv = DataValue.objects.select_for_update().get(pk=dv.pk)
    if not dv.is_open:
        raise Rejected(
            [Problem(str(dv), "该版本不在待审状态", "this version is not awaiting review")]
        )
    previous = (
        DataValue.objects.select_for_update()
        .filter(element_id=dv.element_id, org_unit_id=dv.org_unit_id, year=dv.year, is_current=True)
        .first()
    )
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    now = timezone.now()
    dv.status, dv.is_current = DataValue.Status.APPROVED, True
    dv.reviewed_by, dv.reviewed_at, dv.review_comment = user, now, comment.strip()
    dv.submitted_at = dv.submitted_at or now
    dv.save(
        update_fields=[
            "status",
            "is_current",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "submitted_at",
        ]
    )
    return dv


@transaction.atomic
def reject_value(user, dv: DataValue, comment: str) -> DataValue:
    _require(user, "indicators.approve_value", dv, "无权审核数据", "you may not review values")
    if not comment.strip():
        raise Rejected([Problem("comment", "退回时请写明原因", "say why the value is returned")])
    if not dv.is_open:
        raise Rejected(
            [Problem(str(dv), "该版本不在待审状态", "this version is not awaiting review")]
        )
    dv.status = DataValue.Status.REJECTED
    dv.reviewed_by, dv.reviewed_at, dv.review_comment = user, timezone.now(), comment.strip()
    dv.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    return dv


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One row as read from a file; ``line`` is the row number the user sees in the sheet."""

    line: int
    element: object
    year: object
    org_unit: object
    value: object
    source: object
    note: object = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    approved: int = 0
    blank: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def import_values(
    user,
    rows: Sequence[ImportRow],
    *,
    file_name: str,
    default_source: str = "",
    approve: bool = False,
    is_demo: bool = False,
) -> ImportResult:
    """Check every row, then write all of them or none.

    Rows become submitted revisions (approved at once when ``approve`` and the user may approve).
    Re-importing the same figures changes nothing.
    """
    if approve and not user.has_perm("indicators.approve_value"):
        raise PermissionDenied("无权直接审核导入数据 / you may not approve imported values")
    elements = {e.code: e for e in DataElement.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    problems: list[Problem] = []
    parsed: dict[tuple[int, int, int], tuple[ImportRow, Decimal, str, str]] = {}
    first_line: dict[tuple[int, int, int], int] = {}
    may_enter: dict[str, bool] = {}
    blank = 0
    for row in rows:
        where = f"{file_name} 第{row.line}行 / row {row.line}"
        code, unit_code = _text(row.element), _text(row.org_unit)
        element, unit = elements.get(code), units.get(unit_code)
        if element is None:
            problems.append(
                Problem(
                    f"{where} · element",
                    f"未知数据元代码「{code}」",
                    f"unknown element code '{code}'",
                )
            )
        elif code not in may_enter:
            may_enter[code] = user.has_perm("indicators.enter_value", element)
        if element is not None and not may_enter[code]:
            problems.append(
                Problem(
                    f"{where} · element",
                    f"数据元 {code} 不属于本单位，无权填报",
                    f"element {code} is not your department's",
                )
            )
        if unit is None:
            problems.append(
                Problem(
                    f"{where} · org_unit",
                    f"未知区域代码「{unit_code}」",
                    f"unknown org unit code '{unit_code}'",
                )
            )
        year_text = _text(row.year)
        year = int(year_text) if year_text.isdigit() else None
        if year is None:
            problems.append(
                Problem(
                    f"{where} · year",
                    f"年份「{year_text}」不是整数",
                    f"year '{year_text}' is not a whole number",
                )
            )
        else:
            problems += _check_year(year, f"{where} · year")
        if _text(row.value) == "":
            # A template row left blank means "not reporting this one", not an error.
            blank += 1
            continue
        value = parse_decimal(row.value)
        if value is None:
            problems.append(
                Problem(
                    f"{where} · value",
                    f"数值「{_text(row.value)}」不是数字",
                    f"value '{_text(row.value)}' is not a number",
                )
            )
        source = _text(row.source) or default_source
        if not source:
            problems.append(Problem(f"{where} · source", "缺少数据来源", "the source is missing"))
        if element is None or unit is None or year is None:
            continue
        key = (element.pk, unit.pk, year)
        if key in first_line:
            problems.append(
                Problem(
                    f"{where}",
                    f"与第{first_line[key]}行重复（{code}, {year}, {unit_code}）",
                    f"duplicates row {first_line[key]} ({code}, {year}, {unit_code})",
                )
            )
            continue
        first_line[key] = row.line
        if value is not None:
            parsed[key] = (row, value, source, _text(row.note))
    if not problems and not parsed:
        problems.append(Problem(file_name, "文件中没有填写任何数值", "the file has no values"))
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        result = _write_import(
            user,
            parsed,
            approve=approve,
            is_demo=is_demo,
            file_name=file_name,
            related=(
                {e.pk: e for e in elements.values()},
                {u.pk: u for u in units.values()},
            ),
        )
    result.blank = blank
    return result


def _write_import(
    user, parsed, *, approve: bool, is_demo: bool, file_name: str, related
) -> ImportResult:
    result = ImportResult()
    # Attach the element and org unit already in hand, so the audit text needs no query per row.
    element_of, unit_of = related
    years = {k[2] for k in parsed}
    element_ids = {k[0] for k in parsed}
    unit_ids = {k[1] for k in parsed}
    existing = (
        DataValue.objects.select_for_update()
        .filter(element_id__in=element_ids, org_unit_id__in=unit_ids, year__in=years)
        .only(
            "id",
            "element_id",
            "org_unit_id",
            "year",
            "version",
            "value",
            "status",
            "is_current",
            "source",
            "note",
        )
    )
    latest_version: dict[tuple, int] = {}
    current: dict[tuple, DataValue] = {}
    open_rev: dict[tuple, DataValue] = {}
    for dv in existing.iterator(chunk_size=5000):
        key = (dv.element_id, dv.org_unit_id, dv.year)
        dv.element, dv.org_unit = element_of[dv.element_id], unit_of[dv.org_unit_id]
        latest_version[key] = max(latest_version.get(key, 0), dv.version)
        if dv.is_current:
            current[key] = dv
        elif dv.is_open:
            open_rev[key] = dv
    now = timezone.now()
    actor = user if getattr(user, "pk", None) else None
    new_status = DataValue.Status.APPROVED if approve else DataValue.Status.SUBMITTED
    to_create: list[DataValue] = []
    to_update: list[DataValue] = []
    before: dict[int, dict] = {}
    demoted: list[DataValue] = []
    for key, (_, value, source, note) in parsed.items():
        cur, rev = current.get(key), open_rev.get(key)
        if rev is None and cur is not None and cur.value == value:
            result.unchanged += 1
            continue
        if rev is not None:
            if rev.value == value and rev.source == source and rev.status == new_status:
                result.unchanged += 1
                continue
            before[rev.pk] = {f: getattr(rev, f) for f in AUDITED_FIELDS}
            rev.value, rev.source, rev.note, rev.status = value, source, note, new_status
            rev.entered_by, rev.submitted_at = actor, now
            if approve:
                rev.is_current, rev.reviewed_by, rev.reviewed_at = True, actor, now
            to_update.append(rev)
            result.updated += 1
        else:
            to_create.append(
                DataValue(
                    element=element_of[key[0]],
                    org_unit=unit_of[key[1]],
                    year=key[2],
                    version=latest_version.get(key, 0) + 1,
                    value=value,
                    status=new_status,
                    is_current=approve,
                    source=source,
                    note=note,
                    entered_by=actor,
                    submitted_at=now,
                    reviewed_by=actor if approve else None,
                    reviewed_at=now if approve else None,
                    is_demo=is_demo,
                )
            )
            result.created += 1
        if approve and cur is not None:
            before.setdefault(cur.pk, {"is_current": True})
            cur.is_current = False
            demoted.append(cur)
    if demoted:  # demote first: the one-current-per-key constraint holds at every statement
        DataValue.objects.bulk_update(demoted, ["is_current"], batch_size=2000)
    if to_update:
        DataValue.objects.bulk_update(
            to_update,
            [
                "value",
                "source",
                "note",
                "status",
                "entered_by",
                "submitted_at",
                "is_current",
                "reviewed_by",
                "reviewed_at",
            ],
            batch_size=2000,
        )
    created = DataValue.objects.bulk_create(to_create, batch_size=2000)
    if approve:
        result.approved = len(to_update) + len(created)
    note = f"import {file_name}"
    log_bulk(created, LogEntry.Action.CREATE, actor=actor, fields=AUDITED_FIELDS, note=note)
    log_bulk(
        to_update + demoted,
        LogEntry.Action.UPDATE,
        actor=actor,
        fields=AUDITED_FIELDS,
        before=before,
        note=note,
    )
    return result
