"""/calls/manage/: the bureau's calls with counts per state, publishing and closing, and the
call form with its sections and criteria."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.calls import services
from kechuang.calls.models import Call


def test_staff_see_every_call_with_its_applications_counted_by_state(
    client_for, staff_user, own_user, other_user, make_draft, draft
):
    services.submit(other_user, make_draft(other_user))
    html = client_for(staff_user).get("/calls/manage/").content.decode()
    assert draft.call.title in html and "共 2 项" in html
    assert "草稿 1" in html and "已提交 1" in html
    assert "待审 1" in html


def test_publish_and_close_from_the_list(client_for, staff_user, call_data):
    services.create_call(staff_user, **call_data(code="new-call"))
    c = client_for(staff_user)
    c.post("/calls/manage/", {"call": "new-call", "action": "publish"})
    assert Call.objects.get().state == "published"
    c.post("/calls/manage/", {"call": "new-call", "action": "close"})
    assert Call.objects.get().state == "closed"


def test_a_refused_action_is_explained(client_for, staff_user, call):
    response = client_for(staff_user).post(
        "/calls/manage/", {"call": call.code, "action": "publish"}, follow=True
    )
    assert "该申报指南已发布" in response.content.decode()


def test_an_empty_list_says_how_to_begin(client_for, staff_user):
    assert "还没有申报指南" in client_for(staff_user).get("/calls/manage/").content.decode()


@pytest.mark.parametrize("who", ["own_user", "reporter", "expert_user", "provider_user"])
@pytest.mark.parametrize("path", ["/calls/manage/", "/calls/manage/new/"])
def test_only_the_bureau_manages(role, client_for, who, path):
    assert client_for(role(who)).get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get("/calls/manage/")["Location"].startswith("/accounts/login/")


def test_the_list_costs_the_same_queries_however_many_calls(
    client_for, staff_user, make_call, django_assert_max_num_queries
):
    c = client_for(staff_user)
    make_call(code="c0")
    with django_assert_max_num_queries(12) as few:
        c.get("/calls/manage/")
    for i in range(1, 10):
        make_call(code=f"c{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get("/calls/manage/")


# --- the call form ------------------------------------------------------------------------------


def form_post(program, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "program": program.pk,
        "code": "form-call",
        "title": "表单创建的指南",
        "year": "2026",
        "opens_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "budget": "2000",
        "max_amount": "200",
        "conditions": ["registered_in_district"],
        "min_years": "3",
        "panel_size": "5",
        "sections-TOTAL_FORMS": "3",
        "sections-INITIAL_FORMS": "0",
        "sections-0-key": "overview",
        "sections-0-title": "项目概述",
        "sections-0-required": "on",
        "sections-0-max_chars": "1500",
        "sections-1-key": "plan",
        "sections-1-title": "实施计划",
        "sections-1-max_chars": "800",
        "sections-2-key": "",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "技术创新性",
        "criteria-0-weight": "60",
        "criteria-1-name": "可行性",
        "criteria-1-weight": "40",
        "criteria-2-name": "",
    }
    return data | overrides


def test_staff_create_a_call_from_the_form_in_wan_yuan(client_for, staff_user, program):
    response = client_for(staff_user).post("/calls/manage/new/", form_post(program))
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.state, str(call.budget), str(call.max_amount)) == (
        "draft",
        "20000000.00",
        "2000000.00",
    )
    assert call.eligibility == ["registered_in_district", "min_years_registered:3"]
    assert [(s.key, s.required) for s in call.sections.all()] == [
        ("overview", True),
        ("plan", False),
    ]
    assert [c.weight for c in call.criteria.all()] == [60, 40]


def test_the_form_reports_weights_that_do_not_sum_to_100(client_for, staff_user, program):
    data = form_post(program, **{"criteria-1-weight": "30"})
    response = client_for(staff_user).post("/calls/manage/new/", data)
    assert (
        response.status_code == 200 and "权重合计应为 100（现为 90）" in response.content.decode()
    )
    assert not Call.objects.exists()


def test_the_edit_form_shows_the_call_as_it_is_and_saves_changes(
    client_for, staff_user, call, program
):
    c = client_for(staff_user)
    html = c.get(f"/calls/manage/{call.code}/").content.decode()
    assert 'value="2000"' in html and 'value="overview"' in html and "技术创新性" in html
    data = form_post(program, code=call.code, title="修改后的标题")
    assert c.post(f"/calls/manage/{call.code}/", data).status_code == 302
    call.refresh_from_db()
    assert call.title == "修改后的标题" and call.state == "published"


def test_an_unknown_call_is_not_found(client_for, staff_user):
    assert client_for(staff_user).get("/calls/manage/nope/").status_code == 404
