"""Writes to projects: creation, the contract, disbursements, progress, changes, mid-term
evaluation, acceptance, self-inspection, 容错 and misconduct records.

Permission is checked here, on the object, so the pages and the API obey the same rules. Every
function checks all of its input first and raises ``Rejected`` listing each problem; only then
does it write, in one transaction. Project state moves only through ``_move``, which logs it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.calls.models import Application
from kechuang.core.problems import Problem, Rejected
from kechuang.experts.services import (
    chosen,
    create_draw,
    expert_pool,
    experts_by_code,
    perform_draw,
)
from kechuang.notifications.services import notify
from kechuang.projects import logic
from kechuang.projects.models import (
    Acceptance,
    Attachment,
    BudgetLine,
    ChangeRequest,
    Deliverable,
    Disbursement,
    MidtermEvaluation,
    MidtermScore,
    Milestone,
    MisconductRecord,
    Outcome,
    PanelMember,
    ProgressReport,
    Project,
    ProjectStateChange,
    SelfInspection,
    ToleranceRecord,
)
from kechuang.projects.selectors import disbursed_total
from kechuang.uploads import DOCUMENT_KINDS, KINDS, UploadLike, check_files

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_NAME = 50
MAX_PERIOD = 50
MAX_NOTE = 200
MAX_FILES = 10
MAX_PANEL = 15
DEFAULT_PANEL = 5
MAX_MONEY = Decimal("1e14")
ZERO = Decimal("0.00")
State = Project.State


def today() -> dt.date:
    return timezone.localdate()


def wan(amount: Decimal) -> str:
    """Yuan as people read them in messages: 万元 with two places."""
    return f"{Decimal(amount) / 10000:,.2f}"


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _text(value, where: str, zh: str, en: str, limit: int, *, required: bool = True):
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return [Problem(where, f"请填写{zh}", f"{en} is required")] if required else []
    if len(value) > limit:
        return [
            Problem(where, f"{zh}不能超过 {limit} 字", f"{en} must be at most {limit} characters")
        ]
    return []


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _date(value, where: str, zh: str, en: str, *, not_future: bool = False) -> list[Problem]:
    if not _is_date(value):
        return [Problem(where, f"请填写有效的{zh}", f"a valid {en} is required")]
    if not_future and value > today():
        return [
            Problem(
                where,
                f"{zh}（{value:%Y-%m-%d}）不能晚于今天",
                f"the {en} ({value:%Y-%m-%d}) cannot be in the future",
            )
        ]
    return []


def _amount(value, where: str, zh: str, en: str, *, positive: bool = True) -> list[Problem]:
    """Money in yuan: a Decimal (or whole number), at most two decimal places."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        return [Problem(where, f"请填写{zh}（元）", f"{en} (yuan) is required")]
    value = Decimal(value)
    if not value.is_finite() or value.as_tuple().exponent < -2 or abs(value) >= MAX_MONEY:
        return [
            Problem(
                where,
                f"{zh}「{value}」应为最多两位小数的金额（元）",
                f"{en} '{value}' must be an amount in yuan with at most two decimals",
            )
        ]
    if value < 0 or (positive and value == 0):
        more = "大于零" if positive else "不能为负数"
        more_en = "greater than zero" if positive else "not negative"
        return [Problem(where, f"{zh}应{more}", f"{en} must be {more_en}")]
    return []


def _whole(value, where: str, zh: str, en: str, low: int, high: int) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return [
            Problem(
                where,
                f"{zh}「{value}」应为 {low}–{high} 的整数",
                f"{en} '{value}' must be a whole number from {low} to {high}",
            )
        ]
    return []


def _choice(value, choices, where: str, zh: str, en: str) -> list[Problem]:
    if value not in choices.values:
        return [Problem(where, f"请选择有效的{zh}", f"choose a valid {en}")]
    return []


def _locked(project: Project) -> Project:
    """The project row locked for the rest of the transaction: concurrent writers queue here."""
    return Project.objects.select_for_update().get(pk=project.pk)


def _move(project: Project, to_state: str, user, note: str = "") -> None:
    if not logic.can_move(project.state, to_state):
        raise Rejected(
            [
                Problem(
                    "state",
                    f"项目处于「{project.get_state_display()}」状态，不能改为「{State(to_state).label}」",
                    f"a project that is {project.state} cannot become {to_state}",
                )
            ]
        )
    ProjectStateChange.objects.create(
        project=project, from_state=project.state, to_state=to_state, note=note, changed_by=user
    )
    project.state = to_state
    project.save(update_fields=["state"])


def _state_problem(project: Project, allowed: Iterable[str], zh: str, en: str) -> list[Problem]:
    if project.state in set(allowed):
        return []
    return [
        Problem(
            "state",
            f"项目当前为「{project.get_state_display()}」，{zh}",
            f"the project is {project.state}; {en}",
        )
    ]


def _signed_problem(project: Project) -> list[Problem]:
    if project.is_signed:
        return []
    return [
        Problem(
            "contract",
            "任务书尚未签订，请先完成任务书",
            "the contract (任务书) has not been signed yet",
        )
    ]


def _unsigned_problem(project: Project) -> list[Problem]:
    if not project.is_signed:
        return []
    return [
        Problem(
            "contract",
            f"任务书已于 {project.signed_on:%Y-%m-%d} 签订，如需调整请通过变更申请",
            f"the contract was signed on {project.signed_on:%Y-%m-%d}; "
            "changes now go through a change request",
        )
    ]


def project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.code])


def org_users(project: Project) -> list:
    """The people who act for the organisation carrying the project."""
    return list(
        get_user_model().objects.filter(
            organization_id=project.organization_id, role="enterprise", is_active=True
        )
    )


