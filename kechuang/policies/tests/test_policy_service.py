"""Saving a policy: every field checked before anything is written, conditions compiled by the
core (an unknown fact is refused with its path), search tokens and history kept up to date."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.policies import services
from kechuang.policies.models import Policy, PolicyStateChange
from kechuang.policies.tests.conftest import BASE


def save(data, user=None, policy=None):
    return services.save_policy(user, data, policy=policy)


def test_staff_create_a_policy_with_benefits_steps_and_conditions(staff_user):
    p = save(
        {
            "code": "voucher",
            **BASE,
            "benefits": [{"description": "创新券", "amount": "50000", "unit": "元"}, "咨询服务"],
            "steps": ["提交申请", " ", "审核"],
            "conditions": {"all": [{"fact": "registered_in_district", "is": True}]},
        },
        staff_user,
    )
    assert [(b.description, b.amount) for b in p.benefits.all()] == [
        ("创新券", 50000),
        ("咨询服务", None),
    ]
    assert p.steps == ["提交申请", "审核"]
    assert p.conditions == {"all": [{"fact": "registered_in_district", "is": True}]}
    assert PolicyStateChange.objects.get(policy=p).to_state == "published"


def test_a_condition_naming_an_unknown_fact_is_refused_with_its_path(staff_user):
    data = {
        "code": "bad",
        **BASE,
        "conditions": {
            "all": [
                {"fact": "registered_in_district", "is": True},
                {"fact": "size_class", "in": ["小型"]},
                {"fact": "revenue_big", "is": True},
            ]
        },
    }
    with pytest.raises(Rejected) as info:
        save(data, staff_user)
    [problem] = info.value.problems
    assert problem.where == "申请条件 / conditions.all[2].fact"
    assert "revenue_big" in problem.message_zh and "unknown fact" in problem.message_en
    assert not Policy.objects.exists()


def test_a_wrong_operator_or_value_type_is_refused_too(staff_user):
    data = {
        "code": "bad",
        **BASE,
        "conditions": {"any": [{"fact": "resident", ">=": True}, {"fact": "rd.latest", ">": 0.5}]},
    }
    with pytest.raises(Rejected) as info:
        save(data, staff_user)
    assert [p.where for p in info.value.problems] == [
        "申请条件 / conditions.any[0].>=",
        "申请条件 / conditions.any[1].>",
    ]


def test_every_problem_is_reported_at_once_and_nothing_is_written(staff_user):
    data = {
        "code": "Bad Code",
        "title": "",
        "issuer": "x",
        "level": "province",
        "category": "reward",
        "summary": "s",
        "department": "d",
        "effective_from": "2026-05-01",
        "expires_on": "2026-01-01",
        "phone": "call us",
        "auto_grant": True,
        "grant_amount": 1.5,
        "benefits": [{"amount": "10"}],
    }
    with pytest.raises(Rejected) as info:
        save(data, staff_user)
    wheres = [p.where for p in info.value.problems]
    for key in ("title", "level", "expires_on", "phone", "grant_amount", "grant_trigger", "code"):
        assert any(w.endswith(f"/ {key}") for w in wheres), key
    assert "支持内容第 1 项 / benefits[0]" in wheres
    assert not Policy.objects.exists()


def test_the_code_must_be_new(make_policy):
    make_policy("same")
    with pytest.raises(Rejected) as info:
        save({"code": "same", **BASE})
    assert "taken" in info.value.problems[0].message_en


def test_updating_rebuilds_the_search_tokens_and_logs_the_state(make_policy, staff_user):
    p = make_policy("pp", title="科技创新券")
    assert " 创新 " in p.search_title and "kjcxq" in p.search_title
    p = save({**BASE, "title": "高新技术企业奖励", "state": "draft"}, staff_user, policy=p)
    assert "gxjsqy" in p.search_title and "kjcxq" not in p.search_title
    assert list(p.state_changes.values_list("from_state", "to_state")) == [
        ("published", "draft"),
        ("", "published"),
    ]


def test_unchanged_benefits_are_kept(make_policy):
    p = make_policy("pp", benefits=["咨询"])
    first = p.benefits.get().pk
    save({**BASE, "benefits": ["咨询"]}, policy=p)
    assert p.benefits.get().pk == first


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_save_policies(request, who):
    with pytest.raises(PermissionDenied):
        save({"code": "pp", **BASE}, request.getfixturevalue(who))


def test_admins_may_save_policies(admin_user):
    assert save({"code": "pp", **BASE}, admin_user).pk


def test_expired_policies_are_marked_by_date_and_kept(make_policy):
    import datetime as dt

    old = make_policy("old", expires_on="2020-12-31")
    make_policy("open")
    assert services.expire_due(dt.date(2026, 1, 1)) == 1
    old.refresh_from_db()
    assert old.state == Policy.State.EXPIRED
    assert old.state_changes.first().to_state == "expired"
    assert services.expire_due(dt.date(2026, 1, 1)) == 0
    assert Policy.objects.count() == 2
