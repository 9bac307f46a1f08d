"""The review API: an expert's assignments, a call's ranking for the bureau."""

import pytest

from kechuang.reviews.tests.conftest import score_all


def test_an_expert_lists_their_assignments(client_for, member, assignment):
    r = client_for(member).get("/api/reviews/assignments")
    assert r.status_code == 200
    (item,) = r.json()["items"]
    assert item["id"] == assignment.pk and item["application_code"] == "SB-2026-0001"
    assert item["state"] == "invited" and "expert" not in item


@pytest.mark.parametrize("who", ["staff_user", "applicant", "reporter"])
def test_only_experts_list_assignments(as_user, who):
    assert as_user(who).get("/api/reviews/assignments").status_code == 403


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/reviews/assignments").status_code == 401


def test_the_bureau_reads_the_ranking(client_for, staff_user, drawn):
    score_all(drawn, [0.9, 0.8, 0.7, 0.6, 0.5])
    r = client_for(staff_user).get(f"/api/reviews/calls/{drawn.call.code}/ranking")
    assert r.status_code == 200
    data = r.json()
    (row,) = data["rows"]
    assert row["rank"] == 1 and row["final"] == "70.00" and row["sheets"] == 5
    assert row["trimmed_mean"] == "70.00" and row["criterion_means"]["团队能力"] == "7.00"
    assert row["within_funding_line"] is True and data["budget"] == "5000000.00"


@pytest.mark.parametrize("who", ["member", "applicant", "reporter"])
def test_only_the_bureau_reads_the_ranking(as_user, drawn, who):
    assert as_user(who).get(f"/api/reviews/calls/{drawn.call.code}/ranking").status_code == 403


def test_an_unknown_call_has_no_ranking(client_for, staff_user):
    assert client_for(staff_user).get("/api/reviews/calls/nope/ranking").status_code == 404
