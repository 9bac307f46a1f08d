"""Evidence downloads: only after the permission check, with the name the uploader gave it."""

from __future__ import annotations

import pytest

from kechuang.supervision import services
from kechuang.supervision.tests.files import CONTENTS


@pytest.fixture
def tjj_evidence(reporter, tjj_task, today, upload):
    r = services.report_progress(
        reporter, tjj_task, 50, "附件", today, files=[upload("入库名单.pdf")]
    )
    return r.evidence.get()


@pytest.fixture
def jrb_evidence(lead_reporter, czj_task, today, upload):
    r = services.report_progress(
        lead_reporter, czj_task, 30, "附件", today, files=[upload("基金方案.xlsx")]
    )
    return r.evidence.get()


def url(ev) -> str:
    return f"/tasks/evidence/{ev.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_reporting_department_downloads_its_file_under_its_original_name(
    client_for, reporter, tjj_evidence
):
    response = client_for(reporter).get(url(tjj_evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "%E5%85%A5%E5%BA%93" in disposition  # 入库
    assert body(response) == CONTENTS["pdf"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["staff_user", "admin_user"])
def test_bureau_staff_download_any_departments_evidence(request, client_for, jrb_evidence, who):
    response = client_for(request.getfixturevalue(who)).get(url(jrb_evidence))
    assert response.status_code == 200 and body(response) == CONTENTS["xlsx"]


def test_a_co_operating_department_downloads_the_leads_evidence(
    client_for, other_reporter, jrb_evidence
):
    assert client_for(other_reporter).get(url(jrb_evidence)).status_code == 200


def test_a_file_from_another_departments_task_is_not_found(client_for, reporter, jrb_evidence):
    assert client_for(reporter).get(url(jrb_evidence)).status_code == 404


def test_an_enterprise_user_gets_not_found(client_for, enterprise_user, tjj_evidence):
    assert client_for(enterprise_user).get(url(tjj_evidence)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, tjj_evidence):
    response = client.get(url(tjj_evidence))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_or_missing_file_is_not_found(client_for, staff_user, tjj_evidence, media):
    client = client_for(staff_user)
    assert client.get("/tasks/evidence/999999/").status_code == 404
    (media / tjj_evidence.file.name).unlink()
    assert client.get(url(tjj_evidence)).status_code == 404


def test_evidence_is_not_reachable_under_media_url(client_for, staff_user, tjj_evidence):
    assert client_for(staff_user).get(f"/media/{tjj_evidence.file.name}").status_code == 404


def test_the_task_page_hides_evidence_links_from_other_departments(
    client_for, reporter, czj_task, jrb_evidence
):
    html = client_for(reporter).get(f"/tasks/{czj_task.pk}/").content.decode()
    assert url(jrb_evidence) not in html and "基金方案.xlsx" not in html
    assert "佐证材料" in html  # they are told there is evidence, not shown it


@pytest.mark.parametrize(
    ("name", "kind"), [("报告.pdf", "docx"), ("照片.png", "jpeg"), ("台账.xlsx", "exe")]
)
def test_an_upload_whose_content_does_not_match_its_extension_is_refused(
    client_for, reporter, tjj_task, today, upload, media, name, kind
):
    data = {
        "action": "progress",
        "percent": "50",
        "reported_on": today.isoformat(),
        "text": "附件",
        "files": [upload(name, kind=kind)],
    }
    response = client_for(reporter).post(f"/tasks/{tjj_task.pk}/", data)
    assert response.status_code == 200
    assert "不符" in response.content.decode()
    assert not tjj_task.progress_reports.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
