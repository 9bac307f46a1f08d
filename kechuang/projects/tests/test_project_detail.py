"""One project's page: who may open it, and the forms that drive each step."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from kechuang.projects.models import BudgetLine, ChangeRequest, Disbursement, Project


def url(project) -> str:
    return f"/projects/{project.code}/"


@pytest.mark.parametrize("who", ["staff_user", "admin_user", "enterprise_user"])
def test_the_bureau_and_the_organisation_open_the_page(request, client_for, who, signed):
    response = client_for(request.getfixturevalue(who)).get(url(signed))
    assert response.status_code == 200
    html = response.content.decode()
    assert signed.code in html and "经费预算与拨付" in html and "budget-data" in html


@pytest.mark.parametrize("who", ["other_enterprise_user", "reporter", "provider_user"])
def test_to_anyone_else_the_project_does_not_exist_and_the_attempt_is_audited(
    request, client_for, who, signed
):
    user = request.getfixturevalue(who)
    assert client_for(user).get(url(signed)).status_code == 404
    assert (
        LogEntry.objects.get_for_object(signed)
        .filter(action=LogEntry.Action.ACCESS, actor=user)
        .exists()
    )


def test_anonymous_users_are_sent_to_log_in(client, signed):
    assert client.get(url(signed))["Location"].startswith("/accounts/login/")


def test_an_unknown_code_is_not_found(client_for, staff_user, plan):
    assert client_for(staff_user).get("/projects/XM-1999-001/").status_code == 404


def test_the_organisation_sees_no_bureau_forms(client_for, enterprise_user, project):
    html = client_for(enterprise_user).get(url(project)).content.decode()
    for bureau_only in ('value="budget"', 'value="sign"', 'value="disburse"', 'value="misconduct"'):
        assert bureau_only not in html


def test_staff_build_and_sign_the_contract_through_the_page(client_for, staff_user, project, today):
    client = client_for(staff_user)
    client.post(
        url(project),
        {
            "action": "milestone",
            "title": "中试",
            "due_on": (today + dt.timedelta(days=9)).isoformat(),
        },
    )
    client.post(
        url(project),
        {
            "action": "deliverable",
            "kind": "patent",
            "description": "发明专利",
            "target_quantity": 2,
        },
    )
    response = client.post(
        url(project),
        {
            "action": "budget",
            "fiscal_equipment": "700000",
            "fiscal_labour": "300000",
            "self_materials": "50000",
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.filter(project=project).count() == 3
    response = client.post(url(project), {"action": "sign", "signed_on": today.isoformat()})
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).signed_on == today


def test_a_budget_that_does_not_add_up_is_shown_with_both_sums_and_what_was_typed(
    client_for, staff_user, project
):
    response = client_for(staff_user).post(
        url(project), {"action": "budget", "fiscal_equipment": "123456"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "12.35 万元" in html and "100.00 万元" in html and 'value="123456"' in html
    assert not BudgetLine.objects.exists()


def test_staff_record_a_payment_and_a_refusal_keeps_the_ledger(
    client_for, staff_user, signed, today
):
    client = client_for(staff_user)
    ok = {
        "action": "disburse",
        "amount": "300000",
        "paid_on": today.isoformat(),
        "batch_note": "首批",
    }
    assert client.post(url(signed), ok).status_code == 302
    too_much = ok | {"amount": "800000"}
    response = client.post(url(signed), too_much)
    assert response.status_code == 200 and "尚可拨付 70.00 万元" in response.content.decode()
    assert Disbursement.objects.count() == 1


def test_the_organisation_reports_progress_with_a_file_and_asks_for_a_change(
    client_for, enterprise_user, signed, upload
):
    client = client_for(enterprise_user)
    response = client.post(
        url(signed),
        {
            "action": "progress",
            "period": "第一季度",
            "percent": "30",
            "spend_to_date": "100000",
            "text": "安装完成",
            "files": [upload("报告.pdf")],
        },
    )
    assert response.status_code == 302
    assert signed.reports.get().files.count() == 1
    response = client.post(
        url(signed),
        {
            "action": "change",
            "kind": "budget",
            "source": "fiscal",
            "move_from": "equipment",
            "move_to": "testing",
            "amount": "50000",
            "reason": "增加检测",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.proposed == {
        "source": "fiscal",
        "from": "equipment",
        "to": "testing",
        "amount": "50000",
    }
    html = client.get(url(signed)).content.decode()
    assert "财政资金：设备费 → 测试化验加工费" in html and "待审批" in html


def test_staff_approve_a_change_on_the_page(client_for, staff_user, enterprise_user, signed):
    change = ChangeRequest.objects.create(
        project=signed,
        kind="lead",
        proposed={"lead_person": "李工"},
        reason="调岗",
        requested_by=enterprise_user,
    )
    response = client_for(staff_user).post(
        url(signed), {"action": "decide_change", "change": change.pk, "decision": "approve"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=signed.pk).lead_person == "李工"
    html = client_for(staff_user).get(url(signed)).content.decode()
    assert "王工" in html and "变更后" in html


def test_an_action_the_user_may_not_take_is_forbidden(client_for, enterprise_user, signed, today):
    response = client_for(enterprise_user).post(
        url(signed), {"action": "disburse", "amount": "1", "paid_on": today.isoformat()}
    )
    assert response.status_code == 403
    assert client_for(enterprise_user).post(url(signed), {"action": "nope"}).status_code == 403
    assert not Disbursement.objects.exists()


def test_the_organisation_submits_its_self_inspection_on_the_page(
    client_for, enterprise_user, signed, today
):
    data = {
        "action": "inspection",
        "year": today.year,
        "funds_as_budgeted": "yes",
        "milestones_on_time": "no",
        "team_as_contracted": "yes",
        "outcomes_truthful": "yes",
    }
    response = client_for(enterprise_user).post(url(signed), data)
    assert response.status_code == 200 and "请填写发现的问题" in response.content.decode()
    data |= {"issues": "节点延误", "corrective_actions": "加快进度"}
    assert client_for(enterprise_user).post(url(signed), data).status_code == 302
    assert signed.inspections.get().milestones_on_time is False


def test_the_page_takes_a_bounded_number_of_queries(
    client_for, staff_user, signed, enterprise_user, django_assert_max_num_queries
):
    from kechuang.projects import services

    for i in range(5):
        services.report_progress(
            enterprise_user,
            signed,
            period=f"第{i}期",
            text="进展",
            percent=10 * i,
            spend_to_date=0,
        )
    client = client_for(staff_user)
    # One query per section, however many reports, files, changes or panel members.
    with django_assert_max_num_queries(26):
        assert client.get(url(signed)).status_code == 200
