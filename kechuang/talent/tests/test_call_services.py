"""Calls: a draft with weighted criteria, published, editable until the panel is drawn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.talent import services
from kechuang.talent.models import TalentCall


def test_a_new_call_is_a_draft_with_its_criteria_in_order(staff_user, call_data):
    call = services.create_call(staff_user, **call_data())
    assert call.state == "draft" and call.window() == "closed"
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("业绩与贡献", 40),
        ("创新能力", 35),
        ("发展潜力", 25),
    ]


def test_publishing_opens_the_window(staff_user, call_data):
    call = services.publish_call(staff_user, services.create_call(staff_user, **call_data()))
    assert call.state == "published" and call.is_open()


def test_weights_that_do_not_sum_to_100_are_refused_with_the_sum(staff_user, call_data):
    criteria = [{"name": "业绩", "weight": Decimal(60)}, {"name": "潜力", "weight": Decimal(30)}]
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(criteria=criteria))
    assert "权重之和为 90，应为 100" in exc.value.problems[0].message_zh
    assert not TalentCall.objects.exists()


def test_a_window_that_closes_before_it_opens_and_a_nameless_criterion_are_refused(
    staff_user, call_data
):
    now = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    data = call_data(
        opens_at=now,
        closes_at=now - dt.timedelta(hours=1),
        criteria=[{"name": "", "weight": Decimal(100)}],
        panel_size=0,
    )
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **data)
    messages = {p.where: p.message_zh for p in exc.value.problems}
    assert set(messages) == {"closes_at", "criteria[1].name", "panel_size"}
    assert "应晚于开始时间" in messages["closes_at"]


def test_an_edit_keeps_each_criterion_row(staff_user, call):
    before = list(call.criteria.values_list("pk", flat=True))
    data = {
        "program": call.program,
        "code": call.code,
        "title": "改后的标题",
        "year": call.year,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at + dt.timedelta(days=3),
        "panel_size": 3,
        "criteria": [
            {"name": "业绩", "weight": Decimal(50)},
            {"name": "潜力", "weight": Decimal(50)},
        ],
    }
    services.update_call(staff_user, call, **data)
    assert list(call.criteria.values_list("pk", flat=True)) == before[:2]


def test_a_published_call_keeps_its_code(staff_user, call, call_data):
    with pytest.raises(Rejected) as exc:
        services.update_call(staff_user, call, **call_data(code="renamed"))
    assert exc.value.problems[0].where == "code"


def test_a_call_under_review_cannot_be_changed(staff_user, in_review, call_data):
    with pytest.raises(Rejected) as exc:
        services.update_call(staff_user, in_review.call, **call_data())
    assert "评审中" in exc.value.problems[0].message_zh


def test_a_call_whose_deadline_passed_cannot_be_published(staff_user, call_data, clock):
    call = services.create_call(staff_user, **call_data())
    clock(call.closes_at)
    with pytest.raises(Rejected) as exc:
        services.publish_call(staff_user, call)
    assert "已过" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_only_the_bureau_creates_calls(request, who, call_data):
    with pytest.raises(PermissionDenied):
        services.create_call(request.getfixturevalue(who), **call_data())
