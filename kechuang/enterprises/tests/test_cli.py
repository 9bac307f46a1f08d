"""The command line: `kechuang load-codes` and `kechuang enterprises import` with progress."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kechuang.enterprises.models import Enterprise, Industry
from kechuang.enterprises.tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_codes_twice_reports_nothing_new():
    first = run("load-codes")
    assert "新增 created 122" in first
    assert "新增 created 0，更新 updated 0" in run("load-codes")
    assert Industry.objects.count() == 122


def test_import_runs_synchronously_with_a_progress_line(staff_user, industries, write_file):
    path = write_file(
        "firms.csv", ["统一社会信用代码", "企业名称"], [[make_uscc(1), "甲"], [make_uscc(2), "乙"]]
    )
    out = run("enterprises", "import", str(path), "--kind", "enterprises", "--user", "t_staff")
    assert "写入 writing 2/2" in out and "新增 created 2" in out
    assert Enterprise.objects.count() == 2


def test_a_bad_file_is_refused_with_its_problems(staff_user, industries, write_file):
    path = write_file(
        "bad.csv", ["统一社会信用代码", "企业名称"], [[make_uscc(1)[:-1] + "0", "甲"]]
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command(
            "enterprises",
            "import",
            str(path),
            "--kind",
            "enterprises",
            "--user",
            "t_staff",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第2行" in err.getvalue()
    assert not Enterprise.objects.exists()


def test_a_reporter_may_not_import(reporter, write_file):
    path = write_file("firms.csv", ["统一社会信用代码", "企业名称"], [[make_uscc(1), "甲"]])
    with pytest.raises(CommandError, match="只有科技局"):
        run("enterprises", "import", str(path), "--kind", "enterprises", "--user", "t_tjj")
