"""Writes for the expert review: panels and their draws, assignments, conflicts and alternates,
score sheets, the panel's decisions and the published result.

Permission is checked here, on the object. Every function checks all of its input first and
raises ``Rejected`` listing each problem; only then does it write, in one transaction. Two bulk
steps — creating a call's panels and running their draws — take one transaction per
application instead: each panel's draw is public from its commit, and a call of hundreds of
applications shows its progress (and survives an interruption) panel by panel.

The order of a review:

1. ``open_review`` (call → REVIEWING), then ``create_panels``: per accepted application the
   expert pool and a committed, public draw;
2. ``perform_panel_draw`` / ``run_draws``: the draw is made, the chosen experts are invited,
   the application goes to IN_REVIEW;
3. the experts accept, declare a conflict (the next fitting alternate is invited at once) or
   save and submit their sheets until the call's review deadline;
4. ``record_decision`` per application, then ``publish_result``: the decisions become states,
   applicants are told, and the notice with the panel experts' names is public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.services import log_bulk
from kechuang.calls.models import Application, Call, Criterion
from kechuang.calls.services import _applicant_users, local, record_state, wan
from kechuang.core import draw as D
from kechuang.core import review as R
from kechuang.core.problems import Problem, Rejected
from kechuang.experts.models import Draw, Expert
from kechuang.experts.services import (
    DEFAULT_MAX_PER,
    alternates,
    chosen,
    create_draw,
    expert_pool,
    experts_by_code,
    normalise_organisation,
    perform_draw,
)
from kechuang.notifications.services import notify
from kechuang.reviews.models import MAX_COMMENT, MAX_REASON, Assignment, Decision, Notice, Panel

S = Application.State
A = Assignment.State
REVIEWABLE_CALLS = (Call.State.PUBLISHED, Call.State.CLOSED, Call.State.REVIEWING)
MAX_OPINION = 2000
CENT = Decimal("0.01")


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _bureau(user, obj=None) -> None:
    _require(user, "reviews.manage", obj, "只有科技局可以组织评审", "only the bureau runs reviews")


def _text(value, where: str, zh: str, en: str, limit: int, required: bool) -> tuple[str, list]:
    text = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str | None) else None
    if text is None:
        return "", [Problem(where, f"{zh}应为文字", f"{en} must be text")]
    if required and not text:
        return "", [Problem(where, f"请填写{zh}", f"{en} is required")]
    if len(text) > limit:
        return text, [
            Problem(
                where,
                f"{zh}不能超过 {limit:,} 字（现 {len(text):,} 字）",
                f"{en} must be at most {limit:,} characters (now {len(text):,})",
            )
        ]
    return text, []


def core_criteria(call: Call) -> list[R.Criterion]:
    """The call's criteria as the review rules take them; ids are the criteria's primary keys."""
    return [
        R.Criterion(str(c.pk), c.name, c.weight, c.max_score)
        for c in call.criteria.order_by("order", "id")
    ]


def result_json(agg: R.Aggregate) -> dict:
    """An aggregate as stored on the panel: decimals as strings, experts by code."""

    def s(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "n": agg.n,
        "totals": [{"expert": t.expert, "total": s(t.total)} for t in agg.totals],
        "mean": s(agg.mean),
        "trimmed_mean": s(agg.trimmed_mean),
        "dropped": list(agg.dropped),
        "final": s(agg.final),
        "criterion_means": {k: s(v) for k, v in agg.criterion_means.items()},
        "minimum": s(agg.minimum),
        "maximum": s(agg.maximum),
        "stdev": s(agg.stdev),
        "threshold": s(agg.threshold),
        "warnings": [
            {
                "expert": w.expert,
                "total": s(w.total),
                "others_mean": s(w.others_mean),
                "difference": s(w.difference),
                "message_zh": w.message_zh,
                "message_en": w.message_en,
            }
            for w in agg.warnings
        ],
        "notes": [
            {"code": n.code, "message_zh": n.message_zh, "message_en": n.message_en}
            for n in agg.notes
        ],
    }


def panel_aggregate(panel: Panel) -> R.Aggregate:
    """The panel's result computed afresh from its submitted sheets."""
    submitted = (
        panel.assignments.filter(state=A.SUBMITTED)
        .select_related("expert")
        .prefetch_related("scores")
        .order_by("position")
    )
    sheets = [
        R.ScoreSheet(a.expert.code, {str(s.criterion_id): s.score for s in a.scores.all()})
        for a in submitted
    ]
    return R.aggregate(core_criteria(panel.call), sheets)


