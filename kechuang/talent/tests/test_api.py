"""The JSON API: programs and open calls for anyone; the registry and figures for the bureau,
with ID numbers masked."""

from __future__ import annotations

import pytest

from .conftest import person


def test_programs_and_open_calls_are_public(client, call):
    programs = client.get("/api/talent/programs").json()
    assert [p["code"] for p in programs] == ["youcheng"]
    calls = client.get("/api/talent/calls").json()
    assert calls["items"][0]["code"] == call.code and calls["items"][0]["window"] == "open"


def test_the_bureau_reads_the_registry_masked_and_the_figures(client_for, staff_user, scored):
    from kechuang.talent import services

    services.decide(staff_user, scored, approved=True)
    c = client_for(staff_user)
    items = c.get("/api/talent/registry?year=2026").json()["items"]
    assert items[0]["name"] == scored.name
    assert items[0]["id_number_masked"] == scored.id_number_masked
    assert person(1)["id_number"] not in str(items)
    assert c.get("/api/talent/figures").json()["total"] == 1


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "expert_user"])
def test_others_are_refused_the_registry(request, client_for, who):
    c = client_for(request.getfixturevalue(who))
    assert c.get("/api/talent/registry").status_code == 403
    assert c.get("/api/talent/figures").status_code == 403


def test_anonymous_is_refused_the_registry(client):
    assert client.get("/api/talent/registry").status_code == 401
