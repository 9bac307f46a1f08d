"""The registry API: the list for the bureau, one enterprise for the bureau or its own users,
and figures submitted by them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.enterprises.models import YearlyFigures


def post(client, uscc: str, payload: dict):
    return client.post(f"/api/enterprises/{uscc}/figures", payload, content_type="application/json")


def test_everything_needs_a_login(client, enterprise):
    assert client.get("/api/enterprises").status_code == 401
    assert client.get(f"/api/enterprises/{enterprise.uscc}").status_code == 401
    assert post(client, enterprise.uscc, {"year": 2024}).status_code == 401


def test_the_bureau_lists_enterprises_with_filters(client_for, staff_user, make_enterprise):
    make_enterprise(1, name="化工甲")
    make_enterprise(2, name="物流乙", industry="G54")
    c = client_for(staff_user)
    body = c.get("/api/enterprises").json()
    assert body["count"] == 2
    assert {i["name"] for i in body["items"]} == {"化工甲", "物流乙"}
    only = c.get("/api/enterprises?section=G").json()
    assert [i["industry"] for i in only["items"]] == ["G54"]


@pytest.mark.parametrize("who", ["reporter", "own_user"])
def test_no_one_else_lists_enterprises(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get("/api/enterprises").status_code == 403


def test_an_enterprise_user_reads_its_own_and_nothing_else(client_for, own_user, make_enterprise):
    own = own_user.organization.enterprise
    other = make_enterprise(2)
    c = client_for(own_user)
    body = c.get(f"/api/enterprises/{own.uscc}").json()
    assert body["uscc"] == own.uscc and body["industry"] == "C26"
    assert body["size_category"] == "industry"
    assert c.get(f"/api/enterprises/{other.uscc}").status_code == 404


def test_reporters_are_refused_one_enterprise(client_for, reporter, enterprise):
    assert client_for(reporter).get(f"/api/enterprises/{enterprise.uscc}").status_code == 403


def test_an_enterprise_user_submits_figures_and_corrects_them(client_for, own_user, enterprise):
    c = client_for(own_user)
    first = post(c, enterprise.uscc, {"year": 2024, "employees": 40, "st_staff": 6})
    assert first.status_code == 201
    assert first.json()["status"] == "submitted"
    second = post(c, enterprise.uscc, {"year": 2024, "st_staff": 8})
    assert second.status_code == 200
    f = YearlyFigures.objects.get()
    assert (f.employees, f.st_staff) == (Decimal(40), Decimal(8))


def test_bad_figures_are_400_with_every_problem(client_for, own_user, enterprise):
    response = post(
        client_for(own_user), enterprise.uscc, {"year": 2024, "employees": 5, "st_staff": 9}
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["where"] == "科技人员数 / st_staff"
    assert not YearlyFigures.objects.exists()


def test_an_enterprise_user_cannot_submit_for_another(client_for, own_user, make_enterprise):
    other = make_enterprise(2)
    assert post(client_for(own_user), other.uscc, {"year": 2024}).status_code == 404
    assert not YearlyFigures.objects.exists()


def test_the_bureau_submits_for_any_enterprise(client_for, staff_user, enterprise):
    assert post(client_for(staff_user), enterprise.uscc, {"year": 2023}).status_code == 201
