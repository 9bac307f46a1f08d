"""Writes for talent programs: the bureau's programs and calls, the employers' nominations, the
expert panels, score sheets and decisions, and the registry entries decisions create.

Permission is checked here, on the object, so pages and API obey the same rules. Every function
checks all of its input first and raises ``Rejected`` listing each problem; only then does it
write, in one transaction. An application's state changes only through :func:`_move`, which
locks the row, refuses a step the workflow does not allow and writes a ``TalentStateChange``.

The window is ``opens_at ≤ now < closes_at``, judged on the server when the employer submits.
A returned nomination may be corrected and resubmitted while the window is still open, so the
bureau returns nominations only before the deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from kechuang.accounts.models import User
from kechuang.audit.services import log_access, log_bulk
from kechuang.calls.services import local
from kechuang.core import review as R
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.experts import identity
from kechuang.experts.models import Draw
from kechuang.experts.services import (
    FIELDS,
    chosen,
    create_draw,
    expert_pool,
    experts_by_code,
    perform_draw,
)
from kechuang.notifications.services import notify
from kechuang.talent.models import (
    Talent,
    TalentApplication,
    TalentAssignment,
    TalentCall,
    TalentCriterion,
    TalentProgram,
    TalentScore,
    TalentStateChange,
)
from kechuang.talent.selectors import criteria_of

S = TalentApplication.State
MAX_TEXT = 5000
MAX_NOTE = 2000
MAX_PANEL = 15
MAX_MONEY = Decimal("99999999999999.99")
# Paths under /talent/ that a code would shadow.
RESERVED_CODES = {"mine", "manage", "registry", "reviews", "applications", "new", "calls"}
_SLUG = re.compile(r"[-a-z0-9_]+")

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.WITHDRAWN, S.IN_REVIEW}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.NOT_APPROVED}),
}
# Once the panel is drawn the employer no longer takes the nomination back: experts are at work.
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED})

PERSON_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号",
    "education": "学历",
    "title": "职称",
    "position": "职务",
    "field": "技术领域",
    "achievements": "主要业绩",
}
PERSON_FIELDS = tuple(PERSON_LABELS)
# Required before a nomination can be submitted (a draft may leave them blank).
REQUIRED_TO_SUBMIT = ("education", "field", "achievements")


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def where(key: str) -> str:
    return at("", PERSON_LABELS.get(key, key), key)


def _text(value, key: str, zh: str, limit: int, *, required: bool = False):
    if value is not None and not isinstance(value, str):
        return "", [Problem(key, f"{zh}应为文字", f"{key} must be text")]
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        return "", [Problem(key, f"请填写{zh}", f"{key} is required")]
    if len(text) > limit:
        return text, [
            Problem(
                key,
                f"{zh}不能超过 {limit:,} 字（现 {len(text):,} 字）",
                f"{key} must be at most {limit:,} characters (now {len(text):,})",
            )
        ]
    return text, []


def _number(value, key: str, zh: str) -> tuple[Decimal | None, list[Problem]]:
    try:
        number = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        number = None
    if isinstance(value, float) or number is None or not number.is_finite():
        return None, [Problem(key, f"请填写有效的{zh}", f"a valid {key} is required")]
    return number, []


def _whole(value, key: str, zh: str, low: int, high: int) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [Problem(key, f"{zh}应为 {low}–{high} 的整数", f"{key} must be {low}–{high}")]
    return []


def _code(value, model, instance) -> tuple[str, list[Problem]]:
    code = str(value or "").strip()
    if not _SLUG.fullmatch(code) or len(code) > 64 or code in RESERVED_CODES:
        return code, [
            Problem(
                "code",
                f"编号「{code}」只能用小写字母、数字、- 和 _（最多 64 个），且不能是保留词",
                f"code '{code}' may use a-z, 0-9, - and _ only (at most 64), not a reserved word",
            )
        ]
    if model.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        return code, [Problem("code", f"编号「{code}」已被使用", f"code '{code}' is taken")]
    return code, []


# --- programs ------------------------------------------------------------------------------------


def _check_program(data: dict, program: TalentProgram | None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    clean: dict = {}
    clean["code"], p = _code(data.get("code"), TalentProgram, program)
    problems += p
    clean["name"], p = _text(data.get("name"), "name", "名称", 200, required=True)
    problems += p
    clean["name_en"], p = _text(data.get("name_en"), "name_en", "英文名称", 200)
    problems += p
    for key, zh, choices in (
        ("level", "级别", TalentProgram.Level),
        ("kind", "类别", TalentProgram.Kind),
    ):
        clean[key] = data.get(key)
        if clean[key] not in choices.values:
            labels = "、".join(str(label) for _v, label in choices.choices)
            problems.append(Problem(key, f"请选择{zh}（{labels}）", f"choose the {key}"))
    clean["description"], p = _text(data.get("description"), "description", "说明", MAX_TEXT)
    problems += p
    clean["support"], p = _text(data.get("support"), "support", "支持内容", MAX_TEXT)
    problems += p
    amount = data.get("support_amount")
    clean["support_amount"] = None
    if amount not in (None, ""):
        clean["support_amount"], p = _number(amount, "support_amount", "支持资金（元）")
        if not p and (clean["support_amount"] < 0 or clean["support_amount"] > MAX_MONEY):
            p = [Problem("support_amount", "支持资金应为非负数", "the amount must be 0 or more")]
        elif not p and clean["support_amount"].as_tuple().exponent < -2:
            p = [Problem("support_amount", "支持资金最多两位小数", "at most two decimals")]
        problems += p
    clean["term_years"] = data.get("term_years", 3)
    problems += _whole(clean["term_years"], "term_years", "入选有效期（年）", 1, 10)
    return clean, problems


@transaction.atomic
def create_program(user, **data) -> TalentProgram:
    _require(user, "talent.manage", None, "只有科技局可以设置人才计划", "bureau only")
    clean, problems = _check_program(data, None)
    if problems:
        raise Rejected(problems)
    return TalentProgram.objects.create(**clean)


@transaction.atomic
def update_program(user, program: TalentProgram, **data) -> TalentProgram:
    _require(user, "talent.manage", program, "只有科技局可以修改人才计划", "bureau only")
    clean, problems = _check_program(data, program)
    if problems:
        raise Rejected(problems)
    for key, value in clean.items():
        setattr(program, key, value)
    program.save()
    return program


# --- calls ---------------------------------------------------------------------------------------


def _check_criteria(rows) -> tuple[list[dict], list[Problem]]:
    if not isinstance(rows, list | tuple) or not rows:
        return [], [Problem("criteria", "至少设置一项评审指标", "at least one criterion is needed")]
    clean, problems = [], []
    for i, row in enumerate(rows, start=1):
        key = f"criteria[{i}]"
        name, p = _text(row.get("name"), f"{key}.name", "评审指标名称", 200, required=True)
        problems += p
        name_en, p = _text(row.get("name_en"), f"{key}.name_en", "英文名称", 200)
        problems += p
        description, p = _text(row.get("description"), f"{key}.description", "评分说明", 2000)
        problems += p
        weight, p = _number(row.get("weight"), f"{key}.weight", "权重")
        problems += p
        max_score, p = _number(row.get("max_score", 100), f"{key}.max_score", "满分")
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
    if not problems:
        # The review core decides what a valid set is (positive, weights summing to 100).
        try:
            R.check_criteria(_review_criteria(clean))
        except Rejected as exc:
            problems += exc.problems
    return clean, problems


def _review_criteria(rows) -> list[R.Criterion]:
    return [
        R.Criterion(str(i), r["name"], Decimal(r["weight"]), Decimal(r["max_score"]))
        for i, r in enumerate(rows, start=1)
    ]


def _check_call(data: dict, call: TalentCall | None) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    clean: dict = {}
    program = data.get("program")
    if not isinstance(program, TalentProgram):
        problems.append(Problem("program", "请选择人才计划", "choose a program"))
    clean["program"] = program
    clean["code"], p = _code(data.get("code"), TalentCall, call)
    problems += p
    published = call is not None and call.state != TalentCall.State.DRAFT
    if not p and published and clean["code"] != call.code:
        problems.append(Problem("code", "已发布的通知不能改编号", "a published call keeps it"))
    clean["title"], p = _text(data.get("title"), "title", "标题", 300, required=True)
    problems += p
    clean["title_en"], p = _text(data.get("title_en"), "title_en", "英文标题", 300)
    problems += p
    clean["description"], p = _text(data.get("description"), "description", "申报说明", 20_000)
    problems += p
    clean["year"] = data.get("year")
    problems += _whole(clean["year"], "year", "年度", 2000, 2100)
    clean["panel_size"] = data.get("panel_size", 5)
    problems += _whole(clean["panel_size"], "panel_size", "每人评审专家数", 1, MAX_PANEL)
    opens, closes = data.get("opens_at"), data.get("closes_at")
    window = []
    for key, zh, value in (
        ("opens_at", "开始申报时间", opens),
        ("closes_at", "申报截止时间", closes),
    ):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            window.append(Problem(key, f"请填写有效的{zh}", f"a valid {key} is required"))
    if not window and opens >= closes:
        window.append(
            Problem(
                "closes_at",
                f"申报截止时间（{local(closes)}）应晚于开始时间（{local(opens)}）",
                f"the closing time ({local(closes)}) must be after the opening ({local(opens)})",
            )
        )
    problems += window
    clean["opens_at"], clean["closes_at"] = opens, closes
    criteria, p = _check_criteria(data.get("criteria"))
    return {"fields": clean, "criteria": criteria}, problems + p


def _write_call(call: TalentCall, clean: dict) -> TalentCall:
    for key, value in clean["fields"].items():
        setattr(call, key, value)
    call.save()
    # Matched by position, so an edit keeps each criterion's id (score sheets refer to it).
    current = list(call.criteria.order_by("order", "id"))
    for order, row in enumerate(clean["criteria"]):
        criterion = current[order] if order < len(current) else TalentCriterion(call=call)
        for key, value in row.items():
            setattr(criterion, key, value)
        criterion.order = order
        criterion.save()
    for gone in current[len(clean["criteria"]) :]:
        gone.delete()
    return call


@transaction.atomic
def create_call(user, **data) -> TalentCall:
    """A new call (draft) with its weighted criteria; :func:`publish_call` makes it public.

    ``data``: program, code, title, title_en, year, description, opens_at, closes_at,
    panel_size, criteria (list of {name, name_en, description, weight, max_score}).
    """
    _require(user, "talent.manage", None, "只有科技局可以发布人才申报通知", "bureau only")
    clean, problems = _check_call(data, None)
    if problems:
        raise Rejected(problems)
    return _write_call(TalentCall(created_by=user), clean)


@transaction.atomic
def update_call(user, call: TalentCall, **data) -> TalentCall:
    """Replace a call's details and criteria until its panel is drawn."""
    _require(user, "talent.manage", call, "只有科技局可以修改人才申报通知", "bureau only")
    call = TalentCall.objects.select_for_update().get(pk=call.pk)
    clean, problems = _check_call(data, call)
    if call.state not in (TalentCall.State.DRAFT, TalentCall.State.PUBLISHED):
        problems.insert(
            0,
            Problem(
                "state",
                f"通知已{call.get_state_display()}，不能再修改",
                f"the call is {call.state} and can no longer be changed",
            ),
        )
    if problems:
        raise Rejected(problems)
    return _write_call(call, clean)


