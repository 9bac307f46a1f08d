"""Uploaded files judged by their content, never by their name.

Shared by every place that accepts attachments (task evidence, project applications, reports):
each caller says which kinds it accepts and how large a file may be. Nothing here stores a file.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from kechuang.core.problems import Problem


class UploadLike(Protocol):
    """What an uploaded file must offer: Django's UploadedFile and File both do."""

    name: str
    size: int

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


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
# What the accepted kinds are called when a refusal lists them, in this order.
_NAMES = {
    "pdf": ("PDF", "PDF"),
    "docx": ("Word（.docx）", "Word (.docx)"),
    "doc": ("Word（.doc）", "Word (.doc)"),
    "xlsx": ("Excel（.xlsx）", "Excel (.xlsx)"),
    "xls": ("Excel（.xls）", "Excel (.xls)"),
    "jpeg": ("JPEG", "JPEG"),
    "png": ("PNG", "PNG"),
}
EVIDENCE_KINDS = frozenset(KINDS)
DOCUMENT_KINDS = frozenset({"pdf", "docx", "doc", "xlsx", "xls"})


def allowed_text(allowed: Iterable[str]) -> tuple[str, str]:
    """The accepted kinds as a reader would list them, in zh and en."""
    names = [_NAMES[k] for k in _NAMES if k in set(allowed)]
    return "、".join(zh for zh, _ in names), ", ".join(en for _, en in names)


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


def check_files(
    files: Sequence[UploadLike],
    *,
    max_bytes: int,
    allowed: Iterable[str] = EVIDENCE_KINDS,
    max_files: int = 10,
) -> tuple[list[CheckedFile], list[Problem]]:
    """Each file's type judged by its content, its size against the limit; nothing is stored."""
    allowed = frozenset(allowed)
    allowed_zh, allowed_en = allowed_text(allowed)
    checked: list[CheckedFile] = []
    problems: list[Problem] = []
    if len(files) > max_files:
        problems.append(
            Problem(
                "files", f"每次最多上传 {max_files} 个文件", f"at most {max_files} files at once"
            )
        )
    for i, f in enumerate(files, start=1):
        name = clean_file_name(getattr(f, "name", ""))
        where = f"files[{i}] {name}".strip()
        ext = os.path.splitext(name)[1].lower()
        claimed = EXTENSIONS.get(ext)
        size = getattr(f, "size", None) or 0
        if claimed not in allowed:
            problems.append(
                Problem(
                    where,
                    f"不支持的文件类型「{ext or '无扩展名'}」，只接受 {allowed_zh}",
                    f"unsupported file type '{ext or 'no extension'}'; accepted: {allowed_en}",
                )
            )
            continue
        if size == 0:
            problems.append(Problem(where, "文件为空", "the file is empty"))
            continue
        if size > max_bytes:
            mb = max_bytes / (1024 * 1024)
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
        checked.append(CheckedFile(f, name, ext, claimed, size, sha256_of(f)))
    return checked, problems


def sha256_of(fh: UploadLike) -> str:
    fh.seek(0)
    digest = hashlib.sha256()
    while block := fh.read(1 << 20):
        digest.update(block)
    fh.seek(0)
    return digest.hexdigest()
