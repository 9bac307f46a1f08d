"""The contract (任务书): milestones, deliverables, the budget that must add up, and signing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import BudgetLine, Deliverable, Milestone

DAY = dt.timedelta(days=1)


def test_staff_draw_up_milestones_and_deliverables(staff_user, project, today):
    m = services.add_milestone(staff_user, project, title="完成小试", due_on=today + DAY)
    d = services.add_deliverable(
        staff_user, project, kind="patent", description="申请发明专利", target_quantity=3
    )
    assert (m.title, d.target_quantity) == ("完成小试", 3)


def test_a_milestone_must_fall_within_the_project_period(staff_user, project):
    with pytest.raises(Rejected) as exc:
        services.add_milestone(staff_user, project, title="太晚", due_on=project.ends_on + DAY)
    assert exc.value.problems[0].where == "due_on"
    assert "执行期内" in exc.value.problems[0].message_zh
    assert not Milestone.objects.exists()


def test_two_milestones_of_one_name_are_refused(staff_user, project, today):
    services.add_milestone(staff_user, project, title="中试", due_on=today)
    with pytest.raises(Rejected, match="同名"):
        services.add_milestone(staff_user, project, title="中试", due_on=today + DAY)
    assert Milestone.objects.count() == 1


def test_a_deliverable_needs_a_kind_a_description_and_a_positive_target(staff_user, project):
    with pytest.raises(Rejected) as exc:
        services.add_deliverable(
            staff_user, project, kind="bogus", description="", target_quantity=0
        )
    assert {p.where for p in exc.value.problems} == {"kind", "description", "target_quantity"}
    assert not Deliverable.objects.exists()


def test_the_fiscal_budget_must_add_up_to_the_approved_amount(staff_user, project):
    with pytest.raises(Rejected) as exc:
        services.set_budget(
            staff_user,
            project,
            [
                ("fiscal", "equipment", Decimal("600000")),
                ("fiscal", "materials", Decimal("300000")),
                ("self", "labour", Decimal("500000")),
            ],
        )
    problem = exc.value.problems[0]
    assert problem.where == "budget"
    # Both sums are shown, so the clerk sees how far off the lines are.
    assert "90.00 万元" in problem.message_zh and "100.00 万元" in problem.message_zh
    assert "相差 10.00 万元" in problem.message_zh
    assert not BudgetLine.objects.exists()


def test_self_raised_funds_do_not_count_towards_the_fiscal_sum(staff_user, project):
    lines = services.set_budget(
        staff_user,
        project,
        [
            ("fiscal", "equipment", Decimal("1000000.00")),
            ("self", "equipment", Decimal("250000.00")),
            ("fiscal", "travel", Decimal("0")),
        ],
    )
    assert sorted((b.source, b.category, b.amount) for b in lines) == [
        ("fiscal", "equipment", Decimal("1000000.00")),
        ("self", "equipment", Decimal("250000.00")),
    ]


def test_setting_the_budget_again_updates_lines_and_drops_those_left_out(staff_user, project):
    services.set_budget(
        staff_user,
        project,
        [("fiscal", "equipment", Decimal("700000")), ("fiscal", "labour", Decimal("300000"))],
    )
    first = project.budget_lines.get(category="equipment")
    services.set_budget(
        staff_user,
        project,
        [("fiscal", "equipment", Decimal("800000")), ("fiscal", "testing", Decimal("200000"))],
    )
    lines = {b.category: b for b in project.budget_lines.all()}
    assert set(lines) == {"equipment", "testing"}
    assert lines["equipment"].pk == first.pk and lines["equipment"].amount == 800000


def test_bad_budget_lines_are_each_named(staff_user, project):
    with pytest.raises(Rejected) as exc:
        services.set_budget(
            staff_user,
            project,
            [
                ("fiscal", "equipment", Decimal("1000000.001")),
                ("loan", "equipment", Decimal("1")),
                ("fiscal", "equipment", Decimal("5")),
                ("fiscal", "materials", Decimal("-5")),
            ],
        )
    wheres = [p.where for p in exc.value.problems]
    assert wheres[0].startswith("lines[1] 财政资金·设备费")
    assert wheres[1] == "lines[2]"
    assert "重复" in exc.value.problems[2].message_zh
    assert "不能为负数" in exc.value.problems[3].message_zh


def test_signing_needs_a_complete_contract(staff_user, project, today):
    with pytest.raises(Rejected) as exc:
        services.sign_contract(staff_user, project, signed_on=today)
    assert {p.where for p in exc.value.problems} == {"milestones", "deliverables", "budget"}
    project.refresh_from_db()
    assert project.signed_on is None


def test_signing_refuses_a_future_date(staff_user, project, today):
    with pytest.raises(Rejected, match="不能晚于今天"):
        services.sign_contract(staff_user, project, signed_on=today + DAY)


def test_a_signed_contract_is_locked(staff_user, signed, today):
    assert signed.signed_on == today and signed.signed_by == staff_user
    milestone = signed.milestones.first()
    for attempt in (
        lambda: services.add_milestone(staff_user, signed, title="新增", due_on=today),
        lambda: services.remove_milestone(staff_user, milestone),
        lambda: services.add_deliverable(
            staff_user, signed, kind="paper", description="论文", target_quantity=1
        ),
        lambda: services.set_budget(
            staff_user, signed, [("fiscal", "equipment", Decimal("1000000"))]
        ),
        lambda: services.sign_contract(staff_user, signed, signed_on=today),
    ):
        with pytest.raises(Rejected, match="变更申请"):
            attempt()
    assert signed.milestones.count() == 1 and signed.budget_lines.count() == 3


def test_the_organisation_completes_a_milestone_with_a_note(enterprise_user, signed, today):
    milestone = signed.milestones.get()
    services.complete_milestone(
        enterprise_user, milestone, done_on=today, evidence_note="中试报告已归档"
    )
    milestone.refresh_from_db()
    assert milestone.done_on == today and milestone.done_by == enterprise_user
    with pytest.raises(Rejected, match="已于"):
        services.complete_milestone(enterprise_user, milestone, done_on=today, evidence_note="再")


def test_completing_a_milestone_needs_a_signed_contract_and_a_note(staff_user, project, today):
    milestone = services.add_milestone(staff_user, project, title="小试", due_on=today)
    with pytest.raises(Rejected) as exc:
        services.complete_milestone(staff_user, milestone, done_on=today, evidence_note="")
    assert {p.where for p in exc.value.problems} == {"contract", "evidence_note"}
    milestone.refresh_from_db()
    assert milestone.done_on is None


@pytest.mark.parametrize("who", ["enterprise_user", "other_enterprise_user", "reporter"])
def test_only_the_bureau_draws_up_the_contract(request, who, project, today):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.add_milestone(user, project, title="x", due_on=today)
    with pytest.raises(PermissionDenied):
        services.set_budget(user, project, [])
    with pytest.raises(PermissionDenied):
        services.sign_contract(user, project, signed_on=today)


@pytest.mark.parametrize("who", ["other_enterprise_user", "reporter", "provider_user"])
def test_others_cannot_complete_the_projects_milestones(request, who, signed, today):
    with pytest.raises(PermissionDenied):
        services.complete_milestone(
            request.getfixturevalue(who), signed.milestones.get(), done_on=today, evidence_note="x"
        )
