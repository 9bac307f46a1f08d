"""The JSON API: computed indicators for anyone, figures by permission, never drafts in public."""

import json

import pytest

from kechuang.indicators.models import DataElement, DataValue, OrgUnit

pytestmark = pytest.mark.django_db


def draft(code="GDP", year=2023):
    return DataValue.objects.create(
        element=DataElement.objects.get(code=code),
        org_unit=OrgUnit.objects.get(code="650202"),
        year=year,
        value=1,
        status="draft",
        source="draft source",
    )


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_openapi_describes_the_endpoints(client, plan):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/plans", "/api/plans/{code}/indicators", "/api/data-values"):
        assert path in spec["paths"]


def test_indicators_come_with_value_target_and_status(client, demo):
    data = client.get("/api/plans/dushanzi-2021-2025/indicators").json()
    first = data["indicators"][0]
    assert first["code"] == "RD_INTENSITY"
    assert first["target"]["value"] == "2.00"
    assert first["status"]["code"] == "at_risk"
    assert first["value"] == "1.86" and first["is_demo"] is True


def test_anonymous_users_never_see_drafts(client, plan):
    draft()
    sources = {v["source"] for v in client.get("/api/data-values?limit=500").json()["items"]}
    assert "draft source" not in sources
    assert sources, "approved baselines are public"


def test_another_department_never_sees_a_draft(client_for, other_reporter, plan):
    draft()
    items = client_for(other_reporter).get("/api/data-values?element=GDP").json()["items"]
    assert all(v["status"] == "approved" for v in items)


def test_the_owning_department_sees_its_own_draft(client_for, reporter, plan):
    draft()
    items = client_for(reporter).get("/api/data-values?element=GDP&year=2023").json()["items"]
    assert [v["status"] for v in items] == ["draft"]


def test_writing_needs_a_login(client, plan):
    r = post(
        client,
        "/api/data-values",
        {"element": "GDP", "org_unit": "650202", "year": 2023, "value": "1", "source": "x"},
    )
    assert r.status_code == 401


def test_a_reporter_writes_its_own_element(client_for, reporter, plan):
    r = post(
        client_for(reporter),
        "/api/data-values",
        {
            "element": "GDP",
            "org_unit": "650202",
            "year": 2023,
            "value": "123.4",
            "source": "统计公报",
            "submit": True,
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "submitted" and r.json()["value"] == "123.400000"


def test_a_reporter_cannot_write_another_departments_element(client_for, other_reporter, plan):
    r = post(
        client_for(other_reporter),
        "/api/data-values",
        {"element": "GDP", "org_unit": "650202", "year": 2023, "value": "1", "source": "x"},
    )
    assert r.status_code == 403
    assert not DataValue.objects.filter(year=2023).exists()


def test_bad_input_is_a_400_naming_the_field(client_for, reporter, plan):
    r = post(
        client_for(reporter),
        "/api/data-values",
        {"element": "GDP", "org_unit": "650202", "year": 2999, "value": "1", "source": "x"},
    )
    assert r.status_code == 400
    assert r.json()["problems"][0]["where"] == "year"


def test_staff_approve_through_the_api(client_for, staff_user, plan):
    dv = draft()
    r = post(client_for(staff_user), f"/api/data-values/{dv.pk}/approve", {"comment": "ok"})
    assert r.status_code == 200 and r.json()["is_current"] is True


def test_a_reporter_cannot_approve_through_the_api(client_for, reporter, plan):
    dv = draft()
    r = post(client_for(reporter), f"/api/data-values/{dv.pk}/approve", {})
    assert r.status_code == 403