def _tell_org(project: Project, title_zh: str, title_en: str, body_zh: str = "", body_en=""):
    notify(
        org_users(project),
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        url=project_url(project),
    )


# --- creating a project -----------------------------------------------------------------------


@transaction.atomic
def create_project(
    user,
    application,
    *,
    approved_amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_person: str,
) -> Project:
    """Open a project for an approved application: one project per application."""
    _require(
        user,
        "projects.create_project",
        None,
        "只有科技局可以立项",
        "only the bureau may create projects",
    )
    application = (
        Application.objects.select_for_update()
        .select_related("call__program", "applicant")
        .get(pk=application.pk)
    )
    problems: list[Problem] = []
    if application.state != Application.State.APPROVED:
        problems.append(
            Problem(
                "application",
                f"申报书 {application.code} 尚未立项（当前：{application.get_state_display()}）",
                f"application {application.code} has not been approved ({application.state})",
            )
        )
    existing = Project.objects.filter(application=application).first()
    if existing is not None:
        problems.append(
            Problem(
                "application",
                f"申报书 {application.code} 已建立项目 {existing.code}",
                f"application {application.code} already has project {existing.code}",
            )
        )
    amount_problems = _amount(approved_amount, "approved_amount", "批准金额", "the approved amount")
    if not amount_problems and approved_amount > application.requested_amount:
        amount_problems.append(
            Problem(
                "approved_amount",
                f"批准金额 {wan(approved_amount)} 万元不能超过申请金额 "
                f"{wan(application.requested_amount)} 万元",
                f"the approved amount ({wan(approved_amount)} 万元) cannot exceed the "
                f"requested {wan(application.requested_amount)} 万元",
            )
        )
    problems += amount_problems
    dates = _date(starts_on, "starts_on", "开始日期", "start date")
    dates += _date(ends_on, "ends_on", "结束日期", "end date")
    if not dates and ends_on <= starts_on:
        dates.append(
            Problem(
                "ends_on",
                f"结束日期（{ends_on:%Y-%m-%d}）应晚于开始日期（{starts_on:%Y-%m-%d}）",
                "the end date must be after the start date",
            )
        )
    problems += dates
    problems += _text(lead_person, "lead_person", "项目负责人", "the lead person", MAX_NAME)
    if problems:
        raise Rejected(problems)
    year = today().year
    program = application.call.program
    taken = Project.objects.filter(code__startswith=f"XM-{year}-").values_list("code", flat=True)
    project = Project.objects.create(
        code=logic.next_code(year, taken),
        application=application,
        program=program,
        organization=application.applicant,
        enterprise_id=application.enterprise_id,
        title=application.title,
        fields=list(application.fields or []),
        is_major=program.is_major,
        year=year,
        requested_amount=application.requested_amount,
        approved_amount=approved_amount,
        starts_on=starts_on,
        ends_on=ends_on,
        lead_person=lead_person.strip(),
        created_by=user,
    )
    ProjectStateChange.objects.create(
        project=project, to_state=State.IN_PROGRESS, note="立项 / created", changed_by=user
    )
    _tell_org(
        project,
        f"项目已立项：{project.code} {project.title}",
        f"Project approved: {project.code}",
        f"批准财政资金 {wan(approved_amount)} 万元，请配合签订任务书。",
        f"Approved fiscal funding: {wan(approved_amount)} 万元. The contract comes next.",
    )
    return project


# --- the contract -----------------------------------------------------------------------------


def _contract_editable(user, project: Project) -> Project:
    _require(
        user,
        "projects.manage_contract",
        project,
        "只有科技局可以编制任务书",
        "only the bureau may draw up the contract",
    )
    return _locked(project)


@transaction.atomic
def add_milestone(user, project: Project, *, title: str, due_on: dt.date) -> Milestone:
    project = _contract_editable(user, project)
    problems = _unsigned_problem(project)
    problems += _text(title, "title", "里程碑名称", "the milestone title", MAX_TITLE)
    date_problems = _date(due_on, "due_on", "计划完成日期", "due date")
    if not date_problems and not project.starts_on <= due_on <= project.ends_on:
        date_problems.append(
            Problem(
                "due_on",
                f"计划完成日期应在执行期内（{project.starts_on:%Y-%m-%d} 至 "
                f"{project.ends_on:%Y-%m-%d}）",
                f"the due date must fall within the project period "
                f"({project.starts_on:%Y-%m-%d} to {project.ends_on:%Y-%m-%d})",
            )
        )
    problems += date_problems
    if isinstance(title, str) and project.milestones.filter(title=title.strip()).exists():
        problems.append(Problem("title", "已有同名里程碑", "a milestone of that name exists"))
    if problems:
        raise Rejected(problems)
    return Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)


@transaction.atomic
def remove_milestone(user, milestone: Milestone) -> None:
    project = _contract_editable(user, milestone.project)
    problems = _unsigned_problem(project)
    if problems:
        raise Rejected(problems)
    milestone.delete()


@transaction.atomic
def add_deliverable(
    user, project: Project, *, kind: str, description: str, target_quantity: int
) -> Deliverable:
    project = _contract_editable(user, project)
    problems = _unsigned_problem(project)
    problems += _choice(kind, Deliverable.Kind, "kind", "考核指标类型", "deliverable kind")
    problems += _text(description, "description", "考核指标", "the description", MAX_TITLE)
    problems += _whole(target_quantity, "target_quantity", "目标数量", "target", 1, 1_000_000)
    if problems:
        raise Rejected(problems)
    return Deliverable.objects.create(
        project=project,
        kind=kind,
        description=description.strip(),
        target_quantity=target_quantity,
    )


