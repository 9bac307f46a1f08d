"""The reports list: what each role sees, filters, sorting, pages, and its query count."""

import pytest
from django.urls import reverse

from kechuang.reports.models import Report

URL = reverse("reports:list")


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def test_the_bureau_sees_every_report_and_the_form_to_ask_for_one(reports, staff_user, client_for):
    response = client_for(staff_user).get(URL)
    assert response.status_code == 200
    assert len(titles(response)) == 3
    html = response.content.decode()
    assert "生成报告" in html
    assert reverse("reports:download", args=[reports["yearly"].pk]) in html


def test_an_enterprise_user_sees_only_its_profile_and_no_form(reports, own_user, client_for):
    response = client_for(own_user).get(URL)
    assert titles(response) == [reports["enterprise"].title]
    assert "生成报告" not in response.content.decode()


def test_a_reporter_sees_only_its_departments_report(reports, reporter, other_reporter, client_for):
    assert titles(client_for(reporter).get(URL)) == [reports["department"].title]
    assert titles(client_for(other_reporter).get(URL)) == []


@pytest.mark.parametrize("who", ["expert_user", "provider_user"])
def test_experts_and_providers_may_not_open_the_list(reports, who, request, client_for):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302


def test_an_empty_list_says_how_to_make_the_first_report(plan, staff_user, client_for):
    html = client_for(staff_user).get(URL).content.decode()
    assert "还没有报告。" in html
    assert "点“生成”" in html


def test_filters_narrow_the_list(reports, demo, staff_user, client_for):
    client = client_for(staff_user)
    assert titles(client.get(URL, {"kind": "enterprise"})) == [reports["enterprise"].title]
    assert len(titles(client.get(URL, {"plan": demo.code}))) == 2
    assert titles(client.get(URL, {"year": "2024"})) == [reports["yearly"].title]
    assert titles(client.get(URL, {"state": "failed"})) == []
    assert len(titles(client.get(URL, {"kind": "nonsense"}))) == 3


def test_sorting_by_title_and_oldest_first(reports, staff_user, client_for):
    client = client_for(staff_user)
    by_title = titles(client.get(URL, {"sort": "title"}))
    assert by_title == sorted(by_title)
    oldest = titles(client.get(URL, {"sort": "created"}))
    assert oldest[0] == reports["yearly"].title


def test_the_list_pages_and_its_queries_do_not_grow_with_it(
    demo, make_report, staff_user, client_for, django_assert_max_num_queries
):
    for year in range(2021, 2026):
        for _ in range(8):
            make_report("yearly", plan=demo, year=year)
    client = client_for(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(titles(response)) == 30
    assert Report.objects.count() == 40
    assert len(titles(client.get(URL, {"page": 2}))) == 10
