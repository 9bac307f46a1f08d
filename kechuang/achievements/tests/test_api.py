"""The achievements API: public entries for anyone with search; one entry for the bureau."""

from __future__ import annotations


def test_the_public_list_needs_no_login_and_searches(client, make_achievement):
    make_achievement("炼化装置智能巡检机器人")
    make_achievement("内部成果", is_public=False)
    make_achievement("茂金属聚乙烯膜料")
    body = client.get("/api/achievements/public").json()
    assert sorted(a["title"] for a in body["items"]) == [
        "炼化装置智能巡检机器人",
        "茂金属聚乙烯膜料",
    ]
    found = client.get("/api/achievements/public?q=jqr").json()
    assert [a["title"] for a in found["items"]] == ["炼化装置智能巡检机器人"]
    assert "co_owners" not in found["items"][0]


def test_the_bureau_reads_one_entry_with_its_contracts(
    client_for, staff_user, make_achievement, make_contract
):
    a = make_achievement(is_public=False)
    make_contract(achievement=a)
    body = client_for(staff_user).get(f"/api/achievements/{a.pk}").json()
    assert body["is_public"] is False and len(body["contracts"]) == 1


def test_others_may_not_read_one_entry(client, client_for, own_user, make_achievement):
    a = make_achievement()
    assert client.get(f"/api/achievements/{a.pk}").status_code == 401
    assert client_for(own_user).get(f"/api/achievements/{a.pk}").status_code == 403
