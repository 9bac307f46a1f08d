"""Supervision fixtures: tasks named by the department roles they exercise, and evidence files.

In the real plan the statistics bureau (tjj, the ``reporter`` fixture) co-operates on 1.4.1 and
neither leads nor co-operates on 3.3.2, which the finance office (jrb) leads and the finance
bureau (czj, ``other_reporter``) co-operates on.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def task_by_code(plan):
    from kechuang.plans.models import TaskNode

    def get(code: str) -> TaskNode:
        return TaskNode.objects.select_related("plan", "lead_department").get(plan=plan, code=code)

    return get


@pytest.fixture
def tjj_task(task_by_code):
    """1.4.1: led by the S&T bureau, the statistics bureau co-operates."""
    return task_by_code("1.4.1")


@pytest.fixture
def czj_task(task_by_code):
    """3.3.2: led by the finance office (jrb), finance bureau co-operates; not tjj's."""
    return task_by_code("3.3.2")


@pytest.fixture
def lead_reporter(plan):
    """A reporter at the finance office, which leads 3.3.2."""
    from kechuang.accounts.models import Organization, User

    return User.objects.create_user(
        username="t_jrb",
        password="pw-t_jrb",
        role="reporter",
        organization=Organization.objects.get(code="jrb"),
    )


# --- evidence file contents -------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"


def _ooxml(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
    return out.getvalue()


def _ole(stream: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = stream.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    return header + entry + b"\x00" * 384


CONTENTS = {
    "pdf": PDF,
    "png": PNG,
    "jpeg": JPEG,
    "docx": _ooxml("word/document.xml"),
    "xlsx": _ooxml("xl/workbook.xml"),
    "doc": _ole("WordDocument"),
    "xls": _ole("Workbook"),
    "exe": b"MZ\x90\x00" + b"\x00" * 60,
}


@pytest.fixture
def upload():
    """``upload("进展.pdf")`` → a file whose content matches its extension, or ``content=``."""

    def make(name: str, content: bytes | None = None, kind: str | None = None):
        if content is None:
            ext = name.rsplit(".", 1)[-1].lower()
            content = CONTENTS[kind or {"jpg": "jpeg"}.get(ext, ext)]
        return SimpleUploadedFile(name, content)

    return make