def _write_result(panel: Panel) -> None:
    agg = panel_aggregate(panel)
    panel.result = result_json(agg)
    panel.sheets = agg.n
    panel.final_score = agg.final
    panel.has_warning = bool(agg.warnings)
    panel.save(update_fields=["result", "sheets", "final_score", "has_warning"])


# --- starting the review ----------------------------------------------------------------------


def _review_window(call: Call, now: dt.datetime) -> list[Problem]:
    problems = []
    if call.state not in REVIEWABLE_CALLS or call.is_open(now):
        problems.append(
            Problem(
                "call",
                f"申报指南当前为“{call.get_state_display()}”，申报截止后才能组织评审",
                f"the call is {call.state}: a review starts after the call closes",
            )
        )
    if call.review_deadline is None:
        problems.append(
            Problem(
                "review_deadline",
                "请先在申报指南中设置评审截止时间",
                "set the call's review deadline first",
            )
        )
    elif call.review_deadline <= now:
        problems.append(
            Problem(
                "review_deadline",
                f"评审截止时间 {local(call.review_deadline)} 已过，请先修改",
                f"the review deadline {local(call.review_deadline)} has passed; change it first",
            )
        )
    return problems


def waiting_applications(call: Call):
    """Accepted applications of the call that have no panel yet, in the order of their codes."""
    return Application.objects.filter(call=call, state=S.ACCEPTED, panel__isnull=True).order_by(
        "code"
    )


