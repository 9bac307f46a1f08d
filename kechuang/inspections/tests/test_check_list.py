"""The bureau's list of checks: filters, sorting, pages, Excel export, query count, who may."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kechuang.inspections import services
from kechuang.inspections.tests.conftest import make_plan, record

URL = "/inspections/"


@pytest.fixture
def five(staff_user, make_project, make_unit, inspectors):
    """A plan of five checks over five units; the first two have results."""
    for i in range(5):
        make_project(make_unit(f"承担单位{i}"), title=f"抽查项目{i}")
    plan = make_plan(staff_user, count=5)
    plan = services.draw_inspectors(staff_user, services.draw_objects(staff_user, plan))
    checks = list(plan.checks.order_by("position"))
    record(staff_user, checks[0], result="pass")
    record(staff_user, checks[1], result="basic", internal_notes="内部：另行约谈")
    return checks


def codes(response) -> list[str]:
    return [c.object_code for c in response.context["page"].object_list]


def test_staff_see_every_check_with_object_inspectors_and_result(client_for, staff_user, five):
    response = client_for(staff_user).get(URL)
    assert response.status_code == 200
    assert codes(response) == [c.object_code for c in five]
    html = response.content.decode()
    assert "抽查项目0" in html and "检查员0" in html and "基本合格" in html
    assert 'href="/inspections/"' in html  # the menu item


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"result": "pending"}, [2, 3, 4]),
        ({"result": "basic"}, [1]),
        ({"pool": "hnte"}, []),
    ],
)
def test_filters_narrow_the_list(client_for, staff_user, five, params, expected):
    assert codes(client_for(staff_user).get(URL, params)) == [five[i].object_code for i in expected]


def test_search_finds_a_check_by_its_unit_or_code(client_for, staff_user, five):
    client = client_for(staff_user)
    target = five[3]
    assert codes(client.get(URL, {"q": target.organization.name})) == [target.object_code]
    assert codes(client.get(URL, {"q": target.object_code.lower()})) == [target.object_code]


def test_the_plan_and_year_filters_and_sorting(client_for, staff_user, five):
    client = client_for(staff_user)
    plan = five[0].plan
    assert len(codes(client.get(URL, {"plan": plan.pk}))) == 5
    assert codes(client.get(URL, {"year": plan.year - 1})) == []
    assert codes(client.get(URL, {"sort": "object"})) == sorted(c.object_code for c in five)


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, staff_user, five, django_assert_max_num_queries
):
    client = client_for(staff_user)
    client.get(URL)
    # Session, user and unit, count, menus (years, plans), recent plans, the page, inspectors.
    with django_assert_max_num_queries(12):
        client.get(URL)


def test_the_export_has_every_filtered_check_but_no_internal_notes(client_for, staff_user, five):
    response = client_for(staff_user).get(URL, {"format": "xlsx", "result": "basic"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == "对象编号 / object"
    assert [r[3] for r in rows[1:]] == [five[1].object_code]
    assert rows[1][9] == "基本合格"
    assert all("内部" not in str(cell) for r in rows for cell in r)


def test_an_empty_list_says_how_to_start(client_for, staff_user):
    html = client_for(staff_user).get(URL).content.decode()
    assert "还没有抽查" in html and "新建抽查计划" in html


@pytest.mark.parametrize("who", ["enterprise_user", "expert"])
def test_inspectors_and_units_are_sent_to_their_own_checks(request, who, client_for, inspectors):
    user = inspectors[0].user if who == "expert" else request.getfixturevalue(who)
    response = client_for(user).get(URL)
    assert response.status_code == 302 and response["Location"] == "/inspections/mine/"


@pytest.mark.parametrize("who", ["reporter", "provider_user"])
def test_other_roles_are_refused(request, who, client_for):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert 'href="/inspections/"' not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
