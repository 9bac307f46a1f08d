"""The carriers API: the public list for anyone, one carrier for the bureau."""

from __future__ import annotations

import pytest

from kechuang.carriers import services


def test_the_public_list_needs_no_login_and_has_only_public_carriers(client, make_carrier):
    make_carrier("公开的")
    make_carrier("内部的", is_public=False, contact_phone="13900000000")
    body = client.get("/api/carriers/public").json()
    assert [c["name"] for c in body["items"]] == ["公开的"]
    assert "contact_phone" not in body["items"][0]


def test_the_bureau_reads_one_carrier_with_its_metrics(client_for, staff_user, incubator):
    services.save_metrics(staff_user, incubator, 2024, {"firms_incubating": 7})
    body = client_for(staff_user).get(f"/api/carriers/{incubator.pk}").json()
    assert body["name"] == "测试众创空间" and body["metrics"][0]["firms_incubating"] == 7


@pytest.mark.parametrize("who", ["host_user", "reporter", "enterprise_user"])
def test_others_may_not_read_a_carrier(client_for, request, who, incubator):
    user = request.getfixturevalue(who)
    assert client_for(user).get(f"/api/carriers/{incubator.pk}").status_code == 403


def test_anonymous_callers_may_not_read_a_carrier(client, incubator):
    assert client.get(f"/api/carriers/{incubator.pk}").status_code == 401