@transaction.atomic
def remove_deliverable(user, deliverable: Deliverable) -> None:
    project = _contract_editable(user, deliverable.project)
    problems = _unsigned_problem(project)
    if problems:
        raise Rejected(problems)
    deliverable.delete()


def _fiscal_total(lines: Iterable[tuple[str, Decimal]]) -> Decimal:
    return sum((a for source, a in lines if source == BudgetLine.Source.FISCAL), ZERO)


def _budget_sum_problem(fiscal: Decimal, approved: Decimal) -> list[Problem]:
    if fiscal == approved:
        return []
    return [
        Problem(
            "budget",
            f"财政资金预算合计 {wan(fiscal)} 万元，应等于批准财政资金 {wan(approved)} 万元"
            f"（相差 {wan(abs(approved - fiscal))} 万元）",
            f"fiscal budget lines total {wan(fiscal)} 万元 but must equal the approved "
            f"{wan(approved)} 万元",
        )
    ]


@transaction.atomic
def set_budget(
    user, project: Project, lines: Sequence[tuple[str, str, Decimal]]
) -> list[BudgetLine]:
    """The whole budget at once as (source, category, amount): the fiscal lines must add up to
    exactly the approved amount. Lines left out or at zero are removed."""
    project = _contract_editable(user, project)
    problems = _unsigned_problem(project)
    seen: set[tuple[str, str]] = set()
    clean: dict[tuple[str, str], Decimal] = {}
    for i, (source, category, amount) in enumerate(lines, start=1):
        where = f"lines[{i}]"
        line_problems = _choice(source, BudgetLine.Source, where, "资金来源", "funding source")
        line_problems += _choice(category, BudgetLine.Category, where, "预算科目", "category")
        if not line_problems:
            label = f"{BudgetLine.Source(source).label}·{BudgetLine.Category(category).label}"
            where = f"{where} {label}"
            line_problems += _amount(amount, where, f"{label}金额", "the amount", positive=False)
            if (source, category) in seen:
                line_problems.append(Problem(where, "预算科目重复", "the line appears twice"))
            seen.add((source, category))
        problems += line_problems
        if not line_problems and amount:
            clean[(source, category)] = Decimal(amount)
    if not problems:
        fiscal = _fiscal_total((s, a) for (s, _c), a in clean.items())
        problems += _budget_sum_problem(fiscal, project.approved_amount)
    if problems:
        raise Rejected(problems)
    existing = {(b.source, b.category): b for b in project.budget_lines.all()}
    for key, line in existing.items():
        if key not in clean:
            line.delete()
    out = []
    for (source, category), amount in clean.items():
        line = existing.get((source, category))
        if line is None:
            line = BudgetLine.objects.create(
                project=project, source=source, category=category, amount=amount
            )
        elif line.amount != amount:
            line.amount = amount
            line.save(update_fields=["amount"])
        out.append(line)
    return out


@transaction.atomic
def sign_contract(user, project: Project, *, signed_on: dt.date) -> Project:
    """Lock the contract: from now on it changes only through approved change requests."""
    project = _contract_editable(user, project)
    problems = _unsigned_problem(project)
    problems += _date(signed_on, "signed_on", "签订日期", "signing date", not_future=True)
    if not project.milestones.exists():
        problems.append(Problem("milestones", "任务书至少需要一个里程碑", "add a milestone"))
    if not project.deliverables.exists():
        problems.append(Problem("deliverables", "任务书至少需要一项考核指标", "add a deliverable"))
    lines = list(project.budget_lines.values_list("source", "amount"))
    if not lines:
        problems.append(Problem("budget", "请先编制预算", "set the budget first"))
    else:
        problems += _budget_sum_problem(_fiscal_total(lines), project.approved_amount)
    if problems:
        raise Rejected(problems)
    project.signed_on, project.signed_by = signed_on, user
    project.save(update_fields=["signed_on", "signed_by"])
    _tell_org(
        project,
        f"任务书已签订：{project.code}",
        f"Contract signed: {project.code}",
        "任务书内容此后只能通过变更申请调整。",
        "From now on the contract changes only through change requests.",
    )
    return project


@transaction.atomic
def complete_milestone(
    user, milestone: Milestone, *, done_on: dt.date, evidence_note: str
) -> Milestone:
    _require(
        user,
        "projects.complete_milestone",
        milestone.project,
        "只有科技局或项目承担单位可以确认里程碑完成",
        "only the bureau or the project's organisation may complete a milestone",
    )
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    project = milestone.project
    problems = _signed_problem(project)
    problems += _state_problem(
        project, logic.ACTIVE, "不能再确认里程碑", "milestones can no longer be completed"
    )
    problems += _date(done_on, "done_on", "完成日期", "completion date", not_future=True)
    if _is_date(done_on) and done_on < project.starts_on:
        problems.append(
            Problem(
                "done_on",
                f"完成日期不能早于项目开始日期（{project.starts_on:%Y-%m-%d}）",
                "the completion date cannot be before the project started",
            )
        )
    problems += _text(evidence_note, "evidence_note", "完成情况说明", "the evidence note", MAX_TEXT)
    if milestone.done_on is not None:
        problems.append(
            Problem(
                "done_on",
                f"该里程碑已于 {milestone.done_on:%Y-%m-%d} 完成",
                f"this milestone was already completed on {milestone.done_on:%Y-%m-%d}",
            )
        )
    if problems:
        raise Rejected(problems)
    milestone.done_on, milestone.done_by = done_on, user
    milestone.evidence_note = evidence_note.strip()
    milestone.save(update_fields=["done_on", "done_by", "evidence_note"])
    return milestone


