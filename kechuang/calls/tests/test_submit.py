"""Submitting: the window judged on the server at that moment, complete content, eligibility,
one public number; refusals name what and where and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls import services
from kechuang.calls.models import Application, StateChange
from kechuang.core.problems import Rejected

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSES = dt.datetime(2026, 3, 31, 17, 0, tzinfo=SHANGHAI)


def text(exc) -> str:
    return " | ".join(p.message_zh for p in exc.value.problems)


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` makes the server's time ``moment`` (services, models and all)."""

    def at(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


@pytest.fixture
def march_draft(clock, make_call, make_draft, own_user):
    """A complete draft of a call that closes 2026-03-31 17:00 Beijing time."""
    clock(dt.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI))
    call = make_call(code="march", opens_at=CLOSES - dt.timedelta(days=30), closes_at=CLOSES)
    return make_draft(own_user, to=call)


def unchanged(app: Application) -> None:
    app.refresh_from_db()
    assert app.state == "draft" and app.code is None and app.submitted_at is None
    assert app.state_changes.count() == 1


def test_submitting_gives_the_public_number_and_records_the_step(own_user, draft):
    app = services.submit(own_user, draft)
    year = draft.call.year
    assert (app.state, app.code) == ("submitted", f"SB-{year}-0001")
    assert app.submitted_at is not None
    assert list(app.state_changes.values_list("from_state", "to_state", "by")) == [
        ("", "draft", own_user.pk),
        ("draft", "submitted", own_user.pk),
    ]
    assert [r["status"] for r in app.eligibility_results] == ["pass", "pass"]


def test_numbers_count_up_per_year(own_user, other_user, make_draft, draft):
    first = services.submit(own_user, draft)
    second = services.submit(other_user, make_draft(other_user))
    assert first.code.endswith("-0001") and second.code.endswith("-0002")


def test_one_second_after_the_deadline_the_submission_is_refused_with_the_deadline(
    clock, own_user, march_draft
):
    clock(CLOSES + dt.timedelta(seconds=1))
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, march_draft)
    assert "申报已于 2026-03-31 17:00 截止" in text(exc)
    unchanged(march_draft)


def test_the_deadline_is_shown_in_beijing_time_whatever_the_database_stores(
    clock, own_user, march_draft
):
    clock(dt.datetime(2026, 3, 31, 9, 0, 1, tzinfo=dt.UTC))  # 17:00:01 in Beijing
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, march_draft)
    assert "2026-03-31 17:00" in text(exc)


def test_at_the_deadline_exactly_the_call_is_closed(clock, own_user, march_draft):
    clock(CLOSES)
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, march_draft)
    assert "截止" in text(exc)
    unchanged(march_draft)


def test_one_second_before_the_deadline_the_submission_is_taken(clock, own_user, march_draft):
    clock(CLOSES - dt.timedelta(seconds=1))
    assert services.submit(own_user, march_draft).state == "submitted"


def test_before_the_window_opens_the_submission_is_refused(
    clock, staff_user, call_data, own_user, march_draft
):
    call = march_draft.call
    later = CLOSES - dt.timedelta(days=5)
    services.update_call(
        staff_user,
        call,
        **call_data(code="march", opens_at=later, closes_at=CLOSES),
    )
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, march_draft)
    assert "申报将于 2026-03-26 17:00 开始" in text(exc)


def test_a_call_closed_early_takes_no_submissions(staff_user, own_user, draft):
    services.close_call(staff_user, draft.call)
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, draft)
    assert "申报已提前关闭" in text(exc)
    unchanged(draft)


def test_incomplete_content_is_refused_with_each_section_named(own_user, make_draft):
    app = make_draft(
        own_user,
        fields=[],
        requested_amount=Decimal("3000000"),
        answers={"overview": "概" * 101},
    )
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, app)
    by_where = {p.where: p.message_zh for p in exc.value.problems}
    assert set(by_where) == {"fields", "requested_amount", "answers.overview", "answers.plan"}
    assert "超过本指南单项上限 200.00 万元" in by_where["requested_amount"]
    assert by_where["answers.overview"] == "“项目概述”已填 101 字，超过上限 100 字"
    assert by_where["answers.plan"] == "请填写“实施计划”"
    unchanged(app)


