"""Reports over the JSON API."""

import pytest

from kechuang.reports import builders
from kechuang.reports.models import Report


def test_the_bureau_lists_every_report(reports, staff_user, client_for):
    body = client_for(staff_user).get("/api/reports").json()
    assert body["count"] == 3
    row = next(r for r in body["items"] if r["kind"] == "yearly")
    assert row["plan"] == "dushanzi-2021-2025" and row["year"] == 2024
    assert row["download"] == f"/reports/{reports['yearly'].pk}/download/"


def test_enterprise_users_and_reporters_list_only_their_own(reports, own_user, reporter, client):
    client.force_login(own_user)
    assert [r["kind"] for r in client.get("/api/reports").json()["items"]] == ["enterprise"]
    client.force_login(reporter)
    assert [r["kind"] for r in client.get("/api/reports").json()["items"]] == ["department"]


def test_one_report_is_404_to_those_who_may_not_see_it(reports, own_user, staff_user, client):
    client.force_login(own_user)
    assert client.get(f"/api/reports/{reports['yearly'].pk}").status_code == 404
    client.force_login(staff_user)
    assert client.get(f"/api/reports/{reports['yearly'].pk}").json()["state"] == "done"


@pytest.mark.parametrize("who", ["expert_user", "provider_user"])
def test_roles_without_reports_are_forbidden(plan, who, request, client_for):
    assert client_for(request.getfixturevalue(who)).get("/api/reports").status_code == 403


def test_anonymous_callers_must_log_in(plan, client):
    assert client.get("/api/reports").status_code == 401


def test_the_bureau_asks_for_a_report(
    demo, staff_user, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        builders, "yearly_report", lambda p, y, *, progress: builders.Built(b"d", "t", [])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_user).post(
            "/api/reports",
            {"kind": "yearly", "plan": demo.code, "year": 2024},
            content_type="application/json",
        )
    assert response.status_code == 201
    assert response.json()["state"] == "queued"
    assert Report.objects.get().state == "done"


def test_a_refused_request_returns_the_problems(plan, staff_user, client_for):
    response = client_for(staff_user).post(
        "/api/reports",
        {"kind": "yearly", "plan": plan.code, "year": 2023},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "9项关键指标均无审核通过的数值" in response.json()["problems"][0]["message_zh"]


def test_others_may_not_ask(demo, reporter, client_for):
    response = client_for(reporter).post(
        "/api/reports", {"kind": "final", "plan": demo.code}, content_type="application/json"
    )
    assert response.status_code == 403
