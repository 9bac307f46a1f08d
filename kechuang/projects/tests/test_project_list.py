"""The bureau's project list: filters, search, sorting, flags, pages and the Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kechuang.projects import services
from kechuang.projects.tests.conftest import sign

URL = "/projects/"


@pytest.fixture
def three(make_project, staff_user, today, other_enterprise_user):
    """A signed major project with an overdue milestone, a minor one, another unit's."""
    late = make_project()
    services.add_milestone(staff_user, late, title="逾期节点", due_on=today - dt.timedelta(days=5))
    sign(late, staff_user, today)
    minor = make_project(major=False)
    other = make_project(applicant=other_enterprise_user.organization)
    return late, minor, other


def codes(response) -> list[str]:
    return [p.code for p in response.context["page"].object_list]


def test_staff_see_every_project_with_its_flags(client_for, staff_user, three):
    late, minor, other = three
    response = client_for(staff_user).get(URL)
    assert response.status_code == 200
    assert set(codes(response)) == {late.code, minor.code, other.code}
    html = response.content.decode()
    assert "里程碑逾期" in html and "本年度未自查" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"flag": "overdue"}, [0]),
        ({"flag": "no_inspection"}, [0]),
        ({"program": "key-rd"}, [1]),
        ({"org": "ent-other"}, [2]),
        ({"q": "另一企业"}, [2]),
        ({"state": "passed"}, []),
    ],
)
def test_filters_narrow_the_list(client_for, staff_user, three, params, expected):
    response = client_for(staff_user).get(URL, params)
    assert codes(response) == [three[i].code for i in expected]


def test_the_year_filter_and_sorting(client_for, staff_user, three, today):
    client = client_for(staff_user)
    assert len(codes(client.get(URL, {"year": today.year}))) == 3
    assert codes(client.get(URL, {"year": today.year - 1})) == []
    ordered = sorted(p.code for p in three)
    assert codes(client.get(URL, {"sort": "code"})) == ordered
    assert codes(client.get(URL, {"sort": "-code"})) == ordered[::-1]


def test_an_empty_list_says_how_projects_arrive(client_for, staff_user):
    html = client_for(staff_user).get(URL).content.decode()
    assert "还没有项目" in html


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, staff_user, make_project, django_assert_max_num_queries
):
    for _ in range(12):
        make_project()
    client = client_for(staff_user)
    # Session and user, four for the menus and counts, the page and its count, the session
    # save: the same whether there are twelve projects or twelve thousand.
    with django_assert_max_num_queries(13):
        response = client.get(URL)
    assert len(codes(response)) == 12


def test_the_export_has_a_row_per_project_in_yuan(client_for, staff_user, three):
    response = client_for(staff_user).get(URL, {"format": "xlsx", "org": "ent-demo"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "项目编号 / code" and len(rows) == 3
    by_code = {r[0]: r for r in rows[1:]}
    assert float(by_code[three[0].code][9]) == 1000000.0
    assert by_code[three[0].code][12] == "是"


def test_enterprise_users_go_to_their_own_projects_and_experts_to_their_panels(
    client_for, enterprise_user, make_expert
):
    assert client_for(enterprise_user).get(URL)["Location"] == "/projects/mine/"
    expert = make_expert("E900", "研究院").user
    assert client_for(expert).get(URL)["Location"] == "/projects/midterm/mine/"


@pytest.mark.parametrize("who", ["reporter", "provider_user"])
def test_others_are_refused(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, plan):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
