"""Supervision fixtures: tasks named by the department roles they exercise, and evidence files.

In the real plan the statistics bureau (tjj, the ``reporter`` fixture) co-operates on 1.4.1 and
neither leads nor co-operates on 3.3.2, which the finance office (jrb) leads and the finance
bureau (czj, ``other_reporter``) co-operates on.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.supervision.tests.files import CONTENTS


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


@pytest.fixture
def upload():
    """``upload("进展.pdf")`` → a file whose content matches its extension, or ``content=``."""

    def make(name: str, content: bytes | None = None, kind: str | None = None):
        if content is None:
            ext = name.rsplit(".", 1)[-1].lower()
            content = CONTENTS[kind or {"jpg": "jpeg"}.get(ext, ext)]
        return SimpleUploadedFile(name, content)

    return make