@transaction.atomic
def publish_call(user, call: TalentCall) -> TalentCall:
    _require(user, "talent.manage", call, "只有科技局可以发布人才申报通知", "bureau only")
    call = TalentCall.objects.select_for_update().get(pk=call.pk)
    problems = []
    if call.state != TalentCall.State.DRAFT:
        problems.append(Problem("state", "该通知已发布", "the call is already published"))
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
    call.state = TalentCall.State.PUBLISHED
    call.save(update_fields=["state", "updated_at"])
    return call


# --- applications --------------------------------------------------------------------------------


def _check_person(data: Mapping, *, creating: bool) -> tuple[dict, list[Problem]]:
    """Person values → model field values, and every problem; the ID number leaves encrypted."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    clean: dict = {}
    problems: list[Problem] = []
    for key, limit in (
        ("name", 50),
        ("title", 100),
        ("position", 100),
        ("achievements", MAX_TEXT),
    ):
        if key in data or creating:
            clean[key], p = _text(
                data.get(key), where(key), PERSON_LABELS[key], limit, required=key == "name"
            )
            problems += p
    for key, choices in (
        ("gender", TalentApplication.Gender),
        ("education", TalentApplication.Education),
    ):
        if key in data or creating:
            clean[key] = data.get(key) or ""
            if clean[key] not in {"", *choices.values}:
                labels = "、".join(str(label) for _v, label in choices.choices)
                problems.append(
                    Problem(
                        where(key),
                        f"{PERSON_LABELS[key]}应为：{labels}",
                        f"{key} must be one of {', '.join(choices.values)}",
                    )
                )
    if "field" in data or creating:
        clean["field"] = data.get("field") or ""
        if clean["field"] not in {"", *FIELDS}:
            problems.append(
                Problem(
                    where("field"),
                    f"「{clean['field']}」不是高新技术领域（可选：{'、'.join(FIELDS)}）",
                    f"'{clean['field']}' is not one of the high-tech fields",
                )
            )
    if data.get("id_number") or creating:
        number, p = identity.check_id_number(data.get("id_number"), where("id_number"))
        problems += p
        if number and not p:
            clean.update(
                id_number_token=identity.encrypt(number),
                id_number_hash=identity.lookup_hash(number),
                id_number_masked=identity.mask(number),
                birth_year=ric.get_birth_date(number).year,
            )
    return clean, problems


def _duplicate(call: TalentCall, digest: str | None, application=None) -> list[Problem]:
    if not digest:
        return []
    live = (
        TalentApplication.objects.filter(call=call, id_number_hash=digest)
        .exclude(state=S.WITHDRAWN)
        .exclude(pk=getattr(application, "pk", None))
    )
    if not live.exists():
        return []
    return [
        Problem(
            where("id_number"),
            "此人已被推荐参加本次申报，同一人每次只能有一份申报",
            "this person is already nominated to this call; one nomination per person",
        )
    ]


def _not_open(call: TalentCall, now: dt.datetime) -> Problem:
    """Why the call takes no submissions at ``now``, with the date that matters."""
    if call.state == TalentCall.State.DRAFT:
        return Problem("call", "申报通知尚未发布", "the call is not published yet")
    if call.state == TalentCall.State.PUBLISHED and now < call.opens_at:
        return Problem(
            "call",
            f"申报将于 {local(call.opens_at)} 开始",
            f"applications open on {local(call.opens_at)}",
        )
    return Problem(
        "call",
        f"申报已于 {local(call.closes_at)} 截止",
        f"applications closed on {local(call.closes_at)}",
    )


@transaction.atomic
def create_application(user, call: TalentCall, **data) -> TalentApplication:
    """A draft nomination of one person by the user's organisation, while the call is open.

    ``data``: name, gender, id_number, education, title, position, field, achievements.
    """
    _require(
        user,
        "talent.apply",
        call,
        "只有企业或科研机构的账号可以推荐人才",
        "only users of an enterprise or a research institution may nominate",
    )
    clean, problems = _check_person(data, creating=True)
    now = timezone.now()
    if not call.is_open(now):
        problems.insert(0, _not_open(call, now))
    problems += _duplicate(call, clean.get("id_number_hash"))
    if problems:
        raise Rejected(problems)
    application = TalentApplication.objects.create(
        call=call, employer=user.organization, created_by=user, **clean
    )
    TalentStateChange.objects.create(application=application, to_state=S.DRAFT, by=user)
    return application


def _locked(application: TalentApplication) -> TalentApplication:
    return (
        TalentApplication.objects.select_for_update(of=("self",))
        .select_related("call__program", "employer", "created_by")
        .get(pk=application.pk)
    )


def _fresh(application: TalentApplication) -> TalentApplication:
    """The caller's own instance brought up to date, so it never acts on a stale state."""
    application.refresh_from_db()
    return application


