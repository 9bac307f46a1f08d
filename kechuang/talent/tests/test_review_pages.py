"""The expert's pages: its drawn nominations only, its score sheet once; anyone else is told the
nomination does not exist and the attempt is audited."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from .conftest import sheet


def denied(app):
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(app.pk), additional_data__denied=True
    )


def test_the_expert_lists_its_nominations_to_score(client_for, expert_user, in_review):
    page = client_for(expert_user).get(reverse("talent:reviews")).content.decode()
    assert in_review.code in page and "去评分" in page


def test_an_expert_with_nothing_drawn_sees_an_empty_list(client_for, unassigned_expert, in_review):
    page = client_for(unassigned_expert).get(reverse("talent:reviews")).content.decode()
    assert in_review.code not in page and "目前没有分配给您的人才评审" in page


def test_the_expert_scores_from_its_page(client_for, expert_user, in_review):
    c = client_for(expert_user)
    url = reverse("talent:review", args=[in_review.pk])
    page = c.get(url).content.decode()
    assert in_review.achievements in page and "提交评分" in page
    data = {f"score_{k}": v for k, v in sheet(in_review.call, 8, 7, 9).items()}
    assert c.post(url, data | {"opinion": "同意推荐"}).status_code == 302
    page = c.get(url).content.decode()
    assert "不能修改" in page and "提交评分" not in page


def test_a_score_out_of_range_is_explained(client_for, expert_user, in_review):
    data = {f"score_{k}": v for k, v in sheet(in_review.call, 11, 7, 9).items()}
    response = client_for(expert_user).post(reverse("talent:review", args=[in_review.pk]), data)
    assert response.status_code == 200 and "10" in response.content.decode()
    assert not in_review.assignments.filter(score__isnull=False).exists()


def test_an_unassigned_expert_gets_404_and_the_attempt_is_audited(
    client_for, unassigned_expert, in_review
):
    response = client_for(unassigned_expert).get(reverse("talent:review", args=[in_review.pk]))
    assert response.status_code == 404
    entry = denied(in_review).get()
    assert entry.actor == unassigned_expert


@pytest.mark.parametrize("who", ["other_employer", "reporter", "provider_user"])
def test_other_roles_get_404_and_are_audited(request, client_for, in_review, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("talent:review", args=[in_review.pk])).status_code == 404
    assert denied(in_review).get().actor == user


def test_the_bureau_is_sent_to_the_nomination_page(client_for, staff_user, in_review):
    response = client_for(staff_user).get(reverse("talent:review", args=[in_review.pk]))
    assert response.status_code == 302 and not denied(in_review).exists()


@pytest.mark.parametrize("who", ["employer", "staff_user", "reporter", "provider_user"])
def test_only_experts_have_a_review_list(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("talent:reviews"))
    assert response.status_code == 403


def test_anonymous_is_asked_to_log_in(client, in_review):
    assert client.get(reverse("talent:review", args=[in_review.pk])).status_code == 302
    assert not denied(in_review).exists()


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, expert_user, in_review, django_assert_max_num_queries
):
    c = client_for(expert_user)
    with django_assert_max_num_queries(10):
        c.get(reverse("talent:reviews"))
