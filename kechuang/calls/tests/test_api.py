"""The JSON API: public calls, the applicant's own applications, submission with refusals as
400 listing every problem, other organisations' applications as 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.calls import services


def test_anyone_lists_published_calls(client, call, staff_user, call_data):
    services.create_call(staff_user, **call_data(code="unpublished"))
    data = client.get("/api/calls").json()
    assert [c["code"] for c in data["items"]] == [call.code]
    assert data["items"][0]["window"] == "open" and data["items"][0]["budget"] == "20000000.00"


def test_calls_filter_by_open_now(client, call, staff_user):
    services.close_call(staff_user, call)
    assert client.get("/api/calls?open=true").json()["items"] == []
    assert len(client.get("/api/calls").json()["items"]) == 1


def test_one_call_with_its_conditions_sections_and_criteria(client, call):
    data = client.get(f"/api/calls/{call.code}").json()
    assert [c["code"] for c in data["eligibility"]] == [
        "registered_in_district",
        "no_serious_dishonesty",
    ]
    assert [s["key"] for s in data["sections"]] == ["overview", "plan", "benefits"]
    assert sum(float(c["weight"]) for c in data["criteria"]) == 100


def test_a_draft_call_is_not_found_to_the_public(client, staff_user, call_data):
    services.create_call(staff_user, **call_data(code="hidden"))
    assert client.get("/api/calls/hidden").status_code == 404


def test_an_applicant_lists_its_own_applications(client_for, own_user, other_user, make_draft):
    mine = make_draft(own_user)
    make_draft(other_user)
    data = client_for(own_user).get("/api/applications/mine").json()
    assert [a["id"] for a in data["items"]] == [mine.pk]


@pytest.mark.parametrize("who", ["staff_user", "reporter", "expert_user"])
def test_only_applicants_have_a_mine_list(role, client_for, who):
    assert client_for(role(who)).get("/api/applications/mine").status_code == 403


def test_anonymous_callers_get_401(client, draft):
    assert client.get("/api/applications/mine").status_code == 401
    assert client.get(f"/api/applications/{draft.pk}").status_code == 401


def test_the_applicant_and_the_bureau_read_an_application(
    client_for, own_user, staff_user, submitted
):
    for user in (own_user, staff_user):
        data = client_for(user).get(f"/api/applications/{submitted.pk}").json()
        assert data["code"] == submitted.code and data["answers"]["plan"]
        assert [h["to_state"] for h in data["history"]] == ["draft", "submitted"]


def test_another_enterprise_gets_not_found(client_for, other_user, draft):
    assert client_for(other_user).get(f"/api/applications/{draft.pk}").status_code == 404
    assert client_for(other_user).post(f"/api/applications/{draft.pk}/submit").status_code == 404


def test_submitting_through_the_api(client_for, own_user, draft):
    response = client_for(own_user).post(f"/api/applications/{draft.pk}/submit")
    assert response.status_code == 200
    assert response.json()["state"] == "submitted" and response.json()["code"].startswith("SB-")


def test_a_late_submission_is_400_with_the_deadline(client_for, own_user, draft, monkeypatch):
    closes = draft.call.closes_at
    monkeypatch.setattr(timezone, "now", lambda: closes + dt.timedelta(seconds=1))
    response = client_for(own_user).post(f"/api/applications/{draft.pk}/submit")
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["where"] == "call"
    assert f"{timezone.localtime(closes):%Y-%m-%d %H:%M} 截止" in problem["message_zh"]


def test_staff_cannot_submit_for_the_applicant(client_for, staff_user, draft):
    assert client_for(staff_user).post(f"/api/applications/{draft.pk}/submit").status_code == 403
