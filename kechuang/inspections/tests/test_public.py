"""一公开: the public page shows published plans with their draws and results, nothing internal."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.inspections import services
from kechuang.inspections.tests.conftest import make_plan, record

URL = "/inspections/public/"
INTERNAL = "内部：负责人拒绝签字"


@pytest.fixture
def published(check, staff_user, today):
    record(
        staff_user,
        check,
        result="basic",
        findings="个别支出凭证不全",
        internal_notes=INTERNAL,
        rectify_by=today + dt.timedelta(days=30),
    )
    return services.publish_plan(staff_user, check.plan)


@pytest.fixture
def unpublished(published, staff_user, make_project, make_unit):
    """A second plan in progress, over a unit whose name must not appear publicly yet."""
    make_project(make_unit("尚未公开的单位"))
    plan = make_plan(staff_user, title="进行中的计划")
    plan = services.draw_inspectors(staff_user, services.draw_objects(staff_user, plan))
    record(staff_user, plan.checks.get(), findings="未公开的发现")
    return plan


def test_anyone_sees_published_plans_with_draws_objects_dates_and_results(client, published):
    response = client.get(URL)
    html = response.content.decode()
    check = published.checks.get()
    assert response.status_code == 200
    assert published.title in html
    assert f'href="/draws/{published.objects_draw.draw_id}/"' in html
    assert f'href="/draws/{check.inspectors_draw.draw_id}/"' in html
    assert check.project.title in html and check.organization.name in html
    assert "基本合格" in html and "个别支出凭证不全" in html
    assert check.inspected_on.strftime("%Y-%m-%d") in html


def test_inspectors_appear_by_name_and_unit_only(client, published):
    html = client.get(URL).content.decode()
    for a in published.checks.get().assignments.select_related("expert"):
        e = a.expert
        assert e.name in html and e.organization_name in html
        for private in (e.phone, e.email, e.id_number_masked, e.code):
            assert private not in html


def test_nothing_internal_and_no_unpublished_plan_is_shown(client, unpublished):
    html = client.get(URL).content.decode()
    assert INTERNAL not in html
    assert (
        "进行中的计划" not in html and "尚未公开的单位" not in html and "未公开的发现" not in html
    )


def test_the_year_filter_and_the_empty_state(client, published):
    assert "尚无公开的抽查结果" in client.get(URL, {"year": published.year - 1}).content.decode()
    assert published.title in client.get(URL, {"year": published.year}).content.decode()


def test_an_empty_page_points_to_the_draws(client, plan):
    html = client.get(URL).content.decode()
    assert "尚无公开的抽查结果" in html and 'href="/draws/"' in html


def test_the_page_takes_a_fixed_number_of_queries(
    client, published, staff_user, make_project, make_unit, django_assert_max_num_queries
):
    for i in range(3):
        make_project(make_unit(f"第二批单位{i}"))
    second = make_plan(staff_user, title="第二批", count=3)
    second = services.draw_inspectors(staff_user, services.draw_objects(staff_user, second))
    for c in second.checks.all():
        record(staff_user, c)
    services.publish_plan(staff_user, second)
    # Years, count, plans, their checks, the checks' inspectors.
    with django_assert_max_num_queries(6):
        client.get(URL)
