"""Writes of the cultivation pipeline, each in a transaction, each checking permission.

The yearly re-evaluation (``propose_moves``) only proposes; a person confirms. Confirming a
proposal moves the enterprise's ``PipelineEntry`` and keeps the change as history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kechuang.core.criteria import CODES, Result, assess
from kechuang.core.problems import Problem, Rejected
from kechuang.cultivation.models import (
    STAGE_ORDER,
    PipelineEntry,
    ServiceRecord,
    Stage,
    StageChange,
    StageStandard,
    YearlyEvaluation,
)
from kechuang.cultivation.standards import DEFAULT_STANDARDS, evaluate
from kechuang.enterprises.facts import facts_for_many
from kechuang.enterprises.models import Enterprise


def _require(user, perm: str, obj=None) -> None:
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied("无权操作培育库 / not allowed to change the pipeline")


def require_manager(user) -> None:
    """Refuse, before any work is queued, a user who may not change the pipeline."""
    if not user.has_perm("cultivation.manage_pipeline"):
        raise PermissionDenied("无权操作培育库 / not allowed to change the pipeline")


def load_default_standards() -> int:
    """Create the default stage standards that are missing; never overwrite edited ones."""
    made = 0
    for row in DEFAULT_STANDARDS:
        _, created = StageStandard.objects.get_or_create(code=row["code"], defaults=row)
        made += created
    return made


def evaluation_day(year: int, today: dt.date | None = None) -> dt.date:
    """A year is judged on its last day, or today while it is still running."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


@dataclass
class Proposal:
    to_stage: str
    standard: StageStandard
    reason_zh: str
    reason_en: str


def decide_move(
    stage: str | None,
    facts,
    results: dict[str, Result],
    day: dt.date,
    standards: list[StageStandard],
) -> Proposal | None:
    """Where the standards say an enterprise at ``stage`` (None = not in the pipeline) belongs.

    An exit standard of the current stage wins; otherwise the highest stage above the current
    one whose entry standard holds. Exited enterprises are not re-proposed automatically: a
    person decided they left, and a person brings them back.
    """
    if stage == Stage.EXITED:
        return None
    ctx = (facts, results, day)

    def proposal(std: StageStandard, checks) -> Proposal:
        return Proposal(
            std.target,
            std,
            f"{std.name}：" + "；".join(c.zh for c in checks),
            f"{std.name_en}: " + "; ".join(c.en for c in checks),
        )

    if stage is not None:
        for std in standards:
            if std.direction == StageStandard.Direction.EXIT and std.stage == stage:
                ok, checks = evaluate(std.conditions, ctx)
                if ok:
                    return proposal(std, checks)
    current = STAGE_ORDER.get(stage, -1) if stage else -1
    entries = [
        s
        for s in standards
        if s.direction == StageStandard.Direction.ENTRY and STAGE_ORDER.get(s.stage, -1) > current
    ]
    for std in sorted(entries, key=lambda s: -STAGE_ORDER[s.stage]):
        ok, checks = evaluate(std.conditions, ctx)
        if ok:
            return proposal(std, checks)
    return None


@dataclass
class ReEvaluation:
    year: int
    assessed_on: dt.date
    assessed: int = 0
    proposed: int = 0
    skipped_open: int = 0
    by_target: dict[str, int] = field(default_factory=dict)


