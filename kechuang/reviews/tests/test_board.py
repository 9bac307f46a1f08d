"""The review board: each application's panel, sheets, scores, warnings, rank and the funding
line, for the bureau only; filters, sorting, the Excel export and flat query counts."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.calls.models import Call
from kechuang.reviews import services, views
from kechuang.reviews.models import Panel
from kechuang.reviews.tests.conftest import ROLES_OUTSIDE_THE_BUREAU, score_all


def url(call, **params):
    from urllib.parse import urlencode

    return reverse("reviews:board", args=[call.code]) + (f"?{urlencode(params)}" if params else "")


@pytest.fixture
def many(staff_user, call, make_application, applicant_org, other_org, library):
    """Four applications: two scored alike (a tie), one higher, one with three sheets only."""
    apps = [make_application(applicant_org if n % 2 else other_org, n) for n in range(1, 5)]
    services.start_review(staff_user, call)
    services.run_draws(staff_user, call)
    panels = {a.code: Panel.objects.get(application=a) for a in apps}
    score_all(panels["SB-2026-0001"], [0.9, 0.9, 0.9, 0.9, 0.9])
    score_all(panels["SB-2026-0002"], [0.8, 0.8, 0.8, 0.8, 0.8])
    score_all(panels["SB-2026-0003"], [0.8, 0.8, 0.8, 0.8, 0.8])
    score_all(panels["SB-2026-0004"], [0.95, 0.95, 0.95])
    return apps


def test_the_bureau_sees_the_ranking_with_ties_and_incomplete_reviews_last(
    client_for, staff_user, many
):
    r = client_for(staff_user).get(url(many[0].call))
    assert r.status_code == 200
    rows = [row.code for row in r.context["page"].object_list]
    assert rows == ["SB-2026-0001", "SB-2026-0002", "SB-2026-0003", "SB-2026-0004"]
    ranks = [(row.rank, row.tied) for row in r.context["page"].object_list]
    assert ranks == [(1, False), (2, True), (2, True), (None, False)]
    body = r.content.decode()
    assert "并列" in body and "SB-2026-0002、SB-2026-0003 最终得分同为 80.00，并列第 2 名" in body
    assert "3/5" in body and "未完成" in body


def test_each_row_shows_its_panel_with_states_and_the_scores(client_for, staff_user, many):
    r = client_for(staff_user).get(url(many[0].call))
    first = r.context["page"].object_list[0]
    assert len(first.members) == 5 and first.sheets == 5
    body = r.content.decode()
    names = [a.expert.name for a in first.members]
    assert all(name in body for name in names)
    assert first.result["trimmed_mean"] == "90.00" and first.final == Decimal("90.00")
    assert "已提交评分" in body and "已邀请" in body  # the fourth panel still has two invited


def test_a_four_expert_panel_shows_no_trimmed_mean(
    client_for, staff_user, call, application, library
):
    Call.objects.filter(pk=call.pk).update(panel_size=4)
    call.refresh_from_db()
    services.start_review(staff_user, call)
    score_all(
        services.perform_panel_draw(staff_user, Panel.objects.get(application=application)),
        [0.9, 0.8, 0.7, 0.6],
    )
    row = client_for(staff_user).get(url(call)).context["page"].object_list[0]
    assert row.result["trimmed_mean"] is None and row.final == Decimal("75.00") and row.rank == 1


def test_a_spread_warning_names_the_expert(client_for, staff_user, reviewed_with_outlier):
    panel, outlier = reviewed_with_outlier
    r = client_for(staff_user).get(url(panel.call))
    body = r.content.decode()
    assert f"{outlier.name}（{outlier.code}）" in body and "相差 -" in body
    assert (
        client_for(staff_user).get(url(panel.call, warning=1)).context["page"].paginator.count == 1
    )


@pytest.fixture
def reviewed_with_outlier(drawn):
    score_all(drawn, [0.8, 0.82, 0.78, 0.8, 0.3])
    last = drawn.assignments.select_related("expert").order_by("position").last()
    return Panel.objects.get(pk=drawn.pk), last.expert


def test_the_funding_line_advises_against_the_budget(client_for, staff_user, many):
    Call.objects.filter(pk=many[0].call_id).update(budget=Decimal("2500000"))
    r = client_for(staff_user).get(url(many[0].call))
    fits = [row.funding.fits if row.funding else None for row in r.context["page"].object_list]
    # 1,000,000 each: the first two fit, the third (tied with the second) does not, the
    # incomplete one is not considered.
    assert fits == [True, True, False, None]
    body = r.content.decode()
    assert "资助线落在并列第 2 名" in body and "资助线只是供评审组参考的建议" in body


def test_filters_by_state_field_and_warnings(
    client_for, staff_user, many, make_application, applicant_org
):
    make_application(applicant_org, 9, fields=["电子信息"])
    c = client_for(staff_user)
    call = many[0].call
    assert c.get(url(call)).context["page"].paginator.count == 5
    assert [r.code for r in c.get(url(call, state="accepted")).context["page"].object_list] == [
        "SB-2026-0009"
    ]
    assert [r.code for r in c.get(url(call, field="电子信息")).context["page"].object_list] == [
        "SB-2026-0009"
    ]
    assert c.get(url(call, warning=1)).context["page"].paginator.count == 0
    empty = c.get(url(call, field="航空航天"))
    assert "没有符合条件的申报" in empty.content.decode()


def test_sorting_by_amount_and_paginating(client_for, staff_user, many, monkeypatch):
    from kechuang.calls.models import Application

    Application.objects.filter(code="SB-2026-0003").update(requested_amount=Decimal("1500000"))
    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 2)
    c = client_for(staff_user)
    call = many[0].call
    page1 = c.get(url(call, sort="-amount")).context["page"]
    assert page1.paginator.num_pages == 2 and page1.object_list[0].code == "SB-2026-0003"
    page2 = c.get(url(call, sort="-amount", page=2)).context["page"]
    assert len(page2.object_list) == 2


def test_the_export_lists_the_ranking_with_each_criterions_mean(client_for, staff_user, many):
    r = client_for(staff_user).get(url(many[0].call, format="xlsx"))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert "技术创新性 平均分 / mean of 技术创新性" in header
    assert "团队能力 平均分 / mean of 团队能力" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["排名 / rank"] == 1 and first["申报编号 / code"] == "SB-2026-0001"
    assert first["最终得分 / final"] == 90 and first["团队能力 平均分 / mean of 团队能力"] == 9
    assert rows[4][0] is None  # the incomplete one, unranked


def test_the_chart_shows_each_experts_total_for_the_top_applications(client_for, staff_user, many):
    r = client_for(staff_user).get(url(many[0].call))
    chart = r.context["chart"]
    assert [c["code"] for c in chart] == ["SB-2026-0001", "SB-2026-0002", "SB-2026-0003"]
    assert chart[0]["totals"] == ["90.00"] * 5
    assert "/static/vendor/plotly/plotly.min.js" in r.content.decode()


def test_the_query_count_stays_flat_as_applications_grow(
    client_for,
    staff_user,
    call,
    make_application,
    applicant_org,
    library,
    django_assert_max_num_queries,
):
    c = client_for(staff_user)

    def grow(start, n):
        for i in range(start, start + n):
            make_application(applicant_org, i)
        services.start_review(staff_user, call)
        services.run_draws(staff_user, call)
        for panel in Panel.objects.filter(call=call, sheets=0):
            score_all(panel, [0.9, 0.8, 0.7, 0.6, 0.5])

    grow(1, 2)
    with django_assert_max_num_queries(13) as few:
        c.get(url(call))
    grow(3, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get(url(call))
    assert r.context["page"].paginator.count == 12


def test_start_and_draw_all_from_the_board(client_for, staff_user, call, application, library):
    c = client_for(staff_user)
    r = c.post(url(call), {"action": "start"}, follow=True)
    assert "评审已开始" in r.content.decode()
    assert Panel.objects.get(application=application).state == "committed"
    r = c.post(url(call), {"action": "draw_all"}, follow=True)
    assert "正在执行 1 个评审组的抽取" in r.content.decode()
    assert Panel.objects.get(application=application).assignments.count() == 5


def test_a_refused_action_says_why(client_for, staff_user, call, library):
    r = client_for(staff_user).post(url(call), {"action": "start"}, follow=True)
    assert "没有待组织评审的申报" in r.content.decode()


def test_publishing_from_the_board(client_for, staff_user, reviewed, application):
    services.record_decision(
        staff_user, application, approved=True, amount="500000", opinion="同意"
    )
    r = client_for(staff_user).post(url(application.call), {"action": "publish"}, follow=True)
    assert "评审结果已公示" in r.content.decode()
    application.refresh_from_db()
    assert application.state == "approved"


def test_an_empty_board_says_what_comes_next(client_for, staff_user, call):
    r = client_for(staff_user).get(url(call))
    assert "该指南还没有形式审查通过的申报" in r.content.decode()


@pytest.mark.parametrize("who", ["admin_user", "staff_user"])
def test_the_bureau_opens_the_board(as_user, call, who):
    assert as_user(who).get(url(call)).status_code == 200


@pytest.mark.parametrize("who", ROLES_OUTSIDE_THE_BUREAU)
def test_nobody_else_opens_the_board(as_user, drawn, who):
    call = drawn.call
    assert as_user(who).get(url(call)).status_code == 403
    assert as_user(who).get(url(call, format="xlsx")).status_code == 403
    assert as_user(who).post(url(call), {"action": "draw_all"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, call):
    r = client.get(url(call))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
