"""Writes to task supervision: milestones, progress reports with evidence, 督办 notices.

Permission is checked here, on the object, so the web views and the API obey the same rules.
Every function checks all of its input first and raises ``Rejected`` listing each problem; only
then does it write, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kechuang.core.problems import Problem, Rejected
from kechuang.plans.models import TaskNode
from kechuang.supervision.models import Evidence, Milestone, ProgressReport, Supervision

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_FILES = 10


class UploadLike(Protocol):
    """What an evidence file must offer: Django's UploadedFile and File both do."""

    name: str
    size: int

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


def today() -> dt.date:
    return timezone.localdate()


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _plan_start(task: TaskNode) -> dt.date:
    return dt.date(task.plan.period_start, 1, 1)


def _check_text(value: str, where: str, zh: str, en: str, limit: int) -> list[Problem]:
    if not (value or "").strip():
        return [Problem(where, f"请填写{zh}", f"{en} is required")]
    if len(value.strip()) > limit:
        return [
            Problem(where, f"{zh}不能超过 {limit} 字", f"{en} must be at most {limit} characters")
        ]
    return []


def _check_date(value, where: str, zh: str, en: str) -> list[Problem]:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return [Problem(where, f"请填写有效的{zh}", f"a valid {en} is required")]
    return []


# --- milestones -------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(user, task: TaskNode, title: str, due_on: dt.date) -> Milestone:
    """A new dated deliverable for a task (bureau decomposition of the plan)."""
    _require(
        user,
        "supervision.manage_milestones",
        task,
        "只有科技局可以设置里程碑",
        "only the bureau may set milestones",
    )
    title = (title or "").strip()
    problems = _check_text(title, "title", "里程碑名称", "the milestone title", MAX_TITLE)
    problems += _check_date(due_on, "due_on", "计划完成日期", "due date")
    if not problems and due_on < _plan_start(task):
        problems.append(
            Problem(
                "due_on",
                f"计划完成日期不能早于规划起始年（{task.plan.period_start}年）",
                f"the due date cannot be before the plan starts ({task.plan.period_start})",
            )
        )
    if title and Milestone.objects.filter(task=task, title=title).exists():
        problems.append(
            Problem("title", "该任务已有同名里程碑", "this task already has a milestone so named")
        )
    if problems:
        raise Rejected(problems)
    return Milestone.objects.create(task=task, title=title, due_on=due_on)


@transaction.atomic
def complete_milestone(user, milestone: Milestone, on: dt.date) -> Milestone:
    """Mark a milestone done on a given day (not in the future, not twice)."""
    _require(
        user,
        "supervision.complete_milestone",
        milestone,
        "只有科技局或牵头单位可以确认里程碑完成",
        "only the bureau or the lead department may complete a milestone",
    )
    milestone = (
        Milestone.objects.select_for_update().select_related("task__plan").get(pk=milestone.pk)
    )
    problems = _check_date(on, "completed_on", "完成日期", "completion date")
    if milestone.completed_on is not None:
        problems.append(
            Problem(
                "completed_on",
                f"该里程碑已于 {milestone.completed_on:%Y-%m-%d} 完成",
                f"this milestone was already completed on {milestone.completed_on:%Y-%m-%d}",
            )
        )
    if not problems:
        problems += _not_future(on, "completed_on", "完成日期", "the completion date")
        problems += _not_before_plan(on, milestone.task, "completed_on", "完成日期", "completion")
    if problems:
        raise Rejected(problems)
    milestone.completed_on, milestone.completed_by = on, user
    milestone.save(update_fields=["completed_on", "completed_by"])
    return milestone


def _not_future(on: dt.date, where: str, zh: str, en: str) -> list[Problem]:
    if on > today():
        return [
            Problem(
                where,
                f"{zh}（{on:%Y-%m-%d}）不能晚于今天",
                f"{en} ({on:%Y-%m-%d}) cannot be in the future",
            )
        ]
    return []


