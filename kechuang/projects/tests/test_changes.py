"""Change requests (变更申请): the organisation asks, the bureau decides; history is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import ChangeRequest


def ask(user, project, kind, proposed, reason="设备到货延迟"):
    return services.request_change(user, project, kind=kind, proposed=proposed, reason=reason)


def test_an_approved_extension_moves_the_end_date_and_keeps_the_old_one(
    enterprise_user, staff_user, signed
):
    old = signed.ends_on
    new = old + dt.timedelta(days=180)
    change = ask(enterprise_user, signed, "extend", {"ends_on": new})
    assert change.proposed == {"ends_on": new.isoformat()} and change.state == "pending"
    services.decide_change(staff_user, change, approve=True, note="同意延期半年")
    change.refresh_from_db()
    signed.refresh_from_db()
    assert signed.ends_on == new
    assert change.before == {"ends_on": old.isoformat()}
    assert change.after == {"ends_on": new.isoformat()}
    assert (change.state, change.decided_by) == ("approved", staff_user)
    assert enterprise_user.notifications.filter(title_zh__contains="已批准").exists()
    assert LogEntry.objects.get_for_object(signed).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_budget_adjustment_moves_money_between_lines_keeping_the_fiscal_total(
    enterprise_user, staff_user, signed
):
    change = ask(
        enterprise_user,
        signed,
        "budget",
        {"source": "fiscal", "from": "equipment", "to": "testing", "amount": "150000"},
    )
    services.decide_change(staff_user, change, approve=True, note="")
    lines = {b.category: b.amount for b in signed.budget_lines.filter(source="fiscal")}
    assert lines == {
        "equipment": Decimal("450000.00"),
        "materials": Decimal("400000.00"),
        "testing": Decimal("150000.00"),
    }
    change.refresh_from_db()
    assert change.before == {"equipment": "600000.00", "testing": "0.00"}
    assert change.after == {"equipment": "450000.00", "testing": "150000.00"}


def test_an_approved_lead_change_records_who_it_was(enterprise_user, staff_user, signed):
    change = ask(enterprise_user, signed, "lead", {"lead_person": "李工"}, reason="王工调离")
    services.decide_change(staff_user, change, approve=True, note="")
    signed.refresh_from_db()
    change.refresh_from_db()
    assert signed.lead_person == "李工"
    assert (change.before, change.after) == ({"lead_person": "王工"}, {"lead_person": "李工"})


def test_a_rejection_needs_a_reason_and_changes_nothing(enterprise_user, staff_user, signed):
    change = ask(enterprise_user, signed, "lead", {"lead_person": "李工"})
    with pytest.raises(Rejected) as exc:
        services.decide_change(staff_user, change, approve=False, note="")
    assert exc.value.problems[0].where == "decision_note"
    services.decide_change(staff_user, change, approve=False, note="理由不充分")
    change.refresh_from_db()
    signed.refresh_from_db()
    assert change.state == "rejected" and change.before is None
    assert signed.lead_person == "王工"


def test_a_decided_request_cannot_be_decided_again(enterprise_user, staff_user, signed):
    change = ask(enterprise_user, signed, "other", {"description": "增加合作单位"})
    services.decide_change(staff_user, change, approve=True, note="")
    with pytest.raises(Rejected, match="已批准"):
        services.decide_change(staff_user, change, approve=False, note="撤回")


@pytest.mark.parametrize(
    ("kind", "proposed", "where", "text"),
    [
        ("extend", {"ends_on": "2000-01-01"}, "ends_on", "应晚于现结束日期"),
        ("extend", {"ends_on": "明年"}, "ends_on", "请填写新的结束日期"),
        (
            "budget",
            {"source": "fiscal", "from": "equipment", "to": "equipment", "amount": "1"},
            "to",
            "应与调出科目不同",
        ),
        (
            "budget",
            {"source": "fiscal", "from": "travel", "to": "equipment", "amount": "1"},
            "amount",
            "现有预算 0.00 万元",
        ),
        (
            "budget",
            {"source": "fiscal", "from": "equipment", "to": "testing", "amount": "600000.01"},
            "amount",
            "超过财政资金·设备费现有预算 60.00 万元",
        ),
        ("lead", {"lead_person": "王工"}, "lead_person", "与现负责人（王工）相同"),
        ("other", {}, "description", "请填写变更内容"),
        ("bogus", {}, "kind", "变更类型"),
    ],
)
def test_bad_proposals_are_refused_with_what_and_where(
    enterprise_user, signed, kind, proposed, where, text
):
    with pytest.raises(Rejected) as exc:
        ask(enterprise_user, signed, kind, proposed)
    problem = exc.value.problems[0]
    assert problem.where == where and text in problem.message_zh
    assert not ChangeRequest.objects.exists()


def test_one_pending_request_of_a_kind_at_a_time(enterprise_user, signed):
    ask(enterprise_user, signed, "lead", {"lead_person": "李工"})
    with pytest.raises(Rejected, match="待审批"):
        ask(enterprise_user, signed, "lead", {"lead_person": "赵工"})
    assert ChangeRequest.objects.count() == 1


def test_approval_checks_the_proposal_again_against_the_project_as_it_is_now(
    enterprise_user, staff_user, signed
):
    """Two budget moves asked for at once cannot together take more than the line holds."""
    first = ask(
        enterprise_user,
        signed,
        "budget",
        {"source": "fiscal", "from": "equipment", "to": "testing", "amount": "500000"},
    )
    services.decide_change(staff_user, first, approve=True, note="")
    second = ChangeRequest.objects.create(
        project=signed,
        kind="budget",
        proposed={"source": "fiscal", "from": "equipment", "to": "travel", "amount": "500000"},
        reason="再调",
        requested_by=enterprise_user,
    )
    with pytest.raises(Rejected, match=r"现有预算 10\.00 万元"):
        services.decide_change(staff_user, second, approve=True, note="")
    assert signed.budget_lines.get(category="equipment").amount == Decimal("100000.00")


def test_changes_go_through_requests_only_once_the_contract_is_signed(enterprise_user, project):
    with pytest.raises(Rejected, match="任务书尚未签订"):
        ask(enterprise_user, project, "lead", {"lead_person": "李工"})


@pytest.mark.parametrize("who", ["staff_user", "other_enterprise_user", "reporter"])
def test_only_the_organisation_asks(request, who, signed):
    with pytest.raises(PermissionDenied):
        ask(request.getfixturevalue(who), signed, "lead", {"lead_person": "李工"})


@pytest.mark.parametrize("who", ["enterprise_user", "other_enterprise_user", "reporter"])
def test_only_the_bureau_decides(request, who, enterprise_user, signed):
    change = ask(enterprise_user, signed, "lead", {"lead_person": "李工"})
    with pytest.raises(PermissionDenied):
        services.decide_change(request.getfixturevalue(who), change, approve=True, note="")
    change.refresh_from_db()
    assert change.state == "pending"
