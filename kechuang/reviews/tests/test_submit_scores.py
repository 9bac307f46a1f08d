"""Scoring: drafts saved and changed, a final sheet locked, every score within its criterion's
scale, nothing after the review deadline, and the panel's result kept with the sheets."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls.models import Call
from kechuang.core.problems import Rejected
from kechuang.reviews import services
from kechuang.reviews.models import Assignment, Panel, Score
from kechuang.reviews.tests.conftest import score_all, sheet

A = Assignment.State


def criteria(call):
    return list(call.criteria.order_by("order"))


def test_a_draft_is_saved_with_what_is_filled_in_and_accepts_the_assignment(member, assignment):
    c = criteria(assignment.panel.call)
    scores = {c[0].pk: ("85", "创新点突出"), c[1].pk: ("", "技术路线需细化")}
    a = services.submit_scores(member, assignment, scores, "", False)
    assert a.state == A.ACCEPTED and a.saved_at is not None and a.submitted_at is None
    rows = {s.criterion_id: (s.score, s.comment) for s in a.scores.all()}
    assert rows == {c[0].pk: (Decimal("85.00"), "创新点突出"), c[1].pk: (None, "技术路线需细化")}


def test_a_draft_can_be_changed_and_every_version_is_in_the_audit_trail(member, assignment):
    c = criteria(assignment.panel.call)
    services.submit_scores(member, assignment, {c[0].pk: ("85", "")}, "", False)
    services.submit_scores(member, assignment, {c[0].pk: ("78.5", "再看后调整")}, "初稿", False)
    score = Score.objects.get(assignment=assignment, criterion=c[0])
    assert score.score == Decimal("78.50") and score.comment == "再看后调整"
    history = LogEntry.objects.get_for_object(score).order_by("timestamp", "pk")
    assert [e.action for e in history] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert history.last().changes_dict["score"] == ["85.00", "78.50"]


def test_a_final_sheet_is_locked(member, assignment):
    call = assignment.panel.call
    a = services.submit_scores(member, assignment, sheet(call, 80, 70, 9, 60), "研究基础扎实", True)
    assert a.state == A.SUBMITTED and a.submitted_at is not None
    with pytest.raises(Rejected) as exc:
        services.submit_scores(member, assignment, sheet(call, 90, 90, 9, 90), "改", True)
    assert exc.value.problems[0].message_zh == "评审任务当前为“已提交评分”，不能再修改评分"
    assert Score.objects.get(assignment=a, criterion=criteria(call)[0]).score == 80


def test_a_final_sheet_scores_every_criterion_and_has_the_overall_comment(member, assignment):
    c = criteria(assignment.panel.call)
    with pytest.raises(Rejected) as exc:
        services.submit_scores(
            member, assignment, {c[0].pk: ("80", ""), c[1].pk: ("", "")}, "", True
        )
    problems = {(p.where, p.message_zh) for p in exc.value.problems}
    assert problems == {
        (f"scores.{c[1].pk}", "请为「可行性」填写评分"),
        (f"scores.{c[2].pk}", "请为「团队能力」评分"),
        (f"scores.{c[3].pk}", "请为「经济社会效益」评分"),
        ("overall_comment", "请填写总体评价意见"),
    }
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == A.INVITED


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (2, "11", "对「团队能力」（{pk}）的评分 11 超过满分 10"),
        (0, "-1", "对「技术创新性」（{pk}）的评分 -1 低于 0"),
        (0, "abc", "请为「技术创新性」填写评分"),
        (1, "80.125", "「可行性」的评分最多两位小数"),
    ],
)
def test_each_score_lies_on_its_criterions_scale(member, assignment, index, value, message):
    c = criteria(assignment.panel.call)
    scores = sheet(assignment.panel.call, 80, 70, 9, 60)
    scores[c[index].pk] = (value, "")
    for final in (False, True):
        with pytest.raises(Rejected) as exc:
            services.submit_scores(member, assignment, scores, "意见", final)
        (problem,) = exc.value.problems
        assert problem.where == f"scores.{c[index].pk}"
        assert message.format(pk=c[index].pk) in problem.message_zh
    assert not Score.objects.exists()


def test_the_full_scale_and_zero_are_allowed(member, assignment):
    a = services.submit_scores(
        member, assignment, sheet(assignment.panel.call, 100, 0, 10, 0), "意见", True
    )
    assert a.state == A.SUBMITTED


def test_a_criterion_of_another_call_is_refused(member, assignment, make_call):
    foreign = make_call("other-call").criteria.first()
    with pytest.raises(Rejected) as exc:
        services.submit_scores(member, assignment, {foreign.pk: ("50", "")}, "", False)
    assert exc.value.problems[0].message_zh == "本指南没有该评审指标"


def test_nothing_is_saved_from_the_review_deadline_on(member, assignment):
    deadline = timezone.make_aware(dt.datetime(2026, 3, 1, 0, 30), dt.UTC)
    Call.objects.filter(pk=assignment.panel.call_id).update(review_deadline=deadline)
    with pytest.raises(Rejected) as exc:
        services.submit_scores(
            member, assignment, sheet(assignment.panel.call, 80, 70, 9, 60), "", False
        )
    (problem,) = exc.value.problems
    # 00:30 UTC is 08:30 in Beijing.
    assert problem.message_zh == "评审已于 2026-03-01 08:30（北京时间）截止，不能再保存或提交评分"
    assert not Score.objects.exists()


def test_only_the_assigned_expert_scores(assignment, drawn, outsider, staff_user, applicant):
    other = drawn.assignments.exclude(pk=assignment.pk).select_related("expert__user").first()
    for user in (other.expert.user, outsider, staff_user, applicant):
        with pytest.raises(PermissionDenied):
            services.submit_scores(user, assignment, sheet(drawn.call, 80, 70, 9, 60), "", False)
    assert not Score.objects.exists()


def test_a_conflicted_assignment_is_not_scored(member, assignment):
    services.declare_conflict(member, assignment, "有合作关系")
    with pytest.raises(Rejected) as exc:
        services.submit_scores(
            member, assignment, sheet(assignment.panel.call, 80, 70, 9, 60), "", False
        )
    assert "已回避" in exc.value.problems[0].message_zh


def test_accepting_is_once_and_only_while_invited(member, assignment):
    a = services.accept_assignment(member, assignment)
    assert a.state == A.ACCEPTED and a.responded_at is not None
    with pytest.raises(Rejected):
        services.accept_assignment(member, assignment)


# --- the panel's result ------------------------------------------------------------------------


def test_five_sheets_give_the_trimmed_mean(drawn):
    score_all(drawn, [0.9, 0.8, 0.7, 0.6, 0.5])
    panel = Panel.objects.get(pk=drawn.pk)
    assert panel.sheets == 5
    assert panel.result["mean"] == "70.00" and panel.result["trimmed_mean"] == "70.00"
    assert panel.final_score == Decimal("70.00") and len(panel.result["dropped"]) == 2


def test_four_sheets_give_the_mean_only(staff_user, call, application, library):
    Call.objects.filter(pk=call.pk).update(panel_size=4)
    call.refresh_from_db()
    services.start_review(staff_user, call)
    panel = services.perform_panel_draw(staff_user, Panel.objects.get(application=application))
    score_all(panel, [0.9, 0.8, 0.7, 0.5])
    panel.refresh_from_db()
    assert panel.result["trimmed_mean"] is None and panel.final_score == Decimal("72.50")


def test_an_outlying_total_is_flagged_with_the_expert(drawn):
    score_all(drawn, [0.8, 0.82, 0.78, 0.8, 0.3])
    panel = Panel.objects.get(pk=drawn.pk)
    assert panel.has_warning
    (warning,) = panel.result["warnings"]
    last = panel.assignments.order_by("position").last().expert.code
    assert warning["expert"] == last and warning["total"] == "30.00"


def test_drafts_do_not_count_towards_the_result(drawn, member, assignment):
    services.submit_scores(member, assignment, sheet(drawn.call, 80, 70, 9, 60), "", False)
    panel = Panel.objects.get(pk=drawn.pk)
    assert panel.sheets == 0 and panel.final_score is None


def test_the_stored_result_is_what_the_rules_compute_from_the_sheets(drawn):
    score_all(drawn, [0.91, 0.84, 0.77, 0.66, 0.52])
    panel = Panel.objects.get(pk=drawn.pk)
    assert panel.result == services.result_json(services.panel_aggregate(panel))