def open_review(user, call: Call) -> Call:
    """Check the call can be reviewed and move it to REVIEWING; ``create_panels`` follows.

    The review needs the call closed, a review deadline still ahead, valid criteria and at
    least one accepted application without a panel.
    """
    _bureau(user, call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        problems = _review_window(call, timezone.now())
        try:
            R.check_criteria(core_criteria(call))
        except Rejected as exc:
            problems += exc.problems
        if not waiting_applications(call).exists():
            problems.append(
                Problem(
                    "applications",
                    "没有待组织评审的申报（须先通过形式审查）",
                    "no accepted application is waiting for a panel",
                )
            )
        if problems:
            raise Rejected(problems)
        if call.state != Call.State.REVIEWING:
            call.state = Call.State.REVIEWING
            call.save(update_fields=["state", "updated_at"])
    return call


def _subject_label(application: Application) -> str:
    # What the public notice would show of it: the number and the project's title.
    return f"{application.code} {application.title}"[:300]


def create_panels(user, call: Call) -> int:
    """A panel with a committed, public draw for each accepted application without one.

    Run after ``open_review`` (usually in the background). Returns the number created.
    """
    _bureau(user, call)
    if call.state != Call.State.REVIEWING:
        raise Rejected([Problem("call", "请先开始评审", "open the review first")])
    created = 0
    for application in (
        waiting_applications(call)
        .select_related("call", "applicant")
        .prefetch_related("co_applicants")
    ):
        new_panel(user, application)
        created += 1
    return created


@transaction.atomic
def new_panel(user, application: Application) -> Panel:
    """The application's panel with its committed draw; ``create_panels`` calls it per
    application, after checking the call is in review."""
    _bureau(user, application)
    call = application.call
    candidates, exclusions = expert_pool(
        fields=application.fields,
        applicant_orgs=[application.applicant, *application.co_applicants.all()],
        on=timezone.localdate(),
    )
    draw = create_draw(
        user,
        purpose=f"专家评审：{call.title}"[:300],
        kind=Draw.Kind.REVIEW,
        candidates=candidates,
        exclusions=exclusions,
        k=call.panel_size,
        max_per=DEFAULT_MAX_PER,
        require_field_overlap=True,
        application_fields=application.fields,
        subject=application,
        subject_label=_subject_label(application),
    )
    return Panel.objects.create(application=application, call=call, draw=draw, created_by=user)


def start_review(user, call: Call) -> int:
    """``open_review`` and ``create_panels`` in one go (for small calls, the demo and tests)."""
    return create_panels(user, open_review(user, call))


# --- the draws --------------------------------------------------------------------------------


def _shortfall(draw: Draw) -> tuple[str, str] | None:
    result = D.result_from_json(draw.result)
    if result.complete:
        return None
    problem = D.shortfall_message(result, D.record_from_json(draw.record))
    return problem.message_zh, problem.message_en


def _invite(panel: Panel, experts: list[Expert], draw: Draw, reasons: list[str], by) -> list:
    start = panel.assignments.aggregate(m=Max("position"))["m"] or 0
    rows = Assignment.objects.bulk_create(
        Assignment(panel=panel, expert=e, draw=draw, position=start + i, reason=reason)
        for i, (e, reason) in enumerate(zip(experts, reasons, strict=True), start=1)
    )
    log_bulk(rows, LogEntry.Action.CREATE, actor=by, fields=["panel", "expert", "state", "reason"])
    _notify_invited(panel, [e for e in experts if e.user_id])
    return rows


def _notify_invited(panel: Panel, experts: list[Expert]) -> None:
    app, call = panel.application, panel.call
    deadline = local(call.review_deadline) if call.review_deadline else "—"
    notify(
        [e.user for e in experts],
        title_zh=f"请参加专家评审：{app.code}",
        title_en=f"Please review application {app.code}",
        body_zh=f"{call.title}\n{app.code} {app.title}\n评审截止：{deadline}",
        body_en=f"{call.title_en or call.title}\n{app.code} {app.title}\nDeadline: {deadline}",
        url=reverse("reviews:mine"),
    )


def perform_panel_draw(user, panel: Panel) -> Panel:
    """Make the panel's committed draw and invite the chosen experts.

    After the first draw the application goes to IN_REVIEW. A draw that comes up short (or a
    supplementary draw that still leaves the panel short) flags the panel with the draw's
    message, for staff to act on.
    """
    _bureau(user, panel)
    with transaction.atomic():
        panel = (
            Panel.objects.select_for_update(of=("self",))
            .select_related("application", "call", "draw")
            .get(pk=panel.pk)
        )
        if panel.state != Panel.State.COMMITTED:
            raise Rejected(
                [Problem("panel", "该评审组的抽取已经完成", "this panel's draw has been made")]
            )
        draw = panel.draw = perform_draw(user, panel.draw)
        first = not panel.assignments.exists()
        experts = experts_by_code(chosen(draw))
        label = "抽取" if first else "补充抽取"
        reasons = [
            f"{label} {draw.draw_id} 第 {chosen(draw).index(e.code) + 1} 位" for e in experts
        ]
        _invite(panel, experts, draw, reasons, user)
        active = panel.assignments.exclude(state=A.CONFLICT).count()
        short = _shortfall(draw)
        if short is None and active < panel.call.panel_size:
            short = (
                f"评审组现有 {active} 人，少于 {panel.call.panel_size} 人",
                f"the panel has {active} of {panel.call.panel_size} experts",
            )
        panel.state, panel.drawn_at = Panel.State.ACTIVE, timezone.now()
        panel.needs_attention = short is not None
        panel.attention_zh, panel.attention_en = short or ("", "")
        panel.save(
            update_fields=["state", "drawn_at", "needs_attention", "attention_zh", "attention_en"]
        )
        if panel.application.state == S.ACCEPTED:
            record_state(
                panel.application,
                S.IN_REVIEW,
                user,
                f"已随机抽取评审专家（抽取编号 {draw.draw_id}），进入专家评审",
            )
    return panel


def committed_panels(call: Call):
    return Panel.objects.filter(call=call, state=Panel.State.COMMITTED).order_by("application")


def check_run_draws(user, call: Call) -> int:
    """How many of the call's panels wait for their draw; refused when none does."""
    _bureau(user, call)
    n = committed_panels(call).count()
    if not n:
        raise Rejected(
            [Problem("panels", "没有待抽取的评审组", "no panel is waiting for its draw")]
        )
    return n


def run_draws(user, call: Call) -> int:
    """Make every committed draw of the call's panels, one transaction each; returns how many."""
    check_run_draws(user, call)
    done = 0
    for panel in committed_panels(call):
        perform_panel_draw(user, panel)
        done += 1
    return done


def open_supplementary_draw(user, panel: Panel) -> Panel:
    """A new public draw for the places a short panel still lacks (补充抽取).

    Everyone already on the panel (conflicted ones included) and everyone from an active
    member's organisation is excluded, with the reason in the public record.
    """
    _bureau(user, panel)
    with transaction.atomic():
        panel = (
            Panel.objects.select_for_update(of=("self",))
            .select_related("application__applicant", "call")
            .get(pk=panel.pk)
        )
        members = list(panel.assignments.select_related("expert__organization"))
        missing = panel.call.panel_size - sum(a.is_active for a in members)
        problems = []
        if panel.state != Panel.State.ACTIVE:
            problems.append(
                Problem("panel", "请先完成该评审组的抽取", "make this panel's pending draw first")
            )
        elif missing <= 0:
            problems.append(Problem("panel", "评审组人数已满", "the panel is complete"))
        if panel.call.state != Call.State.REVIEWING:
            problems.append(Problem("call", "评审已结束", "the review is over"))
        if problems:
            raise Rejected(problems)
        application = panel.application
        exclude = {
            a.expert.code: "已声明回避 / declared a conflict"
            if a.state == A.CONFLICT
            else "已在本评审组 / already on this panel"
            for a in members
        }
        candidates, exclusions = expert_pool(
            fields=application.fields,
            applicant_orgs=[application.applicant, *application.co_applicants.all()],
            on=timezone.localdate(),
            exclude=exclude,
        )
        taken = {
            normalise_organisation(a.expert.organisation_label): a.expert.code
            for a in members
            if a.is_active
        }
        exclusions = dict(exclusions)
        for c in candidates:
            code = taken.get(c.attributes["organisation"])
            if code and c.id not in exclusions:
                exclusions[c.id] = f"与评审组成员 {code} 同单位 / same organisation as {code}"
        panel.draw = create_draw(
            user,
            purpose=f"补充抽取：{panel.call.title}"[:300],
            kind=Draw.Kind.REVIEW,
            candidates=candidates,
            exclusions=exclusions,
            k=missing,
            max_per=DEFAULT_MAX_PER,
            require_field_overlap=True,
            application_fields=application.fields,
            subject=application,
            subject_label=_subject_label(application),
        )
        panel.state = Panel.State.COMMITTED
        panel.save(update_fields=["draw", "state"])
    return panel


# --- the expert's side ------------------------------------------------------------------------


def _locked_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("panel__call", "panel__application", "expert", "draw")
        .get(pk=assignment.pk)
    )


