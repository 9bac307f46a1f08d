"""One carrier's page: the bureau sees every carrier; the host's users see their own and
report for it; another enterprise's user gets 404, everyone else 403."""

from __future__ import annotations

import pytest

from kechuang.carriers import services
from kechuang.carriers.tests.conftest import ROLES


def url(c) -> str:
    return f"/carriers/{c.pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_carrier(as_role, role, incubator):
    expected = {"admin_user": 200, "staff_user": 200, "enterprise_user": 404}.get(role, 403)
    assert as_role(role).get(url(incubator)).status_code == expected


def test_the_host_user_sees_its_carrier_and_may_report(client_for, host_user, incubator):
    response = client_for(host_user).get(url(incubator))
    assert response.status_code == 200
    assert response.context["can_submit"] and not response.context["can_manage"]
    assert "填报年度数据" in response.content.decode()


def test_the_chart_has_each_reported_year(client_for, staff_user, incubator):
    services.save_metrics(staff_user, incubator, 2022, {"firms_incubating": 10, "jobs": 50})
    services.save_metrics(staff_user, incubator, 2023, {"firms_incubating": 14, "jobs": 70})
    response = client_for(staff_user).get(url(incubator))
    chart = response.context["chart"]
    assert chart["x"] == [2022, 2023]
    series = {s["zh"]: s["values"] for s in chart["series"]}
    assert series["在孵企业数"] == [10, 14]
    assert 'id="carrier-chart"' in response.content.decode()


def test_the_bureau_approves_from_the_page(client_for, staff_user, host_user, incubator):
    services.save_metrics(host_user, incubator, 2024, {"firms_incubating": 8})
    response = client_for(staff_user).post(f"{url(incubator)}metrics/2024/approve/")
    assert response.status_code == 302
    assert incubator.metrics.get(year=2024).status == "approved"


def test_the_host_cannot_approve_from_the_page(client_for, host_user, incubator):
    services.save_metrics(host_user, incubator, 2024, {"firms_incubating": 8})
    assert client_for(host_user).post(f"{url(incubator)}metrics/2024/approve/").status_code == 403
    assert incubator.metrics.get(year=2024).status == "submitted"


def test_a_status_change_from_the_page(client_for, staff_user, incubator):
    client_for(staff_user).post(
        f"{url(incubator)}status/", {"status": "rectifying", "note": "未按期报送"}
    )
    incubator.refresh_from_db()
    assert incubator.status == "rectifying"


def test_the_host_sees_its_carriers_on_its_own_page(client_for, host_user, incubator, lab):
    response = client_for(host_user).get("/carriers/mine/")
    assert [c.name for c in response.context["carriers"]] == ["测试众创空间", "测试重点实验室"]


def test_other_roles_have_no_own_carrier_page(client_for, reporter, staff_user):
    assert client_for(reporter).get("/carriers/mine/").status_code == 403
    assert client_for(staff_user).get("/carriers/mine/").status_code == 302
