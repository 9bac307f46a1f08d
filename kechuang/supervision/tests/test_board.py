"""The task board: who sees it, what each department's tasks stand at, and how state rolls up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.plans.models import TaskNode
from kechuang.supervision import selectors
from kechuang.supervision.models import Milestone, ProgressReport, Supervision
from kechuang.supervision.selectors import State

DAY = dt.timedelta(days=1)


def report(task, percent, on, org=None):
    return ProgressReport.objects.create(
        task=task,
        percent=percent,
        text="进展",
        reported_on=on,
        organization=org or task.lead_department,
    )


def states(plan, *codes, **kwargs) -> list[str]:
    status = selectors.plan_status(plan, **kwargs)
    by_code = {s.task.code: s for s in status.all()}
    return [by_code[c].state for c in codes]


# --- who may look -----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_enterprise_users_are_refused(client_for, enterprise_user):
    assert client_for(enterprise_user).get("/tasks/").status_code == 403


def test_staff_see_every_task_of_the_plan_in_its_tree(client_for, staff_user, plan):
    response = client_for(staff_user).get("/tasks/")
    assert response.status_code == 200
    assert response.context["active"] == "tasks"
    assert response.context["board"].total == 72
    html = response.content.decode()
    for task in TaskNode.objects.filter(plan=plan):
        assert f'href="/tasks/{task.pk}/"' in html
    assert "产业技术创新能力提升工程" in html


def test_staff_see_a_row_for_every_responsible_department(client_for, staff_user, plan):
    board = client_for(staff_user).get("/tasks/").context["board"]
    rows = {r.department.code: r for r in board.departments}
    assert (
        rows["kjj"].led == TaskNode.objects.filter(plan=plan, lead_department__code="kjj").count()
    )
    assert rows["tjj"].led == 0 and rows["tjj"].co == 2  # 1.4 and 1.4.1
    assert sum(r.led for r in board.departments) == 72
    assert sum(rows["kjj"].counts.values()) == rows["kjj"].led


def test_reporters_start_on_the_tasks_their_department_leads_or_co_operates_on(
    client_for, reporter
):
    response = client_for(reporter).get("/tasks/")
    assert response.status_code == 200
    assert [s.task.code for s in response.context["page"].object_list] == ["1.4", "1.4.1"]
    assert response.context["dept_value"] == "tjj"


def test_state_counts_describe_the_department_in_view(client_for, reporter):
    board = client_for(reporter).get("/tasks/").context["board"]
    assert board.total == 2
    assert sum(n for _, _, _, n in board.state_counts) == 2


def test_reporters_can_widen_the_board_to_every_department(client_for, reporter):
    response = client_for(reporter).get("/tasks/?department=all")
    assert response.context["page"] is None  # the whole tree instead of a filtered list
    assert response.context["board"].total == 72


def test_the_board_filters_by_state(client_for, staff_user):
    response = client_for(staff_user).get("/tasks/?state=overdue")
    listed = response.context["page"].object_list
    assert listed and all(s.state == State.OVERDUE for s in listed)
    assert "1.1.3" in [s.task.code for s in listed]  # its base was due 2024-12-31 and is not done


def test_the_board_filters_by_department_and_state_together(client_for, staff_user):
    listed = (
        client_for(staff_user)
        .get("/tasks/?department=jrb&state=overdue")
        .context["page"]
        .object_list
    )
    # jrb leads 3.3 and 3.3.2 and co-operates on 3 and 3.3.1; all four have a late milestone below
    assert [s.task.code for s in listed] == ["3", "3.3", "3.3.1", "3.3.2"]


def test_long_filtered_lists_are_paginated(client_for, staff_user):
    response = client_for(staff_user).get("/tasks/?department=kjj")
    page = response.context["page"]
    assert page.paginator.num_pages == 2
    assert len(client_for(staff_user).get("/tasks/?department=kjj&page=2").context["page"]) > 0


def test_a_reporter_sees_the_open_supervision_of_their_department(
    client_for, staff_user, lead_reporter, other_reporter, czj_task, today
):
    Supervision.objects.create(
        task=czj_task,
        department=czj_task.lead_department,
        reason="引导基金设立滞后",
        respond_by=today + 7 * DAY,
        issued_by=staff_user,
    )
    mine = client_for(lead_reporter).get("/tasks/")
    assert [sv.task.code for sv in mine.context["my_supervisions"]] == ["3.3.2"]
    assert "引导基金设立滞后" in mine.content.decode()
    theirs = client_for(other_reporter).get("/tasks/")
    assert theirs.context["my_supervisions"] == []


def test_the_board_does_not_grow_in_queries_with_tasks_milestones_or_reports(
    client_for, staff_user, plan, today, django_assert_max_num_queries
):
    client = client_for(staff_user)
    urls = ["/tasks/", "/tasks/?department=kjj", "/tasks/?state=overdue"]
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before[url] = len(queries)
    for i, task in enumerate(TaskNode.objects.filter(plan=plan)):
        Milestone.objects.create(task=task, title=f"里程碑{i}", due_on=today + (i - 30) * DAY)
        report(task, i % 101, today - i * DAY)
        report(task, 10, today - 400 * DAY)
    for url in urls:
        with django_assert_max_num_queries(min(before[url], 15)):
            assert client.get(url).status_code == 200


# --- how state is derived and rolled up -------------------------------------------------------


def test_a_task_nobody_reported_on_is_no_report(plan):
    assert states(plan, "1.3.4", "1.3") == [State.NO_REPORT, State.NO_REPORT]


def test_a_reported_task_with_nothing_late_is_on_schedule(plan, task_by_code, today):
    report(task_by_code("1.3.4"), 30, today)
    assert states(plan, "1.3.4", "1.3") == [State.ON_SCHEDULE, State.ON_SCHEDULE]


def test_a_milestone_past_due_makes_the_task_and_every_ancestor_overdue(plan, task_by_code, today):
    Milestone.objects.create(task=task_by_code("1.3.2"), title="样机", due_on=today - DAY)
    assert states(plan, "1.3.2", "1.3", "1") == [State.OVERDUE] * 3
    assert states(plan, "1.3.1") == [State.NO_REPORT]  # a sibling is not dragged along


def test_a_completed_milestone_is_not_overdue(plan, task_by_code, today):
    task = task_by_code("1.3.2")
    Milestone.objects.create(
        task=task, title="样机", due_on=today - 9 * DAY, completed_on=today - 10 * DAY
    )
    report(task, 60, today)
    assert states(plan, "1.3.2") == [State.ON_SCHEDULE]


def test_a_milestone_due_within_the_window_is_due_soon(plan, task_by_code, today):
    task = task_by_code("1.3.3")
    report(task, 50, today)
    Milestone.objects.create(task=task, title="中试", due_on=today + 10 * DAY)
    assert states(plan, "1.3.3", "1.3") == [State.DUE_SOON, State.DUE_SOON]
    assert states(plan, "1.3.3", days=5) == [State.ON_SCHEDULE]


def test_a_milestone_due_today_is_due_soon_not_overdue(plan, task_by_code, today):
    Milestone.objects.create(task=task_by_code("1.3.3"), title="中试", due_on=today)
    assert states(plan, "1.3.3") == [State.DUE_SOON]


def test_full_progress_with_nothing_open_is_done(plan, task_by_code, today):
    task = task_by_code("1.3.1")
    report(task, 100, today)
    assert states(plan, "1.3.1") == [State.DONE]
    Milestone.objects.create(task=task, title="验收", due_on=today + 90 * DAY)
    assert states(plan, "1.3.1") == [State.ON_SCHEDULE]  # 100% claimed, but a milestone is open


def test_a_parent_is_done_when_every_child_is(plan, task_by_code, today):
    for code in ("1.3.1", "1.3.2", "1.3.3", "1.3.4"):
        report(task_by_code(code), 100, today)
    assert states(plan, "1.3") == [State.DONE]


def test_the_latest_report_is_the_one_with_the_latest_date(plan, task_by_code, today):
    task = task_by_code("1.3.1")
    report(task, 80, today - DAY)
    report(task, 40, today - 30 * DAY)  # entered later, about an earlier date
    status = selectors.plan_status(plan)
    s = next(s for s in status.all() if s.task.code == "1.3.1")
    assert (s.percent, s.reported_on) == (80, today - DAY)


def test_a_parent_without_its_own_report_shows_its_childrens_mean_progress(
    plan, task_by_code, today
):
    report(task_by_code("1.3.1"), 100, today)
    report(task_by_code("1.3.2"), 60, today)
    status = selectors.plan_status(plan)
    s = next(s for s in status.all() if s.task.code == "1.3")
    assert s.percent is None
    assert s.progress == 40  # (100 + 60 + 0 + 0) / 4: unreported children count as not started
    assert s.last_reported_on == today


def test_milestone_counts_roll_up_the_subtree(plan):
    status = selectors.plan_status(plan)
    root = next(s for s in status.roots if s.task.code == "1")
    assert root.tree_milestones == 4  # 1.1.3, 1.2.3 and two on 1.4.1
    assert root.milestones == 0


@pytest.mark.parametrize("state", State.ORDER)
def test_every_state_has_a_label_and_a_badge(state):
    assert State.LABELS[state] and State.BADGE[state] in {"ok", "good", "warn", "bad", "none"}