def _state_problem(a: Assignment, allowed: tuple[str, ...], zh: str, en: str) -> list[Problem]:
    if a.state in allowed:
        return []
    return [
        Problem(
            "state",
            f"评审任务当前为“{a.get_state_display()}”，{zh}",
            f"the assignment is {a.state}: {en}",
        )
    ]


def _review_over(call: Call) -> list[Problem]:
    if call.state != Call.State.REVIEWING:
        return [Problem("call", "评审已结束", "the review is over")]
    return []


def accept_assignment(user, assignment: Assignment) -> Assignment:
    """The expert takes the assignment on (saving a sheet does so too)."""
    _require(user, "reviews.score", assignment, "只能处理本人的评审任务", "not your assignment")
    with transaction.atomic():
        a = _locked_assignment(assignment)
        problems = _state_problem(a, (A.INVITED,), "不能再接受", "it cannot be accepted")
        problems += _review_over(a.panel.call)
        if problems:
            raise Rejected(problems)
        a.state, a.responded_at = A.ACCEPTED, timezone.now()
        a.save(update_fields=["state", "responded_at"])
    return a


def _organisations(draw: Draw) -> dict[str, str]:
    return {c["id"]: str(c["attributes"].get("organisation", "")) for c in draw.record["pool"]}


def _replacement(panel: Panel, conflicted: Assignment) -> tuple[Expert, Draw, int] | None:
    """The first alternate, from the conflicted member's draw and then the panel's later draws,
    who is not on the panel yet and whose organisation no active member shares."""
    members = list(panel.assignments.select_related("expert"))
    on_panel = {a.expert.code for a in members}
    draw_ids = {a.draw_id for a in members} | {panel.draw_id}
    others = Draw.objects.filter(pk__in=draw_ids - {conflicted.draw_id}).order_by("-created_at")
    draws = [conflicted.draw, *others]
    orgs: dict[str, str] = {}
    for d in draws:
        orgs |= _organisations(d)
    active = {orgs.get(a.expert.code) for a in members if a.is_active}
    for d in draws:
        own = _organisations(d)
        for i, code in enumerate(alternates(d), start=1):
            if code in on_panel or own.get(code) in active:
                continue
            found = experts_by_code([code])
            if found:
                return found[0], d, i
    return None


