"""Score sheets: the drawn expert scores each criterion within its scale, once; the bureau may
type in a paper sheet; nobody else scores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.talent import services
from kechuang.talent.models import TalentScore

from .conftest import sheet


def mine(application, user):
    return application.assignments.get(expert__user=user)


def test_the_drawn_expert_scores_and_the_total_is_on_the_100_scale(expert_user, in_review):
    score = services.submit_score(
        expert_user,
        mine(in_review, expert_user),
        scores=sheet(in_review.call, "8", "7", "9.5"),
        opinion="业绩突出",
    )
    # 40×0.8 + 35×0.7 + 25×0.95
    assert score.total == Decimal("80.25")
    assert score.entered_by == expert_user
    assert set(score.scores.values()) == {"8", "7", "9.5"}


def test_a_score_above_the_maximum_or_missing_is_refused_and_nothing_is_kept(
    expert_user, in_review
):
    criteria = list(in_review.call.criteria.all())
    with pytest.raises(Rejected) as exc:
        services.submit_score(
            expert_user,
            mine(in_review, expert_user),
            scores={criteria[0].pk: Decimal(11), criteria[1].pk: Decimal(5)},
        )
    messages = " | ".join(p.message_zh for p in exc.value.problems)
    assert "“发展潜力”的评分" in messages
    assert not TalentScore.objects.exists()
    with pytest.raises(Rejected) as exc:
        services.submit_score(
            expert_user, mine(in_review, expert_user), scores=sheet(in_review.call, 11, 5, 5)
        )
    assert "超过满分 10" in exc.value.problems[0].message_zh


def test_a_float_is_refused_so_no_rounding_error_creeps_in(expert_user, in_review):
    call = in_review.call
    with pytest.raises(Rejected):
        services.submit_score(
            expert_user,
            mine(in_review, expert_user),
            scores={c.pk: 7.1 for c in call.criteria.all()},
        )


def test_a_sheet_is_final_once_submitted(expert_user, in_review):
    assignment = mine(in_review, expert_user)
    services.submit_score(expert_user, assignment, scores=sheet(in_review.call, 8, 8, 8))
    with pytest.raises(Rejected) as exc:
        services.submit_score(expert_user, assignment, scores=sheet(in_review.call, 9, 9, 9))
    assert "已提交评分" in exc.value.problems[0].message_zh
    assert TalentScore.objects.get().total == Decimal("80.00")


def test_the_bureau_types_in_a_paper_sheet_for_a_drawn_expert(staff_user, expert_user, in_review):
    score = services.submit_score(
        staff_user, mine(in_review, expert_user), scores=sheet(in_review.call, 6, 6, 6)
    )
    assert score.entered_by == staff_user


def test_an_expert_cannot_fill_in_another_experts_sheet(experts, in_review):
    other = mine(in_review, experts[1].user)
    with pytest.raises(PermissionDenied):
        services.submit_score(experts[0].user, other, scores=sheet(in_review.call, 8, 8, 8))


@pytest.mark.parametrize("who", ["unassigned_expert", "employer", "reporter", "provider_user"])
def test_nobody_else_scores(request, who, expert_user, in_review):
    with pytest.raises(PermissionDenied):
        services.submit_score(
            request.getfixturevalue(who),
            mine(in_review, expert_user),
            scores=sheet(in_review.call, 8, 8, 8),
        )


def test_a_decided_nomination_takes_no_more_sheets(staff_user, scored):
    services.decide(staff_user, scored, approved=True)
    assignment = scored.assignments.first()
    TalentScore.objects.filter(assignment=assignment).delete()
    with pytest.raises(Rejected) as exc:
        services.submit_score(staff_user, assignment, scores=sheet(scored.call, 8, 8, 8))
    assert "入选" in exc.value.problems[0].message_zh
