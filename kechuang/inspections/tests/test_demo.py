"""The demo: one published plan with results, verifiable, idempotent and removable."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from kechuang.experts import services as expert_services
from kechuang.experts.demo import load_experts_demo
from kechuang.experts.models import Draw
from kechuang.inspections.demo import load_inspections_demo, remove_inspections_demo
from kechuang.inspections.models import Check, InspectionPlan
from kechuang.inspections.tests.conftest import make_plan
from kechuang.notifications.models import Notification


@pytest.fixture
def library(plan, staff_user):
    load_experts_demo()


def test_with_few_projects_the_demo_checks_high_tech_enterprises(
    library, make_enterprise, client, tmp_path, capsys
):
    for _ in range(12):
        make_enterprise(hnte=True)
    assert load_inspections_demo() == {"plans": 1, "checks": 2, "assignments": 4}
    plan = InspectionPlan.objects.get()
    assert plan.is_demo and plan.pool == "hnte" and plan.state == "published"
    checks = list(plan.checks.order_by("position"))
    assert [c.result for c in checks] == ["pass", "basic"]
    assert checks[1].rectify_by is not None
    html = client.get("/inspections/public/").content.decode()
    assert plan.title in html and "演示数据" in html
    draw = Draw.objects.get(pk=plan.objects_draw_id)
    assert draw.is_demo
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(expert_services.export_draw(draw)), encoding="utf-8")
    call_command("verify-draw", str(path))
    assert capsys.readouterr().out.strip() == "OK"


def test_with_three_running_projects_the_demo_checks_them(library, make_project, make_unit):
    for i in range(3):
        make_project(make_unit(f"演示承担单位{i}"))
    assert load_inspections_demo()["checks"] == 1
    assert InspectionPlan.objects.get().pool == "projects_running"


def test_loading_again_adds_nothing_and_without_experts_nothing_happens(
    plan, staff_user, make_enterprise
):
    make_enterprise(hnte=True)
    assert load_inspections_demo() == {"plans": 0, "checks": 0, "assignments": 0}
    load_experts_demo()
    assert load_inspections_demo()["plans"] == 1
    assert load_inspections_demo()["plans"] == 0


def test_removing_the_demo_leaves_real_plans(library, make_enterprise, staff_user):
    from kechuang.accounts.models import User

    for i in range(3):
        unit = make_enterprise(hnte=True).organization
        User.objects.create_user(username=f"firm{i}", role="enterprise", organization=unit)
    real = make_plan(staff_user, pool="hnte", title="真实计划", count=1)
    load_inspections_demo()
    assert Notification.objects.filter(url__startswith="/inspections/checks/").exists()
    assert remove_inspections_demo() == {"plans": 1, "checks": 1, "assignments": 2}
    assert list(InspectionPlan.objects.all()) == [real]
    assert not Check.objects.exists()
    assert list(Draw.objects.all()) == [real.objects_draw]
    assert not Notification.objects.filter(url__startswith="/inspections/checks/").exists()
