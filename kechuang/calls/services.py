"""Writes for calls and applications: the bureau's calls, the applicants' drafts, attachments,
submission, withdrawal and the formal check (形式审查).

Permission is checked here, on the object, so the pages and the API obey the same rules. Every
function checks all of its input first and raises ``Rejected`` listing each problem; only then
does it write, in one transaction. Every change of an application's state goes through
:func:`record_state`, which writes a ``StateChange`` row and refuses a transition the workflow
does not allow or that someone else made first.

Two timing rules, decided here:

- The window is ``opens_at ≤ now < closes_at``: at ``closes_at`` exactly submissions are closed
  ("17:00 截止" leaves nothing for 17:00 itself).
- A returned application may be resubmitted until the ``resubmit_by`` the bureau set when
  returning it, or, when none was set, while the call's window is open. Returning after the
  window closed therefore needs a ``resubmit_by``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.audit.services import log_bulk
from kechuang.calls import selectors
from kechuang.calls.models import (
    Application,
    ApplicationField,
    Attachment,
    Call,
    CallSection,
    CodeCounter,
    Criterion,
    Program,
    StateChange,
)
from kechuang.calls.rules import APPLICANT_KINDS
from kechuang.core import eligibility
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.models import Enterprise
from kechuang.notifications.services import notify
from kechuang.uploads import DOCUMENT_KINDS, UploadLike, check_files

S = Application.State
MAX_TITLE = 300
MAX_SUMMARY = 2000
MAX_ANSWER = 50_000  # a draft may run over a section's limit; submission enforces the limit
MAX_NOTE = 2000
MAX_ATTACHMENTS = 20
MAX_MONEY = Decimal("99999999999999.99")
HUNDRED = Decimal(100)
# Paths under /calls/ that a call code would shadow.
RESERVED_CODES = {"mine", "manage", "applications", "attachments", "new", "formal-check"}
_SLUG = re.compile(r"[-a-z0-9_]+")

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.RETURNED, S.REJECTED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.NOT_APPROVED, S.WITHDRAWN}),
}
# Before a decision an applicant may still withdraw.
WITHDRAWABLE = frozenset(s for s, targets in TRANSITIONS.items() if S.WITHDRAWN in targets)


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def local(moment: dt.datetime) -> str:
    """A moment as people in the bureau read it: local time (Asia/Shanghai), to the minute."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def wan(amount: Decimal) -> str:
    return f"{amount / 10000:,.2f}"


def _text(value, where: str, zh: str, en: str, limit: int, required: bool = True):
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


def _number(value, where: str, zh: str, en: str, *, positive: bool = True, yuan: bool = True):
    """A Decimal with at most two decimals (money in yuan, or a weight)."""
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        unit_zh, unit_en = ("（元）", " (yuan)") if yuan else ("", "")
        return None, [
            Problem(where, f"请填写有效的{zh}{unit_zh}", f"a valid {en}{unit_en} is required")
        ]
    problems = []
    if amount.as_tuple().exponent < -2:
        problems.append(Problem(where, f"{zh}最多保留两位小数", f"{en} has at most two decimals"))
    if amount < 0 or (positive and amount == 0):
        problems.append(
            Problem(where, f"{zh}应大于 0", f"{en} must be more than 0")
            if positive
            else Problem(where, f"{zh}不能为负数", f"{en} cannot be negative")
        )
    if amount > MAX_MONEY:
        problems.append(Problem(where, f"{zh}过大", f"{en} is too large"))
    return amount, problems


def _moment(value, where: str, zh: str, en: str):
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        return [Problem(where, f"请填写有效的{zh}", f"a valid {en} is required")]
    return []


# --- calls ----------------------------------------------------------------------------------------


