"""The JSON API: scheme reconciliation (bureau), my vouchers (enterprise), provider's vouchers."""

import pytest

from kechuang.vouchers.tests.conftest import W


@pytest.mark.parametrize(
    "who,status",
    [
        ("admin_user", 200),
        ("staff_user", 200),
        ("reporter", 403),
        ("enterprise_user", 403),
        ("expert", 403),
        ("provider_user", 403),
    ],
)
def test_only_the_bureau_reads_the_reconciliation(as_role, who, status, scheme):
    c = as_role(who)
    assert c.get("/api/vouchers/schemes").status_code == status
    assert c.get(f"/api/vouchers/schemes/{scheme.pk}/reconciliation").status_code == status


def test_anonymous_callers_are_refused(client, scheme):
    assert client.get("/api/vouchers/schemes").status_code == 401
    assert client.get("/api/vouchers/mine").status_code == 401


def test_the_reconciliation_gives_every_total_and_whether_it_reconciles(
    client_for, staff_user, flow, scheme
):
    flow.redeeming(10 * W, contract=16 * W)
    data = client_for(staff_user).get(f"/api/vouchers/schemes/{scheme.pk}/reconciliation").json()
    assert data["reconciles"] is True and data["problems"] == []
    assert float(data["issued"]) == 100000 and float(data["redeemed"]) == 80000
    assert float(data["outstanding"]) == 20000 and float(data["available"]) == 900000
    (listed,) = client_for(staff_user).get("/api/vouchers/schemes").json()
    assert listed["reconciliation"]["reconciles"] is True


def test_an_enterprise_reads_its_own_vouchers(
    client_for, enterprise_user, flow, other_enterprise_user, other_enterprise
):
    mine = flow.issue(W)
    flow.issue(W, who=other_enterprise_user, firm=other_enterprise)
    data = client_for(enterprise_user).get("/api/vouchers/mine").json()
    assert [v["number"] for v in data] == [mine.number]
    assert client_for(enterprise_user).get("/api/vouchers/provider").status_code == 403


def test_a_provider_reads_the_vouchers_assigned_to_it(
    client_for, provider_user, other_provider_user, flow
):
    v = flow.assigned(W)
    assert [
        x["number"] for x in client_for(provider_user).get("/api/vouchers/provider").json()
    ] == [v.number]
    assert client_for(other_provider_user).get("/api/vouchers/provider").json() == []
    assert client_for(provider_user).get("/api/vouchers/mine").status_code == 403
