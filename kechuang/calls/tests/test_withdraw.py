"""Withdrawing: the applicant takes its application back, with a reason, before a decision."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.calls import services
from kechuang.calls.models import Application
from kechuang.core.problems import Rejected

S = Application.State


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.IN_REVIEW])
def test_an_application_is_withdrawn_before_a_decision(own_user, draft, state):
    Application.objects.filter(pk=draft.pk).update(state=state)
    app = services.withdraw(own_user, draft, "调整研发计划")
    assert app.state == "withdrawn"
    assert app.state_changes.last().note == "调整研发计划"


@pytest.mark.parametrize("state", [S.WITHDRAWN, S.REJECTED, S.APPROVED, S.NOT_APPROVED])
def test_after_a_decision_there_is_nothing_to_withdraw(own_user, draft, state):
    Application.objects.filter(pk=draft.pk).update(state=state)
    with pytest.raises(Rejected) as exc:
        services.withdraw(own_user, draft, "理由")
    assert "不能撤回" in exc.value.problems[0].message_zh


def test_a_reason_is_required(own_user, submitted):
    with pytest.raises(Rejected) as exc:
        services.withdraw(own_user, submitted, "")
    assert {p.where for p in exc.value.problems} == {"reason"}
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


@pytest.mark.parametrize("who", ["other_user", "staff_user", "expert_user"])
def test_only_the_applicant_withdraws(role, submitted, who):
    with pytest.raises(PermissionDenied):
        services.withdraw(role(who), submitted, "理由")