def _check_sections(sections, call: Call | None) -> tuple[list[dict], list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(sections, list | tuple) or not sections:
        return [], [
            Problem("sections", "至少设置一个申报书栏目", "at least one section is required")
        ]
    clean, keys = [], set()
    for i, s in enumerate(sections, start=1):
        where = f"sections[{i}]"
        key = str(s.get("key", "")).strip()
        if not _SLUG.fullmatch(key) or len(key) > 40:
            problems.append(
                Problem(
                    f"{where}.key",
                    f"栏目代码「{key}」只能用小写字母、数字、- 和 _（最多 40 个）",
                    f"section key '{key}' may use a-z, 0-9, - and _ only (at most 40)",
                )
            )
        elif key in keys:
            problems.append(
                Problem(f"{where}.key", f"栏目代码「{key}」重复", f"section key '{key}' repeats")
            )
        keys.add(key)
        title, p = _text(s.get("title"), f"{where}.title", "栏目标题", "the section title", 200)
        problems += p
        title_en, p = _text(s.get("title_en"), f"{where}.title_en", "英文标题", "title", 200, False)
        problems += p
        guidance, p = _text(
            s.get("guidance"), f"{where}.guidance", "填写说明", "the guidance", 2000, False
        )
        problems += p
        max_chars = s.get("max_chars", 3000)
        if (
            isinstance(max_chars, bool)
            or not isinstance(max_chars, int)
            or not (1 <= max_chars <= MAX_ANSWER)
        ):
            problems.append(
                Problem(
                    f"{where}.max_chars",
                    f"字数上限应为 1–{MAX_ANSWER:,} 的整数",
                    f"the character limit must be a whole number from 1 to {MAX_ANSWER:,}",
                )
            )
        clean.append(
            {
                "key": key,
                "title": title,
                "title_en": title_en,
                "guidance": guidance,
                "required": bool(s.get("required", True)),
                "max_chars": max_chars,
            }
        )
    if call is not None and call.pk and call.applications.exists():
        for gone in set(call.sections.values_list("key", flat=True)) - keys:
            problems.append(
                Problem(
                    "sections",
                    f"已有单位申报，不能删除栏目「{gone}」",
                    f"applications exist: section '{gone}' cannot be removed",
                )
            )
    return clean, problems


def _check_criteria(criteria) -> tuple[list[dict], list[Problem]]:
    if not isinstance(criteria, list | tuple) or not criteria:
        return [], [Problem("criteria", "至少设置一项评审指标", "at least one criterion is needed")]
    problems: list[Problem] = []
    clean, total, complete = [], Decimal(0), True
    for i, c in enumerate(criteria, start=1):
        where = f"criteria[{i}]"
        name, p = _text(c.get("name"), f"{where}.name", "评审指标名称", "the criterion name", 200)
        problems += p
        name_en, p = _text(c.get("name_en"), f"{where}.name_en", "英文名称", "name", 200, False)
        problems += p
        description, p = _text(
            c.get("description"), f"{where}.description", "评分说明", "the description", 2000, False
        )
        problems += p
        weight, weight_problems = _number(
            c.get("weight"), f"{where}.weight", "权重", "weight", yuan=False
        )
        problems += weight_problems
        if weight_problems:
            complete = False
        else:
            total += weight
        max_score, p = _number(
            c.get("max_score", 100), f"{where}.max_score", "满分", "full marks", yuan=False
        )
        problems += p
        clean.append(
            {
                "name": name,
                "name_en": name_en,
                "description": description,
                "weight": weight,
                "max_score": max_score,
            }
        )
    if complete and total != HUNDRED:
        problems.append(
            Problem(
                "criteria",
                f"评审指标权重合计应为 100（现为 {total.normalize():f}）",
                f"the criteria weights must sum to 100 (now {total.normalize():f})",
            )
        )
    return clean, problems


def _check_call(data: dict, call: Call | None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    program = data.get("program")
    if not isinstance(program, Program):
        problems.append(Problem("program", "请选择科技计划", "choose a program"))
    code = str(data.get("code") or "").strip()
    if not _SLUG.fullmatch(code) or len(code) > 64 or code in RESERVED_CODES:
        problems.append(
            Problem(
                "code",
                f"编号「{code}」只能用小写字母、数字、- 和 _（最多 64 个），且不能是保留词",
                f"code '{code}' may use a-z, 0-9, - and _ only (at most 64), not a reserved word",
            )
        )
    elif Call.objects.filter(code=code).exclude(pk=getattr(call, "pk", None)).exists():
        problems.append(Problem("code", f"编号「{code}」已被使用", f"code '{code}' is taken"))
    elif call is not None and call.state != Call.State.DRAFT and code != call.code:
        problems.append(
            Problem("code", "已发布的申报指南不能改编号", "a published call keeps its code")
        )
    title, p = _text(data.get("title"), "title", "标题", "the title", MAX_TITLE)
    problems += p
    title_en, p = _text(data.get("title_en"), "title_en", "英文标题", "the title", MAX_TITLE, False)
    problems += p
    description, p = _text(
        data.get("description"), "description", "申报说明", "the description", 20_000, False
    )
    problems += p
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(Problem("year", "年度应为 2000–2100 的整数", "year must be 2000–2100"))
    opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
    window = _moment(opens_at, "opens_at", "开始申报时间", "opening time")
    window += _moment(closes_at, "closes_at", "申报截止时间", "closing time")
    if not window and opens_at >= closes_at:
        window.append(
            Problem(
                "closes_at",
                f"申报截止时间（{local(closes_at)}）应晚于开始时间（{local(opens_at)}）",
                f"the closing time ({local(closes_at)}) must be after the opening time "
                f"({local(opens_at)})",
            )
        )
    problems += window
    budget, p = _number(data.get("budget"), "budget", "资金总额", "budget")
    problems += p
    max_amount = data.get("max_amount")
    if max_amount not in (None, ""):
        max_amount, p = _number(max_amount, "max_amount", "单项申请上限", "per-application cap")
        problems += p
        if not p and budget is not None and max_amount > budget:
            problems.append(
                Problem(
                    "max_amount",
                    f"单项申请上限（{wan(max_amount)} 万元）不能超过资金总额（{wan(budget)} 万元）",
                    f"the cap (¥{wan(max_amount)}万) cannot exceed the budget (¥{wan(budget)}万)",
                )
            )
    else:
        max_amount = None
    codes = data.get("eligibility") or []
    problems += eligibility.check_codes(codes)
    panel_size = data.get("panel_size", 5)
    if isinstance(panel_size, bool) or not isinstance(panel_size, int) or not 1 <= panel_size <= 30:
        problems.append(
            Problem("panel_size", "每项评审专家数应为 1–30", "the panel size must be 1–30")
        )
    review_deadline = data.get("review_deadline")
    if review_deadline is not None:
        p = _moment(review_deadline, "review_deadline", "评审截止时间", "review deadline")
        if not p and not window and review_deadline <= closes_at:
            p.append(
                Problem(
                    "review_deadline",
                    "评审截止时间应晚于申报截止时间",
                    "the review deadline must be after the closing time",
                )
            )
        problems += p
    sections, p = _check_sections(data.get("sections"), call)
    problems += p
    criteria, p = _check_criteria(data.get("criteria"))
    problems += p
    clean = {
        "program": program,
        "code": code,
        "title": title,
        "title_en": title_en,
        "description": description,
        "year": year,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "budget": budget,
        "max_amount": max_amount,
        "eligibility": [eligibility.parse(c).code for c in codes] if not problems else [],
        "panel_size": panel_size,
        "review_deadline": review_deadline,
    }
    return {"fields": clean, "sections": sections, "criteria": criteria}, problems


def _write_call(call: Call, clean: dict) -> Call:
    for name, value in clean["fields"].items():
        setattr(call, name, value)
    call.save()
    existing = {s.key: s for s in call.sections.all()}
    for order, s in enumerate(clean["sections"]):
        section = existing.pop(s["key"], None) or CallSection(call=call, key=s["key"])
        for name, value in s.items():
            setattr(section, name, value)
        section.order = order
        section.save()
    for gone in existing.values():
        gone.delete()
    # Criteria are matched by position, so the reviews app's scores keep their criterion.
    current = list(call.criteria.order_by("order", "id"))
    for order, c in enumerate(clean["criteria"]):
        criterion = current[order] if order < len(current) else Criterion(call=call)
        for name, value in c.items():
            setattr(criterion, name, value)
        criterion.order = order
        criterion.save()
    for gone in current[len(clean["criteria"]) :]:
        gone.delete()
    return call


@transaction.atomic
def create_call(user, **data) -> Call:
    """A new call (draft) with its sections and criteria; ``publish`` makes it public."""
    _require(user, "calls.manage_calls", None, "只有科技局可以发布申报指南", "bureau only")
    clean, problems = _check_call(data, None)
    if problems:
        raise Rejected(problems)
    return _write_call(Call(created_by=user), clean)


@transaction.atomic
def update_call(user, call: Call, **data) -> Call:
    """Replace a call's details, sections and criteria while it is a draft or open."""
    _require(user, "calls.manage_calls", call, "只有科技局可以修改申报指南", "bureau only")
    call = Call.objects.select_for_update().get(pk=call.pk)
    clean, problems = _check_call(data, call)
    if call.state not in (Call.State.DRAFT, Call.State.PUBLISHED):
        problems.insert(
            0,
            Problem(
                "state",
                f"申报指南已{call.get_state_display()}，不能再修改",
                f"the call is {call.state} and can no longer be changed",
            ),
        )
    if problems:
        raise Rejected(problems)
    return _write_call(call, clean)


@transaction.atomic
def publish(user, call: Call) -> Call:
    _require(user, "calls.manage_calls", call, "只有科技局可以发布申报指南", "bureau only")
    call = Call.objects.select_for_update().get(pk=call.pk)
    problems = []
    if call.state != Call.State.DRAFT:
        problems.append(Problem("state", "该申报指南已发布", "the call is already published"))
    if call.closes_at <= timezone.now():
        problems.append(
            Problem(
                "closes_at",
                f"申报截止时间 {local(call.closes_at)} 已过，请先修改",
                f"the closing time {local(call.closes_at)} has passed; change it first",
            )
        )
    if problems:
        raise Rejected(problems)
    call.state, call.published_at = Call.State.PUBLISHED, timezone.now()
    call.save(update_fields=["state", "published_at", "updated_at"])
    return call


@transaction.atomic
def close_call(user, call: Call) -> Call:
    """Stop submissions now, whatever the window said."""
    _require(user, "calls.manage_calls", call, "只有科技局可以关闭申报", "bureau only")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.state != Call.State.PUBLISHED:
        raise Rejected(
            [Problem("state", "只有已发布的申报指南可以关闭", "only a published call can close")]
        )
    call.state = Call.State.CLOSED
    call.save(update_fields=["state", "updated_at"])
    return call


# --- the state of an application ------------------------------------------------------------------


def _state_label(state: str) -> str:
    return str(S(state).label)


@transaction.atomic
def record_state(application: Application, to_state: str, by, note: str = "", **changes):
    """Move ``application`` to ``to_state`` and write the ``StateChange`` that says so.

    ``changes`` are further fields set in the same UPDATE. The UPDATE is conditional on the
    state the caller saw, so of two simultaneous moves exactly one wins; the other is refused.
    Callers check permissions; this checks the workflow. Returns the ``StateChange``.
    """
    from_state = application.state
    if to_state not in TRANSITIONS.get(from_state, ()):
        raise Rejected(
            [
                Problem(
                    "state",
                    f"申报当前为“{_state_label(from_state)}”，不能变为“{_state_label(to_state)}”",
                    f"an application that is {from_state} cannot become {to_state}",
                )
            ]
        )
    now = timezone.now()
    before = {"state": from_state} | {k: getattr(application, k) for k in changes}
    moved = Application.objects.filter(pk=application.pk, state=from_state).update(
        state=to_state, updated_at=now, **changes
    )
    if not moved:
        current = Application.objects.filter(pk=application.pk).values_list("state", flat=True)
        label = _state_label(current.first() or from_state)
        raise Rejected(
            [
                Problem(
                    "state",
                    f"该申报刚刚已被变更为“{label}”，请刷新后查看",
                    f"the application was just changed to {label}; reload to see it",
                )
            ]
        )
    application.state, application.updated_at = to_state, now
    for name, value in changes.items():
        setattr(application, name, value)
    # A conditional UPDATE bypasses auditlog's signals: record the entry ourselves.
    log_bulk(
        [application],
        LogEntry.Action.UPDATE,
        actor=by,
        fields=list(before),
        before={application.pk: before},
    )
    return StateChange.objects.create(
        application=application,
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=now,
        note=note,
    )


# --- drafts -------------------------------------------------------------------------------------


def _check_content(call: Call, applicant: Organization, data: dict) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    title, p = _text(data.get("title"), "title", "项目名称", "the project title", MAX_TITLE)
    problems += p
    summary, p = _text(
        data.get("summary"), "summary", "项目简介", "the summary", MAX_SUMMARY, False
    )
    problems += p
    fields = list(data.get("fields") or [])
    allowed = set(Enterprise.HighTechField.values)
    wrong = [f for f in fields if f not in allowed]
    if wrong:
        problems.append(
            Problem(
                "fields",
                f"技术领域「{'、'.join(map(str, wrong))}」不在高新技术领域目录中",
                f"field(s) {', '.join(map(str, wrong))} are not high-tech fields",
            )
        )
    fields = [f for f in dict.fromkeys(fields) if f in allowed]
    amount, p = _number(
        data.get("requested_amount", 0), "requested_amount", "申请资金", "amount", positive=False
    )
    problems += p
    co = list(data.get("co_applicants") or [])
    for org in co:
        if not isinstance(org, Organization) or org.kind not in APPLICANT_KINDS:
            problems.append(
                Problem(
                    "co_applicants",
                    f"合作单位「{org}」应为企业或科研机构",
                    f"co-applicant '{org}' must be an enterprise or an institution",
                )
            )
        elif org.pk == applicant.pk:
            problems.append(
                Problem(
                    "co_applicants",
                    "申报单位不能同时作为合作单位",
                    "the applicant cannot also be its own co-applicant",
                )
            )
    answers_in = data.get("answers") or {}
    answers: dict[str, str] = {}
    if not isinstance(answers_in, dict):
        problems.append(Problem("answers", "申报书内容格式不正确", "answers must be a mapping"))
        answers_in = {}
    sections = {s.key: s for s in call.sections.all()}
    for key, value in answers_in.items():
        section = sections.get(key)
        if section is None:
            problems.append(
                Problem(f"answers.{key}", "申报指南中没有该栏目", "the call has no such section")
            )
            continue
        text, p = _text(value, f"answers.{key}", section.title, section.title, MAX_ANSWER, False)
        problems += p
        if text:
            answers[key] = text
    clean = {
        "title": title,
        "summary": summary,
        "fields": fields,
        "requested_amount": amount,
        "answers": answers,
    }
    return clean | {"co_applicants": co}, problems


def _write_content(application: Application, clean: dict) -> Application:
    co = clean.pop("co_applicants")
    for name, value in clean.items():
        setattr(application, name, value)
    application.save()
    application.co_applicants.set(co)
    keep = set(application.fields)
    application.field_rows.exclude(field__in=keep).delete()
    have = set(application.field_rows.values_list("field", flat=True))
    ApplicationField.objects.bulk_create(
        ApplicationField(application=application, field=f) for f in keep - have
    )
    return application


@transaction.atomic
def create_draft(user, call: Call, **data) -> Application:
    """A new application to an open call, owned by the user's organisation.

    ``data``: title, summary, fields, requested_amount, co_applicants, answers.
    """
    _require(
        user,
        "calls.apply",
        call,
        "只有企业或科研机构的申报用户可以申报",
        "only users of an enterprise or a research institution may apply",
    )
    applicant = user.organization
    clean, problems = _check_content(call, applicant, data)
    now = timezone.now()
    if not call.is_open(now):
        problems.insert(0, _closed(call, now))
    if problems:
        raise Rejected(problems)
    application = Application(
        call=call,
        applicant=applicant,
        enterprise=Enterprise.objects.filter(organization=applicant).first(),
        created_by=user,
    )
    application = _write_content(application, clean)
    StateChange.objects.create(application=application, to_state=S.DRAFT, by=user)
    return application


def _fresh(application: Application) -> Application:
    """The caller's own instance brought up to date, so that it never acts on a stale state."""
    application.refresh_from_db()
    return application


def _editable(application: Application) -> list[Problem]:
    if application.is_editable:
        return []
    return [
        Problem(
            "state",
            f"申报已{application.get_state_display()}，不能再修改",
            f"the application is {application.state} and can no longer be changed",
        )
    ]


@transaction.atomic
def update_draft(user, application: Application, **data) -> Application:
    """Replace a draft's (or a returned application's) content; all of ``data`` is given."""
    _require(
        user,
        "calls.change_application",
        application,
        "只能修改本单位的申报",
        "you may change your organisation's applications only",
    )
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    clean, problems = _check_content(app.call, app.applicant, data)
    problems = _editable(app) + problems
    if problems:
        raise Rejected(problems)
    _write_content(app, clean)
    return _fresh(application)


# --- attachments --------------------------------------------------------------------------------


def add_attachment(user, application: Application, files: Sequence[UploadLike]) -> list[Attachment]:
    """Attach PDF, Word or Excel files, each judged by its content, to an editable application."""
    _require(
        user,
        "calls.change_application",
        application,
        "只能为本单位的申报上传附件",
        "you may attach files to your organisation's applications only",
    )
    files = list(files)
    problems = _editable(application)
    if not files:
        problems.append(Problem("files", "请选择要上传的文件", "choose a file to upload"))
    checked, file_problems = check_files(
        files,
        max_bytes=settings.KECHUANG_EVIDENCE_MAX_BYTES,
        allowed=DOCUMENT_KINDS,
        max_files=MAX_ATTACHMENTS,
    )
    problems += file_problems
    have = application.attachments.count()
    if have + len(files) > MAX_ATTACHMENTS:
        problems.append(
            Problem(
                "files",
                f"每项申报最多 {MAX_ATTACHMENTS} 个附件（已有 {have} 个）",
                f"at most {MAX_ATTACHMENTS} attachments per application ({have} already)",
            )
        )
    if problems:
        raise Rejected(problems)
    stored: list[str] = []
    try:
        with transaction.atomic():
            out = []
            for c in checked:
                a = Attachment(
                    application=application,
                    original_name=c.original_name,
                    kind=c.kind,
                    size=c.size,
                    sha256=c.sha256,
                    uploaded_by=user,
                )
                # A random stored name: the user's name never becomes a path on disk.
                a.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                stored.append(a.file.name)
                a.save()
                out.append(a)
    except BaseException:
        # The rows are rolled back; the files already on disk must go with them.
        for name in stored:
            default_storage.delete(name)
        raise
    return out


@transaction.atomic
def remove_attachment(user, attachment: Attachment) -> None:
    application = attachment.application
    _require(
        user,
        "calls.change_application",
        application,
        "只能删除本单位申报的附件",
        "you may remove your organisation's attachments only",
    )
    problems = _editable(application)
    if problems:
        raise Rejected(problems)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


# --- submission ---------------------------------------------------------------------------------


def _closed(call: Call, now: dt.datetime) -> Problem:
    """Why the call's window does not take submissions at ``now``."""
    if call.state == Call.State.DRAFT:
        return Problem("call", "申报指南尚未发布", "the call is not published yet")
    if call.state == Call.State.PUBLISHED and now < call.opens_at:
        return Problem(
            "call",
            f"申报将于 {local(call.opens_at)} 开始",
            f"applications open on {local(call.opens_at)}",
        )
    if now >= call.closes_at:
        return Problem(
            "call",
            f"申报已于 {local(call.closes_at)} 截止",
            f"applications closed on {local(call.closes_at)}",
        )
    return Problem("call", "申报已提前关闭", "the bureau has closed this call early")


def _submission_window(application: Application, now: dt.datetime) -> list[Problem]:
    call = application.call
    if application.state == S.RETURNED and application.resubmit_by is not None:
        if now < application.resubmit_by:
            return []
        return [
            Problem(
                "resubmit_by",
                f"补正材料已于 {local(application.resubmit_by)} 截止",
                f"resubmission closed on {local(application.resubmit_by)}",
            )
        ]
    return [] if call.is_open(now) else [_closed(call, now)]


def _completeness(application: Application) -> list[Problem]:
    call = application.call
    problems: list[Problem] = []
    if not application.fields:
        problems.append(Problem("fields", "请至少选择一个技术领域", "choose at least one field"))
    amount = application.requested_amount
    if amount is None or amount <= 0:
        problems.append(
            Problem("requested_amount", "请填写申请资金", "the requested amount is required")
        )
    elif call.max_amount is not None and amount > call.max_amount:
        problems.append(
            Problem(
                "requested_amount",
                f"申请资金 {wan(amount)} 万元超过本指南单项上限 {wan(call.max_amount)} 万元",
                f"the amount (¥{wan(amount)}万) is over the call's cap (¥{wan(call.max_amount)}万)",
            )
        )
    for section in call.sections.all():
        text = application.answers.get(section.key, "")
        if section.required and not text.strip():
            problems.append(
                Problem(
                    f"answers.{section.key}",
                    f"请填写“{section.title}”",
                    f"section '{section.title_en or section.title}' is required",
                )
            )
        elif len(text) > section.max_chars:
            problems.append(
                Problem(
                    f"answers.{section.key}",
                    f"“{section.title}”已填 {len(text):,} 字，超过上限 {section.max_chars:,} 字",
                    f"'{section.title_en or section.title}' has {len(text):,} characters, over "
                    f"the limit of {section.max_chars:,}",
                )
            )
    return problems


def next_code(year: int) -> str:
    """The next public number of ``year`` (SB-2026-0001, …), never handed out twice."""
    CodeCounter.objects.get_or_create(year=year)
    # The UPDATE takes the counter's row lock: concurrent submissions queue for their numbers.
    CodeCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = CodeCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return f"SB-{year}-{last:04d}"


def submit(user, application: Application) -> Application:
    """Submit (or resubmit) an application: the window is judged at this moment, the content
    must be complete, and the eligibility conditions must not fail.

    Conditions that need review do not block; their results are kept on the application for
    the formal check. The first submission gets the public number.
    """
    _require(
        user,
        "calls.change_application",
        application,
        "只能提交本单位的申报",
        "you may submit your organisation's applications only",
    )
    with transaction.atomic():
        # The row lock makes a second, simultaneous submission wait and then see this one.
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "applicant", "enterprise")
            .get(pk=application.pk)
        )
        if not app.is_editable:
            zh = "该申报已提交，请勿重复提交" if app.state == S.SUBMITTED else "该申报不能再提交"
            raise Rejected(
                [
                    Problem(
                        "state",
                        f"{zh}（当前状态：{app.get_state_display()}）",
                        f"the application is already {app.state}; it cannot be submitted again",
                    )
                ]
            )
        now = timezone.now()
        today = timezone.localdate(now)
        problems = _submission_window(app, now) + _completeness(app)
        enterprise = app.enterprise
        if enterprise is None and app.applicant.kind == Organization.Kind.ENTERPRISE:
            # Registered in the registry after the draft was started.
            enterprise = Enterprise.objects.filter(organization=app.applicant).first()
        result = eligibility.evaluate(
            app.call.eligibility, selectors.applicant_for(app.applicant, enterprise, today), today
        )
        for r in result.failed:
            problems.append(
                Problem(
                    f"eligibility.{r.code}",
                    f"不符合申报条件“{r.name_zh}”：{r.explanation_zh}",
                    f"condition '{r.name_en}' not met: {r.explanation_en}",
                )
            )
        if problems:
            raise Rejected(problems)
        changes = {
            "submitted_at": now,
            "eligibility_results": [eligibility.result_to_dict(r) for r in result.results],
            "enterprise_id": enterprise.pk if enterprise else None,
        }
        if not app.code:
            changes["code"] = next_code(app.call.year)
        review = len(result.needs_review)
        note = f"{review} 项申报条件待形式审查核实" if review else ""
        record_state(app, S.SUBMITTED, user, note, **changes)
    return _fresh(application)


