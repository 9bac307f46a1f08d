"""/calls/: the public list of calls with their window, filters, and a menu entry for all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.calls import services


@pytest.fixture
def calls(make_call, staff_user, call_data, program):
    from kechuang.calls.models import Program

    now = timezone.now()
    platform = Program.objects.create(code="platform", name="创新平台建设", kind="platform")
    open_call = make_call(code="open-now", title="正在申报的指南")
    upcoming = make_call(
        code="upcoming",
        title="即将开始的指南",
        program=platform,
        year=2027,
        opens_at=now + dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=30),
    )
    services.create_call(staff_user, **call_data(code="draft-only", title="尚未发布的草稿"))
    closed = make_call(code="closed", title="已关闭的指南")
    services.close_call(staff_user, closed)
    return open_call, upcoming, closed


def test_anyone_sees_published_calls_with_their_window(client, calls):
    html = client.get("/calls/").content.decode()
    assert "正在申报的指南" in html and "即将开始的指南" in html and "已关闭的指南" in html
    assert "申报中" in html and "即将开始" in html and "已截止" in html
    assert "尚未发布的草稿" not in html
    assert "2,000.00" in html  # the budget in 万元


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?kind=platform", "即将开始的指南", "正在申报的指南"),
        ("?year=2027", "即将开始的指南", "已关闭的指南"),
        ("?open=1", "正在申报的指南", "即将开始的指南"),
    ],
)
def test_filters_narrow_the_list(client, calls, query, shown, hidden):
    html = client.get("/calls/" + query).content.decode()
    assert shown in html and hidden not in html


def test_an_empty_list_says_what_will_appear(client, db):
    assert "目前没有发布的申报指南" in client.get("/calls/").content.decode()


def test_the_menu_offers_calls_to_everyone(client, plan):
    html = client.get("/", follow=True).content.decode()
    assert 'href="/calls/"' in html and "项目申报" in html


def test_the_menu_offers_management_to_the_bureau_and_my_applications_to_applicants(
    client_for, staff_user, own_user
):
    html = client_for(staff_user).get("/calls/").content.decode()
    assert 'href="/calls/manage/"' in html and 'href="/calls/mine/"' not in html
    html = client_for(own_user).get("/calls/").content.decode()
    assert 'href="/calls/mine/"' in html and 'href="/calls/manage/"' not in html


def test_the_list_costs_the_same_queries_however_many_calls(
    client, make_call, django_assert_max_num_queries
):
    make_call(code="c0")
    with django_assert_max_num_queries(4) as few:
        client.get("/calls/")
    for i in range(1, 12):
        make_call(code=f"c{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/calls/")
