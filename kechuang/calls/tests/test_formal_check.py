"""形式审查: the bureau passes, returns or rejects a submitted application; the applicant hears."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls import services
from kechuang.core.problems import Rejected


def text(exc) -> str:
    return " | ".join(p.message_zh for p in exc.value.problems)


@pytest.fixture
def own_user_with_mail(own_user):
    own_user.email = "ent@example.cn"
    own_user.save()
    return own_user


def test_passing_accepts_and_tells_the_applicant(
    staff_user, own_user_with_mail, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = services.formal_check(staff_user, submitted, True)
    assert app.state == "accepted"
    step = app.state_changes.last()
    assert (step.from_state, step.to_state, step.by) == ("submitted", "accepted", staff_user)
    n = own_user_with_mail.notifications.get()
    assert "通过形式审查" in n.title_zh and n.url == f"/calls/applications/{app.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ent@example.cn"]


def test_returning_gives_the_reason_and_the_deadline(staff_user, own_user, submitted):
    app = services.formal_check(staff_user, submitted, False, "经费预算未分科目", returned=True)
    assert app.state == "returned" and app.resubmit_by is None
    assert app.state_changes.last().note == "经费预算未分科目"
    n = own_user.notifications.get()
    assert "退回修改" in n.title_zh and "经费预算未分科目" in n.body_zh
    assert services.local(app.call.closes_at) in n.body_zh


def test_rejecting_fails_the_application_and_says_why(staff_user, own_user, submitted):
    app = services.formal_check(staff_user, submitted, False, "不符合申报范围")
    assert app.state == "rejected"
    assert "未通过形式审查" in own_user.notifications.get().title_zh


def test_the_creator_is_told_even_without_being_among_the_organisations_users(
    staff_user, institution_user, make_draft, institution
):
    app = services.submit(institution_user, make_draft(institution_user))
    services.formal_check(staff_user, app, True)
    assert institution_user.notifications.count() == 1


@pytest.mark.parametrize("returned", [False, True])
def test_a_return_or_rejection_needs_its_reason(staff_user, submitted, returned):
    with pytest.raises(Rejected) as exc:
        services.formal_check(staff_user, submitted, False, "  ", returned=returned)
    assert {p.where for p in exc.value.problems} == {"note"}
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_returning_after_the_window_needs_a_resubmission_deadline(
    staff_user, own_user, submitted, monkeypatch
):
    later = submitted.call.closes_at + dt.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(Rejected) as exc:
        services.formal_check(staff_user, submitted, False, "补充", returned=True)
    assert "须设定补正截止时间" in text(exc)
    with pytest.raises(Rejected) as exc:
        services.formal_check(
            staff_user, submitted, False, "补充", returned=True, resubmit_by=later
        )
    assert "应晚于现在" in text(exc)
    app = services.formal_check(
        staff_user,
        submitted,
        False,
        "补充",
        returned=True,
        resubmit_by=later + dt.timedelta(days=7),
    )
    assert app.resubmit_by == later + dt.timedelta(days=7)
    assert services.local(app.resubmit_by) in own_user.notifications.get().body_zh


def test_passed_and_returned_together_make_no_sense(staff_user, submitted):
    with pytest.raises(Rejected) as exc:
        services.formal_check(staff_user, submitted, True, returned=True)
    assert {p.where for p in exc.value.problems} == {"returned"}


def test_only_submitted_applications_are_checked(staff_user, own_user, make_draft, submitted):
    with pytest.raises(Rejected) as exc:
        services.formal_check(staff_user, make_draft(own_user), True)
    assert "只有已提交的申报可以形式审查" in text(exc)
    services.formal_check(staff_user, submitted, True)
    with pytest.raises(Rejected):
        services.formal_check(staff_user, submitted, True)


@pytest.mark.parametrize(
    "who", ["own_user", "other_user", "reporter", "expert_user", "provider_user"]
)
def test_only_the_bureau_does_the_formal_check(role, submitted, who):
    with pytest.raises(PermissionDenied):
        services.formal_check(role(who), submitted, True)
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_admins_check_too(admin_user, submitted):
    assert services.formal_check(admin_user, submitted, True).state == "accepted"


def test_a_refused_check_sends_nothing(staff_user, own_user, submitted):
    with pytest.raises(Rejected):
        services.formal_check(staff_user, submitted, False, "")
    assert not own_user.notifications.exists()