def _not_before_plan(on: dt.date, task: TaskNode, where: str, zh: str, en: str) -> list[Problem]:
    if on < _plan_start(task):
        return [
            Problem(
                where,
                f"{zh}不能早于规划起始年（{task.plan.period_start}年）",
                f"the {en} date cannot be before the plan starts ({task.plan.period_start})",
            )
        ]
    return []


# --- evidence files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    label_zh: str
    label_en: str
    content_type: str


KINDS = {
    "pdf": FileKind("PDF 文档", "a PDF document", "application/pdf"),
    "docx": FileKind(
        "Word 文档",
        "a Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "doc": FileKind("Word 97-2003 文档", "a Word 97-2003 document", "application/msword"),
    "xlsx": FileKind(
        "Excel 工作簿",
        "an Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "xls": FileKind(
        "Excel 97-2003 工作簿", "an Excel 97-2003 workbook", "application/vnd.ms-excel"
    ),
    "jpeg": FileKind("JPEG 图片", "a JPEG image", "image/jpeg"),
    "png": FileKind("PNG 图片", "a PNG image", "image/png"),
}
EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
}
ALLOWED_TEXT = "PDF、Word（.docx/.doc）、Excel（.xlsx/.xls）、JPEG、PNG"
ALLOWED_TEXT_EN = "PDF, Word (.docx/.doc), Excel (.xlsx/.xls), JPEG, PNG"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# In an OLE2 compound file Word keeps its text in a stream named "WordDocument", Excel its sheets
# in "Workbook" (BIFF8) or "Book" (BIFF5).
OLE_STREAMS = {"doc": ("WordDocument",), "xls": ("Workbook", "Book")}
OLE_ENTRY = 128  # directory entries are 128 bytes, aligned, after the 512-byte header


def _ole_entry(name: str) -> bytes:
    """The first 67 bytes of a stream's directory entry: UTF-16LE name, padded; length; type 2."""
    raw = name.encode("utf-16-le")
    return raw.ljust(64, b"\x00") + (len(raw) + 2).to_bytes(2, "little") + b"\x02"


OLE_MARKERS = {kind: [_ole_entry(n) for n in names] for kind, names in OLE_STREAMS.items()}


def _ole_kinds(fh: IO[bytes], chunk: int = 1 << 20) -> set[str]:
    """Kinds whose stream appears as a real directory entry, not merely as text in the file."""
    found: set[str] = set()
    fh.seek(0)
    offset = 0
    while block := fh.read(chunk):  # chunk is a multiple of 128, so slots stay aligned
        for kind, markers in OLE_MARKERS.items():
            for marker in markers:
                at = block.find(marker)
                while at != -1 and kind not in found:
                    if (offset + at) % OLE_ENTRY == 0 and offset + at >= 512:
                        found.add(kind)
                    at = block.find(marker, at + 1)
        offset += len(block)
    return found


def content_kinds(fh: IO[bytes]) -> set[str]:
    """Which accepted kinds the bytes are, judged by signature and structure, never the name.

    A set because one container can honestly be two things (a .doc holding an embedded sheet).
    """
    fh.seek(0)
    head = fh.read(8)
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpeg"}
    if head.startswith(b"PK\x03\x04"):
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as z:  # reads the central directory only: no decompression
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return set()
        kinds = set()
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                kinds.add("docx")
            if "xl/workbook.xml" in names:
                kinds.add("xlsx")
        return kinds
    if head == OLE2:
        return _ole_kinds(fh)
    return set()


def _describe(kinds: set[str]) -> tuple[str, str]:
    if not kinds:
        return "无法识别的格式", "an unrecognised format"
    k = KINDS[sorted(kinds)[0]]
    return k.label_zh, k.label_en


