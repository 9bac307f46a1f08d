"""Publishing the result: decisions become states, applicants are told, the notice opens."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.calls.models import Call, StateChange
from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.reviews import services
from kechuang.reviews.models import Notice


@pytest.fixture
def decided(staff_user, reviewed, application):
    services.record_decision(
        staff_user, application, approved=True, amount="800000", opinion="同意立项"
    )
    return application


def test_publishing_turns_decisions_into_states_and_closes_the_call(staff_user, decided, call):
    notice = services.publish_result(staff_user, call)
    assert notice.published_by == staff_user and notice.call == call
    decided.refresh_from_db()
    assert decided.state == "approved"
    change = StateChange.objects.filter(application=decided).latest("at")
    assert change.to_state == "approved" and change.note == "立项资金 80.00 万元。同意立项"
    call.refresh_from_db()
    assert call.state == Call.State.DECIDED


def test_each_applicant_is_told_with_a_link_to_its_result(staff_user, decided, call, applicant):
    services.publish_result(staff_user, call)
    note = Notification.objects.get(user=applicant)
    assert "评审结果已公布" in note.title_zh and "80.00 万元" in note.body_zh
    assert note.url == f"/reviews/applications/{decided.pk}/"


def test_a_not_approved_application_becomes_not_approved(staff_user, reviewed, application, call):
    services.record_decision(staff_user, application, approved=False, opinion="创新性不足")
    services.publish_result(staff_user, call)
    application.refresh_from_db()
    assert application.state == "not_approved"


def test_every_application_in_review_needs_its_decision_first(
    staff_user, decided, call, make_application, other_org
):
    make_application(other_org, 2)  # accepted, no panel yet
    with pytest.raises(Rejected) as exc:
        services.publish_result(staff_user, call)
    assert [p.message_zh for p in exc.value.problems] == ["1 项申报尚未完成专家抽取：SB-2026-0002"]
    assert not Notice.objects.exists()


def test_an_undecided_application_blocks_the_result(staff_user, reviewed, call):
    with pytest.raises(Rejected) as exc:
        services.publish_result(staff_user, call)
    assert exc.value.problems[0].message_zh == "1 项申报尚未作出评审决定：SB-2026-0001"
    call.refresh_from_db()
    assert call.state == Call.State.REVIEWING


def test_the_result_is_published_once_and_decisions_are_then_final(staff_user, decided, call):
    services.publish_result(staff_user, call)
    with pytest.raises(Rejected) as exc:
        services.publish_result(staff_user, call)
    assert exc.value.problems[0].message_zh == "评审结果已经公示"
    with pytest.raises(Rejected):
        services.record_decision(
            staff_user, decided, approved=True, amount=Decimal(1), opinion="改"
        )


def test_a_call_not_in_review_has_no_result_to_publish(staff_user, call):
    with pytest.raises(Rejected) as exc:
        services.publish_result(staff_user, call)
    assert "不在评审中" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["reporter", "applicant", "member"])
def test_only_the_bureau_publishes(request, decided, call, who):
    with pytest.raises(PermissionDenied):
        services.publish_result(request.getfixturevalue(who), call)
