"""The workflow: every allowed step writes its StateChange; every other step is refused."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from kechuang.calls import services
from kechuang.calls.models import Application, StateChange
from kechuang.core.problems import Rejected

S = Application.State
ALLOWED = [(a, b) for a, targets in services.TRANSITIONS.items() for b in targets]
REFUSED = [(a, b) for a in S.values for b in S.values if (a, b) not in ALLOWED]


@pytest.fixture
def in_state(draft):
    def put(state: str) -> Application:
        Application.objects.filter(pk=draft.pk).update(state=state)
        draft.refresh_from_db()
        return draft

    return put


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_every_allowed_step_is_recorded(in_state, staff_user, from_state, to_state):
    app = in_state(from_state)
    change = services.record_state(app, to_state, staff_user, "说明")
    app.refresh_from_db()
    assert app.state == to_state
    assert (change.from_state, change.to_state, change.by, change.note) == (
        from_state,
        to_state,
        staff_user,
        "说明",
    )


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_every_other_step_is_refused_and_leaves_no_trace(
    in_state, staff_user, from_state, to_state
):
    app = in_state(from_state)
    before = StateChange.objects.count()
    with pytest.raises(Rejected) as exc:
        services.record_state(app, to_state, staff_user)
    assert exc.value.problems[0].where == "state"
    app.refresh_from_db()
    assert app.state == from_state and StateChange.objects.count() == before


def test_decisions_are_final():
    for state in (S.WITHDRAWN, S.REJECTED, S.APPROVED, S.NOT_APPROVED):
        assert state not in services.TRANSITIONS


def test_a_step_from_a_state_that_has_meanwhile_changed_is_refused(draft, staff_user):
    stale = Application.objects.get(pk=draft.pk)
    services.record_state(draft, S.WITHDRAWN, staff_user)
    with pytest.raises(Rejected) as exc:
        services.record_state(stale, S.SUBMITTED, staff_user)
    assert "刚刚已被变更为“已撤回”" in exc.value.problems[0].message_zh
    assert draft.state_changes.count() == 2


def test_the_step_is_in_the_audit_log(draft, staff_user):
    services.record_state(draft, S.WITHDRAWN, staff_user)
    entry = LogEntry.objects.get_for_object(draft).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["state"] == ["draft", "withdrawn"] and entry.actor == staff_user


def test_the_reviews_app_moves_accepted_applications_into_review(staff_user, submitted):
    services.formal_check(staff_user, submitted, True)
    services.record_state(submitted, S.IN_REVIEW, staff_user, "提交专家评审")
    services.record_state(submitted, S.APPROVED, staff_user, "同意立项")
    assert list(submitted.state_changes.values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "accepted",
        "in_review",
        "approved",
    ]
