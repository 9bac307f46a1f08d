"""/calls/mine/: an applicant's own organisation's applications, and nobody else's."""

from __future__ import annotations

import pytest


def test_an_applicant_sees_its_applications_with_their_state(client_for, own_user, submitted):
    html = client_for(own_user).get("/calls/mine/").content.decode()
    assert submitted.code in html and submitted.title in html and "已提交" in html


def test_another_enterprises_applications_are_not_listed(client_for, other_user, submitted):
    html = client_for(other_user).get("/calls/mine/").content.decode()
    assert submitted.title not in html and "本单位还没有申报" in html


def test_open_calls_are_suggested(client_for, own_user, call):
    assert call.title in client_for(own_user).get("/calls/mine/").content.decode()


def test_bureau_staff_are_sent_to_the_management_page(client_for, staff_user):
    response = client_for(staff_user).get("/calls/mine/")
    assert response.status_code == 302 and response["Location"] == "/calls/manage/"


@pytest.mark.parametrize("who", ["reporter", "expert_user", "provider_user"])
def test_other_roles_are_refused(role, client_for, who):
    assert client_for(role(who)).get("/calls/mine/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get("/calls/mine/")["Location"].startswith("/accounts/login/")


def test_the_list_costs_the_same_queries_however_many_applications(
    client_for, own_user, make_draft, django_assert_max_num_queries
):
    c = client_for(own_user)
    make_draft(own_user)
    with django_assert_max_num_queries(12) as few:
        c.get("/calls/mine/")
    for i in range(10):
        make_draft(own_user, title=f"项目{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get("/calls/mine/")
