"""Decisions: once every drawn expert has scored, the bureau selects or not; selection enters
the registry for the program's term; the employer is told; the call ends with its last one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.talent import services
from kechuang.talent.models import Talent

from .conftest import sheet


def test_selection_enters_the_person_in_the_registry_for_the_term(staff_user, employer, scored):
    talent = services.decide(staff_user, scored, approved=True)
    scored.refresh_from_db()
    assert scored.state == "approved" and scored.decided_at is not None
    assert (talent.name, talent.program, talent.year, talent.employer) == (
        scored.name,
        scored.call.program,
        2026,
        employer.organization,
    )
    # Three years from 2026: to the end of 2028.
    assert talent.term_end == dt.date(2028, 12, 31)
    assert talent.application == scored


def test_the_employer_is_told_the_outcome(staff_user, employer, scored):
    services.decide(staff_user, scored, approved=True)
    note = Notification.objects.get(user=employer, title_zh__contains="评审结果")
    assert "入选" in note.title_zh and note.url == f"/talent/applications/{scored.pk}/"


def test_not_selected_needs_a_reason_and_creates_no_talent(staff_user, scored):
    with pytest.raises(Rejected) as exc:
        services.decide(staff_user, scored, approved=False)
    assert exc.value.problems[0].where == "note"
    services.decide(staff_user, scored, approved=False, note="排名靠后")
    scored.refresh_from_db()
    assert scored.state == "not_approved" and not Talent.objects.exists()
    assert scored.state_changes.last().note == "排名靠后"


def test_no_decision_before_every_drawn_expert_has_scored(staff_user, expert_user, in_review):
    assignment = in_review.assignments.get(expert__user=expert_user)
    services.submit_score(expert_user, assignment, scores=sheet(in_review.call, 8, 8, 8))
    with pytest.raises(Rejected) as exc:
        services.decide(staff_user, in_review, approved=True)
    assert f"{in_review.code} 评审未完成：1/3 位专家已评分" == exc.value.problems[0].message_zh
    in_review.refresh_from_db()
    assert in_review.state == "in_review" and not Talent.objects.exists()


def test_the_call_is_decided_with_its_last_nomination(staff_user, scored):
    services.decide(staff_user, scored, approved=True)
    scored.call.refresh_from_db()
    assert scored.call.state == "decided"


def test_a_decision_is_made_once(staff_user, scored):
    services.decide(staff_user, scored, approved=True)
    with pytest.raises(Rejected):
        services.decide(staff_user, scored, approved=False, note="改")
    assert Talent.objects.count() == 1


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "expert_user"])
def test_only_the_bureau_decides(request, who, scored):
    with pytest.raises(PermissionDenied):
        services.decide(request.getfixturevalue(who), scored, approved=True)
