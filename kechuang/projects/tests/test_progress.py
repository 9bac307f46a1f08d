"""Progress reports by the project's organisation, with attachments served after a check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import Attachment, ProgressReport
from kechuang.supervision.tests.files import CONTENTS


def report(user, project, files=(), **overrides):
    values = {
        "period": "2026年第一季度",
        "text": "完成中试线安装调试",
        "percent": 40,
        "spend_to_date": Decimal("350000.00"),
    } | overrides
    return services.report_progress(user, project, files=files, **values)


@pytest.fixture
def attachment(enterprise_user, signed, upload):
    r = report(enterprise_user, signed, files=[upload("中试报告.pdf"), upload("台账.xlsx")])
    return r.files.get(original_name="中试报告.pdf")


def url(a) -> str:
    return f"/projects/files/{a.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_organisation_reports_with_pdf_word_and_excel(enterprise_user, signed, upload, media):
    r = report(
        enterprise_user,
        signed,
        files=[upload("报告.pdf"), upload("说明.docx"), upload("旧表.xls"), upload("明细.xlsx")],
    )
    assert (r.percent, r.spend_to_date, r.reported_by) == (
        40,
        Decimal("350000.00"),
        enterprise_user,
    )
    names = sorted(r.files.values_list("original_name", flat=True))
    assert names == ["报告.pdf", "旧表.xls", "明细.xlsx", "说明.docx"]
    stored = r.files.first().file.name
    assert stored.startswith("projects/") and (media / stored).is_file()
    assert "报告" not in stored  # the user's name never becomes a path


def test_images_and_disguised_files_are_refused_and_nothing_is_stored(
    enterprise_user, signed, upload, media
):
    with pytest.raises(Rejected) as exc:
        report(enterprise_user, signed, files=[upload("照片.png"), upload("报告.pdf", kind="exe")])
    messages = [p.message_zh for p in exc.value.problems]
    assert "不支持的文件类型" in messages[0] and "不符" in messages[1]
    assert not ProgressReport.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_every_bad_field_is_named(enterprise_user, signed):
    with pytest.raises(Rejected) as exc:
        report(enterprise_user, signed, period="", text="", percent=101, spend_to_date=Decimal(-1))
    assert {p.where for p in exc.value.problems} == {"period", "text", "percent", "spend_to_date"}


def test_no_reports_before_signing(enterprise_user, project):
    with pytest.raises(Rejected, match="任务书尚未签订"):
        report(enterprise_user, project)


@pytest.mark.parametrize("who", ["staff_user", "other_enterprise_user", "reporter"])
def test_only_the_projects_organisation_reports(request, who, signed):
    with pytest.raises(PermissionDenied):
        report(request.getfixturevalue(who), signed)
    assert not ProgressReport.objects.exists()


def test_the_organisation_downloads_its_file_under_its_name(
    client_for, enterprise_user, attachment
):
    response = client_for(enterprise_user).get(url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert body(response) == CONTENTS["pdf"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["staff_user", "admin_user"])
def test_the_bureau_downloads_attachments(request, client_for, attachment, who):
    assert client_for(request.getfixturevalue(who)).get(url(attachment)).status_code == 200


@pytest.mark.parametrize("who", ["other_enterprise_user", "reporter", "provider_user"])
def test_anyone_else_gets_not_found(request, client_for, attachment, who):
    assert client_for(request.getfixturevalue(who)).get(url(attachment)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_file_is_not_found(client_for, staff_user, attachment, media):
    (media / attachment.file.name).unlink()
    assert client_for(staff_user).get(url(attachment)).status_code == 404
    assert client_for(staff_user).get("/projects/files/999999/").status_code == 404


def test_files_are_not_reachable_under_media_url(client_for, staff_user, attachment):
    assert client_for(staff_user).get(f"/media/{attachment.file.name}").status_code == 404
    assert Attachment.objects.count() == 2
