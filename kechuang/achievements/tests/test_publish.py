"""The feed into key indicator 8: yearly district-seller sums written as submitted figures
through the indicators' service, never overwriting an approved one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.achievements import services
from kechuang.core.problems import Rejected
from kechuang.indicators.models import DataValue
from kechuang.indicators.services import approve_value


def values(code: str, year: int = 2024):
    return list(
        DataValue.objects.filter(element__code=code, org_unit__code="650202", year=year).order_by(
            "version"
        )
    )


def test_two_contracts_in_2024_publish_their_sums_for_approval(staff_user, make_contract):
    make_contract(amount="1200000", trade="1000000")
    make_contract(amount="800000", trade="700000")
    make_contract(amount="5000000", trade="4000000", year=2023)
    result = services.publish_contract_totals(staff_user, 2024)
    assert result.totals.contracts == 2
    (contract,) = values("TECH_CONTRACT_VALUE")
    (trade,) = values("TECH_TRADE_VALUE")
    assert contract.value == Decimal("2000000") and trade.value == Decimal("1700000")
    assert contract.status == "submitted" and not contract.is_current
    assert contract.source == "技术合同登记（平台汇总）"
    assert [p.outcome for p in result.published] == ["new_version", "new_version"]


def test_contracts_with_outside_sellers_are_not_counted(staff_user, make_contract):
    make_contract(amount="1000000", trade="900000")
    make_contract(
        amount="7000000",
        trade="6000000",
        seller=None,
        seller_name="北京某公司",
        seller_in_district=False,
    )
    services.publish_contract_totals(staff_user, 2024)
    assert values("TECH_CONTRACT_VALUE")[0].value == Decimal("1000000")


def test_republishing_after_a_new_contract_creates_a_new_version(staff_user, make_contract):
    make_contract(amount="1000000", trade="900000")
    services.publish_contract_totals(staff_user, 2024)
    approve_value(staff_user, values("TECH_CONTRACT_VALUE")[0])
    make_contract(amount="500000", trade="400000")
    services.publish_contract_totals(staff_user, 2024)
    v1, v2 = values("TECH_CONTRACT_VALUE")
    assert (v1.version, v1.value, v1.status, v1.is_current) == (
        1,
        Decimal("1000000"),
        "approved",
        True,
    )
    assert (v2.version, v2.value, v2.status) == (2, Decimal("1500000"), "submitted")


def test_an_open_revision_is_revised_not_duplicated(staff_user, make_contract):
    make_contract(amount="1000000", trade="900000")
    services.publish_contract_totals(staff_user, 2024)
    make_contract(amount="500000", trade="400000")
    result = services.publish_contract_totals(staff_user, 2024)
    assert [p.outcome for p in result.published] == ["revised", "revised"]
    (only,) = values("TECH_CONTRACT_VALUE")
    assert only.value == Decimal("1500000")


def test_publishing_what_is_already_approved_writes_nothing(staff_user, make_contract):
    make_contract(amount="1000000", trade="900000")
    services.publish_contract_totals(staff_user, 2024)
    ours = DataValue.objects.filter(element__code__in=["TECH_CONTRACT_VALUE", "TECH_TRADE_VALUE"])
    for dv in ours:
        approve_value(staff_user, dv)
    result = services.publish_contract_totals(staff_user, 2024)
    assert [p.outcome for p in result.published] == ["unchanged", "unchanged"]
    assert ours.count() == 2


def test_a_year_without_district_contracts_is_refused(staff_user, plan):
    with pytest.raises(Rejected) as exc:
        services.publish_contract_totals(staff_user, 2022)
    assert "2022 年没有本区单位作为卖方登记的技术合同" in str(exc.value)
    assert not DataValue.objects.filter(element__code="TECH_CONTRACT_VALUE").exists()


@pytest.mark.parametrize("who", ["reporter", "own_user", "enterprise_user"])
def test_only_the_bureau_publishes(request, who, make_contract):
    make_contract()
    with pytest.raises(PermissionDenied):
        services.publish_contract_totals(request.getfixturevalue(who), 2024)
    assert not DataValue.objects.filter(element__code="TECH_CONTRACT_VALUE").exists()


def test_the_totals_page_shows_sums_beside_the_indicator_and_publishes(
    client_for, staff_user, make_contract
):
    make_contract(amount="1000000", trade="900000")
    c = client_for(staff_user)
    row = c.get("/achievements/contracts/totals/").context["rows"][0]
    assert (row.year, row.contracts, row.amount) == (2024, 1, Decimal("1000000.00"))
    assert row.approved == {} and not row.matches
    assert c.post("/achievements/contracts/totals/2024/publish/").status_code == 302
    row = c.get("/achievements/contracts/totals/").context["rows"][0]
    assert row.pending["TECH_CONTRACT_VALUE"].value == Decimal("1000000")


@pytest.mark.parametrize("who", ["reporter", "own_user", "enterprise_user"])
def test_the_totals_page_is_the_bureaus(client_for, request, who, make_contract):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/achievements/contracts/totals/").status_code == 403
    assert client_for(user).post("/achievements/contracts/totals/2024/publish/").status_code == 403
