"""Starting the review: one verifiable draw per nomination after the deadline, experts of its
field and not of the employer, one per unit; experts are told; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.experts import services as expert_services
from kechuang.experts.models import Draw
from kechuang.experts.tests.conftest import id_number, user_with_role
from kechuang.notifications.models import Notification
from kechuang.talent import services
from kechuang.talent.models import TalentAssignment


def test_the_panel_is_drawn_after_the_deadline_and_the_nomination_goes_to_review(
    staff_user, submitted, experts, after_deadline
):
    draws = services.start_panel(staff_user, submitted.call)
    submitted.refresh_from_db()
    assert submitted.state == "in_review"
    submitted.call.refresh_from_db()
    assert submitted.call.state == "reviewing"
    (draw,) = draws
    assert (draw.kind, draw.state, draw.k) == ("other", "published", 3)
    assert draw.purpose.startswith("人才评审")
    assert draw.subject == submitted
    assert {a.expert for a in submitted.assignments.all()} == set(experts)
    assert "抽取 " + draw.draw_id in submitted.state_changes.last().note
    audited = LogEntry.objects.filter(content_type__model="talentassignment", actor=staff_user)
    assert audited.count() == 3


def test_the_public_draw_record_names_no_nominee(staff_user, submitted, experts, after_deadline):
    (draw,) = services.start_panel(staff_user, submitted.call)
    assert submitted.name not in draw.purpose + draw.subject_label + str(draw.record)


def test_experts_of_the_employer_or_of_another_field_are_never_drawn(
    staff_user, employer, submitted, experts, unassigned_expert, after_deadline
):
    own = expert_services.create_expert(
        staff_user,
        name="本单位专家",
        id_number=id_number(300),
        title="senior",
        organization=employer.organization,
        organization_name=employer.organization.name,
        fields=["新材料"],
    )
    (draw,) = services.start_panel(staff_user, submitted.call)
    assert own.code in draw.record["exclusions"]
    codes = set(expert_services.chosen(draw))
    assert own.code not in codes
    assert unassigned_expert.expert.code not in codes


def test_at_most_one_expert_per_unit(staff_user, submitted, experts, after_deadline):
    expert_services.create_expert(
        staff_user,
        name="同单位专家",
        id_number=id_number(301),
        title="senior",
        organization_name=experts[0].organization_name,
        fields=["新材料"],
    )
    services.start_panel(staff_user, submitted.call)
    units = [a.expert.organization_name for a in submitted.assignments.all()]
    assert len(units) == len(set(units)) == 3


def test_drawn_experts_with_a_login_are_told_what_to_score(
    staff_user, submitted, experts, after_deadline
):
    services.start_panel(staff_user, submitted.call)
    for e in experts:
        note = Notification.objects.get(user=e.user)
        assert note.title_zh == "请评审 1 份人才推荐" and note.url == "/talent/reviews/"


def test_a_short_library_gives_a_short_panel_noted_in_the_history(
    staff_user, submitted, experts, after_deadline
):
    expert_services.update_expert(staff_user, experts[2], fields=["电子信息"])
    services.start_panel(staff_user, submitted.call)
    assert submitted.assignments.count() == 2
    assert "少于每人 3 位" in submitted.state_changes.last().note


def test_before_the_deadline_no_panel_is_drawn(staff_user, submitted, experts):
    with pytest.raises(Rejected) as exc:
        services.start_panel(staff_user, submitted.call)
    assert "截止后才能抽取" in exc.value.problems[0].message_zh
    assert not Draw.objects.exists()


def test_with_no_eligible_expert_nothing_is_drawn_or_moved(staff_user, submitted, after_deadline):
    user_with_role("t_lonely", "expert")
    with pytest.raises(Rejected) as exc:
        services.start_panel(staff_user, submitted.call)
    assert submitted.code in exc.value.problems[0].where
    assert "没有符合条件" in exc.value.problems[0].message_zh
    assert not Draw.objects.exists() and not TalentAssignment.objects.exists()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_call_without_submissions_has_nothing_to_review(staff_user, call, draft, after_deadline):
    with pytest.raises(Rejected) as exc:
        services.start_panel(staff_user, call)
    assert "没有已提交的推荐" in exc.value.problems[0].message_zh


def test_drafts_and_withdrawn_nominations_stay_out_of_the_review(
    staff_user, employer, make_application, submitted, experts, clock
):
    make_application(n=2)
    services.withdraw_application(employer, make_application(n=3), "放弃")
    clock(submitted.call.closes_at + dt.timedelta(minutes=1))
    services.start_panel(staff_user, submitted.call)
    assert list(submitted.call.applications.filter(state="in_review")) == [submitted]
    assert submitted.call.applications.filter(state__in=["draft", "withdrawn"]).count() == 2


def test_the_panel_is_drawn_once(staff_user, in_review):
    with pytest.raises(Rejected) as exc:
        services.start_panel(staff_user, in_review.call)
    assert "评审中" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "expert_user"])
def test_only_the_bureau_starts_the_review(request, who, submitted, experts, after_deadline):
    with pytest.raises(PermissionDenied):
        services.start_panel(request.getfixturevalue(who), submitted.call)