def _state_problem(app: TalentApplication, allowed, zh: str, en: str) -> list[Problem]:
    if app.state in allowed:
        return []
    return [
        Problem(
            "state",
            f"申报当前为“{app.get_state_display()}”，{zh}",
            f"the application is {app.state}: {en}",
        )
    ]


@transaction.atomic
def update_application(user, application: TalentApplication, **data) -> TalentApplication:
    """Change a draft (or returned) nomination; a blank ``id_number`` keeps the stored one."""
    _require(
        user,
        "talent.change_application",
        application,
        "只能修改本单位的推荐",
        "you may change your organisation's nominations only",
    )
    app = _locked(application)
    clean, problems = _check_person(data, creating=False)
    problems = (
        _state_problem(app, TalentApplication.EDITABLE, "不能再修改", "it cannot be changed")
        + problems
        + _duplicate(app.call, clean.get("id_number_hash"), app)
    )
    if problems:
        raise Rejected(problems)
    for key, value in clean.items():
        setattr(app, key, value)
    app.save()
    return _fresh(application)


def _move(app: TalentApplication, to_state: str, by, note: str = "", **changes) -> None:
    """Move a locked application to ``to_state`` and write the step into its history."""
    if to_state not in TRANSITIONS.get(app.state, ()):
        raise Rejected(
            [
                Problem(
                    "state",
                    f"申报当前为“{app.get_state_display()}”，不能变为“{S(to_state).label}”",
                    f"an application that is {app.state} cannot become {to_state}",
                )
            ]
        )
    from_state = app.state
    app.state = to_state
    for key, value in changes.items():
        setattr(app, key, value)
    app.save(update_fields=["state", "updated_at", *changes])
    TalentStateChange.objects.create(
        application=app, from_state=from_state, to_state=to_state, by=by, note=note
    )