def clean_file_name(name: str) -> str:
    """The name the user saw, without any path a browser or client may have sent along."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(c for c in base if c.isprintable())
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext)] + ext
    return base


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadLike
    original_name: str
    extension: str
    kind: str
    size: int
    sha256: str


def check_evidence(files: Sequence[UploadLike]) -> tuple[list[CheckedFile], list[Problem]]:
    """Each file's type judged by its content, its size against the limit; nothing is stored."""
    limit = settings.KECHUANG_EVIDENCE_MAX_BYTES
    checked: list[CheckedFile] = []
    problems: list[Problem] = []
    if len(files) > MAX_FILES:
        problems.append(
            Problem(
                "files",
                f"每次最多上传 {MAX_FILES} 个文件",
                f"at most {MAX_FILES} files per report",
            )
        )
    for i, f in enumerate(files, start=1):
        name = clean_file_name(getattr(f, "name", ""))
        where = f"files[{i}] {name}".strip()
        ext = os.path.splitext(name)[1].lower()
        claimed = EXTENSIONS.get(ext)
        size = getattr(f, "size", None) or 0
        if claimed is None:
            problems.append(
                Problem(
                    where,
                    f"不支持的文件类型「{ext or '无扩展名'}」，只接受 {ALLOWED_TEXT}",
                    f"unsupported file type '{ext or 'no extension'}'; accepted: {ALLOWED_TEXT_EN}",
                )
            )
            continue
        if size == 0:
            problems.append(Problem(where, "文件为空", "the file is empty"))
            continue
        if size > limit:
            mb = limit / (1024 * 1024)
            problems.append(
                Problem(
                    where,
                    f"文件大小 {size / (1024 * 1024):.1f} MB 超过上限 {mb:g} MB",
                    f"the file is {size / (1024 * 1024):.1f} MB, over the {mb:g} MB limit",
                )
            )
            continue
        kinds = content_kinds(f)
        if claimed not in kinds:
            zh, en = _describe(kinds)
            problems.append(
                Problem(
                    where,
                    f"文件内容（{zh}）与扩展名 {ext} 不符，请上传真实的 {KINDS[claimed].label_zh}",
                    f"the content ({en}) does not match the extension {ext}; upload "
                    f"{KINDS[claimed].label_en}",
                )
            )
            continue
        checked.append(CheckedFile(f, name, ext, claimed, size, _sha256(f)))
    return checked, problems


def _sha256(fh: UploadLike) -> str:
    fh.seek(0)
    digest = hashlib.sha256()
    while block := fh.read(1 << 20):
        digest.update(block)
    fh.seek(0)
    return digest.hexdigest()


# --- progress reports -------------------------------------------------------------------------


def report_progress(
    user,
    task: TaskNode,
    percent: int,
    text: str,
    reported_on: dt.date,
    milestone: Milestone | None = None,
    files: Sequence[UploadLike] = (),
) -> ProgressReport:
    """A department's progress on a task, with evidence files checked by content."""
    _require(
        user,
        "supervision.report_progress",
        task,
        f"本单位不是任务 {task.code} 的牵头或配合单位，无权报告进展",
        f"your department neither leads nor co-operates on task {task.code}",
    )
    problems: list[Problem] = []
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        problems.append(
            Problem(
                "percent",
                f"完成进度「{percent}」应为 0–100 的整数",
                f"percent '{percent}' must be a whole number from 0 to 100",
            )
        )
    problems += _check_text(text, "text", "进展情况", "the progress text", MAX_TEXT)
    date_problems = _check_date(reported_on, "reported_on", "报告日期", "report date")
    if not date_problems:
        date_problems += _not_future(reported_on, "reported_on", "报告日期", "the report date")
        date_problems += _not_before_plan(reported_on, task, "reported_on", "报告日期", "report")
    problems += date_problems
    if milestone is not None and milestone.task_id != task.pk:
        problems.append(
            Problem("milestone", "所选里程碑不属于该任务", "the milestone belongs to another task")
        )
    if user.organization_id is None:
        problems.append(
            Problem(
                "organization",
                "您的账户未关联单位，无法报告进展",
                "your account has no organisation to report for",
            )
        )
    checked, file_problems = check_evidence(list(files))
    problems += file_problems
    if problems:
        raise Rejected(problems)
    return _write_report(user, task, percent, text.strip(), reported_on, milestone, checked)