def withdraw(user, application: Application, reason: str) -> Application:
    """The applicant takes its application back, at any point before a decision."""
    _require(
        user,
        "calls.change_application",
        application,
        "只能撤回本单位的申报",
        "you may withdraw your organisation's applications only",
    )
    with transaction.atomic():
        app = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        reason, problems = _text(reason, "reason", "撤回原因", "the reason", MAX_NOTE)
        if app.state not in WITHDRAWABLE:
            problems.insert(
                0,
                Problem(
                    "state",
                    f"申报已{app.get_state_display()}，不能撤回",
                    f"an application that is {app.state} cannot be withdrawn",
                ),
            )
        if problems:
            raise Rejected(problems)
        record_state(app, S.WITHDRAWN, user, reason)
    return _fresh(application)


# --- formal check -------------------------------------------------------------------------------


def _applicant_users(application: Application) -> list:
    users = list(
        application.applicant.users.filter(role="enterprise", is_active=True).order_by("pk")
    )
    if application.created_by not in users:
        users.append(application.created_by)
    return users


def formal_check(
    user,
    application: Application,
    passed: bool,
    note: str = "",
    *,
    returned: bool = False,
    resubmit_by: dt.datetime | None = None,
) -> Application:
    """形式审查: pass (ACCEPTED), return for revision (RETURNED), or fail (REJECTED).

    ``passed=False`` rejects, unless ``returned`` asks for a revision, which may be resubmitted
    until ``resubmit_by`` (needed once the window has closed). A return or a rejection needs
    the reason in ``note``. The applicant is notified of every outcome.
    """
    _require(user, "calls.formal_check", application, "只有科技局可以形式审查", "bureau only")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "applicant", "created_by")
            .get(pk=application.pk)
        )
        now = timezone.now()
        note, problems = _text(note, "note", "审查意见", "the note", MAX_NOTE, not passed)
        if app.state != S.SUBMITTED:
            problems.insert(
                0,
                Problem(
                    "state",
                    f"只有已提交的申报可以形式审查（当前：{app.get_state_display()}）",
                    f"only a submitted application can be checked (it is {app.state})",
                ),
            )
        if passed and returned:
            problems.append(
                Problem(
                    "returned", "通过审查的申报不能退回", "a passed application is not returned"
                )
            )
        if returned:
            if resubmit_by is not None:
                p = _moment(resubmit_by, "resubmit_by", "补正截止时间", "resubmission deadline")
                if not p and resubmit_by <= now:
                    p.append(
                        Problem(
                            "resubmit_by",
                            f"补正截止时间（{local(resubmit_by)}）应晚于现在",
                            f"the resubmission deadline ({local(resubmit_by)}) must be later",
                        )
                    )
                problems += p
            elif not app.call.is_open(now):
                problems.append(
                    Problem(
                        "resubmit_by",
                        "申报已截止，退回修改须设定补正截止时间",
                        "the window has closed: set a deadline for the resubmission",
                    )
                )
        if problems:
            raise Rejected(problems)
        to_state = S.ACCEPTED if passed else S.RETURNED if returned else S.REJECTED
        changes = {"resubmit_by": resubmit_by} if returned else {}
        record_state(app, to_state, user, note, **changes)
        _notify_outcome(app, note)
    return _fresh(application)


def _notify_outcome(app: Application, note: str) -> None:
    url = reverse("calls:application", args=[app.pk])
    what = f"“{app.title}”（{app.code}）"
    if app.state == S.ACCEPTED:
        title_zh, title_en = f"申报{what}通过形式审查", f"Application {app.code} passed the check"
        body_zh = "申报已进入专家评审环节。" + (f"\n审查意见：{note}" if note else "")
        body_en = "The application goes on to expert review." + (f"\nNote: {note}" if note else "")
    elif app.state == S.RETURNED:
        deadline = app.resubmit_by or app.call.closes_at
        title_zh, title_en = (
            f"申报{what}被退回修改",
            f"Application {app.code} returned for revision",
        )
        body_zh = f"退回原因：{note}\n请在 {local(deadline)} 前修改后重新提交。"
        body_en = f"Reason: {note}\nRevise and resubmit before {local(deadline)}."
    else:
        title_zh = f"申报{what}未通过形式审查"
        title_en = f"Application {app.code} did not pass the check"
        body_zh, body_en = f"原因：{note}", f"Reason: {note}"
    notify(
        _applicant_users(app),
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        url=url,
    )
