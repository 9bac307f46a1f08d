"""Starting a review: a panel with a committed, public draw for every accepted application."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls.models import Call
from kechuang.core.problems import Rejected
from kechuang.experts.models import Draw
from kechuang.reviews import services
from kechuang.reviews.models import Panel


def test_each_accepted_application_gets_a_panel_with_a_public_committed_draw(
    staff_user, call, application, other_application, library
):
    assert services.start_review(staff_user, call) == 2
    call.refresh_from_db()
    assert call.state == Call.State.REVIEWING
    for app in (application, other_application):
        panel = Panel.objects.get(application=app)
        draw = panel.draw
        assert panel.state == Panel.State.COMMITTED and panel.call == call
        assert draw.state == Draw.State.COMMITTED and draw.kind == Draw.Kind.REVIEW
        assert draw.k == call.panel_size and draw.pool_size == len(library)
        assert draw.subject == app
        # The public label is the number and the title, nothing more about the applicant.
        assert draw.subject_label == f"{app.code} {app.title}"
        assert app.applicant.name not in draw.subject_label
        constraints = draw.record["constraints"]
        assert constraints == {
            "max_per": {"organisation": 1},
            "require_field_overlap": True,
            "application_fields": app.fields,
        }
        app.refresh_from_db()
        assert app.state == "accepted", "the state moves when the draw is made"


def test_experts_of_the_applicant_or_a_co_applicant_are_excluded_with_the_reason(
    staff_user, call, application, applicant_org, other_org, make_expert, library
):
    application.co_applicants.add(other_org)
    own = make_expert(20, organization=applicant_org)
    partner = make_expert(21, unit=other_org.name)
    services.start_review(staff_user, call)
    exclusions = Panel.objects.get(application=application).draw.record["exclusions"]
    assert applicant_org.name in exclusions[own.code]
    assert other_org.name in exclusions[partner.code]
    assert set(exclusions) == {own.code, partner.code}


def test_applications_not_accepted_get_no_panel(
    staff_user, call, make_application, applicant_org, library
):
    submitted = make_application(applicant_org, 5, state="submitted")
    accepted = make_application(applicant_org, 6)
    services.start_review(staff_user, call)
    assert not Panel.objects.filter(application=submitted).exists()
    assert Panel.objects.filter(application=accepted).exists()


def test_starting_again_adds_panels_only_for_newly_accepted_applications(
    staff_user, call, application, make_application, applicant_org, library
):
    services.start_review(staff_user, call)
    late = make_application(applicant_org, 7)
    assert services.start_review(staff_user, call) == 1
    assert Panel.objects.filter(call=call).count() == 2
    assert (
        Panel.objects.get(application=late).draw != Panel.objects.get(application=application).draw
    )


def test_nothing_to_review_is_refused_and_the_call_stays_closed(staff_user, call, library):
    with pytest.raises(Rejected) as exc:
        services.start_review(staff_user, call)
    assert [p.where for p in exc.value.problems] == ["applications"]
    assert "没有待组织评审的申报" in exc.value.problems[0].message_zh
    call.refresh_from_db()
    assert call.state == Call.State.CLOSED


def test_an_open_call_cannot_be_reviewed_yet(staff_user, call, application, library):
    Call.objects.filter(pk=call.pk).update(
        state=Call.State.PUBLISHED, closes_at=timezone.now() + dt.timedelta(days=1)
    )
    call.refresh_from_db()
    with pytest.raises(Rejected) as exc:
        services.start_review(staff_user, call)
    assert "申报截止后才能组织评审" in exc.value.problems[0].message_zh
    assert not Panel.objects.exists() and not Draw.objects.exists()


def test_a_published_call_past_its_window_can_be_reviewed(staff_user, call, application, library):
    Call.objects.filter(pk=call.pk).update(state=Call.State.PUBLISHED)
    call.refresh_from_db()
    assert services.start_review(staff_user, call) == 1


@pytest.mark.parametrize(
    ("deadline", "message"),
    [(None, "请先在申报指南中设置评审截止时间"), (-1, "已过，请先修改")],
)
def test_the_review_needs_a_deadline_still_ahead(
    staff_user, call, application, library, deadline, message
):
    when = None if deadline is None else timezone.now() + dt.timedelta(days=deadline)
    Call.objects.filter(pk=call.pk).update(review_deadline=when)
    call.refresh_from_db()
    with pytest.raises(Rejected) as exc:
        services.start_review(staff_user, call)
    assert exc.value.problems[0].where == "review_deadline"
    assert message in exc.value.problems[0].message_zh
    assert not Panel.objects.exists()


def test_a_call_after_its_decision_is_not_reviewed_again(staff_user, call, application, library):
    Call.objects.filter(pk=call.pk).update(state=Call.State.DECIDED)
    call.refresh_from_db()
    with pytest.raises(Rejected):
        services.start_review(staff_user, call)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "applicant", "member_user"])
def test_only_the_bureau_starts_a_review(request, call, application, library, who):
    user = library[0].user if who == "member_user" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.start_review(user, call)
    assert not Panel.objects.exists()


def test_the_admin_may_start_a_review(admin_user, call, application, library):
    assert services.start_review(admin_user, call) == 1
