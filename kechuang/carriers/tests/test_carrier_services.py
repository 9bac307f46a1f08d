"""Registering and changing carriers: what the bureau may record, and what it is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.carriers import services
from kechuang.carriers.models import Carrier, CarrierStatusChange
from kechuang.core.problems import Rejected


def test_the_bureau_registers_a_carrier_with_its_host_and_recognition(staff_user, host_org):
    c = services.create_carrier(
        staff_user,
        name="独山子区创新中心",
        kind="innovation_center",
        level="district",
        host=host_org,
        recognised_on=dt.date(2021, 6, 30),
        recognised_by="独山子区人民政府",
    )
    assert c.status == Carrier.Status.ACTIVE and c.host == host_org
    assert c.get_kind_display() == "创新中心"


def test_a_name_is_registered_once(make_carrier):
    make_carrier("甲众创空间")
    with pytest.raises(Rejected) as exc:
        make_carrier("甲众创空间")
    assert "已有名为「甲众创空间」的载体" in str(exc.value)
    assert Carrier.objects.filter(name="甲众创空间").count() == 1


def test_missing_and_impossible_values_are_all_named(staff_user):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Rejected) as exc:
        services.create_carrier(
            staff_user, name=" ", kind="castle", level="galactic", host=None, recognised_on=tomorrow
        )
    text = str(exc.value)
    for part in ("载体名称", "载体类型", "级别", "依托单位", "不能晚于今天"):
        assert part in text
    assert not Carrier.objects.exists()


def test_validity_cannot_end_before_recognition(make_carrier):
    with pytest.raises(Rejected) as exc:
        make_carrier(recognised_on=dt.date(2020, 1, 1), valid_until=dt.date(2019, 12, 31))
    assert "有效期至（2019-12-31）早于认定日期（2020-01-01）" in str(exc.value)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "host_user"])
def test_only_the_bureau_registers_carriers(request, who, host_org):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_carrier(
            user,
            name="x",
            kind="incubator",
            level="city",
            host=host_org,
            recognised_on=dt.date(2020, 1, 1),
        )


def test_an_edit_keeps_recorded_years_valid(staff_user, incubator):
    services.save_metrics(staff_user, incubator, 2021, {"firms_incubating": 5})
    with pytest.raises(Rejected) as exc:
        services.update_carrier(
            staff_user, incubator, kind="key_lab", recognised_on=dt.date(2022, 1, 1)
        )
    text = str(exc.value)
    assert "孵化类与非孵化类之间不能互改" in text and "已有 2021 年度数据" in text
    incubator.refresh_from_db()
    assert incubator.kind == "makerspace"


def test_an_edit_changes_only_what_was_sent(staff_user, incubator):
    services.update_carrier(staff_user, incubator, address="独山子区大庆东路", level="city")
    incubator.refresh_from_db()
    assert (incubator.address, incubator.level, incubator.name) == (
        "独山子区大庆东路",
        "city",
        "测试众创空间",
    )


def test_a_status_change_is_logged_with_its_reason(staff_user, incubator):
    services.change_status(staff_user, incubator, "rectifying", "场地使用率不达标")
    services.change_status(staff_user, incubator, "active")
    log = list(CarrierStatusChange.objects.order_by("id").values_list("from_status", "to_status"))
    assert log == [("active", "rectifying"), ("rectifying", "active")]
    incubator.refresh_from_db()
    assert incubator.status == "active"


def test_rectification_or_revocation_needs_a_reason(staff_user, incubator):
    with pytest.raises(Rejected) as exc:
        services.change_status(staff_user, incubator, "revoked", " ")
    assert "请写明原因" in str(exc.value)
    assert not CarrierStatusChange.objects.exists()


def test_the_host_may_not_change_its_carrier(host_user, incubator):
    with pytest.raises(PermissionDenied):
        services.update_carrier(host_user, incubator, level="national")
    with pytest.raises(PermissionDenied):
        services.change_status(host_user, incubator, "revoked", "x")
