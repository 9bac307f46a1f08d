"""Acceptance (验收): outcomes against the contract's deliverables, and the bureau's result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import selectors, services
from kechuang.projects.models import Acceptance, Outcome, Project

OUTCOMES = [
    ("patent_filed", Decimal("2"), "发明专利申请"),
    ("patent_granted", Decimal("1"), ""),
    ("product", Decimal("1"), "新型催化剂"),
    ("revenue", Decimal("3500000.00"), "新增销售收入"),
]


def apply(user, project, outcomes=OUTCOMES, summary="完成全部研发任务"):
    return services.apply_for_acceptance(user, project, summary=summary, outcomes=outcomes)


def decide(user, project, result="passed", on=None, opinion="达到任务书要求"):
    on = on or dt.date.today()
    return services.record_acceptance(user, project, result=result, opinion=opinion, decided_on=on)


def test_the_organisation_applies_with_its_outcomes(enterprise_user, signed):
    acceptance = apply(enterprise_user, signed)
    signed.refresh_from_db()
    assert signed.state == "acceptance" and acceptance.applied_by == enterprise_user
    assert acceptance.outcomes.count() == 4


def test_achieved_against_target_follows_the_contract(enterprise_user, signed):
    apply(enterprise_user, signed)
    rows = {a.kind: (label, a) for label, a in selectors.achievements(signed)}
    label, patents = rows["patent"]
    assert label == "专利" and (patents.target, patents.achieved, patents.met) == (3, 2, False)
    assert rows["product"][1].met


def test_the_project_page_shows_achieved_and_target(
    client_for, staff_user, enterprise_user, signed
):
    apply(enterprise_user, signed)
    html = client_for(staff_user).get(f"/projects/{signed.code}/").content.decode()
    assert "考核指标完成情况" in html and "差 1" in html and "350.00 万元" in html


@pytest.mark.parametrize(
    ("result", "state"), [("passed", "passed"), ("concluded", "concluded"), ("failed", "failed")]
)
def test_the_bureaus_result_sets_the_projects_state(
    enterprise_user, staff_user, signed, result, state
):
    apply(enterprise_user, signed)
    decide(staff_user, signed, result)
    signed.refresh_from_db()
    acceptance = Acceptance.objects.get()
    assert signed.state == state and acceptance.result == result
    assert signed.state_changes.last().to_state == state
    assert enterprise_user.notifications.filter(title_zh__startswith="验收结论").exists()


def test_a_result_needs_an_opinion_a_valid_kind_and_a_date_not_in_the_future(
    enterprise_user, staff_user, signed, today
):
    apply(enterprise_user, signed)
    with pytest.raises(Rejected) as exc:
        decide(staff_user, signed, "excellent", on=today + dt.timedelta(days=1), opinion="")
    assert {p.where for p in exc.value.problems} == {"result", "opinion", "decided_on"}
    signed.refresh_from_db()
    assert signed.state == "acceptance"


def test_a_result_cannot_be_recorded_twice_or_without_an_application(
    enterprise_user, staff_user, signed
):
    with pytest.raises(Rejected, match="尚未申请验收"):
        decide(staff_user, signed)
    apply(enterprise_user, signed)
    decide(staff_user, signed)
    with pytest.raises(Rejected):
        decide(staff_user, signed, "failed")
    assert Project.objects.get(pk=signed.pk).state == "passed"


def test_bad_outcomes_are_named_by_row(enterprise_user, signed):
    with pytest.raises(Rejected) as exc:
        apply(
            enterprise_user,
            signed,
            outcomes=[("wealth", Decimal(1), ""), ("paper", Decimal(-2), "")],
            summary="",
        )
    assert [p.where for p in exc.value.problems] == ["summary", "outcomes[1]", "outcomes[2]"]
    assert not Acceptance.objects.exists() and not Outcome.objects.exists()


def test_no_application_while_under_mid_term_evaluation(enterprise_user, midterm):
    with pytest.raises(Rejected, match="中期评估"):
        apply(enterprise_user, midterm.project)


def test_applying_twice_is_refused(enterprise_user, signed):
    apply(enterprise_user, signed)
    with pytest.raises(Rejected):
        apply(enterprise_user, signed)
    assert Acceptance.objects.count() == 1


@pytest.mark.parametrize("who", ["staff_user", "other_enterprise_user", "reporter"])
def test_only_the_organisation_applies(request, who, signed):
    with pytest.raises(PermissionDenied):
        apply(request.getfixturevalue(who), signed)


@pytest.mark.parametrize("who", ["enterprise_user", "other_enterprise_user", "reporter"])
def test_only_the_bureau_decides(request, who, enterprise_user, signed):
    apply(enterprise_user, signed)
    with pytest.raises(PermissionDenied):
        decide(request.getfixturevalue(who), signed)