def declare_conflict(user, assignment: Assignment, reason: str) -> Assignment | None:
    """The expert declares a conflict of interest (回避) and leaves the panel.

    The next fitting alternate is invited in their place at once and returned; when the
    alternates are exhausted the panel is flagged for staff (who may open a supplementary
    draw) and None is returned.
    """
    _require(user, "reviews.score", assignment, "只能处理本人的评审任务", "not your assignment")
    with transaction.atomic():
        a = _locked_assignment(assignment)
        # The panel's row lock: two members declaring at once cannot pick the same alternate.
        panel = (
            Panel.objects.select_for_update(of=("self",)).select_related("call").get(pk=a.panel_id)
        )
        reason, problems = _text(reason, "reason", "回避理由", "the reason", MAX_REASON, True)
        problems = (
            _state_problem(
                a,
                (A.INVITED, A.ACCEPTED),
                "不能再声明回避（已提交评分的，请联系科技局）",
                "a conflict can no longer be declared",
            )
            + _review_over(panel.call)
            + problems
        )
        if problems:
            raise Rejected(problems)
        a.state, a.conflict_reason, a.responded_at = A.CONFLICT, reason, timezone.now()
        a.save(update_fields=["state", "conflict_reason", "responded_at"])
        found = _replacement(panel, a)
        if found is None:
            active = panel.assignments.exclude(state=A.CONFLICT).count()
            panel.needs_attention = True
            panel.attention_zh = (
                f"{a.expert.code} 回避后候补专家已用完，评审组现有 {active} 人"
                f"（需 {panel.call.panel_size} 人），请补充抽取"
            )[:300]
            panel.attention_en = (
                f"alternates exhausted after {a.expert.code}'s conflict: the panel has {active} "
                f"of {panel.call.panel_size} experts; open a supplementary draw"
            )[:300]
            panel.save(update_fields=["needs_attention", "attention_zh", "attention_en"])
            return None
        expert, draw, place = found
        note = f"替补：{a.expert.code} 因回避（{reason}），由 {draw.draw_id} 候补第 {place} 位递补"
        (replacement,) = _invite(panel, [expert], draw, [note[:MAX_REASON]], user)
        replacement.replaces = a
        replacement.save(update_fields=["replaces"])
        return replacement