def _completeness(app: TalentApplication) -> list[Problem]:
    return [
        Problem(where(key), f"请填写{PERSON_LABELS[key]}", f"{key} is required")
        for key in REQUIRED_TO_SUBMIT
        if not getattr(app, key)
    ]


def submit_application(user, application: TalentApplication) -> TalentApplication:
    """Submit (or resubmit) a nomination: the window is judged at this moment on the server,
    and the details the panel needs must be filled in. The first submission gets the number."""
    _require(
        user,
        "talent.change_application",
        application,
        "只能提交本单位的推荐",
        "you may submit your organisation's nominations only",
    )
    with transaction.atomic():
        app = _locked(application)
        problems = _state_problem(
            app, TalentApplication.EDITABLE, "不能再提交", "it cannot be submitted again"
        )
        now = timezone.now()
        if not problems and not app.call.is_open(now):
            problems.append(_not_open(app.call, now))
        problems += _completeness(app)
        if problems:
            raise Rejected(problems)
        changes = {"submitted_at": now}
        if not app.code:
            changes["code"] = f"RC-{app.call.year}-{app.pk:05d}"
        _move(app, S.SUBMITTED, user, **changes)
    return _fresh(application)


def withdraw_application(user, application: TalentApplication, reason: str) -> TalentApplication:
    """The employer takes its nomination back, until the panel is drawn."""
    _require(
        user,
        "talent.change_application",
        application,
        "只能撤回本单位的推荐",
        "you may withdraw your organisation's nominations only",
    )
    with transaction.atomic():
        app = _locked(application)
        reason, problems = _text(reason, "reason", "撤回原因", MAX_NOTE, required=True)
        problems[:0] = _state_problem(app, WITHDRAWABLE, "不能撤回", "it cannot be withdrawn")
        if problems:
            raise Rejected(problems)
        _move(app, S.WITHDRAWN, user, reason)
    return _fresh(application)


