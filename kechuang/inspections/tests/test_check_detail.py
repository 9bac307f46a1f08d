"""One check's page: who may open it, what each sees, and the forms that write through it."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from kechuang.inspections import services
from kechuang.inspections.models import CheckFile
from kechuang.inspections.tests.conftest import record

INTERNAL = "负责人不配合，须约谈"


def url(check) -> str:
    return f"/inspections/checks/{check.pk}/"


@pytest.fixture
def recorded(check, staff_user, today, upload):
    record(
        staff_user,
        check,
        result="fail",
        findings="经费挪用于无关支出",
        internal_notes=INTERNAL,
        rectify_by=today + dt.timedelta(days=30),
        files=[upload("现场记录.pdf")],
    )
    check.refresh_from_db()
    return check


def denied_entries(check) -> int:
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(check.pk), additional_data__denied=True
    ).count()


@pytest.mark.parametrize("who", ["staff_user", "admin_user"])
def test_the_bureau_sees_everything_including_internal_notes(request, who, recorded, client_for):
    response = client_for(request.getfixturevalue(who)).get(url(recorded))
    html = response.content.decode()
    assert response.status_code == 200
    assert "经费挪用于无关支出" in html and INTERNAL in html and "现场记录.pdf" in html
    assert "确认整改" not in html  # nothing reported yet


def test_an_assigned_inspector_sees_the_check_and_may_record(check, inspector_user, client_for):
    response = client_for(inspector_user).get(url(check))
    assert response.status_code == 200
    assert response.context["can"]["record"] and response.context["can"]["internal"]
    assert not response.context["can"]["schedule"]


def test_an_inspector_not_drawn_gets_404_and_the_attempt_is_logged(
    check, outsider_inspector, client_for
):
    assert client_for(outsider_inspector).get(url(check)).status_code == 404
    assert denied_entries(check) == 1


@pytest.mark.parametrize("who", ["reporter", "provider_user", "other_enterprise_user"])
def test_anyone_else_signed_in_gets_404_and_is_logged(request, who, check, client_for):
    assert client_for(request.getfixturevalue(who)).get(url(check)).status_code == 404
    assert denied_entries(check) == 1


def test_anonymous_visitors_are_sent_to_log_in(check, client):
    response = client.get(url(check))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inspected_unit_sees_its_result_but_nothing_internal(
    recorded, enterprise_user, client_for
):
    response = client_for(enterprise_user).get(url(recorded))
    html = response.content.decode()
    assert response.status_code == 200
    assert "经费挪用于无关支出" in html and "不合格" in html
    assert INTERNAL not in html and "现场记录.pdf" not in html
    assert response.context["can"]["rectify"] and not response.context["can"]["record"]


def test_an_inspector_records_through_the_page(check, inspector_user, client_for, today):
    response = client_for(inspector_user).post(
        url(check),
        {
            "action": "result",
            "inspected_on": today.isoformat(),
            "result": "pass",
            "findings": "各项管理规范",
        },
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.result == "pass" and check.result_by == inspector_user


def test_a_refused_result_shows_the_problem_and_keeps_what_was_typed(
    check, inspector_user, client_for, today
):
    response = client_for(inspector_user).post(
        url(check),
        {
            "action": "result",
            "inspected_on": today.isoformat(),
            "result": "fail",
            "findings": "台账缺失",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "不合格须责令整改" in html and "台账缺失" in html
    check.refresh_from_db()
    assert check.result == ""


def test_an_inspector_not_drawn_cannot_post_either(check, outsider_inspector, client_for, today):
    response = client_for(outsider_inspector).post(
        url(check), {"action": "result", "result": "pass", "findings": "x"}
    )
    assert response.status_code == 404
    check.refresh_from_db()
    assert check.result == ""


def test_the_unit_reports_rectification_through_the_page(
    recorded, enterprise_user, client_for, upload
):
    response = client_for(enterprise_user).post(
        url(recorded),
        {"action": "rectification", "note": "已追回资金", "files": [upload("整改.pdf")]},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.rectification == "reported"


def test_the_unit_cannot_post_a_result(recorded, enterprise_user, client_for, today):
    response = client_for(enterprise_user).post(
        url(recorded),
        {"action": "result", "inspected_on": today.isoformat(), "result": "pass", "findings": "x"},
    )
    assert response.status_code == 403
    recorded.refresh_from_db()
    assert recorded.result == "fail"


def test_the_bureau_confirms_and_schedules_through_the_page(
    recorded, enterprise_user, staff_user, client_for, today
):
    services.report_rectification(enterprise_user, recorded, note="已整改")
    client = client_for(staff_user)
    assert client.post(url(recorded), {"action": "confirm", "accepted": "1"}).status_code == 302
    recorded.refresh_from_db()
    assert recorded.rectification == "done"
    day = (today + dt.timedelta(days=3)).isoformat()
    assert (
        client.post(url(recorded), {"action": "schedule", "scheduled_on": day}).status_code == 302
    )
    recorded.refresh_from_db()
    assert recorded.scheduled_on.isoformat() == day


# --- files ------------------------------------------------------------------------------------


def file_url(f) -> str:
    return f"/inspections/files/{f.pk}/"


def test_inspection_files_are_for_the_bureau_and_the_inspectors(
    recorded, staff_user, inspector_user, enterprise_user, outsider_inspector, client_for
):
    f = CheckFile.objects.get()
    for user in (staff_user, inspector_user):
        response = client_for(user).get(file_url(f))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (enterprise_user, outsider_inspector):
        assert client_for(user).get(file_url(f)).status_code == 404
    assert (
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, object_pk=str(f.pk), additional_data__denied=True
        ).count()
        == 2
    )


def test_the_unit_fetches_the_files_of_its_own_rectification_report(
    recorded, enterprise_user, other_enterprise_user, client_for, upload
):
    services.report_rectification(
        enterprise_user, recorded, note="已整改", files=[upload("整改报告.docx")]
    )
    f = CheckFile.objects.get(original_name="整改报告.docx")
    assert client_for(enterprise_user).get(file_url(f)).status_code == 200
    assert client_for(other_enterprise_user).get(file_url(f)).status_code == 404
