"""The bureau's calls: created with sections and criteria, checked whole, published, closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls import services
from kechuang.calls.models import Call
from kechuang.core.problems import Rejected


def wheres(exc) -> set[str]:
    return {p.where for p in exc.value.problems}


def text(exc) -> str:
    return " | ".join(p.message_zh for p in exc.value.problems)


def test_staff_create_a_draft_call_with_its_sections_and_weighted_criteria(staff_user, call_data):
    call = services.create_call(staff_user, **call_data())
    assert call.state == Call.State.DRAFT and call.created_by == staff_user
    assert [s.key for s in call.sections.all()] == ["overview", "plan", "benefits"]
    assert [c.weight for c in call.criteria.all()] == [30, 25, 20, 25]
    assert call.eligibility == ["registered_in_district", "no_serious_dishonesty"]


def test_admins_may_create_calls_too(admin_user, call_data):
    assert services.create_call(admin_user, **call_data()).pk


@pytest.mark.parametrize(
    "who", ["reporter", "enterprise_user", "own_user", "expert_user", "provider_user"]
)
def test_nobody_outside_the_bureau_may_create_a_call(role, call_data, who):
    with pytest.raises(PermissionDenied):
        services.create_call(role(who), **call_data())
    assert not Call.objects.exists()


def test_weights_must_sum_to_100(staff_user, call_data):
    criteria = [{"name": "技术创新性", "weight": Decimal(30)}, {"name": "可行性", "weight": 60}]
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(criteria=criteria))
    assert "权重合计应为 100（现为 90）" in text(exc)
    assert not Call.objects.exists()


def test_a_criterion_without_a_weight_is_named(staff_user, call_data):
    criteria = [{"name": "技术创新性", "weight": Decimal(100)}, {"name": "可行性"}]
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(criteria=criteria))
    assert wheres(exc) == {"criteria[2].weight"}


def test_the_window_must_open_before_it_closes(staff_user, call_data):
    now = timezone.now()
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(opens_at=now, closes_at=now))
    assert wheres(exc) == {"closes_at"} and "应晚于开始时间" in text(exc)


@pytest.mark.parametrize("budget", [0, -1, "abc", None])
def test_the_budget_must_be_positive(staff_user, call_data, budget):
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(budget=budget))
    assert "budget" in wheres(exc)


def test_the_cap_cannot_exceed_the_budget(staff_user, call_data):
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(max_amount=Decimal("30000000")))
    assert "不能超过资金总额（2,000.00 万元）" in text(exc)


def test_every_problem_is_reported_at_once_naming_where(staff_user, call_data):
    data = call_data(
        code="Bad Code",
        title="",
        budget=0,
        eligibility=["no_such_condition"],
        sections=[{"key": "a", "title": "甲"}, {"key": "a", "title": ""}],
        criteria=[],
    )
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **data)
    assert {
        "code",
        "title",
        "budget",
        "eligibility[1]",
        "sections[2].key",
        "sections[2].title",
        "criteria",
    } <= wheres(exc)


@pytest.mark.parametrize("code", ["mine", "manage", "formal-check"])
def test_a_call_code_may_not_shadow_a_page(staff_user, call_data, code):
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data(code=code))
    assert wheres(exc) == {"code"}


def test_codes_are_unique(staff_user, call_data, call):
    with pytest.raises(Rejected) as exc:
        services.create_call(staff_user, **call_data())
    assert "已被使用" in text(exc)


def test_updating_replaces_sections_by_key_and_keeps_criteria_rows(staff_user, call_data):
    call = services.create_call(staff_user, **call_data())
    section_pk = call.sections.get(key="plan").pk
    criterion_pks = list(call.criteria.values_list("pk", flat=True))
    sections = [{"key": "plan", "title": "实施计划（修订）", "max_chars": 80}]
    criteria = [{"name": "综合", "weight": 100}]
    services.update_call(staff_user, call, **call_data(sections=sections, criteria=criteria))
    assert list(call.sections.values_list("pk", "title")) == [(section_pk, "实施计划（修订）")]
    assert list(call.criteria.values_list("pk", flat=True)) == criterion_pks[:1]


def test_a_section_cannot_be_removed_once_someone_has_applied(staff_user, call_data, draft):
    call = draft.call
    with pytest.raises(Rejected) as exc:
        services.update_call(staff_user, call, **call_data(sections=call_data()["sections"][:1]))
    assert "不能删除栏目「plan」" in text(exc)
    assert call.sections.count() == 3


def test_a_published_call_keeps_its_code(staff_user, call_data, call):
    with pytest.raises(Rejected) as exc:
        services.update_call(staff_user, call, **call_data(code="renamed"))
    assert "已发布的申报指南不能改编号" in text(exc)


def test_a_closed_call_can_no_longer_change(staff_user, call_data, call):
    services.close_call(staff_user, call)
    with pytest.raises(Rejected) as exc:
        services.update_call(staff_user, call, **call_data(title="新标题"))
    assert wheres(exc) == {"state"}


def test_publishing_makes_the_call_public_once(staff_user, call_data):
    call = services.create_call(staff_user, **call_data())
    call = services.publish(staff_user, call)
    assert call.state == Call.State.PUBLISHED and call.published_at is not None
    with pytest.raises(Rejected):
        services.publish(staff_user, call)


def test_a_call_whose_deadline_passed_cannot_be_published(staff_user, call_data):
    now = timezone.now()
    call = services.create_call(
        staff_user,
        **call_data(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1)),
    )
    with pytest.raises(Rejected) as exc:
        services.publish(staff_user, call)
    assert wheres(exc) == {"closes_at"}
    call.refresh_from_db()
    assert call.state == Call.State.DRAFT


def test_closing_stops_submissions_at_once(staff_user, call):
    call = services.close_call(staff_user, call)
    assert call.state == Call.State.CLOSED and not call.is_open()
    with pytest.raises(Rejected):
        services.close_call(staff_user, call)


@pytest.mark.parametrize("action", [services.publish, services.close_call])
def test_only_the_bureau_publishes_or_closes(own_user, call, action):
    with pytest.raises(PermissionDenied):
        action(own_user, call)


def test_every_change_to_a_call_is_audited(staff_user, call_data):
    from auditlog.models import LogEntry

    call = services.create_call(staff_user, **call_data())
    services.publish(staff_user, call)
    entries = LogEntry.objects.get_for_object(call)
    assert entries.count() == 2
