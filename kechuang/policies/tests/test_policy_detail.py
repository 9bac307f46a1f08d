"""One policy's page: who carries it out, where and the number to call come first (可及);
benefits, steps, materials and the conditions in plain words."""

from __future__ import annotations

import pytest

from kechuang.policies.models import Policy, PolicyMatch


def page(client, code: str):
    return client.get(f"/policies/{Policy.objects.get(code=code).pk}/")


def test_department_address_and_a_click_to_call_phone(client, make_policy):
    make_policy("p", address="独山子区某路 1 号", phone="0990-1234567")
    text = page(client, "p").content.decode()
    assert "找谁办" in text and "区科学技术局" in text and "独山子区某路 1 号" in text
    assert 'href="tel:09901234567"' in text


def test_an_unknown_phone_or_address_says_pending_and_links_nowhere(client, catalog):
    text = page(client, "dsz-innovation-voucher-2020").content.decode()
    assert text.count("待补充") >= 2
    assert "tel:" not in text


def test_benefits_steps_materials_and_conditions_in_plain_words(client, catalog):
    response = page(client, "hnte-recognition-2016")
    text = response.content.decode()
    assert "国科发火〔2016〕32号" in text and "2016-01-29" in text
    assert "取得高新技术企业证书，有效期三年" in text
    assert "认定机构组织专家评审、审查认定" in text
    assert "高新技术企业认定申请书" in text
    assert "符合高新技术企业认定条件" in text  # the rule-set condition, said plainly
    assert response.context["status"] == "in_force"


def test_money_benefits_are_shown_in_wan(client, make_policy):
    make_policy("p", benefits=[{"description": "一次性奖励", "amount": "200000", "unit": "元"}])
    assert "20.00 万元" in page(client, "p").content.decode()


def test_a_fact_condition_is_explained(client, make_policy):
    make_policy("p", conditions={"fact": "rd_ratio.latest", ">=": "0.03"})
    assert "上一年度研发费用占营业收入比例 ≥ 3%" in page(client, "p").content.decode()


def test_drafts_are_hidden_from_the_public_but_not_from_the_bureau(
    client, client_for, make_policy, staff_user
):
    make_policy("p", state="draft")
    assert page(client, "p").status_code == 404
    assert page(client_for(staff_user), "p").status_code == 200


def test_an_unknown_policy_is_404(client, db):
    assert client.get("/policies/999999/").status_code == 404


def test_an_enterprise_user_sees_whether_its_enterprise_qualifies(
    client_for, make_policy, enterprise, user_of
):
    p = make_policy("p", conditions={"fact": "registered_in_district", "is": True})
    PolicyMatch.objects.create(
        policy=p,
        enterprise=enterprise,
        verdict="eligible",
        explanation={},
        matched_on="2026-06-30",
        computed_at="2026-06-30T00:00:00Z",
    )
    text = page(client_for(user_of(enterprise)), "p").content.decode()
    assert "贵企业符合本政策条件" in text


@pytest.mark.parametrize("who", ["staff_user", "reporter"])
def test_bureau_staff_get_the_management_links_others_do_not(client_for, request, catalog, who):
    text = page(client_for(request.getfixturevalue(who)), "dsz-hnte-reward").content.decode()
    assert ("兑现名单" in text) is (who == "staff_user")
