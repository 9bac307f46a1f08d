"""Writes of the policy app, each checking permission on the object, validating all input
first and writing in one transaction.

``user=None`` is the system itself (the loader, the scheduled matching); every person passes
their user and is checked. A policy's conditions are compiled by the pure core before it is
saved, so a stored condition always evaluates; the search tokens are rebuilt on every save.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.services import log_bulk
from kechuang.core import conditions as C
from kechuang.core.criteria import Result
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.enterprises.facts import facts_for_many
from kechuang.enterprises.models import Certification, Enterprise, Park
from kechuang.notifications.services import notify
from kechuang.policies import search
from kechuang.policies.models import (
    ApplicationChange,
    MatchRun,
    Policy,
    PolicyApplication,
    PolicyBenefit,
    PolicyMatch,
    PolicyPush,
    PolicyStateChange,
    Roster,
    RosterEntry,
)

PUSH_INTERVAL = dt.timedelta(days=1)
_PHONE = re.compile(r"^[0-9+()\-\s转,，、/]{5,100}$")


def _require(user, perm: str, obj=None) -> None:
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied("无权执行此操作 / not allowed")


def _label(key: str) -> str:
    if key == "benefits":
        return "支持内容"
    return str(Policy._meta.get_field(key).verbose_name)


# --- the catalog -----------------------------------------------------------------------------

TEXT_FIELDS = {
    "title": 300,
    "title_en": 300,
    "document_number": 100,
    "issuer": 200,
    "department": 200,
    "address": 300,
    "phone": 100,
}
LONG_FIELDS = ("summary", "summary_en", "full_text", "conditions_note")
DATE_FIELDS = ("issued_on", "effective_from", "expires_on")
REQUIRED = ("title", "issuer", "summary", "department")
POLICY_FIELDS = (
    "code",
    *TEXT_FIELDS,
    *LONG_FIELDS,
    *DATE_FIELDS,
    "level",
    "category",
    "steps",
    "materials",
    "conditions",
    "auto_grant",
    "grant_amount",
    "grant_trigger",
    "state",
    "benefits",
)


def _date(value: Any, where: str, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            Problem(where, f"日期格式应为 YYYY-MM-DD：{value}", f"not a date (YYYY-MM-DD): {value}")
        )
        return None


def _decimal(value: Any, where: str, problems: list[Problem]) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        problems.append(
            Problem(where, "金额请写成带引号的文本，以免浮点误差", "write amounts as quoted text")
        )
        return None
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite() or d < 0 or d.as_tuple().exponent < -2:
        problems.append(
            Problem(
                where,
                f"应为不小于 0、最多两位小数的数：{value}",
                f"must be a number ≥ 0 with at most two decimals: {value}",
            )
        )
        return None
    return d


def _lines(value: Any, where: str, problems: list[Problem]) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(where, "应为文本列表", "must be a list of texts"))
        return []
    return [v.strip() for v in value if v.strip()]


def check_policy(
    data: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], list[dict[str, Any]], list[Problem]]:
    """A policy as given → model field values, benefit rows, and every problem found."""
    problems: list[Problem] = []

    def where(key: str) -> str:
        return at(prefix, _label(key), key)

    unknown = sorted(set(data) - set(POLICY_FIELDS))
    for key in unknown:
        problems.append(Problem(at(prefix, key, key), "未知的字段", "unknown field"))
    out: dict[str, Any] = {}
    for key, limit in TEXT_FIELDS.items():
        text = str(data.get(key) or "").strip()
        if len(text) > limit:
            problems.append(
                Problem(where(key), f"不能超过 {limit} 个字", f"at most {limit} characters")
            )
        out[key] = text
    for key in LONG_FIELDS:
        out[key] = str(data.get(key) or "").strip()
    for key in REQUIRED:
        if not out[key]:
            problems.append(Problem(where(key), "必填", "required"))
    if out["phone"] and not _PHONE.match(out["phone"]):
        problems.append(
            Problem(
                where("phone"),
                "电话只能含数字、空格、+ - ( ) 和“转”；未知请留空（显示为“待补充”）",
                "digits, spaces, + - ( ) and 转 only; leave it blank when unknown",
            )
        )
    for key in DATE_FIELDS:
        out[key] = _date(data.get(key), where(key), problems)
    start, end = out["effective_from"], out["expires_on"]
    if start and end and end < start:
        problems.append(
            Problem(where("expires_on"), "有效期至早于施行日期", "expires before it takes effect")
        )
    for key, choices in (
        ("level", Policy.Level),
        ("category", Policy.Category),
        ("state", Policy.State),
    ):
        value = data.get(key) or (Policy.State.DRAFT if key == "state" else "")
        if value not in choices.values:
            problems.append(
                Problem(
                    where(key),
                    f"应为：{'、'.join(choices.values)}",
                    f"must be one of: {', '.join(choices.values)}",
                )
            )
        out[key] = value
    out["steps"] = _lines(data.get("steps"), where("steps"), problems)
    out["materials"] = _lines(data.get("materials"), where("materials"), problems)
    raw = data.get("conditions")
    out["conditions"] = None
    if raw not in (None, "", {}):
        found = C.check(raw)
        for p in found:
            path = "conditions" if p.where == "conditions" else f"conditions.{p.where}"
            problems.append(Problem(at(prefix, "申请条件", path), p.message_zh, p.message_en))
        if not found:
            out["conditions"] = C.compile_condition(raw).data
    out["auto_grant"] = bool(data.get("auto_grant"))
    out["grant_amount"] = _decimal(data.get("grant_amount"), where("grant_amount"), problems)
    trigger = data.get("grant_trigger") or ""
    if trigger and trigger not in Certification.Kind.values:
        problems.append(
            Problem(
                where("grant_trigger"),
                f"应为资质类型之一：{'、'.join(Certification.Kind.values)}",
                f"must be a certification kind: {', '.join(Certification.Kind.values)}",
            )
        )
    if out["auto_grant"] and not trigger:
        problems.append(
            Problem(
                where("grant_trigger"),
                "免申即享政策须写明兑现依据（期内取得的资质）",
                "a 免申即享 policy needs the certification that earns the grant",
            )
        )
    out["grant_trigger"] = trigger
    benefits = []
    raw_benefits = data.get("benefits") or []
    if not isinstance(raw_benefits, list):
        problems.append(Problem(where("benefits"), "应为列表", "must be a list"))
        raw_benefits = []
    for i, row in enumerate(raw_benefits):
        w = at(prefix, f"支持内容第 {i + 1} 项", f"benefits[{i}]")
        if isinstance(row, str):
            row = {"description": row}
        if not isinstance(row, Mapping) or not str(row.get("description") or "").strip():
            problems.append(Problem(w, "请写明支持内容", "the description is required"))
            continue
        benefits.append(
            {
                "position": i,
                "description": str(row["description"]).strip()[:500],
                "description_en": str(row.get("description_en") or "").strip()[:500],
                "amount": _decimal(row.get("amount"), w, problems),
                "unit": str(row.get("unit") or "").strip()[:20],
            }
        )
    return out, benefits, problems


BENEFIT_KEYS = ("description", "description_en", "amount", "unit")


def _benefit_rows(policy: Policy) -> list[dict[str, Any]]:
    return [{k: getattr(b, k) for k in ("position", *BENEFIT_KEYS)} for b in policy.benefits.all()]


def _log_state(policy: Policy, before: str, user, reason: str) -> None:
    if before != policy.state:
        PolicyStateChange.objects.create(
            policy=policy, from_state=before, to_state=policy.state, changed_by=user, reason=reason
        )


def save_policy(user, data: Mapping[str, Any], *, policy: Policy | None = None) -> Policy:
    """Create a policy (``policy`` None; ``data["code"]`` names it) or update one.

    Every problem is reported at once, with where it is — a condition naming an unknown fact
    as ``申请条件 / conditions.all[2].fact`` — and nothing is written.
    """
    _require(user, "policies.manage_policies", policy)
    values, benefits, problems = check_policy(data)
    code = (policy.code if policy is not None else str(data.get("code") or "")).strip()
    if policy is None:
        if not re.fullmatch(r"[a-z0-9][-a-z0-9_]{0,63}", code):
            problems.append(
                Problem(
                    at("", "政策代码", "code"),
                    "代码为至多 64 位小写字母、数字、- 或 _，以字母或数字开头",
                    "up to 64 lower-case letters, digits, - or _, starting with a letter or digit",
                )
            )
        elif Policy.objects.filter(code=code).exists():
            problems.append(
                Problem(at("", "政策代码", "code"), "代码已被使用", "the code is taken")
            )
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        if policy is None:
            policy = Policy(code=code)
            before = ""
        else:
            policy = Policy.objects.select_for_update().get(pk=policy.pk)
            before = policy.state
        for key, value in values.items():
            setattr(policy, key, value)
        for key, value in search.documents(policy).items():
            setattr(policy, key, value)
        policy.save()
        if _benefit_rows(policy) != benefits:
            policy.benefits.all().delete()
            made = PolicyBenefit.objects.bulk_create(
                PolicyBenefit(policy=policy, **b) for b in benefits
            )
            log_bulk(
                made,
                LogEntry.Action.CREATE,
                actor=user,
                fields=["description", "amount", "unit"],
                note="save_policy",
            )
        _log_state(policy, before, user, "保存 / saved")
    return policy


def policy_data(policy: Policy) -> dict[str, Any]:
    """A stored policy in the form ``save_policy`` takes (for editing, exports and the loader's
    "unchanged" check)."""
    data = {k: getattr(policy, k) for k in POLICY_FIELDS if k not in {"code", "benefits"}}
    data["benefits"] = [{k: b[k] for k in BENEFIT_KEYS} for b in _benefit_rows(policy)]
    return data


def expire_due(today: dt.date | None = None, *, user=None) -> int:
    """Mark published policies past their last day expired; they are kept, never deleted."""
    _require(user, "policies.manage_policies")
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Policy.objects.select_for_update().filter(
                state=Policy.State.PUBLISHED, expires_on__lt=today
            )
        )
        for policy in due:
            policy.state = Policy.State.EXPIRED
            policy.save(update_fields=["state", "updated_at"])
            _log_state(policy, Policy.State.PUBLISHED, user, f"{policy.expires_on} 到期 / expired")
    return len(due)


# --- matching --------------------------------------------------------------------------------


def policies_in_force(on: dt.date) -> list[Policy]:
    return list(
        Policy.objects.filter(state=Policy.State.PUBLISHED, conditions__isnull=False)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .order_by("pk")
    )


@dataclass
class MatchReport:
    matched_on: dt.date
    policies: int = 0
    enterprises: int = 0
    eligible: int = 0
    possibly: int = 0


def start_run(user, on: dt.date | None = None) -> MatchRun:
    """A queued matching run (the task or the command then carries it out)."""
    _require(user, "policies.run_matching")
    return MatchRun.objects.create(matched_on=on or timezone.localdate(), created_by=user)


def match_all(
    on: dt.date | None = None,
    *,
    user=None,
    run: MatchRun | None = None,
    chunk_size: int = 2000,
) -> MatchReport:
    """Evaluate every policy in force against every registry enterprise and store the eligible
    and possibly-eligible pairs with their explanations.

    Enterprises are read in chunks (five queries each); each chunk's facts are derived once and
    decided for all policies at once by the core's matcher; only the pairs worth storing are
    explained one by one. Each chunk replaces its enterprises' matches in one short transaction,
    and matches this run did not refresh (enterprises gone, policies no longer in force) are
    deleted at the end.
    """
    _require(user, "policies.run_matching")
    if run is None:
        run = MatchRun.objects.create(matched_on=on or timezone.localdate(), created_by=user)
    on = run.matched_on
    expire_due(min(on, timezone.localdate()))  # a run for a future day expires nothing early
    policies = policies_in_force(on)
    compiled = {p.pk: C.compile_condition(p.conditions) for p in policies}
    matcher = C.Matcher(compiled)
    enterprises = Enterprise.objects.all()
    parks = dict(Park.objects.values_list("pk", "code"))
    report = MatchReport(on, policies=len(policies))
    run.status, run.started_at = MatchRun.Status.RUNNING, timezone.now()
    run.total, run.policies = enterprises.count(), len(policies)
    run.save()
    now = timezone.now()
    try:
        batch: list[tuple[Enterprise, C.Subject]] = []
        for enterprise, facts in facts_for_many(enterprises, on=on, chunk_size=chunk_size):
            batch.append(
                (
                    enterprise,
                    C.Subject(facts, enterprise.in_district, parks.get(enterprise.park_id)),
                )
            )
            if len(batch) == chunk_size:
                _match_chunk(batch, matcher, on, run, now, report)
                batch = []
        if batch:
            _match_chunk(batch, matcher, on, run, now, report)
        PolicyMatch.objects.exclude(run=run).delete()
    except Exception as exc:
        run.status, run.error, run.finished_at = MatchRun.Status.FAILED, str(exc), timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status, run.finished_at = MatchRun.Status.DONE, timezone.now()
    run.eligible, run.possibly = report.eligible, report.possibly
    run.save(update_fields=["status", "finished_at", "eligible", "possibly"])
    return report


def _match_chunk(
    batch: list[tuple[Enterprise, C.Subject]],
    matcher: C.Matcher,
    on: dt.date,
    run: MatchRun,
    now: dt.datetime,
    report: MatchReport,
) -> None:
    subjects = [s for _, s in batch]
    outcomes = matcher.run(subjects, on)
    values: dict[int, dict[str, Any]] = {}
    results: dict[int, dict[str, Result]] = {}
    rows: list[PolicyMatch] = []
    for pk, out in outcomes.items():
        condition = matcher.conditions[pk]
        for verdict, indices in (
            (PolicyMatch.Verdict.ELIGIBLE, out.eligible),
            (PolicyMatch.Verdict.POSSIBLY, out.possibly),
        ):
            for i in indices:
                enterprise, subject = batch[i]
                if i not in values:
                    values[i] = C.derive(subject, on, matcher.facts)
                    results[i] = {}
                evaluation = C.evaluate(
                    condition, subject, on, values=values[i], results=results[i]
                )
                data = C.evaluation_to_dict(evaluation)
                rows.append(
                    PolicyMatch(
                        policy_id=pk,
                        enterprise=enterprise,
                        verdict=verdict,
                        missing=data["missing"],
                        explanation=data["trace"],
                        matched_on=on,
                        run=run,
                        computed_at=now,
                        is_demo=enterprise.is_demo,
                    )
                )
        eligible, possibly, _ = out.counts
        report.eligible += eligible
        report.possibly += possibly
    with transaction.atomic():
        PolicyMatch.objects.filter(enterprise_id__in=[e.pk for e, _ in batch]).delete()
        PolicyMatch.objects.bulk_create(rows, batch_size=1000)
        report.enterprises += len(batch)
        run.done = report.enterprises
        run.save(update_fields=["done"])


# --- applications ----------------------------------------------------------------------------


def record_application(
    user,
    policy: Policy,
    enterprise: Enterprise,
    *,
    status: str = PolicyApplication.Status.APPLIED,
    on: dt.date | None = None,
    amount: Any = None,
    basis: str = "",
    note: str = "",
    via: str = PolicyApplication.Via.APPLICATION,
) -> PolicyApplication:
    """Record that an enterprise applied for a policy, or the decision on it.

    The bureau records any status; an enterprise user may only declare that its own enterprise
    applied. Each change of status is kept as a row of history.
    """
    _require(user, "policies.record_application", enterprise)
    problems: list[Problem] = []
    if status not in PolicyApplication.Status.values:
        problems.append(
            Problem(
                at("", "状态", "status"),
                f"应为：{'、'.join(PolicyApplication.Status.values)}",
                f"must be one of: {', '.join(PolicyApplication.Status.values)}",
            )
        )
    elif (
        user is not None
        and not user.has_perm("policies.manage_policies")
        and status != PolicyApplication.Status.APPLIED
    ):
        raise PermissionDenied("企业只能登记“已申请” / enterprises may only declare applying")
    if policy.state == Policy.State.DRAFT:
        problems.append(
            Problem(at("", "政策", "policy"), "政策尚未发布", "the policy is not published")
        )
    value = _decimal(amount, at("", "金额（元）", "amount"), problems)
    note = (note or "").strip()
    if len(note) > 500:
        problems.append(
            Problem(at("", "备注", "note"), "不能超过 500 个字", "at most 500 characters")
        )
    if problems:
        raise Rejected(problems)
    day = on or timezone.localdate()
    with transaction.atomic():
        app = (
            PolicyApplication.objects.select_for_update()
            .filter(policy=policy, enterprise=enterprise, basis=basis)
            .first()
        )
        before = ""
        if app is None:
            app = PolicyApplication(
                policy=policy,
                enterprise=enterprise,
                basis=basis,
                via=via,
                is_demo=enterprise.is_demo,
                recorded_by=user,
            )
        else:
            before = app.status
            if before == status and value == app.amount:
                return app
            if before == PolicyApplication.Status.GRANTED and status != before:
                raise Rejected(
                    [
                        Problem(
                            at("", "状态", "status"),
                            "已兑现的记录不能改回",
                            "a grant cannot be undone",
                        )
                    ]
                )
        app.status = status
        if status == PolicyApplication.Status.APPLIED:
            app.applied_on = app.applied_on or day
        elif status == PolicyApplication.Status.GRANTED:
            app.granted_on = day
        app.amount = value if value is not None else app.amount
        app.note = note or app.note
        app.save()
        ApplicationChange.objects.create(
            application=app,
            from_status=before,
            to_status=status,
            amount=app.amount,
            note=note,
            changed_by=user,
            is_demo=app.is_demo,
        )
    return app


# --- pushing notices (政策找企业) -------------------------------------------------------------


@dataclass
class PushReport:
    pushed: int = 0  # enterprises notified
    recipients: int = 0  # users notified
    recent: int = 0  # skipped: pushed within the last day
    no_users: int = 0  # skipped: no active user to tell
    enterprises: list[int] = field(default_factory=list)


def push_notice(
    user,
    policy: Policy,
    *,
    verdicts: Iterable[str] = (PolicyMatch.Verdict.ELIGIBLE,),
    now: dt.datetime | None = None,
) -> PushReport:
    """Tell the users of every matched enterprise that has not applied about the policy.

    An enterprise pushed about the same policy within the last day is skipped, so pressing the
    button twice sends nothing twice. Each push is recorded with who pushed it and when.
    """
    _require(user, "policies.push_notice", policy)
    verdicts = list(verdicts)
    problems = []
    if not policy.in_force_on(timezone.localdate()):
        problems.append(
            Problem(
                at("", "政策", "policy"),
                "政策未发布、尚未施行或已失效，不能推送",
                "the policy is not in force",
            )
        )
    if not verdicts or set(verdicts) - set(PolicyMatch.Verdict.values):
        problems.append(
            Problem(
                at("", "匹配结果", "verdicts"),
                "应为“符合”和/或“可能符合”",
                "must be eligible and/or possibly",
            )
        )
    if problems:
        raise Rejected(problems)
    now = now or timezone.now()
    matches = list(
        PolicyMatch.objects.filter(policy=policy, verdict__in=verdicts)
        .exclude(enterprise__policy_applications__policy=policy)
        .select_related("enterprise")
        .order_by("enterprise_id")
    )
    recent = set(
        PolicyPush.objects.filter(
            policy=policy,
            enterprise_id__in=[m.enterprise_id for m in matches],
            pushed_at__gt=now - PUSH_INTERVAL,
        ).values_list("enterprise_id", flat=True)
    )
    report = PushReport()
    due = [m for m in matches if m.enterprise_id not in recent]
    report.recent = len(matches) - len(due)
    users_by_org: dict[int, list] = {}
    for u in get_user_model().objects.filter(
        organization_id__in=[m.enterprise.organization_id for m in due],
        role="enterprise",
        is_active=True,
    ):
        users_by_org.setdefault(u.organization_id, []).append(u)
    pushes, recipients = [], []
    for m in due:
        users = users_by_org.get(m.enterprise.organization_id, [])
        if not users:
            report.no_users += 1
            continue
        recipients += users
        pushes.append(
            PolicyPush(
                policy=policy,
                enterprise=m.enterprise,
                verdict=m.verdict,
                recipients=len(users),
                pushed_by=user,
                pushed_at=now,
                is_demo=m.is_demo,
            )
        )
    with transaction.atomic():
        if recipients:
            report.recipients = notify(
                recipients,
                title_zh=f"政策提醒：贵企业可能符合《{policy.title}》",
                title_en="Policy notice: your enterprise may qualify for "
                + (policy.title_en or policy.title),
                body_zh=(
                    f"根据平台数据，贵企业可能符合《{policy.title}》。"
                    f"落实部门：{policy.department}；联系电话：{policy.phone or '待补充'}。"
                    "请在“政策可享清单”查看逐项条件与缺少的数据。"
                ),
                body_en=(
                    "The platform's data suggest your enterprise may qualify. See the list of "
                    "policies you may enjoy for each condition and any data still missing."
                ),
                url=reverse("policies:mine"),
            )
        created = PolicyPush.objects.bulk_create(pushes)
        log_bulk(
            created,
            LogEntry.Action.CREATE,
            actor=user,
            fields=["policy", "enterprise", "recipients"],
            note="push_notice",
        )
    report.pushed = len(created)
    report.enterprises = [p.enterprise_id for p in created]
    return report


# --- 免申即享 rosters -------------------------------------------------------------------------


def _basis(cert: Certification) -> str:
    return f"{cert.kind}:{cert.number or cert.issued_on.isoformat()}"


def prepare_roster(
    user,
    policy: Policy,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> Roster:
    """The beneficiary roster of a 免申即享 policy for a period, built from the registry.

    Every enterprise that obtained the policy's trigger certification within [start, end] is
    listed, with the policy's conditions evaluated on ``today`` (a grant is paid now, so a firm
    listed as dishonest today is not paid). Eligible ones are included; possibly-eligible ones
    wait for staff to check and include them; not-eligible ones are shown, excluded, with the
    reason. Certificates that already earned a grant are left out and counted.
    """
    _require(user, "policies.manage_rosters", policy)
    today = today or timezone.localdate()
    problems = []
    if not policy.auto_grant or not policy.grant_trigger:
        problems.append(
            Problem(
                at("", "政策", "policy"),
                "不是免申即享政策（或未设兑现依据）",
                "not a 免申即享 policy with a trigger",
            )
        )
    if policy.state != Policy.State.PUBLISHED:
        problems.append(
            Problem(at("", "政策", "policy"), "政策未发布或已失效", "the policy is not in force")
        )
    if end < start:
        problems.append(
            Problem(at("", "期间止", "end"), "期间止早于期间起", "the period ends before it starts")
        )
    if end > today:
        problems.append(
            Problem(
                at("", "期间止", "end"), "期间止不能晚于今天", "the period cannot end after today"
            )
        )
    if Roster.objects.filter(
        policy=policy,
        status=Roster.Status.DRAFT,
        period_start__lte=end,
        period_end__gte=start,
    ).exists():
        problems.append(
            Problem(
                at("", "期间", "period"),
                "该期间已有待审核的名单，请先审核或退回",
                "a roster for an overlapping period awaits review",
            )
        )
    if problems:
        raise Rejected(problems)
    condition = C.compile_condition(policy.conditions) if policy.conditions else None
    certs = list(
        Certification.objects.filter(
            kind=policy.grant_trigger, issued_on__gte=start, issued_on__lte=end
        ).order_by("enterprise_id", "issued_on")
    )
    granted = set(
        PolicyApplication.objects.filter(
            policy=policy, status=PolicyApplication.Status.GRANTED
        ).values_list("enterprise_id", "basis")
    )
    fresh = [c for c in certs if (c.enterprise_id, _basis(c)) not in granted]
    parks = dict(Park.objects.values_list("pk", "code"))
    by_enterprise: dict[int, list[Certification]] = {}
    for c in fresh:
        by_enterprise.setdefault(c.enterprise_id, []).append(c)
    entries = []
    qs = Enterprise.objects.filter(pk__in=list(by_enterprise))
    for enterprise, facts in facts_for_many(qs, on=today):
        if condition is None:
            verdict, missing, trace = C.Verdict.ELIGIBLE, [], {}
        else:
            subject = C.Subject(facts, enterprise.in_district, parks.get(enterprise.park_id))
            data = C.evaluation_to_dict(C.evaluate(condition, subject, today))
            verdict, missing, trace = C.Verdict(data["verdict"]), data["missing"], data["trace"]
        for cert in by_enterprise[enterprise.pk]:
            entries.append(
                RosterEntry(
                    enterprise=enterprise,
                    basis=_basis(cert),
                    basis_date=cert.issued_on,
                    verdict=verdict.value,
                    missing=missing,
                    explanation=trace,
                    included=verdict is C.Verdict.ELIGIBLE,
                    amount=policy.grant_amount,
                )
            )
    with transaction.atomic():
        roster = Roster.objects.create(
            policy=policy,
            period_start=start,
            period_end=end,
            amount_each=policy.grant_amount,
            prepared_by=user,
            already_granted=len(certs) - len(fresh),
            is_demo=bool(entries) and all(e.enterprise.is_demo for e in entries),
        )
        for e in entries:
            e.roster = roster
        RosterEntry.objects.bulk_create(entries)
        log_bulk(
            roster.entries.all(),
            LogEntry.Action.CREATE,
            actor=user,
            fields=["enterprise", "basis", "verdict", "included"],
            note="prepare_roster",
        )
    return roster


def _draft(roster: Roster) -> None:
    if roster.status != Roster.Status.DRAFT:
        raise Rejected(
            [Problem(at("", "名单", "roster"), "名单已审核，不能修改", "the roster was decided")]
        )


def set_entry_included(user, entry: RosterEntry, included: bool) -> RosterEntry:
    """Include a possibly-eligible enterprise after checking by hand, or leave one out."""
    _require(user, "policies.manage_rosters", entry.roster.policy)
    _draft(entry.roster)
    if included and entry.verdict == C.Verdict.NOT_ELIGIBLE.value:
        raise Rejected(
            [
                Problem(
                    at("", entry.enterprise.name, "included"),
                    "不符合条件的企业不能列入名单",
                    "an enterprise that is not eligible cannot be included",
                )
            ]
        )
    if entry.included != included:
        entry.included = included
        entry.save(update_fields=["included"])
    return entry


def approve_roster(user, roster: Roster, *, comment: str = "") -> list[PolicyApplication]:
    """Approve a roster: every included entry becomes a grant, and the enterprise is told.

    The person approving must not be the one who prepared it (经办与审核分离), and the
    policy's amount must be set, since a grant names what is paid.
    """
    _require(user, "policies.manage_rosters", roster.policy)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().select_related("policy").get(pk=roster.pk)
        _draft(roster)
        policy = roster.policy
        entries = list(roster.entries.filter(included=True).select_related("enterprise"))
        problems = []
        if user is not None and roster.prepared_by_id == user.pk:
            problems.append(
                Problem(
                    at("", "审核人", "decided_by"),
                    "名单须由编制人以外的人员审核",
                    "someone other than the preparer must approve",
                )
            )
        if policy.grant_amount is None:
            problems.append(
                Problem(
                    at("", "每家兑现金额（元）", "grant_amount"),
                    "请先在政策中设置兑现金额",
                    "set the policy's grant amount first",
                )
            )
        if not entries:
            problems.append(
                Problem(at("", "名单", "entries"), "名单中没有列入的企业", "no entry is included")
            )
        if problems:
            raise Rejected(problems)
        today = timezone.localdate()
        grants = []
        for entry in entries:
            app = record_application(
                None,
                policy,
                entry.enterprise,
                status=PolicyApplication.Status.GRANTED,
                on=today,
                amount=policy.grant_amount,
                basis=entry.basis,
                note=f"免申即享名单 #{roster.pk}",
                via=PolicyApplication.Via.ROSTER,
            )
            entry.application, entry.amount = app, policy.grant_amount
            grants.append(app)
        RosterEntry.objects.bulk_update(entries, ["application", "amount"])
        roster.status, roster.decided_by, roster.decided_at = (
            Roster.Status.APPROVED,
            user,
            timezone.now(),
        )
        roster.amount_each, roster.comment = policy.grant_amount, comment.strip()[:500]
        roster.save()
        orgs = [e.enterprise.organization_id for e in entries]
        users = get_user_model().objects.filter(
            organization_id__in=orgs, role="enterprise", is_active=True
        )
        notify(
            users,
            title_zh=f"免申即享：贵企业已列入《{policy.title}》兑现名单",
            title_en=f"Granted without application: {policy.title_en or policy.title}",
            body_zh=f"落实部门：{policy.department}；联系电话：{policy.phone or '待补充'}。",
            body_en="Your enterprise is on the approved roster; no application is needed.",
            url=reverse("policies:mine"),
        )
    return grants


def reject_roster(user, roster: Roster, *, comment: str) -> Roster:
    _require(user, "policies.manage_rosters", roster.policy)
    _draft(roster)
    comment = (comment or "").strip()
    if not comment:
        raise Rejected(
            [Problem(at("", "审核意见", "comment"), "退回须写明原因", "say why it is returned")]
        )
    roster.status, roster.decided_by, roster.decided_at = (
        Roster.Status.REJECTED,
        user,
        timezone.now(),
    )
    roster.comment = comment[:500]
    roster.save()
    return roster
