"""The achievements page: public entries for everyone with Chinese and pinyin search; the
bureau sees the internal ones; an internal entry is 404 to anyone else but its owners."""

from __future__ import annotations

import pytest

from kechuang.achievements.tests.conftest import ROLES

URL = "/achievements/"


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def two(make_achievement):
    public = make_achievement("重质油悬浮床加氢中试技术", abstract="渣油轻质化")
    internal = make_achievement("加氢催化剂再生技术", is_public=False)
    return public, internal


def test_anonymous_visitors_see_only_public_achievements(client, two):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["重质油悬浮床加氢中试技术"]
    assert "加氢催化剂再生技术" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_bureau_sees_internal_entries(as_role, role, two):
    shown = titles(as_role(role).get(URL))
    if role in {"admin_user", "staff_user"}:
        assert sorted(shown) == ["加氢催化剂再生技术", "重质油悬浮床加氢中试技术"]
    else:
        assert shown == ["重质油悬浮床加氢中试技术"]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_an_internal_entry_is_404_to_all_but_the_bureau(as_role, role, two):
    _, internal = two
    expected = 200 if role in {"admin_user", "staff_user"} else 404
    assert as_role(role).get(f"{URL}{internal.pk}/").status_code == expected


def test_the_owners_users_see_their_own_internal_entry(client_for, own_user, two):
    _, internal = two
    assert client_for(own_user).get(f"{URL}{internal.pk}/").status_code == 200


def test_a_public_entry_opens_for_anyone(client, two):
    public, _ = two
    assert client.get(f"{URL}{public.pk}/").status_code == 200


def test_search_by_chinese_word_and_by_pinyin_initials(client, make_achievement):
    make_achievement("炼化装置智能巡检机器人")
    make_achievement("茂金属聚乙烯膜料", abstract="替代进口膜料")
    assert titles(client.get(URL, {"q": "机器人"})) == ["炼化装置智能巡检机器人"]
    assert titles(client.get(URL, {"q": "jqr"})) == ["炼化装置智能巡检机器人"]
    assert titles(client.get(URL, {"q": "聚乙烯"})) == ["茂金属聚乙烯膜料"]
    assert titles(client.get(URL, {"q": "jiqiren"})) == ["炼化装置智能巡检机器人"]


def test_title_hits_rank_above_abstract_hits(client, make_achievement):
    make_achievement("污水处理膜技术", abstract="可用于催化剂洗涤水", year=2025)
    make_achievement("加氢催化剂器外再生", year=2021)
    assert titles(client.get(URL, {"q": "催化剂"})) == ["加氢催化剂器外再生", "污水处理膜技术"]


def test_no_match_says_how_to_search_differently(client, make_achievement):
    make_achievement()
    body = client.get(URL, {"q": "量子计算"}).content.decode()
    assert "没有找到与“量子计算”相关的成果" in body and "拼音首字母" in body


def test_filters_by_field_status_and_maturity(client, make_achievement):
    make_achievement(
        "甲", field="新材料", trl=8, transfer_status="transferred", transfer_mode="equity"
    )
    make_achievement("乙", field="电子信息", trl=4)
    assert titles(client.get(URL, {"field": "新材料"})) == ["甲"]
    assert titles(client.get(URL, {"status": "transferred"})) == ["甲"]
    assert titles(client.get(URL, {"trl_min": "6"})) == ["甲"]


def test_the_bureau_exports_and_the_public_cannot(client, client_for, staff_user, two):
    assert client.get(URL + "?format=xlsx")["Content-Type"].startswith("text/html")
    response = client_for(staff_user).get(URL + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_costs_the_same_queries_for_3_or_40_achievements(
    client, make_achievement, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        make_achievement(f"成果{i}")
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for i in range(3, 40):
        make_achievement(f"成果{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 40


def test_the_bureau_registers_through_the_form(client_for, staff_user, enterprise, patent):
    response = client_for(staff_user).post(
        URL + "new/",
        {
            "title": "燃气管材专用料",
            "owners": [enterprise.organization.pk],
            "trl": 9,
            "year": 2022,
            "transfer_status": "transferred",
            "transfer_mode": "assignment",
            "ip_numbers": PATENT_LINE,
            "is_public": "on",
        },
    )
    from kechuang.achievements.models import Achievement

    a = Achievement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{a.pk}/"
    assert a.ip.count() == 1


PATENT_LINE = "ZL202310123456.6\n"


def test_the_form_is_the_bureaus(client_for, own_user, two):
    public, _ = two
    assert client_for(own_user).get(URL + "new/").status_code == 403
    assert client_for(own_user).get(f"{URL}{public.pk}/edit/").status_code == 403