def _score_value(raw, where: str, name: str) -> tuple[Decimal | None, list[Problem]]:
    if isinstance(raw, float):
        raw = None  # binary floats do not say what was typed; the forms send text or Decimal
    try:
        value = Decimal(str(raw).strip()) if raw not in (None, "") else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return None, [Problem(where, f"请为「{name}」填写评分", f"enter a score for “{name}”")]
    cents = _cents(value)
    if cents is None:
        return None, [
            Problem(where, f"「{name}」的评分最多两位小数", f"“{name}”: at most two decimals")
        ]
    return cents, []


def _cents(value: Decimal) -> Decimal | None:
    """``value`` with two decimals (80.000 is 80.00), or None if it needs more (80.005)."""
    try:
        cents = value.quantize(CENT)
    except InvalidOperation:  # too many digits to hold: far outside any range anyway
        return None
    return cents if cents == value else None


def submit_scores(
    user,
    assignment: Assignment,
    scores: Mapping[int, tuple[Decimal | str | None, str]],
    overall_comment: str,
    final: bool,
) -> Assignment:
    """Save the expert's sheet: ``scores`` maps a criterion's id to (score, comment).

    A draft may leave criteria out and be changed at will; a final submission must score every
    criterion, have the overall comment, and is locked. Each score lies in 0..max_score of its
    criterion. Nothing is accepted from the call's review deadline on. Every version of every
    score is in the audit trail.
    """
    _require(user, "reviews.score", assignment, "只能为本人的评审任务评分", "not your assignment")
    with transaction.atomic():
        a = _locked_assignment(assignment)
        call = a.panel.call
        now = timezone.now()
        problems = _state_problem(
            a,
            (A.INVITED, A.ACCEPTED),
            "不能再修改评分" if a.state == A.SUBMITTED else "不能评分",
            "the sheet can no longer change",
        )
        problems += _review_over(call)
        if call.review_deadline is not None and now >= call.review_deadline:
            problems.append(
                Problem(
                    "review_deadline",
                    f"评审已于 {local(call.review_deadline)}（北京时间）截止，不能再保存或提交评分",
                    f"the review closed at {local(call.review_deadline)} (Beijing time); "
                    "scores can no longer be saved",
                )
            )
        criteria = {c.pk: c for c in Criterion.objects.filter(call=call)}
        given: dict[int, tuple[Decimal, str]] = {}
        drafts: dict[int, tuple[None, str]] = {}
        seen: set[int] = set()
        for key, (raw, comment) in scores.items():
            criterion = criteria.get(int(key)) if str(key).isdigit() else None
            if criterion is None:
                problems.append(
                    Problem(
                        f"scores.{key}", "本指南没有该评审指标", "the call has no such criterion"
                    )
                )
                continue
            seen.add(criterion.pk)
            where = f"scores.{criterion.pk}"
            comment, p = _text(comment, f"{where}.comment", "评语", "comment", MAX_COMMENT, False)
            problems += p
            if raw in (None, "") and not final:
                drafts[criterion.pk] = (None, comment)  # a draft may leave the score for later
                continue
            value, p = _score_value(raw, where, criterion.name)
            problems += p
            if value is not None:
                given[criterion.pk] = (value, comment)
        if final:
            problems += [
                Problem(f"scores.{pk}", f"请为「{c.name}」评分", f"score “{c.name}”")
                for pk, c in criteria.items()
                if pk not in seen
            ]
        try:
            R.check_sheet(
                [
                    R.Criterion(
                        str(pk), criteria[pk].name, criteria[pk].weight, criteria[pk].max_score
                    )
                    for pk in given
                ],
                R.ScoreSheet(a.expert.code, {str(pk): v for pk, (v, _c) in given.items()}),
            )
        except Rejected as exc:
            # Where the form shows it: the criterion's score field.
            problems += [
                Problem(f"scores.{p.where.rsplit('.', 1)[-1]}", p.message_zh, p.message_en)
                for p in exc.problems
            ]
        overall, p = _text(
            overall_comment,
            "overall_comment",
            "总体评价意见",
            "the overall comment",
            MAX_COMMENT,
            final,
        )
        problems += p
        if problems:
            raise Rejected(problems)
        existing = {s.criterion_id: s for s in a.scores.all()}
        for pk, (value, comment) in (given | drafts).items():
            row = existing.get(pk)
            if row is None and value is None and not comment:
                continue
            if row is None:
                a.scores.create(criterion=criteria[pk], score=value, comment=comment)
            elif row.score != value or row.comment != comment:
                row.score, row.comment = value, comment
                row.save(update_fields=["score", "comment"])
        a.overall_comment, a.saved_at = overall, now
        if a.state == A.INVITED:
            a.responded_at = now
        a.state = A.SUBMITTED if final else A.ACCEPTED
        a.submitted_at = now if final else None
        a.save(
            update_fields=["overall_comment", "saved_at", "responded_at", "state", "submitted_at"]
        )
        if final:
            _write_result(Panel.objects.select_for_update(of=("self",)).get(pk=a.panel_id))
    return a


