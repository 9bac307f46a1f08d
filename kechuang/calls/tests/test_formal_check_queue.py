"""/calls/manage/formal-check/: submitted applications waiting, oldest first, with what to
verify."""

from __future__ import annotations

import pytest

from kechuang.calls import services


def test_submitted_applications_wait_oldest_first(
    client_for, staff_user, own_user, institution_user, make_draft
):
    first = services.submit(own_user, make_draft(own_user, title="先提交的"))
    services.submit(institution_user, make_draft(institution_user, title="后提交的"))
    html = client_for(staff_user).get("/calls/manage/formal-check/").content.decode()
    assert html.index("先提交的") < html.index("后提交的")
    assert f"/calls/applications/{first.pk}/#check" in html
    assert "在本区注册登记" in html  # the institution's conditions to verify


def test_checked_applications_leave_the_queue(client_for, staff_user, submitted):
    services.formal_check(staff_user, submitted, True)
    html = client_for(staff_user).get("/calls/manage/formal-check/").content.decode()
    assert submitted.title not in html and "没有待形式审查的申报" in html


@pytest.mark.parametrize("who", ["own_user", "reporter", "expert_user", "provider_user"])
def test_only_the_bureau_sees_the_queue(role, client_for, who):
    assert client_for(role(who)).get("/calls/manage/formal-check/").status_code == 403


def test_the_queue_costs_the_same_queries_however_long(
    client_for, staff_user, own_user, make_draft, django_assert_max_num_queries
):
    services.submit(own_user, make_draft(own_user))
    c = client_for(staff_user)
    with django_assert_max_num_queries(10) as few:
        c.get("/calls/manage/formal-check/")
    for i in range(8):
        services.submit(own_user, make_draft(own_user, title=f"项目{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get("/calls/manage/formal-check/")
