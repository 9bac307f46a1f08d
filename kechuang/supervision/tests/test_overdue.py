"""The overdue and due-soon list the bureau presses departments from, and its Excel export."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kechuang.plans.models import TaskNode
from kechuang.supervision import selectors
from kechuang.supervision.models import Milestone, ProgressReport, Supervision

DAY = dt.timedelta(days=1)
URL = "/tasks/overdue/"


def titles(rows) -> list[str]:
    return [r.milestone.title for r in rows]


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_enterprise_users_are_refused(client_for, enterprise_user):
    assert client_for(enterprise_user).get(URL).status_code == 403


def test_a_milestone_due_yesterday_is_overdue_and_one_due_tomorrow_is_not(
    client_for, staff_user, task_by_code, today
):
    task = task_by_code("1.3.2")
    Milestone.objects.create(task=task, title="昨天到期的样机", due_on=today - DAY)
    Milestone.objects.create(task=task, title="明天到期的中试", due_on=today + DAY)
    response = client_for(staff_user).get(URL)
    rows = list(response.context["page"].object_list)
    overdue = [r for r in rows if r.state == "overdue"]
    soon = [r for r in rows if r.state == "due_soon"]
    assert "昨天到期的样机" in titles(overdue) and "明天到期的中试" not in titles(overdue)
    assert "明天到期的中试" in titles(soon)
    late = next(r for r in overdue if r.milestone.title == "昨天到期的样机")
    assert late.days == 1
    html = response.content.decode()
    assert "昨天到期的样机" in html and "明天到期的中试" in html


def test_overdue_rows_come_before_due_soon_ones_and_the_longest_late_first(
    client_for, staff_user, task_by_code, today
):
    Milestone.objects.create(task=task_by_code("1.3.3"), title="临期", due_on=today + 5 * DAY)
    rows = list(client_for(staff_user).get(URL).context["page"].object_list)
    assert [r.state for r in rows] == sorted(
        (r.state for r in rows), key=["overdue", "due_soon"].index
    )
    dues = [r.milestone.due_on for r in rows if r.state == "overdue"]
    assert dues == sorted(dues)


def test_a_completed_milestone_is_not_listed(client_for, staff_user, tjj_task, today):
    m = tjj_task.milestones.first()
    m.completed_on = today
    m.save()
    rows = client_for(staff_user).get(URL).context["page"].object_list
    assert m.title not in titles(rows)


def test_milestones_due_beyond_the_window_are_left_out(staff_user, task_by_code, plan, today):
    Milestone.objects.create(task=task_by_code("1.3.3"), title="远期", due_on=today + 40 * DAY)
    assert "远期" not in titles(selectors.due_soon(plan))
    assert "远期" in titles(selectors.due_soon(plan, days=60))


def test_the_list_filters_by_lead_department(client_for, staff_user):
    rows = client_for(staff_user).get(f"{URL}?department=jrb").context["page"].object_list
    assert titles(rows) == ["设立科技成果转化引导基金"]


def test_a_reporter_starts_on_their_own_departments_list(client_for, lead_reporter):
    response = client_for(lead_reporter).get(URL)
    assert titles(response.context["page"].object_list) == ["设立科技成果转化引导基金"]
    widened = client_for(lead_reporter).get(f"{URL}?department=all")
    assert len(widened.context["page"].object_list) == 16  # every milestone of the plan is late


def test_rows_show_latest_progress_and_open_supervision(client_for, staff_user, czj_task, today):
    ProgressReport.objects.create(
        task=czj_task,
        percent=35,
        text="进展",
        reported_on=today - 3 * DAY,
        organization=czj_task.lead_department,
    )
    Supervision.objects.create(
        task=czj_task,
        department=czj_task.lead_department,
        reason="督办",
        respond_by=today,
        issued_by=staff_user,
    )
    (row,) = client_for(staff_user).get(f"{URL}?department=jrb").context["page"].object_list
    assert (row.percent, row.reported_on, row.open_supervision) == (35, today - 3 * DAY, True)


def test_the_list_exports_to_excel(client_for, staff_user, task_by_code, czj_task, today):
    Milestone.objects.create(task=task_by_code("1.3.2"), title="明天到期的中试", due_on=today + DAY)
    response = client_for(staff_user).get(f"{URL}?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("状态")
    body = rows[1:]
    assert len(body) == 17
    assert {r[0] for r in body} == {"逾期", "临期"}
    jrb = next(r for r in body if r[1] == "3.3.2")
    assert jrb[3] == czj_task.lead_department.name
    assert jrb[5] == "设立科技成果转化引导基金"


def test_the_export_follows_the_department_filter(client_for, staff_user):
    response = client_for(staff_user).get(f"{URL}?department=jrb&format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["3.3.2"]


def test_the_list_does_not_grow_in_queries_with_milestones(
    client_for, staff_user, plan, today, django_assert_max_num_queries
):
    client = client_for(staff_user)
    tasks = list(TaskNode.objects.filter(plan=plan))
    Milestone.objects.create(task=tasks[0], title="临期", due_on=today)  # one of each kind of row
    with CaptureQueriesContext(connection) as baseline:
        client.get(URL)
    for i, task in enumerate(tasks):
        Milestone.objects.create(task=task, title=f"逾期{i}", due_on=today - (i + 1) * DAY)
        Milestone.objects.create(task=task, title=f"临期{i}", due_on=today + (i % 30) * DAY)
    with django_assert_max_num_queries(min(len(baseline), 12)):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(min(len(baseline), 12)):
        assert client.get(f"{URL}?format=xlsx").status_code == 200
