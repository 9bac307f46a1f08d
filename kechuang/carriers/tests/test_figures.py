"""Figures for the yearly report and the public rows for open data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.carriers import selectors, services


def test_carrier_figures_count_standing_carriers_and_sum_approved_metrics(staff_user, make_carrier):
    a = make_carrier("甲众创空间", "makerspace", "national", recognised_on=dt.date(2018, 1, 1))
    b = make_carrier("乙孵化器", "incubator", "city", recognised_on=dt.date(2024, 5, 1))
    lab = make_carrier("丙实验室", "key_lab", "regional", recognised_on=dt.date(2019, 1, 1))
    make_carrier("丁加速器", "accelerator", "district", recognised_on=dt.date(2025, 1, 1))
    for c, values in (
        (a, {"firms_incubating": 30, "firms_graduated": 5, "investment_raised": Decimal("1.5")}),
        (b, {"firms_incubating": 10, "firms_graduated": 1}),
        (lab, {"staff": 20, "patents": 4}),
    ):
        services.approve_metrics(staff_user, services.save_metrics(staff_user, c, 2024, values))
    services.save_metrics(staff_user, a, 2023, {"firms_incubating": 99})  # not approved
    f = selectors.carrier_figures(2024)
    assert (f["carriers"], f["new"], f["national_or_regional"]) == (3, 1, 2)
    assert f["by_kind"] == {"makerspace": 1, "incubator": 1, "key_lab": 1}
    assert f["incubation"]["firms_incubating"] == 40 and f["incubation"]["reporting"] == 2
    assert f["incubation"]["investment_raised"] == Decimal("1.50")
    assert f["rd"]["patents"] == 4 and f["rd"]["papers"] == 0
    assert selectors.carrier_figures(2023)["incubation"]["firms_incubating"] == 0


def test_a_revoked_carrier_counts_for_the_years_before_revocation(staff_user, make_carrier):
    c = make_carrier(recognised_on=dt.date(2018, 1, 1))
    services.change_status(staff_user, c, "revoked", "撤销")
    assert selectors.carrier_figures(dt.date.today().year)["carriers"] == 0
    assert selectors.carrier_figures(2020)["carriers"] == 1


ALLOWED = set(selectors.PUBLIC_FIELDS)


def test_public_rows_hold_only_public_carriers_and_allowed_fields(make_carrier):
    make_carrier("公开的", contact_name="张三", contact_phone="13900000000")
    make_carrier("内部的", is_public=False)
    rows = selectors.public_rows()
    assert [r["name"] for r in rows] == ["公开的"]
    assert all(set(r) <= ALLOWED for r in rows)
    assert "13900000000" not in str(rows) and "张三" not in str(rows)
    assert rows[0]["kind_label"] == "众创空间" and rows[0]["host"] == "测试孵化运营公司"
