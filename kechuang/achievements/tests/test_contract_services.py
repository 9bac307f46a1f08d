"""Registering technology contracts: the 技术交易额 never exceeds the contract value; the seller
side decides whether a contract counts for the district."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.achievements import services
from kechuang.achievements.models import TechContract
from kechuang.core.problems import Rejected


def test_a_contract_with_a_registry_seller_takes_its_name_and_district(make_contract, enterprise):
    c = make_contract()
    assert c.seller_name == enterprise.name and c.seller_in_district and c.year == 2024


def test_a_trade_value_above_the_contract_value_is_refused_showing_both(make_contract):
    with pytest.raises(Rejected) as exc:
        make_contract(amount="500000", trade="650000")
    (problem,) = exc.value.problems
    assert "技术交易额（650000 元）超过合同成交额（500000 元）" in problem.message_zh
    assert "trade_value" in problem.where
    assert not TechContract.objects.exists()


def test_negative_amounts_are_refused(make_contract):
    with pytest.raises(Rejected) as exc:
        make_contract(amount="-1", trade="-2")
    text = str(exc.value)
    assert "合同成交额不能为负数" in text and "技术交易额不能为负数" in text


def test_a_seller_outside_the_registry_says_whether_it_is_a_district_unit(make_contract):
    with pytest.raises(Rejected) as exc:
        make_contract(seller=None, seller_name="上海某研究院", seller_region="上海")
    assert "请注明其是否为本区单位" in str(exc.value)
    c = make_contract(
        seller=None, seller_name="上海某研究院", seller_region="上海", seller_in_district=False
    )
    assert not c.seller_in_district


def test_a_registration_number_is_registered_once(make_contract):
    make_contract(registration_number="2024650202000001")
    with pytest.raises(Rejected) as exc:
        make_contract(registration_number="2024650202000001")
    assert "登记编号 2024650202000001 已登记" in str(exc.value)


def test_a_future_registration_date_is_refused(make_contract):
    with pytest.raises(Rejected) as exc:
        make_contract(registered_on=dt.date.today() + dt.timedelta(days=3))
    assert "登记日期" in str(exc.value) and "不能晚于今天" in str(exc.value)


def test_a_correction_moves_the_year_with_the_date(staff_user, make_contract, enterprise):
    c = make_contract()
    services.update_contract(
        staff_user,
        c,
        registration_number=c.registration_number,
        registered_on=dt.date(2023, 12, 30),
        kind="service",
        title=c.title,
        seller=enterprise,
        buyer_name=c.buyer_name,
        amount=Decimal("900000"),
        trade_value=Decimal("900000"),
    )
    c.refresh_from_db()
    assert (c.year, c.kind, c.amount) == (2023, "service", Decimal("900000"))


@pytest.mark.parametrize("who", ["reporter", "own_user", "enterprise_user"])
def test_only_the_bureau_registers_contracts(request, who):
    with pytest.raises(PermissionDenied):
        services.register_contract(request.getfixturevalue(who), registration_number="x")
