"""The carrier form and the yearly metrics form, as a browser sends them."""

from __future__ import annotations

from kechuang.carriers.models import Carrier, CarrierMetrics


def test_the_bureau_registers_a_carrier_through_the_form(client_for, staff_user, host_org):
    response = client_for(staff_user).post(
        "/carriers/new/",
        {
            "name": "独山子区人才工作站",
            "kind": "talent_workstation",
            "level": "district",
            "host": host_org.pk,
            "recognised_on": "2022-06-01",
            "is_public": "on",
        },
    )
    c = Carrier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/carriers/{c.pk}/"
    assert c.is_public and c.kind == "talent_workstation"


def test_only_the_bureau_opens_the_carrier_form(client_for, host_user, incubator):
    assert client_for(host_user).get("/carriers/new/").status_code == 403
    assert client_for(host_user).get(f"/carriers/{incubator.pk}/edit/").status_code == 403


def test_the_host_reports_a_year_through_the_form(client_for, host_user, incubator):
    response = client_for(host_user).post(
        f"/carriers/{incubator.pk}/metrics/",
        {"year": 2024, "firms_incubating": 20, "firms_graduated": 3, "jobs": 90, "source": "台账"},
    )
    assert response.status_code == 302
    m = CarrierMetrics.objects.get()
    assert (m.year, m.firms_incubating, m.status) == (2024, 20, "submitted")


def test_bad_figures_come_back_with_the_problems_and_nothing_saved(
    client_for, host_user, incubator
):
    response = client_for(host_user).post(
        f"/carriers/{incubator.pk}/metrics/",
        {"year": 2024, "firms_incubating": 5, "firms_graduated": 9, "jobs": -1},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "毕业企业数（9）超过当年在孵企业数（5）" in body and "不能为负数" in body
    assert not CarrierMetrics.objects.exists()


def test_the_form_shows_only_the_fields_of_the_kind(client_for, staff_user, lab):
    form = client_for(staff_user).get(f"/carriers/{lab.pk}/metrics/").context["form"]
    assert "patents" in form.fields and "firms_incubating" not in form.fields


def test_another_enterprise_cannot_open_the_metrics_form(client_for, enterprise_user, incubator):
    assert client_for(enterprise_user).get(f"/carriers/{incubator.pk}/metrics/").status_code == 404
