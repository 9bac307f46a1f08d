"""政策可享清单: an enterprise user sees its own enterprise's eligible and possibly-eligible
policies with the reasons and what data is missing, with links to fill it in."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.policies import services
from kechuang.policies.models import PolicyApplication

URL = "/policies/mine/"
ON = dt.date(2026, 6, 30)


@pytest.fixture
def matched(make_enterprise, make_policy, figures):
    mine = make_enterprise(1, name="甲公司")
    other = make_enterprise(2, name="乙公司")
    figures(other, 2025, main_revenue=1_000_000, rd_personnel=100_000)
    make_policy(
        "district", title="区内企业政策", conditions={"fact": "registered_in_district", "is": True}
    )
    make_policy("rd", title="研发投入政策", conditions={"fact": "rd_ratio.latest", ">=": "0.03"})
    make_policy("ip", title="知识产权政策", conditions={"fact": "ip.class_i.count", ">=": 1})
    services.match_all(ON)
    return mine, other


def test_the_enterprise_sees_eligible_and_possibly_eligible_policies(client_for, matched, user_of):
    mine, _ = matched
    response = client_for(user_of(mine)).get(URL)
    assert response.status_code == 200
    assert [m.policy.code for m in response.context["eligible"]] == ["district"]
    assert [m.policy.code for m in response.context["possibly"]] == ["rd"]
    text = response.content.decode()
    assert "在本区注册：是（需要：是）" in text
    assert "上一年度研发费用占营业收入比例：缺少数据（需要：≥ 3%）" in text
    assert "知识产权政策" not in text  # not eligible: no class I IP on record


def test_missing_data_links_to_where_it_is_filled_in(client_for, matched, user_of):
    mine, _ = matched
    text = client_for(user_of(mine)).get(URL).content.decode()
    assert f"/enterprises/{mine.uscc}/figures/" in text and "填报年度数据" in text


def test_only_its_own_enterprise(client_for, matched, user_of):
    _, other = matched
    response = client_for(user_of(other, "t_other")).get(URL)
    assert [m.enterprise for m in response.context["eligible"]] == [other, other]
    assert "甲公司" not in response.content.decode()


def test_an_enterprise_user_without_a_registry_record_is_told_so(client_for, enterprise_user):
    response = client_for(enterprise_user).get(URL)
    assert response.status_code == 200 and "尚未关联企业" in response.content.decode()


def test_an_empty_list_says_how_to_get_matched(client_for, enterprise, user_of, db):
    text = client_for(user_of(enterprise)).get(URL).content.decode()
    assert "暂未匹配到" in text and "年度数据" in text


def test_anonymous_users_log_in_first(client, db):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_the_bureau_is_sent_to_its_own_page(client_for, staff_user):
    assert client_for(staff_user).get(URL)["Location"] == "/policies/manage/"


@pytest.mark.parametrize("who", ["reporter", "expert_user", "provider_user"])
def test_other_roles_are_refused(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_the_enterprise_declares_it_applied_and_is_not_pushed_again(client_for, matched, user_of):
    mine, _ = matched
    c = client_for(user_of(mine))
    pk = c.get(URL).context["eligible"][0].policy.pk
    assert c.post(f"/policies/{pk}/apply/").status_code == 302
    app = PolicyApplication.objects.get(enterprise=mine)
    assert app.status == "applied" and app.changes.count() == 1
    assert "已申请" in c.get(URL).content.decode()


def test_queries_do_not_grow_with_the_number_of_matches(
    client_for, make_enterprise, make_policy, user_of, django_assert_max_num_queries
):
    mine = make_enterprise(1)
    for i in range(12):
        make_policy(f"p{i}", conditions={"fact": "registered_in_district", "is": True})
    services.match_all(ON)
    c = client_for(user_of(mine))
    with django_assert_max_num_queries(12):
        assert len(c.get(URL).context["eligible"]) == 12
