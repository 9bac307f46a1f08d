"""The projects API: the list for the bureau, one project for its organisation or the bureau."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from kechuang.projects import services


def test_the_list_needs_a_login(client, plan):
    assert client.get("/api/projects").status_code == 401


@pytest.mark.parametrize("who", ["enterprise_user", "reporter"])
def test_only_the_bureau_lists_projects(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get("/api/projects").status_code == 403


def test_the_list_carries_money_and_flags(client_for, staff_user, signed, today):
    services.record_disbursement(staff_user, signed, amount=100000, paid_on=today)
    response = client_for(staff_user).get("/api/projects", {"state": "in_progress"})
    assert response.status_code == 200
    [row] = response.json()["items"]
    assert row["code"] == signed.code and row["organization"] == "ent-demo"
    assert row["approved_amount"] == "1000000.00" and row["disbursed"] == "100000.00"
    assert row["missing_self_inspection"] is True and row["overdue_milestones"] is False


def test_the_organisation_reads_its_project(client_for, enterprise_user, signed):
    response = client_for(enterprise_user).get(f"/api/projects/{signed.code}")
    assert response.status_code == 200
    data = response.json()
    assert data["lead_person"] == "王工" and data["fields"] == ["新材料"]
    assert {b["category"] for b in data["budget"]} == {"equipment", "materials", "labour"}
    assert [d["kind"] for d in data["deliverables"]] == ["patent", "product"]
    assert [h["to_state"] for h in data["history"]] == ["in_progress"]
    assert data["achievements"][0] == {"kind": "patent", "target": 3, "achieved": "0", "met": False}


@pytest.mark.parametrize("who", ["other_enterprise_user", "reporter"])
def test_another_unit_gets_not_found_and_is_audited(request, client_for, who, signed):
    user = request.getfixturevalue(who)
    assert client_for(user).get(f"/api/projects/{signed.code}").status_code == 404
    assert LogEntry.objects.get_for_object(signed).filter(actor=user).exists()


def test_an_unknown_project_is_not_found(client_for, staff_user, plan):
    assert client_for(staff_user).get("/api/projects/XM-1999-001").status_code == 404
