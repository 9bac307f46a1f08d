"""Creating a plan: the object pool is fixed into a committed draw, with clear refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.experts.models import Draw
from kechuang.inspections import services
from kechuang.inspections.models import InspectionPlan
from kechuang.inspections.tests.conftest import make_plan


def refused(user, **values) -> list:
    with pytest.raises(Rejected) as exc:
        make_plan(user, **values)
    assert not InspectionPlan.objects.exists() and not Draw.objects.exists()
    return exc.value.problems


@pytest.fixture
def twenty_one(make_project):
    return [make_project() for _ in range(21)]


def test_ten_percent_of_twenty_one_draws_three(staff_user, twenty_one):
    plan = make_plan(staff_user, sampling="ratio", ratio_pct=Decimal("10"))
    draw = plan.objects_draw
    assert (draw.pool_size, draw.excluded, draw.k) == (21, 0, 3)
    assert plan.ratio_pct == Decimal("10") and plan.count is None


def test_the_pool_is_frozen_into_a_committed_draw_about_the_plan(staff_user, twenty_one):
    plan = make_plan(staff_user, count=2)
    draw = plan.objects_draw
    assert draw.kind == "inspection_objects" and draw.state == "committed" and not draw.seed_hex
    assert draw.subject == plan and draw.k == 2
    pool = {c["id"]: c["attributes"] for c in draw.record["pool"]}
    assert set(pool) == {p.code for p in twenty_one}
    assert pool[twenty_one[0].code] == {"organisation": twenty_one[0].organization.name}
    assert draw.record["constraints"]["max_per"] == {}
    assert plan.state == "draft" and [h.to_state for h in plan.history.all()] == ["draft"]


@pytest.mark.parametrize(
    ("ratio", "message"),
    [
        ("0", "抽查比例（0%）必须大于 0"),
        ("-5", "必须大于 0"),
        ("150", "抽查比例（150%）不能超过 100%"),
        ("100.001", "不能超过 100%"),
        ("", "请填写抽查比例"),
        ("abc", "不是数字"),
        ("12.345", "最多保留两位小数"),
    ],
)
def test_a_ratio_outside_0_to_100_percent_is_refused_by_name(
    staff_user, twenty_one, ratio, message
):
    problems = refused(staff_user, sampling="ratio", ratio_pct=ratio)
    assert [p.where for p in problems] == ["抽查比例（%） / ratio_pct"]
    assert message in problems[0].message_zh


def test_an_empty_pool_is_refused_naming_the_pool_and_year(staff_user, make_project):
    make_project(state="passed")  # finished, so not in the running pool
    problems = refused(staff_user)
    assert problems[0].where == "检查对象库 / pool"
    assert f"检查对象库为空：{timezone.localdate().year} 年没有在研项目" in problems[0].message_zh


def test_a_count_above_the_pool_is_refused_with_both_numbers(staff_user, make_project):
    make_project(), make_project()
    problems = refused(staff_user, count=3)
    assert problems[0].where == "抽查数量 / count"
    assert "抽查数量 3 超过可抽取的对象数 2" in problems[0].message_zh


def test_every_bad_field_is_reported_at_once(staff_user, make_project):
    make_project()
    problems = refused(
        staff_user,
        title=" ",
        year=1999,
        pool="nothing",
        sampling="count",
        count=0,
        inspectors_per_check=0,
        inspector_fields=["烹饪"],
        exclude_recent_months=99,
    )
    assert {p.where.rsplit(" / ", 1)[1] for p in problems} == {
        "title",
        "year",
        "pool",
        "count",
        "inspectors_per_check",
        "inspector_fields",
        "exclude_recent_months",
    }


def test_finished_projects_are_those_that_ended_this_year(staff_user, make_project):
    from kechuang.projects.models import ProjectStateChange

    done = make_project(state="passed")
    stopped = make_project(state="terminated")
    old = make_project(state="concluded")
    ProjectStateChange.objects.filter(project=old, to_state="concluded").update(
        changed_at=timezone.now() - dt.timedelta(days=400)
    )
    make_project()  # still running
    plan = make_plan(staff_user, pool="projects_finished")
    assert {c["id"] for c in plan.objects_draw.record["pool"]} == {done.code, stopped.code}


def test_high_tech_pool_is_district_firms_with_a_valid_certificate(staff_user, make_enterprise):
    valid = make_enterprise(hnte=True)
    make_enterprise(expired=True)
    make_enterprise(hnte=True, in_district=False)
    make_enterprise(pool=True)
    plan = make_plan(staff_user, pool="hnte")
    pool = plan.objects_draw.record["pool"]
    assert pool == [{"id": valid.uscc, "attributes": {"organisation": valid.name}}]


def test_cultivation_pool_is_firms_at_the_pool_stage(staff_user, make_enterprise):
    pooled = make_enterprise(pool=True)
    make_enterprise(hnte=True)
    plan = make_plan(staff_user, pool="cultivation")
    assert [c["id"] for c in plan.objects_draw.record["pool"]] == [pooled.uscc]


def test_objects_checked_recently_are_excluded_with_the_reason(
    staff_user, own_project, make_project, inspectors
):
    first = make_plan(staff_user)
    services.draw_objects(staff_user, first)
    other = make_project()
    plan = make_plan(staff_user, title="第二批", exclude_recent_months=12)
    exclusions = plan.objects_draw.record["exclusions"]
    assert set(exclusions) == {own_project.code}
    assert exclusions[own_project.code].startswith("近 12 个月内已抽查（")
    assert plan.objects_draw.excluded == 1 and plan.objects_draw.k == 1
    assert other.code in {c["id"] for c in plan.objects_draw.record["pool"]}
    again = make_plan(staff_user, title="第三批", exclude_recent_months=0)
    assert again.objects_draw.record["exclusions"] == {}


def test_a_pool_checked_entirely_in_the_window_is_refused(staff_user, own_project, inspectors):
    services.draw_objects(staff_user, make_plan(staff_user))
    with pytest.raises(Rejected, match="均在近 12 个月内抽查过"):
        make_plan(staff_user, title="再抽一次")


def test_ratio_counts_only_objects_that_may_be_drawn(
    staff_user, own_project, make_project, inspectors
):
    services.draw_objects(staff_user, make_plan(staff_user))
    for _ in range(9):
        make_project()
    plan = make_plan(staff_user, title="按比例", sampling="ratio", ratio_pct="50")
    assert (plan.objects_draw.pool_size, plan.objects_draw.excluded, plan.objects_draw.k) == (
        10,
        1,
        5,  # 50% of the 9 that may be drawn, rounded up
    )


@pytest.mark.parametrize(
    "who", ["reporter", "enterprise_user", "provider_user", "other_enterprise_user"]
)
def test_only_the_bureau_plans_spot_checks(request, who, make_project):
    make_project()
    with pytest.raises(PermissionDenied):
        make_plan(request.getfixturevalue(who))
    assert not InspectionPlan.objects.exists()


def test_an_expert_cannot_plan_either(make_project, inspectors):
    make_project()
    with pytest.raises(PermissionDenied):
        make_plan(inspectors[0].user)


def test_admin_plans_too(admin_user, make_project):
    make_project()
    assert make_plan(admin_user).created_by == admin_user
