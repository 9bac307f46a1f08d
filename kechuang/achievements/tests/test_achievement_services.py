"""Registering achievements: owners, TRL, transfer, linked IP and projects."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.achievements import services
from kechuang.achievements.models import Achievement
from kechuang.achievements.tests.conftest import PATENT
from kechuang.core.problems import Rejected


def test_an_achievement_is_registered_with_its_owner_and_patent(make_achievement, patent):
    a = make_achievement(
        field="新材料",
        transfer_status="transferred",
        transfer_mode="licensing",
        ip_numbers=[f"ZL{PATENT}"],
        co_owners="中国石油大学（华东）",
        abstract="渣油轻质化。",
    )
    assert list(a.ip.all()) == [patent]
    assert a.owners.get().name.startswith("新疆独山子测试1")
    assert " 加氢 " in a.search_title and "jq" in a.search_title


@pytest.mark.parametrize("trl", [0, 10, -1, "5"])
def test_a_maturity_outside_1_to_9_is_refused(make_achievement, trl):
    with pytest.raises(Rejected) as exc:
        make_achievement(trl=trl)
    assert "技术成熟度应为 1 至 9 的整数" in str(exc.value)
    assert not Achievement.objects.exists()


def test_a_transferred_achievement_names_its_mode(make_achievement):
    with pytest.raises(Rejected) as exc:
        make_achievement(transfer_status="transferred")
    assert "须注明转化方式" in str(exc.value)
    with pytest.raises(Rejected) as exc:
        make_achievement(transfer_status="not_transferred", transfer_mode="equity")
    assert "未转化的成果不应填写转化方式" in str(exc.value)


def test_ip_must_be_held_by_an_owner(make_achievement, make_enterprise, staff_user):
    from kechuang.enterprises import services as registry

    other = make_enterprise(2)
    registry.save_ip(
        staff_user, other, kind="software_copyright", number="2023SR0123456", title="x"
    )
    with pytest.raises(Rejected) as exc:
        make_achievement(ip_numbers=["2023SR0123456"])
    assert "不是完成单位（企业库）名下的知识产权：2023SR0123456" in str(exc.value)
    assert not Achievement.objects.exists()


def test_unknown_project_codes_are_named(make_achievement):
    with pytest.raises(Rejected) as exc:
        make_achievement(project_codes=["XM2024-999"])
    assert "未找到以下项目编号：XM2024-999" in str(exc.value)


def test_an_achievement_needs_an_owner(staff_user):
    with pytest.raises(Rejected) as exc:
        services.create_achievement(staff_user, title="无主成果", trl=3, year=2024)
    assert "请至少选择一个完成单位" in str(exc.value)


def test_an_update_rebuilds_the_search_tokens(staff_user, make_achievement):
    a = make_achievement()
    services.update_achievement(
        staff_user, a, owners=list(a.owners.all()), title="聚丙烯纤维料", trl=7, year=2024
    )
    a.refresh_from_db()
    assert " 聚丙烯 " in a.search_title and "加氢" not in a.search_title


@pytest.mark.parametrize("who", ["reporter", "own_user", "enterprise_user"])
def test_only_the_bureau_registers_achievements(request, who, enterprise):
    with pytest.raises(PermissionDenied):
        services.create_achievement(
            request.getfixturevalue(who),
            title="x",
            trl=3,
            year=2024,
            owners=[enterprise.organization],
        )