def propose_moves(
    year: int,
    *,
    user=None,
    today: dt.date | None = None,
    enterprises: QuerySet[Enterprise] | None = None,
) -> ReEvaluation:
    """The yearly re-evaluation: assess every enterprise under every rule set, keep the
    outcomes, and propose the stage moves the standards call for, each with its reasons.

    Enterprises with an open proposal keep it (one open proposal each); running the
    re-evaluation twice for a year is safe.
    """
    _require(user, "cultivation.manage_pipeline")
    day = evaluation_day(year, today)
    report = ReEvaluation(year, day)
    standards = list(StageStandard.objects.filter(active=True))
    qs = enterprises if enterprises is not None else Enterprise.objects.filter(in_district=True)
    stages = dict(PipelineEntry.objects.values_list("enterprise_id", "stage"))
    open_ids = set(
        StageChange.objects.filter(status=StageChange.Status.PROPOSED).values_list(
            "enterprise_id", flat=True
        )
    )
    evaluations: list[YearlyEvaluation] = []
    changes: list[StageChange] = []
    for enterprise, facts in facts_for_many(qs, on=day):
        results = {code: assess(code, facts, on=day) for code in CODES}
        stage = stages.get(enterprise.pk)
        report.assessed += 1
        evaluations.append(
            YearlyEvaluation(
                enterprise=enterprise,
                year=year,
                assessed_on=day,
                stage=stage or "",
                outcomes={code: r.outcome.value for code, r in results.items()},
                hnte_outcome=results["hnte"].outcome.value,
                is_demo=enterprise.is_demo,
            )
        )
        move = decide_move(stage, facts, results, day, standards)
        if move is None:
            continue
        if enterprise.pk in open_ids:
            report.skipped_open += 1
            continue
        changes.append(
            StageChange(
                enterprise=enterprise,
                from_stage=stage or "",
                to_stage=move.to_stage,
                reason=move.reason_zh,
                reason_en=move.reason_en,
                standard=move.standard,
                year=year,
                proposed_by=user,
                is_demo=enterprise.is_demo,
            )
        )
        report.by_target[move.to_stage] = report.by_target.get(move.to_stage, 0) + 1
    with transaction.atomic():
        YearlyEvaluation.objects.filter(
            year=year, enterprise_id__in=[e.enterprise_id for e in evaluations]
        ).delete()
        YearlyEvaluation.objects.bulk_create(evaluations, batch_size=1000)
        StageChange.objects.bulk_create(changes, batch_size=1000)
    report.proposed = len(changes)
    return report


def _apply(change: StageChange, user, on: dt.date) -> None:
    entry = PipelineEntry.objects.select_for_update().filter(enterprise=change.enterprise).first()
    if entry is None:
        PipelineEntry.objects.create(
            enterprise=change.enterprise,
            stage=change.to_stage,
            since=on,
            entered_on=on,
            service_officer=change.enterprise.service_officer,
            is_demo=change.enterprise.is_demo,
        )
    else:
        entry.stage = change.to_stage
        entry.since = on
        entry.save(update_fields=["stage", "since"])
    change.status = StageChange.Status.CONFIRMED
    change.confirmed_by = user
    change.decided_at = timezone.now()
    change.effective_on = on


@transaction.atomic
def confirm(user, change: StageChange, *, comment: str = "", on: dt.date | None = None) -> None:
    """Confirm a proposal: the enterprise moves, the change becomes history."""
    _require(user, "cultivation.manage_pipeline", change.enterprise)
    change = StageChange.objects.select_for_update().select_related("enterprise").get(pk=change.pk)
    if change.status != StageChange.Status.PROPOSED:
        raise Rejected([Problem("status", "该提议已处理", "this proposal was already decided")])
    current = (
        PipelineEntry.objects.filter(enterprise=change.enterprise)
        .values_list("stage", flat=True)
        .first()
    )
    if (current or "") != change.from_stage:
        raise Rejected(
            [
                Problem(
                    "from_stage",
                    "企业阶段已变化，请重新评价",
                    "the enterprise's stage changed since the proposal; re-evaluate",
                )
            ]
        )
    _apply(change, user, on or timezone.localdate())
    change.decision_comment = comment.strip()
    change.save()


