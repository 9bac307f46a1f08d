"""The two verifiable draws: objects from the frozen pool, then inspectors for each object."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.experts import services as expert_services
from kechuang.experts.models import Draw, Relationship
from kechuang.inspections import services
from kechuang.inspections.models import Assignment, Check
from kechuang.inspections.tests.conftest import make_plan


def verify(draw: Draw, tmp_path, capsys) -> str:
    path = tmp_path / f"{draw.draw_id}.json"
    path.write_text(json.dumps(expert_services.export_draw(draw)), encoding="utf-8")
    call_command("verify-draw", str(path), "--record-sha256", draw.record_sha256)
    return capsys.readouterr().out.strip()


@pytest.fixture
def three_projects(make_project, make_unit):
    return [make_project(make_unit(f"承担单位{i}")) for i in range(3)]


def test_drawing_objects_makes_a_check_per_object_in_draw_order(
    staff_user, three_projects, inspectors
):
    plan = services.draw_objects(staff_user, make_plan(staff_user, count=2))
    plan.objects_draw.refresh_from_db()
    chosen = expert_services.chosen(plan.objects_draw)
    checks = list(plan.checks.order_by("position"))
    assert [c.object_code for c in checks] == chosen and len(chosen) == 2
    by_code = {p.code: p for p in three_projects}
    for c in checks:
        assert c.project == by_code[c.object_code]
        assert c.organization == by_code[c.object_code].organization
        draw = c.inspectors_draw
        assert (draw.kind, draw.state, draw.k) == ("inspection_inspectors", "committed", 2)
        assert draw.record["constraints"]["max_per"] == {"organisation": 1}
        assert draw.subject == c
    assert plan.state == "objects_drawn"


def test_both_draws_verify_with_kechuang_verify_draw(assigned, check, tmp_path, capsys, staff_user):
    assert verify(assigned.objects_draw, tmp_path, capsys) == "OK"
    check.inspectors_draw.refresh_from_db()
    assert verify(check.inspectors_draw, tmp_path, capsys) == "OK"


def test_drawing_inspectors_assigns_k_from_distinct_units_and_tells_them(
    assigned, check, staff_user
):
    assignments = list(check.assignments.select_related("expert__user"))
    assert [a.expert.code for a in assignments] == expert_services.chosen(
        Draw.objects.get(pk=check.inspectors_draw_id)
    )
    assert len(assignments) == 2
    assert len({a.expert.organization_name for a in assignments}) == 2
    for a in assignments:
        note = a.expert.user.notifications.get()
        assert note.url == f"/inspections/checks/{check.pk}/"
        assert "双随机抽查任务" in note.title_zh
    assert assigned.state == "inspectors_drawn"
    assert [h.to_state for h in assigned.history.all()] == [
        "draft",
        "objects_drawn",
        "inspectors_drawn",
    ]


def test_an_inspector_of_the_objects_own_unit_or_related_to_it_is_excluded(
    draft, staff_user, own_project, make_expert
):
    unit = own_project.organization
    colleague = make_expert("E00801", unit.name)
    related = make_expert("E00802", "外单位")
    Relationship.objects.create(
        expert=related,
        organization=unit,
        organization_name=unit.name,
        kind="part_time",
        declared_on=timezone.localdate(),
    )
    plan = services.draw_objects(staff_user, draft)
    exclusions = plan.checks.get().inspectors_draw.record["exclusions"]
    assert "同单位" in exclusions[colleague.code]
    assert "声明关系（兼职）" in exclusions[related.code]
    services.draw_inspectors(staff_user, plan)
    drawn = set(Assignment.objects.values_list("expert__code", flat=True))
    assert not drawn & {colleague.code, related.code}


def test_too_few_inspectors_refuses_the_whole_draw_and_the_same_objects_come_out_later(
    staff_user, three_projects, make_expert
):
    make_expert("E00701", "唯一单位")
    plan = make_plan(staff_user, count=1)
    with pytest.raises(Rejected) as exc:
        services.draw_objects(staff_user, plan)
    problem = exc.value.problems[0]
    assert "只有 1 人，少于每组 2 人" in problem.message_zh
    assert problem.where.startswith("检查对象 / object ")
    code = problem.where.rsplit(" ", 1)[1]
    plan.refresh_from_db()
    plan.objects_draw.refresh_from_db()
    assert plan.state == "draft" and plan.objects_draw.state == "committed"
    assert not Check.objects.exists()
    assert Draw.objects.count() == 1
    make_expert("E00702", "第二单位")
    services.draw_objects(staff_user, plan)
    assert plan.checks.get().object_code == code


def test_inspectors_can_be_limited_to_fields_and_to_the_finance_tag(
    staff_user, own_project, make_expert
):
    make_expert("E00601", "甲单位", fields=("电子信息",))
    make_expert("E00602", "乙单位", fields=("电子信息",), is_finance=True)
    make_expert("E00603", "丙单位", fields=("新材料",), is_finance=True)
    make_expert("E00604", "丁单位", fields=("电子信息", "新材料"), is_finance=True)
    by_field = make_plan(staff_user, inspector_fields=["电子信息"])
    services.draw_objects(staff_user, by_field)
    record = by_field.checks.get().inspectors_draw.record
    assert record["constraints"]["require_field_overlap"] is True
    assert record["constraints"]["application_fields"] == ["电子信息"]
    services.draw_inspectors(staff_user, by_field)
    drawn = set(by_field.checks.get().assignments.values_list("expert__code", flat=True))
    assert drawn <= {"E00601", "E00602", "E00604"}

    tagged = make_plan(staff_user, title="金融", finance_only=True, exclude_recent_months=0)
    services.draw_objects(staff_user, tagged)
    pool = {c["id"] for c in tagged.checks.get().inspectors_draw.record["pool"]}
    assert pool == {"E00602", "E00603", "E00604"}


def test_each_draw_is_made_once(assigned, staff_user):
    with pytest.raises(Rejected, match="不能再抽取检查对象"):
        services.draw_objects(staff_user, assigned)
    with pytest.raises(Rejected, match="不能抽取检查人员"):
        services.draw_inspectors(staff_user, assigned)
    assert Assignment.objects.count() == 2


def test_inspectors_wait_for_the_objects(draft, staff_user):
    with pytest.raises(Rejected, match="不能抽取检查人员"):
        services.draw_inspectors(staff_user, draft)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_only_the_bureau_draws(request, who, draft, inspectors):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.draw_objects(user, draft)
    with pytest.raises(PermissionDenied):
        services.draw_objects(inspectors[0].user, draft)
    draft.refresh_from_db()
    assert draft.state == "draft"