# --- disbursements ----------------------------------------------------------------------------


@transaction.atomic
def record_disbursement(
    user, project: Project, *, amount: Decimal, paid_on: dt.date, batch_note: str = ""
) -> Disbursement:
    """Pay a batch of fiscal funds. The total paid never exceeds the approved amount: the
    project row is locked first, so two payments at once are checked one after the other."""
    _require(
        user,
        "projects.disburse",
        project,
        "只有科技局可以登记拨付",
        "only the bureau may record disbursements",
    )
    problems = _amount(amount, "amount", "拨付金额", "the amount")
    problems += _date(paid_on, "paid_on", "拨付日期", "payment date", not_future=True)
    problems += _text(
        batch_note, "batch_note", "批次说明", "the batch note", MAX_NOTE, required=False
    )
    project = _locked(project)
    problems += _signed_problem(project)
    if project.state in {State.FAILED, State.TERMINATED}:
        problems.append(
            Problem(
                "state",
                f"项目已{project.get_state_display()}，不能再拨付",
                f"the project is {project.state}; no more payments",
            )
        )
    if not problems:
        paid = disbursed_total(project)
        remain = project.approved_amount - paid
        if amount > remain:
            problems.append(
                Problem(
                    "amount",
                    f"本次拨付 {wan(amount)} 万元后累计 {wan(paid + amount)} 万元，"
                    f"超过批准财政资金 {wan(project.approved_amount)} 万元"
                    f"（已拨付 {wan(paid)} 万元，尚可拨付 {wan(remain)} 万元）",
                    f"paying {wan(amount)} 万元 would bring the total to "
                    f"{wan(paid + amount)} 万元, over the approved "
                    f"{wan(project.approved_amount)} 万元 "
                    f"({wan(remain)} 万元 remain)",
                )
            )
    if problems:
        raise Rejected(problems)
    return Disbursement.objects.create(
        project=project,
        amount=amount,
        paid_on=paid_on,
        batch_note=(batch_note or "").strip(),
        recorded_by=user,
    )


# --- progress reports -------------------------------------------------------------------------


def report_progress(
    user,
    project: Project,
    *,
    period: str,
    text: str,
    percent: int,
    spend_to_date: Decimal,
    files: Sequence[UploadLike] = (),
) -> ProgressReport:
    """The organisation's report, with attachments (PDF, Word, Excel) checked by content."""
    _require(
        user,
        "projects.report_progress",
        project,
        f"只有项目 {project.code} 的承担单位可以报告进展",
        f"only the organisation carrying {project.code} may report progress",
    )
    problems = _signed_problem(project)
    problems += _state_problem(
        project, logic.RUNNING, "不能再报告进展", "progress can no longer be reported"
    )
    problems += _text(period, "period", "报告期", "the period", MAX_PERIOD)
    problems += _text(text, "text", "进展情况", "the progress text", MAX_TEXT)
    problems += _whole(percent, "percent", "完成进度", "percent", 0, 100)
    problems += _amount(spend_to_date, "spend_to_date", "累计支出", "spend to date", positive=False)
    checked, file_problems = check_files(
        list(files),
        max_bytes=settings.KECHUANG_EVIDENCE_MAX_BYTES,
        allowed=DOCUMENT_KINDS,
        max_files=MAX_FILES,
    )
    problems += file_problems
    if problems:
        raise Rejected(problems)
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                project=project,
                period=period.strip(),
                text=text.strip(),
                percent=percent,
                spend_to_date=spend_to_date,
                reported_by=user,
            )
            for c in checked:
                a = Attachment(
                    report=report,
                    original_name=c.original_name,
                    size=c.size,
                    content_type=KINDS[c.kind].content_type,
                    sha256=c.sha256,
                )
                # A random stored name: the user's file name never becomes a path on disk.
                a.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                stored.append(a.file.name)
                a.save()
    except BaseException:
        # The rows are rolled back; the files already on disk must go with them.
        for name in stored:
            default_storage.delete(name)
        raise
    return report


# --- change requests --------------------------------------------------------------------------