def _employer_users(app: TalentApplication) -> list:
    users = list(app.employer.users.filter(role="enterprise", is_active=True).order_by("pk"))
    if app.created_by not in users:
        users.append(app.created_by)
    return users


def return_application(user, application: TalentApplication, note: str) -> TalentApplication:
    """The bureau sends a submitted nomination back for correction while the window is open;
    the employer is told why and by when to resubmit."""
    _require(user, "talent.manage", application, "只有科技局可以退回推荐", "bureau only")
    with transaction.atomic():
        app = _locked(application)
        note, problems = _text(note, "note", "退回原因", MAX_NOTE, required=True)
        problems[:0] = _state_problem(app, {S.SUBMITTED}, "不能退回", "it cannot be returned")
        if not app.call.is_open():
            problems.append(
                Problem(
                    "call",
                    f"申报已于 {local(app.call.closes_at)} 截止，退回后单位无法再提交",
                    f"the call closed on {local(app.call.closes_at)}: a return could not be "
                    "resubmitted",
                )
            )
        if problems:
            raise Rejected(problems)
        _move(app, S.RETURNED, user, note)
        notify(
            _employer_users(app),
            title_zh=f"人才推荐 {app.code} 被退回修改",
            title_en=f"Talent nomination {app.code} returned for correction",
            body_zh=f"退回原因：{note}\n请在 {local(app.call.closes_at)} 前修改后重新提交。",
            body_en=f"Reason: {note}\nCorrect and resubmit before {local(app.call.closes_at)}.",
            url=reverse("talent:application", args=[app.pk]),
        )
    return _fresh(application)


