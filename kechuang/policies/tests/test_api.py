"""The policy API: the catalog is public; writes are the bureau's and refuse a condition naming
an unknown fact with its path; an enterprise user reads its own matches."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.policies import services
from kechuang.policies.models import Policy
from kechuang.policies.tests.conftest import BASE

NEW = {
    "code": "api-policy",
    **BASE,
    "benefits": [{"description": "奖励", "amount": "1000", "unit": "元"}],
}


def test_anyone_lists_and_searches_the_catalog(client, catalog):
    response = client.get("/api/policies?q=gxjsqy")
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["code"] == "hnte-recognition-2016"
    assert items[0]["department"] and items[0]["status"] == "in_force"
    assert (
        client.get("/api/policies?status=expired").json()["items"][0]["code"] == "sme-gradient-2022"
    )


def test_anyone_reads_one_policy_but_not_a_draft(client, catalog, make_policy):
    body = client.get("/api/policies/rd-super-deduction-2023").json()
    assert body["benefits"][0]["amount"] == "100.00"
    assert body["conditions"]["all"][0] == {"fact": "resident", "is": True}
    make_policy("hidden", state="draft")
    assert client.get("/api/policies/hidden").status_code == 404


def test_staff_create_a_policy(client_for, staff_user):
    response = client_for(staff_user).post("/api/policies", NEW, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Policy.objects.get(code="api-policy").benefits.get().amount == 1000


def test_an_unknown_fact_is_refused_with_its_path_and_nothing_is_written(client_for, staff_user):
    data = {
        **NEW,
        "conditions": {
            "all": [{"fact": "resident", "is": True}, {"any": [{"fact": "nope", "is": True}]}]
        },
    }
    response = client_for(staff_user).post("/api/policies", data, content_type="application/json")
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["where"] == "申请条件 / conditions.all[1].any[0].fact"
    assert "unknown fact 'nope'" in problem["message_en"]
    assert not Policy.objects.filter(code="api-policy").exists()


def test_staff_replace_a_policy(client_for, staff_user, make_policy):
    make_policy("pp")
    response = client_for(staff_user).put(
        "/api/policies/pp", {**NEW, "title": "新名称"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "新名称"
    assert (
        client_for(staff_user)
        .put("/api/policies/none", NEW, content_type="application/json")
        .status_code
        == 404
    )


def test_writes_need_a_login_and_the_bureau(client, client_for, reporter, enterprise_user):
    assert client.post("/api/policies", NEW, content_type="application/json").status_code == 401
    for user in (reporter, enterprise_user):
        response = client_for(user).post("/api/policies", NEW, content_type="application/json")
        assert response.status_code == 403


def test_an_enterprise_user_reads_its_own_matches(
    client_for, make_enterprise, make_policy, user_of
):
    mine = make_enterprise(1)
    make_enterprise(2)
    make_policy("pp", conditions={"fact": "registered_in_district", "is": True})
    services.match_all(dt.date(2026, 6, 30))
    body = client_for(user_of(mine)).get("/api/policies/mine").json()
    assert [(m["policy"], m["verdict"]) for m in body] == [("pp", "eligible")]


@pytest.mark.parametrize("who", ["staff_user", "reporter"])
def test_only_enterprise_users_have_matches_of_their_own(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get("/api/policies/mine").status_code == 403


def test_the_bureau_reads_the_figures(client_for, staff_user, reporter, catalog):
    body = client_for(staff_user).get("/api/policies/figures").json()
    assert body["dsz-hnte-reward"] == {
        "title": "新认定高新技术企业奖励（免申即享）",
        "level": "district",
        "state": "published",
        "eligible": 0,
        "possibly": 0,
        "applied": 0,
        "granted": 0,
        "granted_amount": "0",
    }
    assert client_for(reporter).get("/api/policies/figures").status_code == 403
