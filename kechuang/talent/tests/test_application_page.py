"""One nomination's page: the employer edits and submits its own, the bureau returns, scores on
paper and decides; anyone else is told it does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import person, sheet


def url(app) -> str:
    return reverse("talent:application", args=[app.pk])


def test_the_employer_saves_and_submits_from_the_page(client_for, employer, draft):
    data = person(1, title="正高级工程师") | {"id_number": "", "action": "submit"}
    response = client_for(employer).post(url(draft), data)
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.state, draft.title) == ("submitted", "正高级工程师")


def test_a_refused_submission_keeps_the_typed_text_and_names_the_field(client_for, employer, draft):
    data = person(1, achievements="", position="新职务") | {"id_number": "", "action": "submit"}
    page = client_for(employer).post(url(draft), data).content.decode()
    assert "请填写主要业绩" in page and "新职务" in page
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_after_submission_the_page_is_read_only(client_for, employer, submitted):
    page = client_for(employer).get(url(submitted)).content.decode()
    assert 'value="submit"' not in page and submitted.achievements in page
    assert "撤回推荐" in page


def test_the_employer_withdraws_from_the_page(client_for, employer, submitted):
    client_for(employer).post(url(submitted), {"action": "withdraw", "reason": "本人放弃"})
    submitted.refresh_from_db()
    assert submitted.state == "withdrawn"


def test_the_bureau_returns_from_the_page(client_for, staff_user, submitted):
    client_for(staff_user).post(url(submitted), {"action": "return", "reason": "请补充"})
    submitted.refresh_from_db()
    assert submitted.state == "returned"


def test_the_bureau_sees_the_panel_and_types_in_a_paper_sheet(client_for, staff_user, in_review):
    c = client_for(staff_user)
    page = c.get(url(in_review)).content.decode()
    assert "评审专家与评分" in page and "录入纸质评分表" in page
    member = in_review.assignments.first()
    data = {"action": "score", "assignment": member.pk, "opinion": "纸质评分"} | {
        f"score_{k}": v for k, v in sheet(in_review.call, 9, 9, 9).items()
    }
    assert c.post(url(in_review), data).status_code == 302
    assert member.score.total == 90 and member.score.entered_by == staff_user
    assert "代为录入" in c.get(url(in_review)).content.decode()


def test_the_bureau_decides_from_the_page_once_all_have_scored(client_for, staff_user, scored):
    c = client_for(staff_user)
    page = c.get(url(scored)).content.decode()
    assert "入选决定" in page and "最终得分" in page and "80.00" in page
    c.post(url(scored), {"action": "decide", "outcome": "approve"})
    scored.refresh_from_db()
    assert scored.state == "approved"


def test_an_unknown_action_is_refused(client_for, employer, draft):
    assert client_for(employer).post(url(draft), {"action": "decide"}).status_code == 403
    assert client_for(employer).post(url(draft), {"action": "nonsense"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_user", 200),
        ("staff_user", 200),
        ("employer", 200),
        ("other_employer", 404),
        ("reporter", 404),
        ("provider_user", 404),
        ("unassigned_expert", 404),
        ("expert_user", 404),
    ],
)
def test_who_may_open_a_nomination(request, client_for, in_review, who, status):
    response = client_for(request.getfixturevalue(who)).get(url(in_review))
    assert response.status_code == status


def test_anonymous_is_asked_to_log_in(client, draft):
    assert client.get(url(draft)).status_code == 302


def test_the_page_reads_a_fixed_number_of_queries(
    client_for, staff_user, scored, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(20):
        c.get(url(scored))