def reveal_id_number(user, application: TalentApplication) -> str:
    """The whole ID number, for admins only; every look is an audit entry (who, when, whose)."""
    _require(
        user,
        "talent.view_full_id",
        application,
        "只有科技局管理员可以查看完整身份证号",
        "only bureau admins may see the whole ID number",
    )
    number = identity.decrypt(application.id_number_token)
    log_access(user, application, note="查看完整身份证号 / whole ID number viewed")
    return number


# --- the panel -----------------------------------------------------------------------------------


def _no_panel(app: TalentApplication) -> Problem:
    return Problem(
        f"applications.{app.code}",
        f"{app.code}：专家库中没有符合条件（技术领域为“{app.field}”、与推荐单位无关联、"
        "当日可参加）的专家，请先补充专家",
        f"{app.code}: no expert in the library is eligible (field {app.field}, not tied to "
        "the employer, available today); add experts first",
    )


def start_panel(user, call: TalentCall) -> list[Draw]:
    """After the deadline, draw a panel for each submitted nomination and put it under review.

    One verifiable draw per nomination over the whole library: experts of the nomination's
    field, none from the employer or tied to it, at most one per unit. A nomination for which
    not even one expert can be drawn stops the whole start (nothing is written); a short panel
    is recorded in the history. Experts with a login are told what to score.
    """
    _require(user, "talent.manage", call, "只有科技局可以组织评审", "bureau only")
    with transaction.atomic():
        call = (
            TalentCall.objects.select_for_update(of=("self",))
            .select_related("program")
            .get(pk=call.pk)
        )
        problems = []
        now = timezone.now()
        if call.state != TalentCall.State.PUBLISHED:
            problems.append(
                Problem(
                    "state",
                    f"通知当前为“{call.get_state_display()}”，不能开始评审",
                    f"the call is {call.state}: the review cannot start",
                )
            )
        elif now < call.closes_at:
            problems.append(
                Problem(
                    "closes_at",
                    f"申报 {local(call.closes_at)} 截止后才能抽取评审专家",
                    f"experts are drawn after the deadline ({local(call.closes_at)})",
                )
            )
        applications = list(
            call.applications.select_for_update(of=("self",))
            .filter(state=S.SUBMITTED)
            .select_related("employer")
            .order_by("code")
        )
        if not problems and not applications:
            problems.append(
                Problem("applications", "没有已提交的推荐，无需评审", "no submitted nominations")
            )
        if problems:
            raise Rejected(problems)
        today = timezone.localdate(now)
        draws, panels = [], []
        for app in applications:
            candidates, exclusions = expert_pool(
                fields=[app.field], applicant_orgs=[app.employer], on=today
            )
            draw = create_draw(
                user,
                purpose=f"人才评审 {call.title} {app.code} / talent review",
                kind=Draw.Kind.OTHER,
                candidates=candidates,
                exclusions=exclusions,
                k=call.panel_size,
                max_per={"organisation": 1},
                require_field_overlap=True,
                application_fields=(app.field,),
                subject=app,
                # Public, like the draw: the number, never the person's name.
                subject_label=f"{app.code} {call.program.name}",
            )
            draw = perform_draw(user, draw)
            draws.append(draw)
            panels.append((app, draw, experts_by_code(chosen(draw))))
        empty = [app for app, _draw, experts in panels if not experts]
        if empty:
            # Rolls back every draw made above: a nomination nobody can score is not reviewed.
            raise Rejected([_no_panel(app) for app in empty])
        assignments = TalentAssignment.objects.bulk_create(
            TalentAssignment(application=app, expert=e, draw=draw, position=i)
            for app, draw, experts in panels
            for i, e in enumerate(experts, start=1)
        )
        log_bulk(
            assignments,
            LogEntry.Action.CREATE,
            actor=user,
            fields=["application", "expert", "draw", "position"],
            note="talent panel",
        )
        for app, draw, experts in panels:
            note = f"抽取 {draw.draw_id}：{len(experts)} 位专家"
            if len(experts) < call.panel_size:
                note += f"（少于每人 {call.panel_size} 位）"
            _move(app, S.IN_REVIEW, user, note)
        call.state = TalentCall.State.REVIEWING
        call.save(update_fields=["state", "updated_at"])
        _notify_experts(panels)
    return draws


