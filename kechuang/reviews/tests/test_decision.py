"""The panel's decision: approve with an amount within the request and what the budget has
left, or not approve; both with the panel's opinion; revisable until the result is out."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.reviews import services
from kechuang.reviews.models import Decision


def test_approval_is_recorded_and_the_application_stays_in_review(
    staff_user, reviewed, application
):
    d = services.record_decision(
        staff_user, application, approved=True, amount=Decimal("800000"), opinion="同意立项"
    )
    assert (d.approved, d.amount, d.opinion, d.decided_by) == (
        True,
        Decimal("800000"),
        "同意立项",
        staff_user,
    )
    application.refresh_from_db()
    # Until the result is published the applicant sees "in review", nothing more.
    assert application.state == "in_review"


def test_not_approving_needs_no_amount(staff_user, reviewed, application):
    d = services.record_decision(
        staff_user, application, approved=False, amount="5", opinion="创新性不足"
    )
    assert d.approved is False and d.amount is None


def test_a_decision_may_be_revised_before_the_result_and_the_trail_keeps_both(
    staff_user, reviewed, application
):
    services.record_decision(staff_user, application, approved=False, opinion="暂缓")
    d = services.record_decision(
        staff_user, application, approved=True, amount="600000", opinion="复议后同意"
    )
    assert Decision.objects.count() == 1 and d.approved
    assert LogEntry.objects.get_for_object(d).count() == 2


def test_more_than_requested_is_refused(staff_user, reviewed, application):
    with pytest.raises(Rejected) as exc:
        services.record_decision(
            staff_user, application, approved=True, amount="1000001", opinion="同意"
        )
    assert exc.value.problems[0].message_zh == "立项资金 100.00 万元超过申请资金 100.00 万元"
    assert not Decision.objects.exists()


def test_more_than_the_budget_has_left_is_refused(
    staff_user, reviewed, application, make_application, other_org, library
):
    from kechuang.calls.models import Call
    from kechuang.reviews.models import Panel
    from kechuang.reviews.tests.conftest import score_all

    Call.objects.filter(pk=application.call_id).update(budget=Decimal("1500000"))
    second = make_application(other_org, 2)
    services.start_review(staff_user, application.call)
    score_all(
        services.perform_panel_draw(staff_user, Panel.objects.get(application=second)), [0.8] * 5
    )
    services.record_decision(
        staff_user, application, approved=True, amount="1000000", opinion="同意"
    )
    with pytest.raises(Rejected) as exc:
        services.record_decision(staff_user, second, approved=True, amount="600000", opinion="同意")
    assert exc.value.problems[0].message_zh == "立项资金 60.00 万元超过本指南剩余资金 50.00 万元"
    # Revising the first one does not count it against itself.
    services.record_decision(
        staff_user, application, approved=True, amount="900000", opinion="同意"
    )
    services.record_decision(staff_user, second, approved=True, amount="600000", opinion="同意")


@pytest.mark.parametrize(
    ("amount", "message"),
    [(None, "请填写有效的立项资金"), ("0", "立项资金应大于 0"), ("1.005", "立项资金最多精确到分")],
)
def test_an_approval_needs_a_sensible_amount(staff_user, reviewed, application, amount, message):
    with pytest.raises(Rejected) as exc:
        services.record_decision(
            staff_user, application, approved=True, amount=amount, opinion="同意"
        )
    assert [(p.where, p.message_zh) for p in exc.value.problems] == [("amount", message)]


def test_the_panels_opinion_is_required(staff_user, reviewed, application):
    with pytest.raises(Rejected) as exc:
        services.record_decision(staff_user, application, approved=False, opinion=" ")
    assert [(p.where, p.message_zh) for p in exc.value.problems] == [
        ("opinion", "请填写评审组意见")
    ]


def test_no_decision_before_every_sheet_is_in(staff_user, drawn, application):
    with pytest.raises(Rejected) as exc:
        services.record_decision(staff_user, application, approved=False, opinion="不同意")
    assert exc.value.problems[0].message_zh == "评审尚未完成（已收 0/5 份评分表）"


def test_only_an_application_in_review_is_decided(staff_user, started, application):
    with pytest.raises(Rejected) as exc:
        services.record_decision(staff_user, application, approved=False, opinion="不同意")
    assert "只有评审中的申报可以作出决定" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["reporter", "applicant", "member"])
def test_only_the_bureau_decides(request, reviewed, application, who):
    with pytest.raises(PermissionDenied):
        services.record_decision(
            request.getfixturevalue(who), application, approved=False, opinion="x"
        )