def _parse_date(value) -> dt.date | None:
    if _is_date(value):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_amount(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (Decimal, int)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    return None


def _check_proposal(project: Project, kind: str, proposed: Mapping) -> tuple[dict, list[Problem]]:
    """The proposal checked against the project as it stands, and its stored (JSON) form."""
    if not isinstance(proposed, Mapping):
        proposed = {}
    if kind == ChangeRequest.Kind.EXTEND:
        ends_on = _parse_date(proposed.get("ends_on"))
        if ends_on is None:
            return {}, [Problem("ends_on", "请填写新的结束日期", "the new end date is required")]
        if ends_on <= project.ends_on:
            return {}, [
                Problem(
                    "ends_on",
                    f"新的结束日期（{ends_on:%Y-%m-%d}）应晚于现结束日期"
                    f"（{project.ends_on:%Y-%m-%d}）",
                    f"the new end date must be after the current {project.ends_on:%Y-%m-%d}",
                )
            ]
        return {"ends_on": ends_on.isoformat()}, []
    if kind == ChangeRequest.Kind.BUDGET:
        return _check_budget_move(project, proposed)
    if kind == ChangeRequest.Kind.LEAD:
        lead = proposed.get("lead_person")
        problems = _text(lead, "lead_person", "新项目负责人", "the new lead person", MAX_NAME)
        if not problems and lead.strip() == project.lead_person:
            problems.append(
                Problem(
                    "lead_person",
                    f"新项目负责人与现负责人（{project.lead_person}）相同",
                    "the new lead person is the current one",
                )
            )
        return ({"lead_person": lead.strip()} if not problems else {}), problems
    description = proposed.get("description")
    problems = _text(description, "description", "变更内容", "the change", MAX_TEXT)
    return ({"description": description.strip()} if not problems else {}), problems


def _check_budget_move(project: Project, proposed: Mapping) -> tuple[dict, list[Problem]]:
    source, frm, to = proposed.get("source"), proposed.get("from"), proposed.get("to")
    amount = _parse_amount(proposed.get("amount"))
    problems = _choice(source, BudgetLine.Source, "source", "资金来源", "funding source")
    problems += _choice(frm, BudgetLine.Category, "from", "调出科目", "category to move from")
    problems += _choice(to, BudgetLine.Category, "to", "调入科目", "category to move to")
    problems += _amount(amount, "amount", "调剂金额", "the amount")
    if problems:
        return {}, problems
    if frm == to:
        return {}, [Problem("to", "调入科目应与调出科目不同", "the two categories must differ")]
    line = project.budget_lines.filter(source=source, category=frm).first()
    available = line.amount if line else ZERO
    label = f"{BudgetLine.Source(source).label}·{BudgetLine.Category(frm).label}"
    if amount > available:
        return {}, [
            Problem(
                "amount",
                f"调剂金额 {wan(amount)} 万元超过{label}现有预算 {wan(available)} 万元",
                f"{wan(amount)} 万元 is more than the {wan(available)} 万元 budgeted "
                f"under {source}/{frm}",
            )
        ]
    return {"source": source, "from": frm, "to": to, "amount": str(amount)}, []


@transaction.atomic
def request_change(
    user, project: Project, *, kind: str, proposed: Mapping, reason: str
) -> ChangeRequest:
    """The organisation asks to change its signed contract; the bureau decides."""
    _require(
        user,
        "projects.request_change",
        project,
        f"只有项目 {project.code} 的承担单位可以提出变更",
        f"only the organisation carrying {project.code} may request a change",
    )
    project = _locked(project)
    problems = _signed_problem(project)
    problems += _state_problem(
        project, logic.RUNNING, "不能再提出变更", "changes can no longer be requested"
    )
    problems += _choice(kind, ChangeRequest.Kind, "kind", "变更类型", "kind of change")
    clean: dict = {}
    if not problems:
        clean, proposal_problems = _check_proposal(project, kind, proposed)
        problems += proposal_problems
        pending = project.changes.filter(kind=kind, state=ChangeRequest.State.PENDING).first()
        if pending is not None:
            problems.append(
                Problem(
                    "kind",
                    f"已有一项待审批的「{pending.get_kind_display()}」申请，请等待审批结果",
                    "a change of this kind is already awaiting a decision",
                )
            )
    problems += _text(reason, "reason", "变更理由", "the reason", MAX_TEXT)
    if problems:
        raise Rejected(problems)
    return ChangeRequest.objects.create(
        project=project, kind=kind, proposed=clean, reason=reason.strip(), requested_by=user
    )


def _apply_change(project: Project, change: ChangeRequest, clean: dict) -> tuple[dict, dict]:
    """Carry out an approved change; what it was and what it became, for the record."""
    if change.kind == ChangeRequest.Kind.EXTEND:
        before = {"ends_on": project.ends_on.isoformat()}
        project.ends_on = dt.date.fromisoformat(clean["ends_on"])
        project.save(update_fields=["ends_on"])
        return before, {"ends_on": clean["ends_on"]}
    if change.kind == ChangeRequest.Kind.LEAD:
        before = {"lead_person": project.lead_person}
        project.lead_person = clean["lead_person"]
        project.save(update_fields=["lead_person"])
        return before, {"lead_person": project.lead_person}
    if change.kind == ChangeRequest.Kind.BUDGET:
        amount = Decimal(clean["amount"])
        lines = {
            b.category: b
            for b in project.budget_lines.select_for_update().filter(source=clean["source"])
        }
        frm = lines[clean["from"]]
        to = lines.get(clean["to"]) or BudgetLine(
            project=project, source=clean["source"], category=clean["to"], amount=ZERO
        )
        before = {frm.category: str(frm.amount), to.category: str(to.amount)}
        frm.amount -= amount
        to.amount += amount
        frm.save(update_fields=["amount"])
        to.save()
        return before, {frm.category: str(frm.amount), to.category: str(to.amount)}
    return {}, dict(clean)


@transaction.atomic
def decide_change(user, change: ChangeRequest, *, approve: bool, note: str) -> ChangeRequest:
    """Approve (the change is applied, before and after recorded) or reject with a reason."""
    _require(
        user,
        "projects.decide_change",
        change.project,
        "只有科技局可以审批变更",
        "only the bureau may decide change requests",
    )
    project = _locked(change.project)
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    problems: list[Problem] = []
    if change.state != ChangeRequest.State.PENDING:
        problems.append(
            Problem("change", f"该申请已{change.get_state_display()}", "already decided")
        )
    problems += _text(
        note, "decision_note", "审批意见", "the decision note", MAX_TEXT, required=not approve
    )
    clean: dict = {}
    if approve and not problems:
        problems += _state_problem(
            project, logic.RUNNING, "不能再批准变更", "changes can no longer be approved"
        )
        # The project may have moved on since the request: check the proposal again.
        clean, proposal_problems = _check_proposal(project, change.kind, change.proposed)
        problems += proposal_problems
    if problems:
        raise Rejected(problems)
    if approve:
        change.before, change.after = _apply_change(project, change, clean)
    change.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    change.decided_by, change.decided_at = user, timezone.now()
    change.decision_note = (note or "").strip()
    change.save(
        update_fields=["state", "decided_by", "decided_at", "decision_note", "before", "after"]
    )
    notify(
        [change.requested_by],
        title_zh=f"变更申请{change.get_state_display()}：{project.code}",
        title_en=f"Change request {change.state}: {project.code}",
        body_zh=change.decision_note,
        body_en=change.decision_note,
        url=project_url(project),
    )
    return change


# --- mid-term evaluation ----------------------------------------------------------------------


@transaction.atomic
def start_midterm(user, project: Project, *, k: int = DEFAULT_PANEL) -> MidtermEvaluation:
    """Draw an expert panel (verifiably, one per organisation, in the project's fields) and put
    the project under mid-term evaluation. Only major projects are evaluated mid-term."""
    _require(
        user,
        "projects.start_midterm",
        project,
        "只有科技局可以发起中期评估",
        "only the bureau may start a mid-term evaluation",
    )
    project = _locked(project)
    problems = _whole(k, "k", "抽取专家人数", "panel size", 1, MAX_PANEL)
    if not project.is_major:
        problems.append(
            Problem(
                "project",
                "中期绩效评估只针对重大项目",
                "mid-term evaluation is for major projects only",
            )
        )
    problems += _signed_problem(project)
    problems += _state_problem(
        project, {State.IN_PROGRESS}, "不能发起中期评估", "a mid-term evaluation cannot start"
    )
    if MidtermEvaluation.objects.filter(project=project).exists():
        problems.append(Problem("project", "该项目已进行过中期评估", "already evaluated"))
    if problems:
        raise Rejected(problems)
    candidates, exclusions = expert_pool(
        fields=list(project.fields), applicant_orgs=[project.organization], on=today()
    )
    draw = create_draw(
        user,
        purpose=f"{project.code} 中期绩效评估 / mid-term evaluation",
        kind="midterm",
        candidates=candidates,
        exclusions=exclusions,
        k=k,
        max_per={"organisation": 1},
        require_field_overlap=True,
        application_fields=tuple(project.fields),
        subject=project,
        subject_label=f"{project.code} {project.title}",
    )
    draw = perform_draw(user, draw)
    experts = experts_by_code(chosen(draw))
    if not experts:
        # Rolls the draw back with everything else: a panel of nobody evaluates nothing.
        raise Rejected(
            [
                Problem(
                    "k",
                    f"专家库中没有符合条件（领域 {'、'.join(project.fields)}，非承担单位）的专家",
                    "no expert in the library is eligible (field overlap, not the organisation)",
                )
            ]
        )
    evaluation = MidtermEvaluation.objects.create(project=project, draw=draw, started_by=user)
    for expert in experts:
        PanelMember.objects.create(evaluation=evaluation, expert=expert)
    _move(project, State.MIDTERM, user, "发起中期评估 / mid-term evaluation started")
    notify(
        [e.user for e in experts if e.user_id],
        title_zh=f"请参加项目中期评估：{project.code}",
        title_en=f"Mid-term evaluation to score: {project.code}",
        body_zh=project.title,
        url=reverse("projects:midterm", args=[project.code]),
    )
    return evaluation


@transaction.atomic
def submit_midterm_score(
    user, evaluation: MidtermEvaluation, *, score: int, opinion: str, recommendation: str
) -> MidtermScore:
    _require(
        user,
        "projects.score_midterm",
        evaluation,
        "只有本项目评估专家组成员可以评分",
        "only members of this project's panel may score it",
    )
    evaluation = MidtermEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    member = evaluation.panel.get(expert__user=user)
    problems = _whole(score, "score", "评分", "score", 0, 100)
    problems += _text(opinion, "opinion", "评估意见", "the opinion", MAX_TEXT)
    problems += _choice(
        recommendation, MidtermScore.Recommendation, "recommendation", "建议", "recommendation"
    )
    if not evaluation.is_open:
        problems.append(Problem("evaluation", "中期评估已有结论，不能再评分", "already concluded"))
    if MidtermScore.objects.filter(member=member).exists():
        problems.append(Problem("score", "您已提交评分", "you have already scored this project"))
    if problems:
        raise Rejected(problems)
    return MidtermScore.objects.create(
        member=member, score=score, opinion=opinion.strip(), recommendation=recommendation
    )


@transaction.atomic
def conclude_midterm(
    user, evaluation: MidtermEvaluation, *, conclusion: str, note: str
) -> MidtermEvaluation:
    """The bureau's conclusion from the panel's scores (a simple mean); to stop ends the
    project, to continue or adjust returns it to work."""
    _require(
        user,
        "projects.conclude_midterm",
        evaluation.project,
        "只有科技局可以作出中期评估结论",
        "only the bureau may conclude a mid-term evaluation",
    )
    project = _locked(evaluation.project)
    evaluation = MidtermEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    problems = _choice(
        conclusion, MidtermEvaluation.Conclusion, "conclusion", "评估结论", "conclusion"
    )
    needs_note = conclusion != MidtermEvaluation.Conclusion.CONTINUE
    problems += _text(
        note, "conclusion_note", "结论说明", "the note", MAX_TEXT, required=needs_note
    )
    if not evaluation.is_open:
        problems.append(Problem("evaluation", "中期评估已有结论", "already concluded"))
    scores = list(
        MidtermScore.objects.filter(member__evaluation=evaluation).values_list("score", flat=True)
    )
    if not scores:
        problems.append(
            Problem("scores", "尚无专家提交评分，不能作出结论", "no expert has scored yet")
        )
    if problems:
        raise Rejected(problems)
    evaluation.conclusion = conclusion
    evaluation.conclusion_note = (note or "").strip()
    evaluation.mean_score = logic.mean_score(scores)
    evaluation.concluded_by, evaluation.concluded_at = user, timezone.now()
    evaluation.save()
    to_state = State.TERMINATED if conclusion == "stop" else State.IN_PROGRESS
    label = MidtermEvaluation.Conclusion(conclusion).label
    _move(project, to_state, user, f"中期评估结论：{label} / mid-term: {conclusion}")
    _tell_org(
        project,
        f"中期评估结论：{label}（{project.code}）",
        f"Mid-term evaluation: {conclusion} ({project.code})",
        evaluation.conclusion_note,
        evaluation.conclusion_note,
    )
    return evaluation


# --- acceptance -------------------------------------------------------------------------------


def _check_outcomes(outcomes: Sequence[tuple[str, Decimal, str]]) -> list[Problem]:
    problems: list[Problem] = []
    for i, (kind, quantity, note) in enumerate(outcomes, start=1):
        where = f"outcomes[{i}]"
        problems += _choice(kind, Outcome.Kind, where, "成果类型", "outcome kind")
        problems += _amount(quantity, where, "成果数量", "the quantity", positive=False)
        problems += _text(note, where, "成果说明", "the note", MAX_TITLE, required=False)
    return problems


@transaction.atomic
def apply_for_acceptance(
    user, project: Project, *, summary: str, outcomes: Sequence[tuple[str, Decimal, str]]
) -> Acceptance:
    """The organisation applies for acceptance with its summary and the outcomes achieved,
    each (kind, quantity, note)."""
    _require(
        user,
        "projects.apply_acceptance",
        project,
        f"只有项目 {project.code} 的承担单位可以申请验收",
        f"only the organisation carrying {project.code} may apply for acceptance",
    )
    project = _locked(project)
    problems = _signed_problem(project)
    problems += _state_problem(
        project, {State.IN_PROGRESS}, "不能申请验收", "acceptance cannot be applied for"
    )
    if Acceptance.objects.filter(project=project).exists():
        problems.append(Problem("project", "已提交验收申请", "acceptance already applied for"))
    problems += _text(summary, "summary", "总结报告", "the summary", MAX_TEXT)
    problems += _check_outcomes(outcomes)
    if problems:
        raise Rejected(problems)
    acceptance = Acceptance.objects.create(
        project=project, summary=summary.strip(), applied_by=user
    )
    for kind, quantity, note in outcomes:
        Outcome.objects.create(
            acceptance=acceptance, kind=kind, quantity=quantity, note=(note or "").strip()
        )
    _move(project, State.ACCEPTANCE, user, "申请验收 / acceptance applied for")
    return acceptance


@transaction.atomic
def record_acceptance(
    user, project: Project, *, result: str, opinion: str, decided_on: dt.date
) -> Acceptance:
    """通过 / 结题 / 不通过, with the opinion and date; the project's state follows."""
    _require(
        user,
        "projects.decide_acceptance",
        project,
        "只有科技局可以作出验收结论",
        "only the bureau may decide acceptance",
    )
    project = _locked(project)
    acceptance = Acceptance.objects.filter(project=project).select_for_update().first()
    problems = _state_problem(
        project, {State.ACCEPTANCE}, "不能作出验收结论", "acceptance cannot be decided"
    )
    if acceptance is None:
        problems.append(Problem("acceptance", "承担单位尚未申请验收", "no application yet"))
    elif acceptance.result:
        problems.append(Problem("acceptance", "已作出验收结论", "already decided"))
    problems += _choice(result, Acceptance.Result, "result", "验收结论", "result")
    problems += _text(opinion, "opinion", "验收意见", "the opinion", MAX_TEXT)
    problems += _date(decided_on, "decided_on", "验收日期", "decision date", not_future=True)
    if acceptance is not None and _is_date(decided_on):
        applied = timezone.localdate(acceptance.applied_at)
        if decided_on < applied:
            problems.append(
                Problem(
                    "decided_on",
                    f"验收日期不能早于申请日期（{applied:%Y-%m-%d}）",
                    "the decision cannot predate the application",
                )
            )
    if problems:
        raise Rejected(problems)
    acceptance.result, acceptance.opinion = result, opinion.strip()
    acceptance.decided_on, acceptance.decided_by = decided_on, user
    acceptance.save(update_fields=["result", "opinion", "decided_on", "decided_by"])
    label = Acceptance.Result(result).label
    _move(project, result, user, f"验收结论：{label} / acceptance: {result}")
    _tell_org(
        project,
        f"验收结论：{label}（{project.code}）",
        f"Acceptance: {result} ({project.code})",
        acceptance.opinion,
        acceptance.opinion,
    )
    return acceptance


# --- self-inspection --------------------------------------------------------------------------

CHECKLIST = ("funds_as_budgeted", "milestones_on_time", "team_as_contracted", "outcomes_truthful")


@transaction.atomic
def submit_self_inspection(
    user,
    project: Project,
    *,
    year: int,
    funds_as_budgeted: bool,
    milestones_on_time: bool,
    team_as_contracted: bool,
    outcomes_truthful: bool,
    issues: str = "",
    corrective_actions: str = "",
) -> SelfInspection:
    """One 自查自纠 per project per year; any "no" needs the issue and how it is corrected."""
    _require(
        user,
        "projects.submit_self_inspection",
        project,
        f"只有项目 {project.code} 的承担单位可以提交自查自纠",
        f"only the organisation carrying {project.code} may submit its self-inspection",
    )
    project = _locked(project)
    answers = {
        "funds_as_budgeted": funds_as_budgeted,
        "milestones_on_time": milestones_on_time,
        "team_as_contracted": team_as_contracted,
        "outcomes_truthful": outcomes_truthful,
    }
    problems = _signed_problem(project)
    problems += _state_problem(
        project, logic.ACTIVE, "无需再提交自查自纠", "no self-inspection is due"
    )
    problems += _whole(year, "year", "年度", "year", project.starts_on.year, today().year)
    for name, value in answers.items():
        if not isinstance(value, bool):
            label = SelfInspection._meta.get_field(name).verbose_name
            problems.append(Problem(name, f"请回答「{label}」", f"answer '{name}'"))
    if any(v is False for v in answers.values()):
        problems += _text(issues, "issues", "发现的问题", "the issues found", MAX_TEXT)
        problems += _text(
            corrective_actions,
            "corrective_actions",
            "整改措施",
            "the corrective actions",
            MAX_TEXT,
        )
    else:
        problems += _text(issues, "issues", "发现的问题", "the issues", MAX_TEXT, required=False)
        problems += _text(
            corrective_actions,
            "corrective_actions",
            "整改措施",
            "the actions",
            MAX_TEXT,
            required=False,
        )
    done = SelfInspection.objects.filter(project=project, year=year).first()
    if done is not None:
        on = timezone.localdate(done.submitted_at)
        problems.append(
            Problem(
                "year",
                f"本项目 {year} 年度的自查自纠已于 {on:%Y-%m-%d} 提交",
                f"the {year} self-inspection was already submitted",
            )
        )
    if problems:
        raise Rejected(problems)
    return SelfInspection.objects.create(
        project=project,
        year=year,
        issues=(issues or "").strip(),
        corrective_actions=(corrective_actions or "").strip(),
        submitted_by=user,
        **answers,
    )


@transaction.atomic
def review_self_inspection(
    user, inspection: SelfInspection, *, review: str, note: str
) -> SelfInspection:
    _require(
        user,
        "projects.review_self_inspection",
        inspection.project,
        "只有科技局可以审核自查自纠",
        "only the bureau may review self-inspections",
    )
    inspection = SelfInspection.objects.select_for_update().get(pk=inspection.pk)
    problems = _choice(review, SelfInspection.Review, "review", "审核结果", "review result")
    problems += _text(
        note,
        "review_note",
        "审核意见",
        "the review note",
        MAX_TEXT,
        required=review == SelfInspection.Review.RECTIFY,
    )
    if inspection.review:
        problems.append(Problem("review", "该自查自纠已审核", "already reviewed"))
    if problems:
        raise Rejected(problems)
    inspection.review, inspection.review_note = review, (note or "").strip()
    inspection.reviewed_by, inspection.reviewed_at = user, timezone.now()
    inspection.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    notify(
        [inspection.submitted_by],
        title_zh=f"自查自纠审核：{inspection.get_review_display()}（{inspection.project.code}）",
        title_en=f"Self-inspection reviewed: {review} ({inspection.project.code})",
        body_zh=inspection.review_note,
        body_en=inspection.review_note,
        url=project_url(inspection.project),
    )
    return inspection


# --- 容错 and misconduct ------------------------------------------------------------------------


@transaction.atomic
def record_tolerance(
    user,
    project: Project,
    *,
    attempted: str,
    failure_reason: str,
    diligence_evidence: str,
    rationale: str,
    decided_on: dt.date,
) -> ToleranceRecord:
    """容错免责: the project fell short though the team did its duty. It is not misconduct and
    is never shown as such."""
    _require(
        user,
        "projects.record_tolerance",
        project,
        "只有科技局可以作出容错认定",
        "only the bureau may record a 容错 decision",
    )
    project = _locked(project)
    problems = _state_problem(
        project,
        logic.UNSUCCESSFUL,
        "容错认定只适用于结题、未通过验收或终止的项目",
        "容错 applies only to projects concluded, failed or terminated",
    )
    problems += _text(attempted, "attempted", "开展的工作", "what was attempted", MAX_TEXT)
    problems += _text(failure_reason, "failure_reason", "未达预期的原因", "why it failed", MAX_TEXT)
    problems += _text(
        diligence_evidence,
        "diligence_evidence",
        "勤勉尽责的证明",
        "evidence of diligence",
        MAX_TEXT,
    )
    problems += _text(rationale, "rationale", "容错理由", "the rationale", MAX_TEXT)
    problems += _date(decided_on, "decided_on", "认定日期", "decision date", not_future=True)
    if problems:
        raise Rejected(problems)
    return ToleranceRecord.objects.create(
        project=project,
        attempted=attempted.strip(),
        failure_reason=failure_reason.strip(),
        diligence_evidence=diligence_evidence.strip(),
        rationale=rationale.strip(),
        decided_by=user,
        decided_on=decided_on,
    )


@transaction.atomic
def record_misconduct(
    user, project: Project, *, finding: str, sanction: str, decided_on: dt.date
) -> MisconductRecord:
    """科研失信或违规: a finding against the organisation carrying the project."""
    _require(
        user,
        "projects.record_misconduct",
        project,
        "只有科技局可以记录失信或违规",
        "only the bureau may record misconduct",
    )
    problems = _text(finding, "finding", "认定事实", "the finding", MAX_TEXT)
    problems += _text(sanction, "sanction", "处理措施", "the sanction", MAX_TEXT)
    problems += _date(decided_on, "decided_on", "认定日期", "decision date", not_future=True)
    if problems:
        raise Rejected(problems)
    return MisconductRecord.objects.create(
        project=project,
        organization_id=project.organization_id,
        finding=finding.strip(),
        sanction=sanction.strip(),
        decided_by=user,
        decided_on=decided_on,
    )
