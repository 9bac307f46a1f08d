"""Drafts: applicants start and revise applications to open calls, for their own organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.calls import services
from kechuang.calls.models import Application, ApplicationField
from kechuang.core.problems import Rejected


def text(exc) -> str:
    return " | ".join(p.message_zh for p in exc.value.problems)


def test_an_enterprise_user_starts_a_draft_for_its_enterprise(own_user, enterprise, call):
    app = services.create_draft(own_user, call, title="催化剂研发", fields=["新材料"])
    assert (app.state, app.applicant, app.enterprise) == (
        "draft",
        enterprise.organization,
        enterprise,
    )
    assert app.code is None and app.created_by == own_user
    assert list(app.state_changes.values_list("from_state", "to_state")) == [("", "draft")]
    assert list(
        ApplicationField.objects.filter(application=app).values_list("field", flat=True)
    ) == ["新材料"]


def test_a_research_institution_applies_with_role_enterprise(institution_user, institution, call):
    app = services.create_draft(institution_user, call, title="中试研究")
    assert app.applicant == institution and app.enterprise is None


@pytest.mark.parametrize(
    "who", ["staff_user", "admin_user", "reporter", "expert_user", "provider_user"]
)
def test_only_applicant_users_may_start_a_draft(role, call, who):
    with pytest.raises(PermissionDenied):
        services.create_draft(role(who), call, title="x")
    assert not Application.objects.exists()


def test_a_draft_needs_an_open_call(own_user, make_call):
    now = timezone.now()
    later = make_call(
        code="later", opens_at=now + dt.timedelta(days=2), closes_at=now + dt.timedelta(days=9)
    )
    with pytest.raises(Rejected) as exc:
        services.create_draft(own_user, later, title="x")
    assert "申报将于" in text(exc) and "开始" in text(exc)


def test_bad_content_is_refused_whole(own_user, call, other_enterprise):
    with pytest.raises(Rejected) as exc:
        services.create_draft(
            own_user,
            call,
            title="",
            fields=["化学"],
            requested_amount="-5",
            co_applicants=[own_user.organization],
            answers={"nope": "x", "plan": "y" * 60_000},
        )
    wheres = {p.where for p in exc.value.problems}
    assert wheres == {
        "title",
        "fields",
        "requested_amount",
        "co_applicants",
        "answers.nope",
        "answers.plan",
    }
    assert "不在高新技术领域目录中" in text(exc)
    assert not Application.objects.exists()


def test_a_draft_may_run_over_a_sections_limit_until_it_is_submitted(own_user, call):
    app = services.create_draft(own_user, call, title="x", answers={"plan": "长" * 80})
    assert len(app.answers["plan"]) == 80


def test_line_breaks_count_as_one_character(own_user, call):
    app = services.create_draft(own_user, call, title="x", answers={"plan": "甲\r\n乙"})
    assert app.answers["plan"] == "甲\n乙"


def test_revising_a_draft_replaces_its_content(own_user, draft, other_enterprise):
    services.update_draft(
        own_user,
        draft,
        title="新名称",
        summary="简介",
        fields=["电子信息", "新材料"],
        requested_amount=Decimal("500000"),
        co_applicants=[other_enterprise.organization],
        answers={"overview": "改过的概述"},
    )
    draft.refresh_from_db()
    assert draft.title == "新名称" and draft.answers == {"overview": "改过的概述"}
    assert list(draft.co_applicants.all()) == [other_enterprise.organization]
    assert set(draft.field_rows.values_list("field", flat=True)) == {"电子信息", "新材料"}


def test_another_enterprise_cannot_revise_the_draft(other_user, draft):
    with pytest.raises(PermissionDenied):
        services.update_draft(other_user, draft, title="夺走")
    draft.refresh_from_db()
    assert draft.title == "高性能聚烯烃催化剂研发"


def test_bureau_staff_cannot_write_an_applicants_draft(staff_user, draft):
    with pytest.raises(PermissionDenied):
        services.update_draft(staff_user, draft, title="改")


def test_a_submitted_application_can_no_longer_be_revised(own_user, submitted):
    with pytest.raises(Rejected) as exc:
        services.update_draft(own_user, submitted, title="改", answers={})
    assert "不能再修改" in text(exc)
