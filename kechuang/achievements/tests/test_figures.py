"""Figures for the yearly report and the public rows for open data."""

from __future__ import annotations

from decimal import Decimal

from kechuang.achievements import selectors


def test_contract_figures_split_output_by_kind_and_count_absorption(make_contract, make_enterprise):
    make_contract(amount="1000000", trade="900000")
    make_contract(kind="service", amount="200000", trade="200000")
    buyer = make_enterprise(5, name="区内买方")
    make_contract(
        amount="3000000",
        trade="2500000",
        seller=None,
        seller_name="上海某院",
        seller_in_district=False,
        buyer=buyer,
    )
    f = selectors.contract_figures(2024)
    assert f["contracts"] == 3
    assert f["output"]["contracts"] == 2
    assert f["output"]["amount"] == Decimal("1200000.00")
    assert f["output"]["trade_value"] == Decimal("1100000.00")
    assert f["output"]["by_kind"]["service"] == {
        "contracts": 1,
        "amount": Decimal("200000.00"),
        "trade_value": Decimal("200000.00"),
    }
    assert f["absorbed"] == {"contracts": 1, "amount": Decimal("3000000.00")}


def test_achievement_figures_count_by_field_status_and_links(
    make_achievement, make_contract, patent
):
    a = make_achievement(field="新材料", trl=8, ip_numbers=[patent.number])
    make_achievement("乙", field="电子信息", is_public=False)
    make_contract(achievement=a, amount="500000", trade="400000")
    f = selectors.achievement_figures()
    assert (f["total"], f["public"], f["with_ip"], f["with_contracts"]) == (2, 1, 1, 1)
    assert f["by_field"] == {"新材料": 1, "电子信息": 1}
    assert f["by_trl"][8] == 1 and f["by_trl"][6] == 1
    assert f["contract_amount"] == Decimal("500000.00")


ALLOWED = set(selectors.PUBLIC_FIELDS)


def test_public_rows_hold_only_public_entries_and_allowed_fields(make_achievement):
    make_achievement("公开成果", co_owners="张三课题组")
    make_achievement("内部成果", is_public=False)
    rows = selectors.public_rows()
    assert [r["title"] for r in rows] == ["公开成果"]
    assert all(set(r) <= ALLOWED for r in rows)
    assert "张三" not in str(rows), "free-text co-owners may name people"
