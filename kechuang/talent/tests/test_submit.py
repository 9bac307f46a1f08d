"""Submitting, returning and withdrawing: the window judged on the server at that moment, the
panel's details required, a public number once, every step in the history."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.talent import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSES = dt.datetime(2026, 3, 31, 17, 0, tzinfo=SHANGHAI)


def text(exc) -> str:
    return " | ".join(p.message_zh for p in exc.value.problems)


@pytest.fixture
def march_draft(clock, make_call, make_application):
    """A complete draft of a call that closes 2026-03-31 17:00 Beijing time."""
    clock(dt.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI))
    call = make_call(code="march", opens_at=CLOSES - dt.timedelta(days=30), closes_at=CLOSES)
    return make_application(to=call)


def unchanged(app) -> None:
    app.refresh_from_db()
    assert (app.state, app.code, app.submitted_at) == ("draft", None, None)
    assert app.state_changes.count() == 1


def test_submitting_gives_the_public_number_and_records_the_step(employer, draft):
    app = services.submit_application(employer, draft)
    assert (app.state, app.code) == ("submitted", f"RC-2026-{app.pk:05d}")
    assert list(app.state_changes.values_list("from_state", "to_state")) == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


def test_one_second_after_the_deadline_submission_is_refused_with_the_deadline(
    clock, employer, march_draft
):
    clock(CLOSES + dt.timedelta(seconds=1))
    with pytest.raises(Rejected) as exc:
        services.submit_application(employer, march_draft)
    assert "申报已于 2026-03-31 17:00 截止" in text(exc)
    unchanged(march_draft)


def test_at_the_deadline_exactly_the_call_is_closed(clock, employer, march_draft):
    clock(CLOSES)
    with pytest.raises(Rejected):
        services.submit_application(employer, march_draft)
    unchanged(march_draft)


def test_one_second_before_the_deadline_is_in_time(clock, employer, march_draft):
    clock(CLOSES - dt.timedelta(seconds=1))
    assert services.submit_application(employer, march_draft).state == "submitted"


def test_a_draft_missing_what_the_panel_needs_is_refused_naming_each(employer, make_application):
    app = make_application(education="", field="", achievements="")
    with pytest.raises(Rejected) as exc:
        services.submit_application(employer, app)
    assert [p.where for p in exc.value.problems] == [
        "学历 / education",
        "技术领域 / field",
        "主要业绩 / achievements",
    ]
    unchanged(app)


def test_submitting_twice_is_refused(employer, submitted):
    with pytest.raises(Rejected) as exc:
        services.submit_application(employer, submitted)
    assert "已提交" in text(exc)


def test_the_bureau_returns_a_nomination_and_the_employer_is_told_why(
    staff_user, employer, submitted
):
    app = services.return_application(staff_user, submitted, "请补充主要业绩的佐证")
    assert app.state == "returned"
    note = Notification.objects.get(user=employer)
    assert "退回" in note.title_zh and "请补充主要业绩的佐证" in note.body_zh


def test_a_returned_nomination_is_corrected_and_resubmitted_with_its_number(
    staff_user, employer, submitted
):
    code = submitted.code
    services.return_application(staff_user, submitted, "请补充")
    services.update_application(employer, submitted, achievements="补充后的业绩")
    app = services.submit_application(employer, submitted)
    assert (app.state, app.code) == ("submitted", code)
    assert app.state_changes.count() == 4


def test_a_return_needs_a_reason_and_an_open_window(staff_user, submitted, clock):
    with pytest.raises(Rejected) as exc:
        services.return_application(staff_user, submitted, "")
    assert exc.value.problems[0].where == "note"
    clock(submitted.call.closes_at)
    with pytest.raises(Rejected) as exc:
        services.return_application(staff_user, submitted, "请补充")
    assert "截止" in text(exc)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_the_employer_withdraws_with_a_reason_until_the_panel_is_drawn(employer, submitted):
    with pytest.raises(Rejected):
        services.withdraw_application(employer, submitted, "")
    app = services.withdraw_application(employer, submitted, "本人放弃")
    assert app.state == "withdrawn"
    assert app.state_changes.last().note == "本人放弃"


def test_a_nomination_under_review_cannot_be_withdrawn(employer, in_review):
    with pytest.raises(Rejected) as exc:
        services.withdraw_application(employer, in_review, "放弃")
    assert "评审中" in text(exc)