def _notify_experts(panels) -> None:
    counts = Counter(e.user_id for _app, _draw, experts in panels for e in experts if e.user_id)
    for user in User.objects.filter(pk__in=counts).order_by("pk"):
        n = counts[user.pk]
        notify(
            [user],
            title_zh=f"请评审 {n} 份人才推荐",
            title_en=f"{n} talent nomination(s) to score",
            url=reverse("talent:reviews"),
        )


def _scores(call: TalentCall, raw: Mapping) -> tuple[dict[str, Decimal], list[Problem]]:
    """Form values (criterion id → number) as the review core's Decimals, floats refused."""
    out, problems = {}, []
    for c in call.criteria.all():
        value = raw.get(c.pk, raw.get(str(c.pk)))
        number, p = _number(value, f"scores.{c.pk}", f"“{c.name}”的评分")
        problems += p
        if number is not None:
            out[str(c.pk)] = number
    return out, problems


@transaction.atomic
def submit_score(
    user, assignment: TalentAssignment, *, scores: Mapping, opinion: str = ""
) -> TalentScore:
    """An assigned expert's sheet (or the bureau typing in the expert's paper sheet): one score
    per criterion within its scale; one sheet per expert, final once submitted."""
    assignment = (
        TalentAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "expert")
        .get(pk=assignment.pk)
    )
    app = assignment.application
    if not user.has_perm("talent.score", app) or (
        not user.is_bureau and assignment.expert.user_id != user.pk
    ):
        raise PermissionDenied("只有本申报的评审专家可以评分 / only this panel may score")
    values, problems = _scores(app.call, scores)
    opinion, p = _text(opinion, "opinion", "评审意见", MAX_TEXT)
    problems += p
    problems += _state_problem(app, {S.IN_REVIEW}, "不能评分", "it cannot be scored")
    if TalentScore.objects.filter(assignment=assignment).exists():
        problems.append(
            Problem(
                "scores",
                f"专家 {assignment.expert.code} 已提交评分",
                f"expert {assignment.expert.code} has already scored",
            )
        )
    total = None
    if not problems:
        try:
            total = R.expert_total(
                criteria_of(app.call), R.ScoreSheet(assignment.expert.code, values)
            )
        except Rejected as exc:
            problems += exc.problems
    if problems:
        raise Rejected(problems)
    return TalentScore.objects.create(
        assignment=assignment,
        scores={k: str(v) for k, v in values.items()},
        total=total,
        opinion=opinion,
        entered_by=user,
    )


