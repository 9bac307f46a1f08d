"""The bureau's 督办 list: every notice, open ones first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.supervision import selectors
from kechuang.supervision.models import Supervision

DAY = dt.timedelta(days=1)
URL = "/tasks/supervision/"


def notice(task, staff, respond_by, *, closed=False, reason="督办"):
    return Supervision.objects.create(
        task=task,
        department=task.lead_department,
        reason=reason,
        respond_by=respond_by,
        issued_by=staff,
        closed_at=timezone.now() if closed else None,
    )


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_reporters_and_enterprises_are_refused(client_for, reporter, enterprise_user):
    assert client_for(reporter).get(URL).status_code == 403
    assert client_for(enterprise_user).get(URL).status_code == 403


def test_open_notices_come_first_nearest_deadline_first(
    client_for, staff_user, task_by_code, today
):
    late = notice(task_by_code("3.3.2"), staff_user, today + 9 * DAY, reason="晚")
    soon = notice(task_by_code("1.1.3"), staff_user, today + 1 * DAY, reason="近")
    done = notice(task_by_code("2.5.2"), staff_user, today - 9 * DAY, closed=True)
    response = client_for(staff_user).get(f"{URL}?status=all")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [soon, late, done]
    assert list(selectors.supervision_list("open")) == [soon, late]
    assert list(selectors.supervision_list("closed")) == [done]


def test_the_default_view_is_open_notices(client_for, staff_user, task_by_code, today):
    notice(task_by_code("3.3.2"), staff_user, today, reason="未办结的")
    notice(task_by_code("2.5.2"), staff_user, today, closed=True, reason="已办结的")
    html = client_for(staff_user).get(URL).content.decode()
    assert "未办结的" in html and "已办结的" not in html


def test_the_list_filters_by_department(client_for, staff_user, task_by_code, today):
    notice(task_by_code("3.3.2"), staff_user, today)
    notice(task_by_code("2.5.2"), staff_user, today)
    listed = client_for(staff_user).get(f"{URL}?department=jrb").context["page"].object_list
    assert [sv.department.code for sv in listed] == ["jrb"]


def test_an_unanswered_notice_past_its_deadline_is_flagged(
    client_for, staff_user, task_by_code, today
):
    notice(task_by_code("3.3.2"), staff_user, today - DAY)
    assert "已超期" in client_for(staff_user).get(URL).content.decode()
