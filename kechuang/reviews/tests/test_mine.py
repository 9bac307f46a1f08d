"""An expert's own assignments."""

import pytest
from django.urls import reverse

URL = reverse("reviews:mine")


def test_an_expert_sees_their_own_assignments_only(client_for, member, assignment, drawn):
    r = client_for(member).get(URL)
    assert r.status_code == 200
    assert [a.pk for a in r.context["page"].object_list] == [assignment.pk]
    body = r.content.decode()
    assert "SB-2026-0001" in body and "已邀请" in body
    assert drawn.call.review_deadline.astimezone().strftime("%Y-%m-%d") in body
    others = drawn.assignments.exclude(pk=assignment.pk).select_related("expert")
    assert not any(a.expert.name in body for a in others)


def test_those_still_to_score_come_first_and_states_filter(
    client_for, member, assignment, make_call, make_application, applicant_org, staff_user
):
    from kechuang.reviews import services
    from kechuang.reviews.tests.conftest import sheet

    services.submit_scores(
        member, assignment, sheet(assignment.panel.call, 80, 80, 8, 80), "好", True
    )
    c = client_for(member)
    assert [a.state for a in c.get(URL).context["page"].object_list] == ["submitted"]
    assert c.get(URL, {"state": "invited"}).context["page"].paginator.count == 0
    assert "没有该状态的评审任务" in c.get(URL, {"state": "invited"}).content.decode()


def test_a_conflicted_assignment_is_listed_without_a_link(client_for, member, assignment):
    from kechuang.reviews import services

    services.declare_conflict(member, assignment, "有合作")
    body = client_for(member).get(URL).content.decode()
    assert "已回避" in body and reverse("reviews:assignment", args=[assignment.pk]) not in body


def test_an_expert_without_assignments_is_told_how_they_come(client_for, outsider):
    assert "您还没有评审任务" in client_for(outsider).get(URL).content.decode()


@pytest.mark.parametrize(
    "who", ["staff_user", "admin_user", "reporter", "applicant", "provider_user"]
)
def test_only_experts_have_this_page(as_user, who):
    assert as_user(who).get(URL).status_code == 403


def test_anonymous_visitors_log_in_first(client):
    assert client.get(URL).status_code == 302


def test_the_list_costs_the_same_queries_for_more_assignments(
    client_for,
    staff_user,
    call,
    make_application,
    applicant_org,
    library,
    ordered_draws,
    django_assert_max_num_queries,
):
    # Ordered draws put the first expert on every panel: with random ones the first page could
    # be empty and cost fewer queries than a full one, which is not what is being compared.
    from kechuang.reviews import services
    from kechuang.reviews.models import Assignment

    make_application(applicant_org, 1)
    services.start_review(staff_user, call)
    services.run_draws(staff_user, call)
    user = library[0].user
    c = client_for(user)
    with django_assert_max_num_queries(8) as few:
        c.get(URL)
    for n in range(2, 6):
        make_application(applicant_org, n)
    services.start_review(staff_user, call)
    services.run_draws(staff_user, call)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get(URL)
    assert r.context["page"].paginator.count == Assignment.objects.filter(expert__user=user).count()
