"""The panel's ranking: final scores from the review core, ties and spread warnings shown,
nominations still being scored apart, decisions recorded from the table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.talent import selectors, services

from .conftest import sheet


@pytest.fixture
def three_in_review(call, employer, other_employer, make_application, experts, staff_user, clock):
    apps = [
        services.submit_application(employer, make_application(n=1)),
        services.submit_application(employer, make_application(n=2)),
        services.submit_application(other_employer, make_application(other_employer, 3)),
    ]
    clock(call.closes_at + dt.timedelta(minutes=1))
    services.start_panel(staff_user, call)
    return apps


def score_all(app, values) -> None:
    for assignment, value in zip(app.assignments.order_by("position"), values, strict=True):
        services.submit_score(
            assignment.expert.user, assignment, scores=sheet(app.call, value, value, value)
        )


def test_complete_nominations_are_ranked_and_ties_share_a_rank(call, three_in_review):
    a, b, c = three_in_review
    score_all(a, (9, 9, 9))
    score_all(b, (8, 8, 8))
    score_all(c, (8, 8, 8))
    ranking = selectors.ranking(call)
    assert [(r.application.pk, r.rank, r.tied) for r in ranking.rows] == [
        (a.pk, 1, False),
        (b.pk, 2, True),
        (c.pk, 2, True),
    ]
    assert ranking.rows[0].result.final == 90
    assert len(ranking.ties) == 1


def test_a_nomination_still_being_scored_is_listed_unranked(call, three_in_review):
    a, b, c = three_in_review
    score_all(a, (9, 9, 9))
    first = b.assignments.order_by("position").first()
    services.submit_score(first.expert.user, first, scores=sheet(call, 5, 5, 5))
    rows = selectors.ranking(call).rows
    assert [(r.application.pk, r.rank, r.scored, r.assigned) for r in rows] == [
        (a.pk, 1, 3, 3),
        (b.pk, None, 1, 3),
        (c.pk, None, 0, 3),
    ]


def test_a_total_far_from_the_others_is_flagged(call, three_in_review):
    a = three_in_review[0]
    score_all(a, (9, 9, 6))
    (warning,) = selectors.ranking(call).rows[0].result.warnings
    assert warning.total == 60 and "超过 20 分" in warning.message_zh


def test_the_page_shows_the_ranking_and_records_a_decision(
    client_for, staff_user, call, three_in_review
):
    a = three_in_review[0]
    score_all(a, (9, 9, 9))
    c = client_for(staff_user)
    page = c.get(reverse("talent:ranking", args=[call.code])).content.decode()
    assert "90.00" in page and "记录决定" in page and "1 / 3" not in page
    c.post(
        reverse("talent:ranking", args=[call.code]),
        {"application": a.pk, "outcome": "approve", "note": ""},
    )
    a.refresh_from_db()
    assert a.state == "approved"


def test_a_refused_decision_is_explained(client_for, staff_user, call, three_in_review):
    a = three_in_review[0]
    score_all(a, (9, 9, 9))
    response = client_for(staff_user).post(
        reverse("talent:ranking", args=[call.code]),
        {"application": a.pk, "outcome": "reject", "note": ""},
        follow=True,
    )
    assert "请填写决定说明" in response.content.decode()


def test_the_ranking_reads_a_fixed_number_of_queries(
    client_for, staff_user, call, three_in_review, django_assert_max_num_queries
):
    for app in three_in_review:
        score_all(app, (8, 7, 9))
    c = client_for(staff_user)
    with django_assert_max_num_queries(10):
        c.get(reverse("talent:ranking", args=[call.code]))


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "expert_user"])
def test_only_the_bureau_sees_the_ranking(request, client_for, call, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("talent:ranking", args=[call.code])
    )
    assert response.status_code == 403