# --- decisions -----------------------------------------------------------------------------------


def term_end(call: TalentCall) -> dt.date:
    """The last day of the term: the end of the call's year plus the program's term less one."""
    return dt.date(call.year + call.program.term_years - 1, 12, 31)


def decide(
    user, application: TalentApplication, *, approved: bool, note: str = ""
) -> Talent | None:
    """The bureau's decision once every assigned expert has scored. Selection enters the person
    in the registry; the employer is told either way. The call is decided with its last one."""
    _require(user, "talent.manage", application, "只有科技局可以作出入选决定", "bureau only")
    with transaction.atomic():
        # The call first: of two last decisions made at once, the second sees the first.
        call = TalentCall.objects.select_for_update().get(pk=application.call_id)
        app = _locked(application)
        note, problems = _text(note, "note", "决定说明", MAX_NOTE, required=not approved)
        problems[:0] = _state_problem(app, {S.IN_REVIEW}, "不能作出决定", "it cannot be decided")
        assigned = app.assignments.count()
        scored = TalentScore.objects.filter(assignment__application=app).count()
        if app.state == S.IN_REVIEW and scored < assigned:
            problems.append(
                Problem(
                    "scores",
                    f"{app.code} 评审未完成：{scored}/{assigned} 位专家已评分",
                    f"{app.code}: {scored} of {assigned} experts have scored",
                )
            )
        if problems:
            raise Rejected(problems)
        now = timezone.now()
        _move(app, S.APPROVED if approved else S.NOT_APPROVED, user, note, decided_at=now)
        talent = None
        if approved:
            talent = Talent.objects.create(
                application=app,
                program=app.call.program,
                year=app.call.year,
                name=app.name,
                employer=app.employer,
                field=app.field,
                term_end=term_end(app.call),
                selected_on=timezone.localdate(now),
                is_demo=app.is_demo,
            )
        if not call.applications.filter(state=S.IN_REVIEW).exists():
            call.state = TalentCall.State.DECIDED
            call.save(update_fields=["state", "updated_at"])
        outcome_zh, outcome_en = ("入选", "selected") if approved else ("未入选", "not selected")
        program = app.call.program
        notify(
            _employer_users(app),
            title_zh=f"人才推荐 {app.code} 评审结果：{outcome_zh}",
            title_en=f"Talent nomination {app.code}: {outcome_en}",
            body_zh=f"{program.name}（{app.call.year}年度）：{app.name} {outcome_zh}。"
            + (f"\n说明：{note}" if note else ""),
            body_en=f"{program.name_en or program.name} ({app.call.year}): {outcome_en}."
            + (f"\nNote: {note}" if note else ""),
            url=reverse("talent:application", args=[app.pk]),
        )
    return talent