@transaction.atomic
def reject(user, change: StageChange, *, comment: str = "") -> None:
    _require(user, "cultivation.manage_pipeline", change.enterprise)
    change = StageChange.objects.select_for_update().get(pk=change.pk)
    if change.status != StageChange.Status.PROPOSED:
        raise Rejected([Problem("status", "该提议已处理", "this proposal was already decided")])
    change.status = StageChange.Status.REJECTED
    change.confirmed_by = user
    change.decided_at = timezone.now()
    change.decision_comment = comment.strip()
    change.save()


def decide_many(user, ids: Iterable[int], *, accept: bool, comment: str = "") -> tuple[int, list]:
    """Confirm (or reject) many proposals; each stands alone, so one stale proposal does not
    hold back the rest. Returns how many were decided and the problems of the others."""
    _require(user, "cultivation.manage_pipeline")
    done, problems = 0, []
    for change in StageChange.objects.filter(pk__in=list(ids)).select_related("enterprise"):
        try:
            if accept:
                confirm(user, change, comment=comment)
            else:
                reject(user, change, comment=comment)
            done += 1
        except Rejected as exc:
            problems += [
                Problem(change.enterprise.name, p.message_zh, p.message_en) for p in exc.problems
            ]
    return done, problems


@transaction.atomic
def move(
    user, enterprise: Enterprise, to_stage: str, *, reason: str, on: dt.date | None = None
) -> StageChange:
    """A move staff decide themselves (e.g. a team enters the pipeline): proposed and
    confirmed by the same person in one step, kept in the same history."""
    _require(user, "cultivation.manage_pipeline", enterprise)
    problems = []
    if to_stage not in Stage.values:
        problems.append(
            Problem("to_stage", f"未知阶段「{to_stage}」", f"unknown stage '{to_stage}'")
        )
    if not reason.strip():
        problems.append(Problem("reason", "请填写理由", "give a reason"))
    current = (
        PipelineEntry.objects.filter(enterprise=enterprise).values_list("stage", flat=True).first()
    )
    if current == to_stage:
        problems.append(Problem("to_stage", "企业已在该阶段", "already at that stage"))
    if problems:
        raise Rejected(problems)
    StageChange.objects.filter(enterprise=enterprise, status=StageChange.Status.PROPOSED).update(
        status=StageChange.Status.REJECTED,
        confirmed_by=user,
        decided_at=timezone.now(),
        decision_comment="被人工调整取代 / superseded by a manual move",
    )
    change = StageChange(
        enterprise=enterprise,
        from_stage=current or "",
        to_stage=to_stage,
        reason=reason.strip(),
        proposed_by=user,
        is_demo=enterprise.is_demo,
    )
    _apply(change, user, on or timezone.localdate())
    change.save()
    return change


@transaction.atomic
def record_service(
    user,
    enterprise: Enterprise,
    *,
    kind: str,
    date: dt.date,
    notes: str = "",
    follow_up_on: dt.date | None = None,
    officer=None,
) -> ServiceRecord:
    _require(user, "cultivation.manage_pipeline", enterprise)
    problems = []
    if kind not in ServiceRecord.Kind.values:
        problems.append(Problem("kind", f"未知服务类型「{kind}」", f"unknown kind '{kind}'"))
    if date > timezone.localdate():
        problems.append(Problem("date", "服务日期不能晚于今天", "the date is in the future"))
    if follow_up_on is not None and follow_up_on < date:
        problems.append(
            Problem("follow_up_on", "跟进日期早于服务日期", "follow-up before the service")
        )
    if problems:
        raise Rejected(problems)
    return ServiceRecord.objects.create(
        enterprise=enterprise,
        kind=kind,
        date=date,
        officer=officer or user,
        notes=notes.strip(),
        follow_up_on=follow_up_on,
        is_demo=enterprise.is_demo,
    )


@transaction.atomic
def complete_follow_up(user, record: ServiceRecord) -> ServiceRecord:
    _require(user, "cultivation.manage_pipeline", record.enterprise)
    record.follow_up_done = True
    record.save(update_fields=["follow_up_done"])
    return record