def _write_report(user, task, percent, text, reported_on, milestone, checked) -> ProgressReport:
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                task=task,
                milestone=milestone,
                percent=percent,
                text=text,
                reported_on=reported_on,
                reported_by=user,
                organization_id=user.organization_id,
            )
            for c in checked:
                ev = Evidence(
                    report=report,
                    original_name=c.original_name,
                    size=c.size,
                    content_type=KINDS[c.kind].content_type,
                    sha256=c.sha256,
                )
                # A random stored name: the user's name never becomes a path on disk.
                ev.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                stored.append(ev.file.name)
                ev.save()
    except BaseException:
        # The rows are rolled back; the files already on disk must go with them.
        for name in stored:
            default_storage.delete(name)
        raise
    return report


# --- 督办 ---------------------------------------------------------------------------------------


@transaction.atomic
def issue_supervision(user, task: TaskNode, reason: str, respond_by: dt.date) -> Supervision:
    """Press the task's lead department with a 督办 notice and a reply deadline."""
    _require(
        user,
        "supervision.supervise",
        task,
        "只有科技局可以发出督办",
        "only the bureau may issue 督办",
    )
    problems = _check_text(reason, "reason", "督办事项", "the reason", MAX_TEXT)
    date_problems = _check_date(respond_by, "respond_by", "回复期限", "reply deadline")
    if not date_problems and respond_by < today():
        date_problems.append(
            Problem(
                "respond_by",
                f"回复期限（{respond_by:%Y-%m-%d}）不能早于今天",
                f"the reply deadline ({respond_by:%Y-%m-%d}) cannot be in the past",
            )
        )
    problems += date_problems
    if task.lead_department_id is None:
        problems.append(
            Problem(
                "department",
                f"任务 {task.code} 没有牵头单位，无法督办",
                f"task {task.code} has no lead department to press",
            )
        )
    # Lock the task row so two staff pressing at once cannot both pass the "already open" check.
    TaskNode.objects.select_for_update().only("pk").get(pk=task.pk)
    if Supervision.objects.filter(task=task, closed_at__isnull=True).exists():
        problems.append(
            Problem(
                "task",
                f"任务 {task.code} 已有未办结的督办，请在原督办上跟进",
                f"task {task.code} already has an open 督办; follow that one up",
            )
        )
    if problems:
        raise Rejected(problems)
    return Supervision.objects.create(
        task=task,
        department_id=task.lead_department_id,
        reason=reason.strip(),
        respond_by=respond_by,
        issued_by=user,
    )


@transaction.atomic
def respond_supervision(user, supervision: Supervision, response: str) -> Supervision:
    """The pressed department's answer; it may be amended while the notice is open."""
    _require(
        user,
        "supervision.respond_supervision",
        supervision,
        "只有被督办单位可以回复",
        "only the department pressed may respond",
    )
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    problems = _check_text(response, "response", "回复内容", "the response", MAX_TEXT)
    if not supervision.is_open:
        problems.append(Problem("supervision", "该督办已办结，不能再回复", "this 督办 is closed"))
    if problems:
        raise Rejected(problems)
    supervision.response = response.strip()
    supervision.responded_at, supervision.responded_by = timezone.now(), user
    supervision.save(update_fields=["response", "responded_at", "responded_by"])
    return supervision


@transaction.atomic
def close_supervision(user, supervision: Supervision) -> Supervision:
    """The bureau closes the notice (办结), with or without a reply."""
    _require(
        user,
        "supervision.supervise",
        supervision.task,
        "只有科技局可以办结督办",
        "only the bureau may close 督办",
    )
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if not supervision.is_open:
        raise Rejected([Problem("supervision", "该督办已办结", "this 督办 is already closed")])
    supervision.closed_at, supervision.closed_by = timezone.now(), user
    supervision.save(update_fields=["closed_at", "closed_by"])
    return supervision
