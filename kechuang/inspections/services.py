"""Writes to spot checks: plans, the two draws, schedules, results, rectification, publication.

Permission is checked here, on the object, so the pages and the API obey the same rules. Every
function checks all of its input first and raises ``Rejected`` listing each problem; only then
does it write, in one transaction. A plan's state moves only through ``_move``, which logs it.

The draws go through the expert library's verifiable draw services (docs/draw-protocol.md):
``create_plan`` freezes the object pool into a committed draw, ``draw_objects`` performs it and
commits one inspector draw per drawn object, ``draw_inspectors`` performs those. Each commitment
is therefore public before its draw is made.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.core import draw as D
from kechuang.core.problems import Problem, Rejected
from kechuang.cultivation.models import PipelineEntry, Stage
from kechuang.enterprises.checks import at
from kechuang.enterprises.models import Certification, Enterprise
from kechuang.experts.models import Draw, Expert
from kechuang.experts.services import (
    DEFAULT_MAX_PER,
    FIELDS,
    chosen,
    clean_fields,
    create_draw,
    expert_pool,
    experts_by_code,
    perform_draw,
)
from kechuang.inspections import logic
from kechuang.inspections.models import (
    Assignment,
    Check,
    CheckEvent,
    CheckFile,
    InspectionPlan,
    PlanStateChange,
)
from kechuang.notifications.services import notify
from kechuang.projects import logic as project_logic
from kechuang.projects.models import Project, ProjectStateChange
from kechuang.uploads import DOCUMENT_KINDS, KINDS, UploadLike, check_files

Pool = InspectionPlan.Pool
State = InspectionPlan.State
Result = Check.Result
Rectification = Check.Rectification

MAX_TITLE = 200
MAX_TEXT = 5000
MAX_FILES = 10
MAX_INSPECTORS = 10
MAX_MONTHS = 60
YEARS = (2000, 2100)
FINISHED = frozenset({*project_logic.UNSUCCESSFUL, project_logic.PASSED})


LABELS = {
    "title": "计划名称",
    "year": "年度",
    "pool": "检查对象库",
    "sampling": "抽取方式",
    "ratio_pct": "抽查比例（%）",
    "count": "抽查数量",
    "inspectors_per_check": "每组检查人员数",
    "inspector_fields": "检查人员技术领域",
    "exclude_recent_months": "排除近几个月已抽查对象",
    "scheduled_on": "计划检查日期",
    "inspected_on": "检查日期",
    "result": "检查结果",
    "findings": "检查发现",
    "internal_notes": "内部记录",
    "rectify_by": "整改期限",
    "note": "说明",
    "rectification": "整改情况",
    "state": "状态",
}


def _at(key: str, label: str = "") -> str:
    """Where a problem is, as the form names the field: ``抽查比例（%） / ratio_pct``."""
    return at("", label or LABELS[key], key)


def _object_at(code: str) -> str:
    return f"检查对象 / object {code}"


def today() -> dt.date:
    return timezone.localdate()


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _text(value, where: str, zh: str, en: str, *, limit: int = MAX_TEXT, required: bool = True):
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return [Problem(where, f"请填写{zh}", f"{en} is required")] if required else []
    if len(value) > limit:
        return [Problem(where, f"{zh}不能超过 {limit} 字", f"{en} must be at most {limit} chars")]
    return []


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _whole(value, where: str, zh: str, en: str, low: int, high: int) -> list[Problem]:
    if value is None:
        return [Problem(where, f"请填写{zh}", f"{en} is required")]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [
            Problem(
                where,
                f"{zh}「{value}」应为 {low}–{high} 的整数",
                f"{en} '{value}' must be a whole number from {low} to {high}",
            )
        ]
    return []


def _state_problem(plan: InspectionPlan, allowed: Iterable[str], zh: str, en: str):
    if plan.state in set(allowed):
        return []
    return [
        Problem(
            _at("state"),
            f"抽查计划当前为「{plan.get_state_display()}」，{zh}",
            f"the plan is {plan.state}; {en}",
        )
    ]


def _locked(plan: InspectionPlan) -> InspectionPlan:
    """The plan row locked for the rest of the transaction: concurrent writers queue here."""
    return InspectionPlan.objects.select_for_update().get(pk=plan.pk)


def _move(plan: InspectionPlan, to_state: str, user) -> None:
    if not logic.can_move(plan.state, to_state):
        raise Rejected(
            [
                Problem(
                    _at("state"),
                    f"抽查计划处于「{plan.get_state_display()}」，不能改为「{State(to_state).label}」",
                    f"a plan that is {plan.state} cannot become {to_state}",
                )
            ]
        )
    PlanStateChange.objects.create(
        plan=plan, from_state=plan.state, to_state=to_state, changed_by=_actor(user)
    )
    plan.state = to_state
    plan.save(update_fields=["state", "published_at", "published_by"])


def _actor(user):
    return user if getattr(user, "pk", None) else None


# --- the object pool -------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolObject:
    """One object a plan may draw: its candidate id, unit and what it is."""

    code: str
    organization: Organization
    label: str
    project: Project | None = None
    enterprise: Enterprise | None = None

    def candidate(self) -> D.Candidate:
        # The unit's name only: the record is public and needs nothing else to be checked.
        return D.Candidate(self.code, {"organisation": self.organization.name})


def _projects(pool: str, year: int) -> Iterable[PoolObject]:
    qs = Project.objects.select_related("organization", "enterprise")
    if pool == Pool.PROJECTS_RUNNING:
        qs = qs.filter(state__in=project_logic.ACTIVE)
    else:
        # Finished in the plan's year: the move into the end state it is in now happened then.
        qs = qs.filter(state__in=FINISHED).filter(
            Exists(
                ProjectStateChange.objects.filter(
                    project=OuterRef("pk"), to_state=OuterRef("state"), changed_at__year=year
                )
            )
        )
    for p in qs.order_by("code"):
        yield PoolObject(p.code, p.organization, p.title, project=p, enterprise=p.enterprise)


def _enterprises(pool: str, on: dt.date) -> Iterable[PoolObject]:
    qs = Enterprise.objects.select_related("organization").filter(in_district=True)
    if pool == Pool.HNTE:
        # Holding a certificate valid on the day the pool is fixed.
        qs = qs.filter(
            Exists(
                Certification.objects.filter(
                    enterprise=OuterRef("pk"),
                    kind=Certification.Kind.HNTE,
                    issued_on__lte=on,
                    expires_on__gte=on,
                )
            )
        )
    else:
        qs = qs.filter(
            Exists(PipelineEntry.objects.filter(enterprise=OuterRef("pk"), stage=Stage.POOL))
        )
    for e in qs.order_by("uscc"):
        yield PoolObject(e.uscc, e.organization, e.name, enterprise=e)


def object_pool(pool: str, year: int, on: dt.date) -> list[PoolObject]:
    """Every object the pool holds on ``on``, by candidate id; one query."""
    if pool in {Pool.PROJECTS_RUNNING, Pool.PROJECTS_FINISHED}:
        return list(_projects(pool, year))
    return list(_enterprises(pool, on))


def recently_checked(codes: Sequence[str], months: int, on: dt.date) -> dict[str, str]:
    """Objects checked (or drawn, if not yet inspected) within ``months`` before ``on``, with the
    reason the draw record publishes. The text is fixed here, not translated, because it goes
    into a hashed record."""
    if months == 0 or not codes:
        return {}
    cutoff = logic.months_before(on, months)
    latest: dict[str, dt.date] = {}
    rows = Check.objects.filter(object_code__in=list(codes)).filter(
        Q(inspected_on__gte=cutoff) | Q(inspected_on__isnull=True, created_at__date__gte=cutoff)
    )
    for code, inspected, created in rows.values_list("object_code", "inspected_on", "created_at"):
        day = inspected or timezone.localdate(created)
        latest[code] = max(day, latest.get(code, day))
    return {
        code: f"近 {months} 个月内已抽查（{day.isoformat()}）/ "
        f"already checked within the last {months} months ({day.isoformat()})"
        for code, day in sorted(latest.items())
    }


# --- creating a plan -------------------------------------------------------------------------


def _ratio(value) -> tuple[Decimal | None, list[Problem]]:
    where = _at("ratio_pct")
    if value is None or not str(value).strip():
        return None, [Problem(where, "请填写抽查比例（%）", "the sampling ratio (%) is required")]
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation:
        ratio = None
    if ratio is None or not ratio.is_finite():
        return None, [
            Problem(where, f"抽查比例「{value}」不是数字", f"the ratio '{value}' is not a number")
        ]
    if ratio <= 0:
        return None, [
            Problem(where, f"抽查比例（{ratio}%）必须大于 0", f"the ratio ({ratio}%) must be > 0")
        ]
    if ratio > 100:
        return None, [
            Problem(
                where,
                f"抽查比例（{ratio}%）不能超过 100%",
                f"the ratio ({ratio}%) cannot exceed 100%",
            )
        ]
    if ratio != ratio.quantize(Decimal("0.01")):
        return None, [
            Problem(where, "抽查比例最多保留两位小数", "the ratio has at most two decimals")
        ]
    return ratio, []


def create_plan(
    user,
    *,
    title: str,
    year: int,
    pool: str,
    sampling: str,
    ratio_pct: Decimal | str | None = None,
    count: int | None = None,
    inspectors_per_check: int = 2,
    inspector_fields: Sequence[str] = (),
    finance_only: bool = False,
    exclude_recent_months: int = 12,
    is_demo: bool = False,
) -> InspectionPlan:
    """A plan with its object pool fixed now: the candidates (and the recently checked ones,
    excluded with the reason) go into a committed draw whose commitment is public at once.

    Sampling is by ratio (of the objects that may be drawn, rounded up, at least one) or by
    count; either must fit the pool.
    """
    _require(
        user, "inspections.manage_plan", None, "只有科技局可以制定抽查计划", "only the bureau plans"
    )
    problems = _text(title, _at("title"), "计划名称", "the title", limit=MAX_TITLE)
    problems += _whole(year, _at("year"), "年度", "year", *YEARS)
    if pool not in Pool.values:
        problems.append(Problem(_at("pool"), "请选择检查对象库", "choose the object pool"))
    ratio = None
    if sampling == InspectionPlan.Sampling.RATIO:
        ratio, more = _ratio(ratio_pct)
        problems += more
    elif sampling == InspectionPlan.Sampling.COUNT:
        problems += _whole(count, _at("count"), "抽查数量", "the count", 1, 100_000)
    else:
        problems.append(
            Problem(_at("sampling"), "请选择按比例或按数量抽取", "choose ratio or count")
        )
    problems += _whole(
        inspectors_per_check,
        _at("inspectors_per_check"),
        "每组检查人员数",
        "inspectors per check",
        1,
        MAX_INSPECTORS,
    )
    fields: list[str] = []
    if inspector_fields:
        fields, more = clean_fields(list(inspector_fields), _at("inspector_fields"))
        problems += more
    problems += _whole(
        exclude_recent_months,
        _at("exclude_recent_months"),
        "排除近几个月已抽查对象",
        "months to look back",
        0,
        MAX_MONTHS,
    )
    if problems:
        raise Rejected(problems)

    on = today()
    objects = object_pool(pool, year, on)
    exclusions = recently_checked([o.code for o in objects], exclude_recent_months, on)
    eligible = len(objects) - len(exclusions)
    label = Pool(pool).label
    if not objects:
        problems.append(
            Problem(
                _at("pool"),
                f"检查对象库为空：{year} 年没有{label}可供抽取",
                f"the pool is empty: no {pool} objects for {year}",
            )
        )
    elif eligible == 0:
        problems.append(
            Problem(
                _at("pool"),
                f"{label}共 {len(objects)} 个，均在近 {exclude_recent_months} 个月内抽查过",
                f"all {len(objects)} objects were checked within {exclude_recent_months} months",
            )
        )
    elif sampling == InspectionPlan.Sampling.COUNT and count > eligible:
        problems.append(
            Problem(
                _at("count"),
                f"抽查数量 {count} 超过可抽取的对象数 {eligible}"
                f"（{label}共 {len(objects)} 个，近期已抽查回避 {len(exclusions)} 个）",
                f"the count {count} exceeds the {eligible} objects that may be drawn "
                f"({len(objects)} in the pool, {len(exclusions)} checked recently)",
            )
        )
    if problems:
        raise Rejected(problems)

    k = logic.sample_size(eligible, ratio_pct=ratio, count=count)
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            title=title.strip(),
            year=year,
            pool=pool,
            sampling=sampling,
            ratio_pct=ratio,
            count=count if sampling == InspectionPlan.Sampling.COUNT else None,
            inspectors_per_check=inspectors_per_check,
            inspector_fields=fields,
            finance_only=bool(finance_only),
            exclude_recent_months=exclude_recent_months,
            created_by=user,
            is_demo=is_demo,
        )
        plan.objects_draw = create_draw(
            user,
            purpose=f"{plan.title}：抽取检查对象 / drawing the objects to inspect",
            kind=Draw.Kind.INSPECTION_OBJECTS,
            candidates=[o.candidate() for o in objects],
            exclusions=exclusions,
            k=k,
            subject=plan,
            subject_label=f"{plan.year} {plan.title}",
        )
        plan.save(update_fields=["objects_draw"])
        PlanStateChange.objects.create(plan=plan, to_state=State.DRAFT, changed_by=user)
    return plan


# --- the draws -------------------------------------------------------------------------------


def inspector_pool(
    plan: InspectionPlan, organization: Organization, on: dt.date
) -> tuple[list[D.Candidate], dict[str, str]]:
    """The experts who may inspect a unit, with every exclusion and its reason (same unit,
    declared relationship, recent collaboration, unavailable), restricted to the plan's fields
    and tag when it sets them."""
    # expert_pool checks the fields it is given; with no field restriction every field is given,
    # which leaves the pool whole (the field-overlap rule is then not asked for).
    candidates, exclusions = expert_pool(
        fields=plan.inspector_fields or list(FIELDS), applicant_orgs=[organization], on=on
    )
    if plan.finance_only:
        tagged = set(Expert.objects.filter(is_finance=True).values_list("code", flat=True))
        candidates = [c for c in candidates if c.id in tagged]
        exclusions = {c: why for c, why in exclusions.items() if c in tagged}
    return candidates, exclusions


def _can_fill(draw: Draw) -> int:
    """How many the committed draw will choose. With one inspector per unit (and, if asked, a
    shared field) that number does not depend on the order, so it is known before the draw."""
    record = D.record_from_json(draw.record)
    eligible = [c for c in record.pool if c.id not in record.exclusions]
    return len(D.walk(record, eligible)[0])


def _objects_by_code(plan: InspectionPlan, codes: Sequence[str]) -> dict[str, PoolObject]:
    if plan.is_project_pool:
        projects = Project.objects.select_related("organization", "enterprise")
        return {
            p.code: PoolObject(p.code, p.organization, p.title, project=p, enterprise=p.enterprise)
            for p in projects.filter(code__in=codes)
        }
    firms = Enterprise.objects.select_related("organization").filter(uscc__in=codes)
    return {e.uscc: PoolObject(e.uscc, e.organization, e.name, enterprise=e) for e in firms}


def draw_objects(user, plan: InspectionPlan) -> InspectionPlan:
    """Make the committed objects draw; a check per object drawn, each with its inspector draw
    committed (pool and exclusions fixed now, for that object's unit).

    Refused as a whole, the objects draw included, when some object could not get a full group
    of inspectors: the draw stays committed with the same seed, so after the library is
    completed the same objects come out.
    """
    _require(user, "inspections.manage_plan", plan, "只有科技局可以抽取", "only the bureau draws")
    with transaction.atomic():
        plan = _locked(plan)
        problems = _state_problem(
            plan, {State.DRAFT}, "不能再抽取检查对象", "its objects are already drawn"
        )
        if problems:
            raise Rejected(problems)
        draw = perform_draw(user, plan.objects_draw)
        codes = chosen(draw)
        objects = _objects_by_code(plan, codes)
        on = today()
        k = plan.inspectors_per_check
        for position, code in enumerate(codes, start=1):
            obj = objects.get(code)
            if obj is None:
                problems.append(
                    Problem(
                        _object_at(code),
                        f"抽中的对象 {code} 已不在库中",
                        f"the drawn object {code} is no longer on record",
                    )
                )
                continue
            check = Check.objects.create(
                plan=plan,
                position=position,
                object_code=code,
                project=obj.project,
                enterprise=obj.enterprise,
                organization=obj.organization,
            )
            candidates, exclusions = inspector_pool(plan, obj.organization, on)
            check.inspectors_draw = create_draw(
                user,
                purpose=f"{plan.title}：抽取 {code} 的检查人员 / inspectors for {code}",
                kind=Draw.Kind.INSPECTION_INSPECTORS,
                candidates=candidates,
                exclusions=exclusions,
                k=k,
                max_per=DEFAULT_MAX_PER,
                require_field_overlap=bool(plan.inspector_fields),
                application_fields=tuple(plan.inspector_fields),
                subject=check,
                subject_label=f"{code} {obj.label}"[:300],
            )
            check.save(update_fields=["inspectors_draw"])
            available = _can_fill(check.inspectors_draw)
            if available < k:
                problems.append(
                    Problem(
                        _object_at(code),
                        f"检查对象 {code}（{obj.label}）：符合条件且来自不同单位的检查人员只有 "
                        f"{available} 人，少于每组 {k} 人；请先补充专家库",
                        f"object {code}: only {available} eligible inspectors from distinct "
                        f"units, fewer than {k}; add experts to the library first",
                    )
                )
        if problems:
            raise Rejected(problems)
        _move(plan, State.OBJECTS_DRAWN, user)
    return plan


def check_url(check: Check) -> str:
    return reverse("inspections:check", args=[check.pk])


def draw_inspectors(user, plan: InspectionPlan) -> InspectionPlan:
    """Make every check's committed inspector draw, assign those chosen and tell them."""
    _require(user, "inspections.manage_plan", plan, "只有科技局可以抽取", "only the bureau draws")
    with transaction.atomic():
        plan = _locked(plan)
        problems = _state_problem(
            plan, {State.OBJECTS_DRAWN}, "不能抽取检查人员", "inspectors cannot be drawn now"
        )
        if problems:
            raise Rejected(problems)
        checks = list(
            plan.checks.select_related("inspectors_draw", "project", "enterprise").order_by(
                "position"
            )
        )
        drawn: list[tuple[Check, list[Expert]]] = []
        for check in checks:
            codes = chosen(perform_draw(user, check.inspectors_draw))
            experts = experts_by_code(codes)
            gone = sorted(set(codes) - {e.code for e in experts})
            if gone:
                problems.append(
                    Problem(
                        _object_at(check.object_code),
                        f"抽中的检查人员 {'、'.join(gone)} 已不在专家库中",
                        f"drawn inspectors {', '.join(gone)} are no longer in the library",
                    )
                )
            for position, expert in enumerate(experts, start=1):
                Assignment.objects.create(spot_check=check, expert=expert, position=position)
            drawn.append((check, experts))
        if problems:
            raise Rejected(problems)
        _move(plan, State.INSPECTORS_DRAWN, user)
        for check, experts in drawn:
            notify(
                [e.user for e in experts if e.user_id],
                title_zh=f"双随机抽查任务：{check.label}",
                title_en=f"Spot check assigned: {check.object_code}",
                body_zh=f"{plan.title}。您被随机抽取为 {check.label} 的检查人员。",
                body_en=f"{plan.title}. You were drawn to inspect {check.object_code}.",
                url=check_url(check),
            )
    return plan


# --- checks ----------------------------------------------------------------------------------


def _drawn_on(plan: InspectionPlan) -> dt.date | None:
    drawn_at = plan.objects_draw.drawn_at
    return timezone.localdate(drawn_at) if drawn_at else None


def schedule_check(user, check: Check, *, scheduled_on: dt.date) -> Check:
    """When the inspectors will visit; not before the objects were drawn."""
    _require(
        user, "inspections.manage_plan", check.plan, "只有科技局可以安排检查", "only the bureau"
    )
    with transaction.atomic():
        plan = _locked(check.plan)
        problems = _state_problem(
            plan,
            {State.OBJECTS_DRAWN, *logic.RECORDING},
            "不能再安排检查日期",
            "checks can no longer be scheduled",
        )
        if not _is_date(scheduled_on):
            problems.append(
                Problem(_at("scheduled_on"), "请填写有效的计划检查日期", "a valid date is required")
            )
        elif _drawn_on(plan) and scheduled_on < _drawn_on(plan):
            problems.append(
                Problem(
                    _at("scheduled_on"),
                    f"计划检查日期（{scheduled_on:%Y-%m-%d}）不能早于抽取日期",
                    "the date cannot be before the objects were drawn",
                )
            )
        if problems:
            raise Rejected(problems)
        check.scheduled_on = scheduled_on
        check.save(update_fields=["scheduled_on"])
    return check


def _check_result_problems(
    plan: InspectionPlan,
    *,
    inspected_on,
    result: str,
    findings: str,
    internal_notes: str,
    rectify_by,
) -> list[Problem]:
    problems = _state_problem(
        plan, logic.RECORDING, "不能记录检查结果", "results cannot be recorded now"
    )
    if not _is_date(inspected_on):
        problems.append(
            Problem(_at("inspected_on"), "请填写有效的检查日期", "a valid date is required")
        )
    elif inspected_on > today():
        problems.append(
            Problem(
                _at("inspected_on"),
                f"检查日期（{inspected_on:%Y-%m-%d}）不能晚于今天",
                "the inspection date cannot be in the future",
            )
        )
    elif _drawn_on(plan) and inspected_on < _drawn_on(plan):
        problems.append(
            Problem(
                _at("inspected_on"),
                f"检查日期（{inspected_on:%Y-%m-%d}）不能早于抽取日期",
                "the inspection date cannot be before the draw",
            )
        )
    if result not in Result.values:
        problems.append(Problem(_at("result"), "请选择检查结果", "choose the result"))
    problems += _text(findings, _at("findings"), "检查发现", "the findings")
    problems += _text(internal_notes, _at("internal_notes"), "内部记录", "notes", required=False)
    if rectify_by is not None and not _is_date(rectify_by):
        problems.append(Problem(_at("rectify_by"), "请填写有效的整改期限", "a valid due date"))
    elif result == Result.FAIL and rectify_by is None:
        problems.append(
            Problem(
                _at("rectify_by"), "不合格须责令整改，请填写整改期限", "a fail needs a due date"
            )
        )
    elif result == Result.PASS and rectify_by is not None:
        problems.append(
            Problem(_at("rectify_by"), "合格的检查不需要整改期限", "a pass needs no rectification")
        )
    elif rectify_by is not None and _is_date(inspected_on) and rectify_by <= inspected_on:
        problems.append(
            Problem(_at("rectify_by"), "整改期限应晚于检查日期", "due after the inspection date")
        )
    return problems


def _store_files(event: CheckEvent, checked, stored: list[str]) -> None:
    for c in checked:
        f = CheckFile(
            event=event,
            original_name=c.original_name,
            size=c.size,
            content_type=KINDS[c.kind].content_type,
            sha256=c.sha256,
        )
        # A random stored name: the user's file name never becomes a path on disk.
        f.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
        stored.append(f.file.name)
        f.save()


def _checked_files(files: Sequence[UploadLike]):
    return check_files(
        list(files),
        max_bytes=settings.KECHUANG_EVIDENCE_MAX_BYTES,
        allowed=DOCUMENT_KINDS,
        max_files=MAX_FILES,
    )


def _write_with_files(write) -> CheckEvent:
    """Run ``write(stored)`` in a transaction; files already on disk go if it rolls back."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return write(stored)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _org_users(check: Check):
    return get_user_model().objects.filter(
        organization_id=check.organization_id, role="enterprise", is_active=True
    )


def record_result(
    user,
    check: Check,
    *,
    inspected_on: dt.date,
    result: str,
    findings: str,
    internal_notes: str = "",
    rectify_by: dt.date | None = None,
    files: Sequence[UploadLike] = (),
) -> Check:
    """The inspection's result, by an assigned inspector or the bureau; a correction before
    publication is a new entry in the check's history. 不合格 always comes with 责令整改 and a
    due date; 基本合格 may. The unit is told its result."""
    _require(
        user,
        "inspections.record_result",
        check,
        "只有本次抽查的检查人员或科技局可以记录结果",
        "only this check's inspectors or the bureau may record its result",
    )
    checked, problems = _checked_files(files)
    problems = (
        _check_result_problems(
            check.plan,
            inspected_on=inspected_on,
            result=result,
            findings=findings,
            internal_notes=internal_notes,
            rectify_by=rectify_by,
        )
        + problems
    )
    if problems:
        raise Rejected(problems)
    corrected = bool(check.result)

    def write(stored: list[str]) -> CheckEvent:
        plan = _locked(check.plan)
        # Re-checked under the lock: publication may have happened meanwhile.
        late = _state_problem(plan, logic.RECORDING, "不能记录检查结果", "results are closed")
        if late:
            raise Rejected(late)
        check.inspected_on = inspected_on
        check.result = result
        check.findings = findings.strip()
        check.internal_notes = (internal_notes or "").strip()
        check.rectify_by = rectify_by
        check.rectification = Rectification.REQUIRED if rectify_by else Rectification.NONE
        check.rectified_on = None
        check.result_by = user
        check.result_at = timezone.now()
        check.save()
        event = CheckEvent.objects.create(
            spot_check=check,
            kind=CheckEvent.Kind.RESULT,
            result=result,
            rectify_by=rectify_by,
            note=check.findings,
            internal_note=check.internal_notes,
            by=user,
        )
        _store_files(event, checked, stored)
        if plan.state == State.INSPECTORS_DRAWN:
            _move(plan, State.IN_PROGRESS, user)
        verdict = Result(result).label
        due = f"，请于 {rectify_by:%Y-%m-%d} 前完成整改" if rectify_by else ""
        notify(
            _org_users(check),
            title_zh=f"{'更正' if corrected else ''}抽查结果：{check.label} {verdict}",
            title_en=f"Spot check result{' corrected' if corrected else ''}: {check.object_code}",
            body_zh=f"{plan.title}。检查结果：{verdict}{due}。",
            body_en=f"{plan.title}. Result: {result}"
            + (f"; rectify by {rectify_by:%Y-%m-%d}." if rectify_by else "."),
            url=check_url(check),
        )
        return event

    _write_with_files(write)
    return check


def report_rectification(
    user, check: Check, *, note: str, files: Sequence[UploadLike] = ()
) -> CheckEvent:
    """The unit reports what it put right, with evidence; the bureau then confirms or returns."""
    _require(
        user,
        "inspections.report_rectification",
        check,
        "只有被检查单位可以报送整改情况",
        "only the inspected unit may report its rectification",
    )
    checked, problems = _checked_files(files)
    problems = (
        _text(note, _at("note", "整改情况"), "整改情况", "the rectification report") + problems
    )
    if check.rectification != Rectification.REQUIRED:
        problems.append(
            Problem(
                _at("rectification"),
                f"当前整改状态为「{check.get_rectification_display()}」，不能报送整改情况",
                f"the rectification is '{check.rectification or 'none'}'; nothing to report",
            )
        )
    if problems:
        raise Rejected(problems)

    def write(stored: list[str]) -> CheckEvent:
        locked = Check.objects.select_for_update().get(pk=check.pk)
        if locked.rectification != Rectification.REQUIRED:
            raise Rejected([Problem(_at("rectification"), "整改情况已报送", "already reported")])
        check.rectification = Rectification.REPORTED
        check.save(update_fields=["rectification"])
        event = CheckEvent.objects.create(
            spot_check=check,
            kind=CheckEvent.Kind.RECTIFICATION_REPORTED,
            note=note.strip(),
            by=user,
        )
        _store_files(event, checked, stored)
        notify(
            [check.plan.created_by],
            title_zh=f"整改情况待确认：{check.label}",
            title_en=f"Rectification to confirm: {check.object_code}",
            body_zh=check.plan.title,
            body_en=check.plan.title,
            url=check_url(check),
        )
        return event

    return _write_with_files(write)


def confirm_rectification(user, check: Check, *, accepted: bool, note: str = "") -> CheckEvent:
    """The bureau accepts the reported rectification, or returns it with the reason."""
    _require(
        user,
        "inspections.confirm_rectification",
        check,
        "只有科技局可以确认整改",
        "only the bureau confirms a rectification",
    )
    problems = _text(
        note,
        _at("note", "退回理由"),
        "退回理由",
        "the reason for returning it",
        required=not accepted,
    )
    if check.rectification != Rectification.REPORTED:
        problems.append(
            Problem(
                _at("rectification"),
                f"当前整改状态为「{check.get_rectification_display()}」，没有待确认的整改情况",
                "there is no reported rectification to confirm",
            )
        )
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        locked = Check.objects.select_for_update().get(pk=check.pk)
        if locked.rectification != Rectification.REPORTED:
            raise Rejected([Problem(_at("rectification"), "整改情况已处理", "already decided")])
        check.rectification = Rectification.DONE if accepted else Rectification.REQUIRED
        check.rectified_on = today() if accepted else None
        check.save(update_fields=["rectification", "rectified_on"])
        event = CheckEvent.objects.create(
            spot_check=check,
            kind=(
                CheckEvent.Kind.RECTIFICATION_ACCEPTED
                if accepted
                else CheckEvent.Kind.RECTIFICATION_RETURNED
            ),
            note=(note or "").strip(),
            by=user,
        )
        notify(
            _org_users(check),
            title_zh=f"整改{'已确认完成' if accepted else '未通过，请继续整改'}：{check.label}",
            title_en=f"Rectification {'accepted' if accepted else 'returned'}: {check.object_code}",
            body_zh=event.note,
            body_en=event.note,
            url=check_url(check),
        )
    return event


# --- publication -----------------------------------------------------------------------------


def publish_plan(user, plan: InspectionPlan) -> InspectionPlan:
    """一公开: once every check has its result, the plan and its results go on the public page.
    Results are fixed from then on; rectification goes on."""
    _require(user, "inspections.manage_plan", plan, "只有科技局可以公开结果", "only the bureau")
    with transaction.atomic():
        plan = _locked(plan)
        problems = _state_problem(
            plan, {State.IN_PROGRESS}, "不能公开结果", "its results cannot be published now"
        )
        if not problems:
            problems = [
                Problem(
                    _object_at(code),
                    f"检查对象 {code} 尚未记录检查结果",
                    f"object {code} has no result yet",
                )
                for code in plan.checks.filter(result="").values_list("object_code", flat=True)
            ]
        if problems:
            raise Rejected(problems)
        plan.published_at = timezone.now()
        plan.published_by = user
        _move(plan, State.PUBLISHED, user)
    return plan