# --- decisions and the result -----------------------------------------------------------------


def _money(value, where: str) -> tuple[Decimal | None, list[Problem]]:
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        return None, [Problem(where, "请填写有效的立项资金", "a valid approved amount is required")]
    amount = _cents(amount)
    if amount is None:
        return None, [Problem(where, "立项资金最多精确到分", "the amount has at most two decimals")]
    if amount <= 0:
        return None, [Problem(where, "立项资金应大于 0", "the amount must be more than 0")]
    return amount, []


def approved_total(call: Call, exclude_application: int | None = None) -> Decimal:
    qs = Decision.objects.filter(application__call=call, approved=True)
    if exclude_application is not None:
        qs = qs.exclude(application_id=exclude_application)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def record_decision(
    user,
    application: Application,
    *,
    approved: bool,
    amount: Decimal | str | None = None,
    opinion: str,
) -> Decision:
    """The panel's decision on a reviewed application: approve with an amount no more than
    requested and within what the call's budget has left, or not approve; both with the panel's
    opinion. It may be revised until the result is published."""
    _bureau(user, application)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        app = Application.objects.select_related("panel").get(pk=application.pk)
        problems: list[Problem] = []
        if app.state != S.IN_REVIEW:
            problems.append(
                Problem(
                    "state",
                    f"申报当前为“{app.get_state_display()}”，只有评审中的申报可以作出决定",
                    f"the application is {app.state}: only one in review can be decided",
                )
            )
        elif Notice.objects.filter(call=call).exists():
            problems.append(Problem("call", "评审结果已公示", "the result is published"))
        else:
            sheets = getattr(getattr(app, "panel", None), "sheets", 0)
            if sheets < call.panel_size:
                problems.append(
                    Problem(
                        "panel",
                        f"评审尚未完成（已收 {sheets}/{call.panel_size} 份评分表）",
                        f"the review is not complete ({sheets} of {call.panel_size} sheets)",
                    )
                )
        opinion, p = _text(
            opinion, "opinion", "评审组意见", "the panel's opinion", MAX_OPINION, True
        )
        problems += p
        value = None
        if approved:
            value, p = _money(amount, "amount")
            problems += p
            if value is not None and value > app.requested_amount:
                problems.append(
                    Problem(
                        "amount",
                        f"立项资金 {wan(value)} 万元超过申请资金 {wan(app.requested_amount)} 万元",
                        f"¥{wan(value)}万 is over the ¥{wan(app.requested_amount)}万 requested",
                    )
                )
            left = call.budget - approved_total(call, app.pk)
            if value is not None and value > left:
                problems.append(
                    Problem(
                        "amount",
                        f"立项资金 {wan(value)} 万元超过本指南剩余资金 {wan(left)} 万元",
                        f"¥{wan(value)}万 is over the ¥{wan(left)}万 left in the budget",
                    )
                )
        if problems:
            raise Rejected(problems)
        values = {
            "approved": bool(approved),
            "amount": value,
            "opinion": opinion,
            "decided_by": user,
            "decided_at": timezone.now(),
        }
        decision = Decision.objects.filter(application=app).first()
        if decision is None:
            return Decision.objects.create(application=app, **values)
        for name, v in values.items():
            setattr(decision, name, v)
        decision.save()
        return decision


