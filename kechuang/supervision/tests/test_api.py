"""The tasks API: the tree with state, one task, and progress reporting by permitted users."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.supervision.models import Milestone, ProgressReport

DAY = dt.timedelta(days=1)
TREE = "/api/plans/dushanzi-2021-2025/tasks"


def post(client, task, payload):
    return client.post(f"/api/tasks/{task.pk}/progress", payload, content_type="application/json")


def flatten(nodes):
    for n in nodes:
        yield n
        yield from flatten(n["children"])


# --- the tree ---------------------------------------------------------------------------------


def test_the_tree_needs_a_login(client, plan):
    assert client.get(TREE).status_code == 401


def test_enterprise_users_are_refused_the_tree(client_for, enterprise_user):
    assert client_for(enterprise_user).get(TREE).status_code == 403


def test_the_tree_gives_departments_state_and_percent(client_for, staff_user, task_by_code, today):
    ProgressReport.objects.create(
        task=task_by_code("1.3.1"),
        percent=45,
        text="进展",
        reported_on=today,
        organization=task_by_code("1.3.1").lead_department,
    )
    response = client_for(staff_user).get(TREE)
    assert response.status_code == 200
    roots = response.json()
    assert [r["code"] for r in roots] == ["1", "2", "3", "4"]
    nodes = {n["code"]: n for n in flatten(roots)}
    assert len(nodes) == 72
    assert nodes["1.4.1"]["lead"] == "kjj" and nodes["1.4.1"]["co"] == ["tjj", "yqgwh"]
    assert nodes["1.4.1"]["state"] == "overdue" and nodes["1.4"]["state"] == "overdue"
    assert (nodes["1.3.1"]["percent"], nodes["1.3.1"]["state"]) == (45, "on_schedule")
    assert nodes["1.3.4"]["state"] == "no_report" and nodes["1.3.4"]["percent"] is None
    assert [c["code"] for c in nodes["1.3"]["children"]] == ["1.3.1", "1.3.2", "1.3.3", "1.3.4"]


def test_an_unknown_plan_is_not_found(client_for, staff_user):
    assert client_for(staff_user).get("/api/plans/nope/tasks").status_code == 404


def test_reporters_may_read_the_tree(client_for, reporter):
    assert client_for(reporter).get(TREE).status_code == 200


# --- one task ---------------------------------------------------------------------------------


def test_one_task_with_milestones_and_reports(client_for, reporter, tjj_task, today):
    ProgressReport.objects.create(
        task=tjj_task,
        percent=20,
        text="起步",
        reported_on=today,
        organization=reporter.organization,
    )
    data = client_for(reporter).get(f"/api/tasks/{tjj_task.pk}").json()
    assert (data["code"], data["plan"], data["parent"], data["lead"]) == (
        "1.4.1",
        "dushanzi-2021-2025",
        "1.4",
        "kjj",
    )
    assert [m["state"] for m in data["milestones"]] == ["overdue", "overdue"]
    assert data["reports"][0]["percent"] == 20 and data["reports"][0]["evidence"] == []
    assert data["supervisions"] == []


def test_another_department_reads_a_task_without_its_evidence_or_supervision(
    client_for, reporter, czj_task, today
):
    ProgressReport.objects.create(
        task=czj_task,
        percent=20,
        text="起步",
        reported_on=today,
        organization=czj_task.lead_department,
    )
    data = client_for(reporter).get(f"/api/tasks/{czj_task.pk}").json()
    assert data["reports"][0]["evidence"] is None
    assert data["supervisions"] is None


def test_one_task_needs_a_login(client, tjj_task):
    assert client.get(f"/api/tasks/{tjj_task.pk}").status_code == 401


# --- reporting progress -----------------------------------------------------------------------


def test_a_co_operating_reporter_reports_progress(client_for, reporter, tjj_task, today):
    m = tjj_task.milestones.first()
    payload = {
        "percent": 70,
        "text": "第二批入库完成",
        "reported_on": str(today),
        "milestone": m.pk,
    }
    response = post(client_for(reporter), tjj_task, payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["task"], body["percent"], body["organization"], body["milestone"]) == (
        "1.4.1",
        70,
        "tjj",
        m.pk,
    )
    assert ProgressReport.objects.get().reported_by == reporter


def test_a_reporter_cannot_report_on_another_departments_task(
    client_for, reporter, czj_task, today
):
    payload = {"percent": 70, "text": "越权", "reported_on": str(today)}
    response = post(client_for(reporter), czj_task, payload)
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_an_enterprise_user_cannot_report(client_for, enterprise_user, tjj_task, today):
    payload = {"percent": 70, "text": "企业", "reported_on": str(today)}
    assert post(client_for(enterprise_user), tjj_task, payload).status_code == 403


def test_anonymous_callers_cannot_report(client, tjj_task, today):
    payload = {"percent": 70, "text": "匿名", "reported_on": str(today)}
    assert post(client, tjj_task, payload).status_code == 401
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"percent": 150, "text": "进展"}, {"percent"}),
        ({"percent": 50, "text": "   "}, {"text"}),
        ({"percent": -5, "text": ""}, {"percent", "text"}),
    ],
)
def test_bad_input_is_a_400_naming_each_field(
    client_for, reporter, tjj_task, today, payload, where
):
    response = post(client_for(reporter), tjj_task, {**payload, "reported_on": str(today)})
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert {p["where"] for p in problems} == where
    assert all(p["message_zh"] and p["message_en"] for p in problems)
    assert not ProgressReport.objects.exists()


def test_a_report_dated_in_the_future_is_a_400(client_for, reporter, tjj_task, today):
    payload = {"percent": 50, "text": "进展", "reported_on": str(today + DAY)}
    response = post(client_for(reporter), tjj_task, payload)
    assert response.status_code == 400
    assert response.json()["problems"][0]["where"] == "reported_on"


def test_a_milestone_of_another_task_is_a_400(client_for, reporter, tjj_task, czj_task, today):
    other = Milestone.objects.filter(task=czj_task).get()
    payload = {"percent": 50, "text": "进展", "reported_on": str(today), "milestone": other.pk}
    response = post(client_for(reporter), tjj_task, payload)
    assert response.status_code == 400 and not ProgressReport.objects.exists()


def test_the_endpoints_are_in_the_openapi_schema(client, plan):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/plans/{code}/tasks",
        "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/progress",
    } <= set(paths)