def test_an_amount_of_zero_is_refused(own_user, make_draft):
    app = make_draft(own_user, requested_amount=Decimal(0))
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, app)
    assert {p.where for p in exc.value.problems} == {"requested_amount"}


def test_a_failed_eligibility_condition_blocks_with_its_explanation(own_user, enterprise, draft):
    from kechuang.enterprises.models import EnterpriseEvent

    EnterpriseEvent.objects.create(
        enterprise=enterprise,
        category="listing",
        kind="serious_dishonesty",
        date=timezone.localdate() - dt.timedelta(days=30),
    )
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, draft)
    [problem] = exc.value.problems
    assert problem.where == "eligibility.no_serious_dishonesty"
    assert "不符合申报条件“未列入严重违法失信名单”" in problem.message_zh
    assert "被列入严重违法失信名单" in problem.message_zh
    unchanged(draft)


def test_an_enterprise_outside_the_district_is_refused(own_user, enterprise, draft):
    enterprise.in_district = False
    enterprise.save()
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, draft)
    assert "区外企业" in text(exc)


def test_an_enterprise_not_in_the_registry_is_told_to_register(enterprise_user, make_draft):
    app = make_draft(enterprise_user)
    with pytest.raises(Rejected) as exc:
        services.submit(enterprise_user, app)
    assert "请先联系科技局登记" in text(exc)


def test_conditions_that_need_review_are_kept_for_the_formal_check(institution_user, make_draft):
    app = services.submit(institution_user, make_draft(institution_user))
    assert app.state == "submitted"
    assert [r["status"] for r in app.eligibility_results] == ["needs_review", "needs_review"]
    assert app.state_changes.last().note == "2 项申报条件待形式审查核实"


def test_submitting_twice_is_refused_as_already_submitted(own_user, submitted):
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, submitted)
    assert "已提交，请勿重复提交" in text(exc)
    assert StateChange.objects.filter(to_state="submitted").count() == 1


@pytest.mark.parametrize("who", ["other_user", "staff_user", "admin_user", "expert_user"])
def test_only_the_applicants_users_may_submit(role, draft, who):
    with pytest.raises(PermissionDenied):
        services.submit(role(who), draft)
    unchanged(draft)


def test_any_user_of_the_applicant_may_submit(own_user, enterprise, draft):
    from kechuang.accounts.models import User

    colleague = User.objects.create_user(
        username="t_colleague",
        password="pw",
        role="enterprise",
        organization=enterprise.organization,
    )
    assert services.submit(colleague, draft).state == "submitted"


# --- resubmission after a return ----------------------------------------------------------------


def test_a_returned_application_is_resubmitted_under_its_number(staff_user, own_user, submitted):
    services.formal_check(staff_user, submitted, False, "补充预算", returned=True)
    services.update_draft(
        own_user,
        submitted,
        title="高性能聚烯烃催化剂研发",
        fields=["新材料"],
        requested_amount=Decimal("1000000"),
        answers={"overview": "补充后的概述", "plan": "修订的计划"},
    )
    again = services.submit(own_user, submitted)
    assert again.state == "submitted" and again.code == submitted.code
    assert list(again.state_changes.values_list("to_state", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
    ]


def test_after_the_window_a_returned_application_has_until_resubmit_by(
    clock, staff_user, own_user, march_draft
):
    app = services.submit(own_user, march_draft)
    clock(CLOSES + dt.timedelta(days=2))
    resubmit_by = CLOSES + dt.timedelta(days=9)
    services.formal_check(
        staff_user, app, False, "请补充附件", returned=True, resubmit_by=resubmit_by
    )
    clock(resubmit_by - dt.timedelta(seconds=1))
    assert services.submit(own_user, app).state == "submitted"


def test_after_resubmit_by_the_resubmission_is_refused(clock, staff_user, own_user, march_draft):
    app = services.submit(own_user, march_draft)
    clock(CLOSES + dt.timedelta(days=2))
    resubmit_by = CLOSES + dt.timedelta(days=9)
    services.formal_check(
        staff_user, app, False, "请补充附件", returned=True, resubmit_by=resubmit_by
    )
    clock(resubmit_by)
    with pytest.raises(Rejected) as exc:
        services.submit(own_user, app)
    assert "补正材料已于 2026-04-09 17:00 截止" in text(exc)
    app.refresh_from_db()
    assert app.state == "returned"