def publish_result(user, call: Call) -> Notice:
    """Publish the call's result (立项公示): every decision becomes the application's state,
    each applicant is told, and the notice page with the panel experts' names opens."""
    _bureau(user, call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        problems: list[Problem] = []
        if Notice.objects.filter(call=call).exists():
            problems.append(Problem("call", "评审结果已经公示", "the result is already published"))
        elif call.state != Call.State.REVIEWING:
            problems.append(
                Problem(
                    "call",
                    f"申报指南当前为“{call.get_state_display()}”，不在评审中",
                    f"the call is {call.state}, not in review",
                )
            )
        apps = list(
            Application.objects.filter(call=call, state__in=(S.ACCEPTED, S.IN_REVIEW))
            .select_related("review_decision", "applicant", "created_by")
            .order_by("code")
        )
        waiting = [a.code for a in apps if a.state == S.ACCEPTED]
        undecided = [
            a.code for a in apps if a.state == S.IN_REVIEW and not hasattr(a, "review_decision")
        ]
        for codes, zh, en in (
            (waiting, "尚未完成专家抽取", "have no drawn panel yet"),
            (undecided, "尚未作出评审决定", "have no decision yet"),
        ):
            if codes:
                shown = "、".join(codes[:10]) + ("等" if len(codes) > 10 else "")
                problems.append(
                    Problem(
                        "applications",
                        f"{len(codes)} 项申报{zh}：{shown}",
                        f"{len(codes)} application(s) {en}: {', '.join(codes[:10])}",
                    )
                )
        if not problems and not apps:
            problems.append(Problem("applications", "没有评审中的申报", "nothing is in review"))
        if problems:
            raise Rejected(problems)
        for app in apps:
            d = app.review_decision
            note = d.opinion if not d.approved else f"立项资金 {wan(d.amount)} 万元。{d.opinion}"
            record_state(app, S.APPROVED if d.approved else S.NOT_APPROVED, user, note)
        notice = Notice.objects.create(call=call, published_at=timezone.now(), published_by=user)
        call.state = Call.State.DECIDED
        call.save(update_fields=["state", "updated_at"])
        for app in apps:
            _notify_result(app)
    return notice


def _notify_result(app: Application) -> None:
    d = app.review_decision
    what = f"“{app.title}”（{app.code}）"
    if d.approved:
        body_zh = f"经专家评审，同意立项，立项资金 {wan(d.amount)} 万元。\n评审组意见：{d.opinion}"
        body_en = f"Approved with ¥{wan(d.amount)}万.\nThe panel's opinion: {d.opinion}"
    else:
        body_zh = f"经专家评审，未予立项。\n评审组意见：{d.opinion}"
        body_en = f"Not approved.\nThe panel's opinion: {d.opinion}"
    notify(
        _applicant_users(app),
        title_zh=f"申报{what}评审结果已公布",
        title_en=f"Review result of application {app.code}",
        body_zh=body_zh,
        body_en=body_en,
        url=reverse("reviews:application", args=[app.pk]),
    )
