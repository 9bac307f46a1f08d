"""Spot checks over JSON: published results for anyone, the check list for the bureau."""

from __future__ import annotations

import pytest

from kechuang.inspections import services
from kechuang.inspections.tests.conftest import record


@pytest.fixture
def published(check, staff_user):
    record(staff_user, check, result="pass", internal_notes="内部意见")
    return services.publish_plan(staff_user, check.plan)


def test_anyone_reads_the_published_results_without_internal_notes(client, published):
    response = client.get("/api/inspections/public")
    assert response.status_code == 200
    [plan] = response.json()["items"]
    check = published.checks.get()
    assert plan["objects_draw"] == published.objects_draw.draw_id
    assert (plan["pool_size"], plan["drawn"]) == (1, 1)
    [row] = plan["checks"]
    assert row["object_code"] == check.object_code and row["result"] == "pass"
    assert row["inspectors_draw"] == check.inspectors_draw.draw_id
    assert {i["organisation"] for i in row["inspectors"]} <= {f"检查单位{n}" for n in range(1, 7)}
    assert set(row["inspectors"][0]) == {"name", "organisation"}
    assert "内部意见" not in response.content.decode()


def test_unpublished_plans_are_not_in_the_public_api(client, check, staff_user):
    record(staff_user, check)
    assert client.get("/api/inspections/public").json()["items"] == []


def test_the_bureau_lists_checks_with_filters(client_for, staff_user, published):
    client = client_for(staff_user)
    rows = client.get("/api/inspections/checks").json()["items"]
    assert [r["object_code"] for r in rows] == [published.checks.get().object_code]
    assert client.get("/api/inspections/checks", {"result": "fail"}).json()["items"] == []


@pytest.mark.parametrize("who", ["enterprise_user", "reporter"])
def test_the_check_list_is_the_bureaus_only(request, who, client_for, check):
    assert (
        client_for(request.getfixturevalue(who)).get("/api/inspections/checks").status_code == 403
    )


def test_anonymous_callers_get_401_on_the_check_list(client, check):
    assert client.get("/api/inspections/checks").status_code == 401
