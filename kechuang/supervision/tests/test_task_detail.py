"""The task page: what a department and the bureau see and do on one task."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.supervision import services
from kechuang.supervision.models import Milestone, ProgressReport, Supervision

DAY = dt.timedelta(days=1)


def url(task) -> str:
    return f"/tasks/{task.pk}/"


def progress(today, **extra) -> dict:
    return {
        "action": "progress",
        "percent": "60",
        "reported_on": today.isoformat(),
        "text": "完成入库评审。",
        **extra,
    }


# --- who may look -----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, tjj_task):
    response = client.get(url(tjj_task))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_enterprise_users_are_refused(client_for, enterprise_user, tjj_task):
    assert client_for(enterprise_user).get(url(tjj_task)).status_code == 403


def test_an_unknown_task_is_not_found(client_for, staff_user, plan):
    assert client_for(staff_user).get("/tasks/999999/").status_code == 404


def test_staff_see_responsibility_milestones_and_every_form(client_for, staff_user, tjj_task):
    response = client_for(staff_user).get(url(tjj_task))
    html = response.content.decode()
    assert response.status_code == 200 and response.context["active"] == "tasks"
    for text in (
        "建立高新技术企业培育库",
        "独山子区科学技术局",  # lead
        "独山子区统计局",  # co-operating
        "印发高新技术企业培育入库标准和实施细则",
        "完成首批培育企业入库",
        "逾期",
    ):
        assert text in html
    for action in ("progress", "milestone", "complete", "supervise"):
        assert f'name="action" value="{action}"' in html
    assert 'aria-labelledby="h-sv"' in html  # the 督办 section


def test_a_co_operating_reporter_sees_the_report_form_but_no_bureau_forms(
    client_for, reporter, tjj_task
):
    html = client_for(reporter).get(url(tjj_task)).content.decode()
    assert 'value="progress"' in html
    for action in ("milestone", "complete", "supervise"):
        assert f'name="action" value="{action}"' not in html


def test_another_departments_reporter_sees_the_task_but_may_not_act_on_it(
    client_for, reporter, czj_task, staff_user, today
):
    Supervision.objects.create(
        task=czj_task,
        department=czj_task.lead_department,
        reason="内部督办事项",
        respond_by=today,
        issued_by=staff_user,
    )
    html = client_for(reporter).get(url(czj_task)).content.decode()
    assert "健全科技金融创新体系" in html
    assert 'name="action"' not in html
    assert "内部督办事项" not in html  # 督办 stays between the bureau and the task's departments


def test_the_page_does_not_grow_in_queries_with_reports_and_evidence(
    client_for, reporter, tjj_task, today, upload, django_assert_max_num_queries
):
    client = client_for(reporter)
    services.report_progress(reporter, tjj_task, 10, "一", today, files=[upload("一.pdf")])
    with CaptureQueriesContext(connection) as baseline:
        client.get(url(tjj_task))
    for i in range(10):
        files = [upload(f"{i}.pdf"), upload(f"{i}.png")]
        services.report_progress(reporter, tjj_task, 20 + i, f"第{i}次", today, files=files)
    with django_assert_max_num_queries(len(baseline)):
        assert client.get(url(tjj_task)).status_code == 200


# --- reporting progress -----------------------------------------------------------------------


def test_a_co_operating_reporter_reports_progress_with_evidence(
    client_for, reporter, tjj_task, today, upload
):
    client = client_for(reporter)
    data = progress(today, files=[upload("评审纪要.pdf"), upload("现场.jpg")])
    response = client.post(url(tjj_task), data)
    assert response.status_code == 302 and response["Location"] == url(tjj_task)
    r = ProgressReport.objects.get()
    assert (r.percent, r.organization.code, r.evidence.count()) == (60, "tjj", 2)
    page = client.get(url(tjj_task))
    html = page.content.decode()
    assert "进展报告已提交" in html
    assert "评审纪要.pdf" in html and f"/tasks/evidence/{r.evidence.first().pk}/" in html


def test_a_reporter_cannot_report_on_a_task_of_another_department(
    client_for, reporter, czj_task, today
):
    response = client_for(reporter).post(url(czj_task), progress(today))
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_an_enterprise_user_cannot_post_progress(client_for, enterprise_user, tjj_task, today):
    assert client_for(enterprise_user).post(url(tjj_task), progress(today)).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_rejected_report_explains_why_and_keeps_what_was_typed(
    client_for, reporter, tjj_task, today
):
    data = progress(today + DAY, text="写了很长的进展说明")
    response = client_for(reporter).post(url(tjj_task), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "不能晚于今天" in html
    assert "写了很长的进展说明" in html
    assert not ProgressReport.objects.exists()


def test_a_form_error_is_shown_the_same_way(client_for, reporter, tjj_task, today):
    response = client_for(reporter).post(url(tjj_task), progress(today, percent="abc"))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    client_for, reporter, tjj_task, today, upload
):
    data = progress(today, files=[upload("报告.pdf", kind="png")])
    response = client_for(reporter).post(url(tjj_task), data)
    assert response.status_code == 200
    assert "与扩展名 .pdf 不符" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_reports_are_recorded_in_the_audit_trail_with_who_made_them(
    client_for, reporter, tjj_task, today
):
    client_for(reporter).post(url(tjj_task), progress(today))
    entry = LogEntry.objects.get_for_object(ProgressReport.objects.get()).get()
    assert entry.actor == reporter and entry.action == LogEntry.Action.CREATE


# --- milestones -------------------------------------------------------------------------------


def test_staff_add_a_milestone(client_for, staff_user, tjj_task, today):
    due = today + 30 * DAY
    data = {"action": "milestone", "title": "完成第二批入库", "due_on": due.isoformat()}
    response = client_for(staff_user).post(url(tjj_task), data)
    assert response.status_code == 302
    assert tjj_task.milestones.get(title="完成第二批入库").due_on == due


def test_a_reporter_cannot_add_a_milestone(client_for, reporter, tjj_task, today):
    data = {"action": "milestone", "title": "自加", "due_on": today.isoformat()}
    assert client_for(reporter).post(url(tjj_task), data).status_code == 403
    assert not Milestone.objects.filter(title="自加").exists()


def test_staff_complete_a_milestone(client_for, staff_user, tjj_task, today):
    m = tjj_task.milestones.first()
    data = {"action": "complete", "milestone": m.pk, "completed_on": today.isoformat()}
    assert client_for(staff_user).post(url(tjj_task), data).status_code == 302
    m.refresh_from_db()
    assert m.completed_on == today and m.completed_by == staff_user


def test_the_lead_department_completes_its_milestone_but_a_co_operator_cannot(
    client_for, lead_reporter, other_reporter, czj_task, today
):
    m = czj_task.milestones.get()
    data = {"action": "complete", "milestone": m.pk, "completed_on": today.isoformat()}
    assert client_for(other_reporter).post(url(czj_task), data).status_code == 403
    assert client_for(lead_reporter).post(url(czj_task), data).status_code == 302
    m.refresh_from_db()
    assert m.completed_on == today


def test_a_milestone_of_another_task_cannot_be_completed_through_this_one(
    client_for, staff_user, tjj_task, czj_task, today
):
    m = czj_task.milestones.get()
    data = {"action": "complete", "milestone": m.pk, "completed_on": today.isoformat()}
    assert client_for(staff_user).post(url(tjj_task), data).status_code == 404


def test_a_completion_in_the_future_is_refused(client_for, staff_user, tjj_task, today):
    m = tjj_task.milestones.first()
    data = {"action": "complete", "milestone": m.pk, "completed_on": (today + DAY).isoformat()}
    response = client_for(staff_user).post(url(tjj_task), data)
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()


# --- 督办 ---------------------------------------------------------------------------------------


def test_staff_press_the_lead_department_which_responds_and_staff_close(
    client_for, staff_user, lead_reporter, czj_task, today
):
    staff = client_for(staff_user)
    respond_by = (today + 7 * DAY).isoformat()
    data = {"action": "supervise", "reason": "引导基金逾期未设立", "respond_by": respond_by}
    assert staff.post(url(czj_task), data).status_code == 302
    sv = Supervision.objects.get()
    assert sv.department.code == "jrb"

    dept = client_for(lead_reporter)
    html = dept.get(url(czj_task)).content.decode()
    assert "引导基金逾期未设立" in html and 'value="respond"' in html
    data = {"action": "respond", "supervision": sv.pk, "response": "已提请区政府常务会研究。"}
    assert dept.post(url(czj_task), data).status_code == 302

    staff = client_for(staff_user)
    assert "已提请区政府常务会研究" in staff.get(url(czj_task)).content.decode()
    assert staff.post(url(czj_task), {"action": "close", "supervision": sv.pk}).status_code == 302
    sv.refresh_from_db()
    assert not sv.is_open and sv.response == "已提请区政府常务会研究。"


def test_a_co_operating_department_cannot_respond_for_the_lead(
    client_for, staff_user, other_reporter, czj_task, today
):
    sv = Supervision.objects.create(
        task=czj_task,
        department=czj_task.lead_department,
        reason="督办",
        respond_by=today,
        issued_by=staff_user,
    )
    data = {"action": "respond", "supervision": sv.pk, "response": "代答"}
    assert client_for(other_reporter).post(url(czj_task), data).status_code == 403
    sv.refresh_from_db()
    assert sv.response == ""


@pytest.mark.parametrize("action", ["supervise", "close", "unknown"])
def test_reporters_cannot_issue_or_close_supervision(
    client_for, lead_reporter, czj_task, today, action
):
    data = {"action": action, "reason": "自己督办自己", "respond_by": today.isoformat()}
    response = client_for(lead_reporter).post(url(czj_task), data)
    assert response.status_code in (403, 404)
    assert not Supervision.objects.exists()


def test_a_supervision_deadline_in_the_past_is_refused(client_for, staff_user, czj_task, today):
    data = {"action": "supervise", "reason": "督办", "respond_by": (today - DAY).isoformat()}
    response = client_for(staff_user).post(url(czj_task), data)
    assert response.status_code == 200
    assert "回复期限" in response.content.decode() and not Supervision.objects.exists()
