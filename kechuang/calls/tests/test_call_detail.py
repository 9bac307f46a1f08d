"""/calls/<code>/: the call's sections, weighted criteria and conditions, and "apply"."""

from __future__ import annotations

import pytest

from kechuang.calls import services
from kechuang.calls.models import Application


def page(client, call) -> str:
    return client.get(f"/calls/{call.code}/").content.decode()


def test_anyone_reads_the_sections_criteria_and_conditions_explained(client, call):
    html = page(client, call)
    assert "项目概述" in html and "实施计划" in html
    assert "技术创新性" in html and ">30<" in html and ">25<" in html
    assert "在本区注册登记" in html and "未列入严重违法失信名单" in html
    assert "国家市场监督管理总局令第44号" in html
    assert "登录后申报" in html


def test_an_applicant_user_may_start_while_the_call_is_open(client_for, own_user, call):
    html = page(client_for(own_user), call)
    assert f'action="/calls/{call.code}/apply/"' in html and "开始申报" in html


def test_bureau_staff_see_no_apply_form(client_for, staff_user, call):
    assert "开始申报" not in page(client_for(staff_user), call)


def test_a_closed_call_offers_no_apply_form(client_for, staff_user, own_user, call):
    services.close_call(staff_user, call)
    html = page(client_for(own_user), call)
    assert "开始申报" not in html and "已截止申报" in html


def test_a_draft_call_is_hidden_from_the_public_but_shown_to_the_bureau(
    client, client_for, staff_user, call_data
):
    draft = services.create_call(staff_user, **call_data(code="hidden"))
    assert client.get("/calls/hidden/").status_code == 404
    assert "尚未发布" in page(client_for(staff_user), draft)


def test_an_unknown_call_is_not_found(client, db):
    assert client.get("/calls/no-such-call/").status_code == 404


def test_starting_creates_a_draft_and_opens_it(client_for, own_user, call):
    response = client_for(own_user).post(f"/calls/{call.code}/apply/", {"title": "新项目"})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/calls/applications/{app.pk}/"
    assert app.title == "新项目" and app.state == "draft"


def test_starting_without_a_title_explains_why(client_for, own_user, call):
    response = client_for(own_user).post(f"/calls/{call.code}/apply/", {"title": ""})
    assert response.status_code == 200 and "未写入任何数据" in response.content.decode()
    assert not Application.objects.exists()


def test_the_applicants_own_applications_are_listed_on_the_call(client_for, own_user, draft):
    assert draft.title in page(client_for(own_user), draft.call)


@pytest.mark.parametrize("who", ["staff_user", "reporter", "expert_user", "provider_user"])
def test_others_cannot_start_an_application(role, client_for, call, who):
    response = client_for(role(who)).post(f"/calls/{call.code}/apply/", {"title": "x"})
    assert response.status_code == 403 and not Application.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in_to_apply(client, call):
    response = client.post(f"/calls/{call.code}/apply/", {"title": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
