"""Talent fixtures: a program and an open call made through the services, employers of each
kind, a small expert library with logins, nominations at each step of the workflow, the other
roles, and a clock the services read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.experts.tests.conftest import id_number, user_with_role

CRITERIA = [
    {"name": "业绩与贡献", "weight": Decimal(40), "max_score": Decimal(10)},
    {"name": "创新能力", "weight": Decimal(35), "max_score": Decimal(10)},
    {"name": "发展潜力", "weight": Decimal(25), "max_score": Decimal(10)},
]
PANEL = 3


def person(n: int = 1, **overrides) -> dict:
    """What an employer types for the nth nominee (a valid ID number born 1985 + n days)."""
    return {
        "name": f"测试人才{n}",
        "gender": "female" if n % 2 else "male",
        "id_number": id_number(n, born=dt.date(1985, 6, 1)),
        "education": "doctorate",
        "title": "高级工程师",
        "position": "研发中心主任",
        "field": "新材料",
        "achievements": "主持聚烯烃催化剂研发，获授权发明专利 5 件。",
    } | overrides


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` makes the server's time ``moment`` (services, models and all)."""

    def at(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


@pytest.fixture
def program(staff_user):
    from kechuang.talent import services

    return services.create_program(
        staff_user,
        code="youcheng",
        name="油城英才",
        level="city",
        kind="youcheng",
        support="按市级人才政策给予支持",
        term_years=3,
    )


@pytest.fixture
def call_data(program):
    """A call open from yesterday to ten days from now, as the bureau fills it in."""

    def data(**overrides) -> dict:
        now = timezone.now()
        return {
            "program": program,
            "code": "youcheng-2026",
            "title": "2026年度“油城英才”推荐申报通知",
            "year": 2026,
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=10),
            "panel_size": PANEL,
            "criteria": [dict(c) for c in CRITERIA],
        } | overrides

    return data


@pytest.fixture
def make_call(staff_user, call_data):
    """``make_call(**overrides)`` → a published call, made through the services."""
    from kechuang.talent import services

    def make(**overrides):
        return services.publish_call(
            staff_user, services.create_call(staff_user, **call_data(**overrides))
        )

    return make


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def employer(enterprise_user):
    """The nominating enterprise's user (root fixture: organisation ``测试企业``)."""
    return enterprise_user


@pytest.fixture
def other_employer(plan):
    from kechuang.accounts.models import Organization

    org = Organization.objects.create(code="ent-other", name="另一家企业", kind="enterprise")
    return user_with_role("t_other_ent", "enterprise", org)


@pytest.fixture
def institution_user(plan):
    from kechuang.accounts.models import Organization

    org = Organization.objects.create(code="inst-t", name="测试研究院", kind="institution")
    return user_with_role("t_inst", "enterprise", org)


@pytest.fixture
def provider_user(plan):
    return user_with_role("t_provider", "provider")


@pytest.fixture
def experts(staff_user):
    """Three 新材料 experts from three units, each with a login: a full panel of three."""
    from kechuang.experts import services

    return [
        services.create_expert(
            staff_user,
            name=f"评审专家{n}",
            id_number=id_number(100 + n),
            title="senior",
            organization_name=f"评审单位{n}",
            fields=["新材料"],
            user=user_with_role(f"t_expert{n}", "expert"),
        )
        for n in range(1, PANEL + 1)
    ]


@pytest.fixture
def expert_user(experts):
    """An expert drawn for every nomination of the call (the panel is the whole pool)."""
    return experts[0].user


@pytest.fixture
def unassigned_expert(staff_user):
    """An expert in another field, never drawn for a 新材料 nomination."""
    from kechuang.experts import services

    return services.create_expert(
        staff_user,
        name="电子专家",
        id_number=id_number(200),
        title="senior",
        organization_name="电子所",
        fields=["电子信息"],
        user=user_with_role("t_expert_other", "expert"),
    ).user


@pytest.fixture
def make_application(call, employer):
    """``make_application(user=employer, n=1, to=call, **overrides)`` → a draft."""
    from kechuang.talent import services

    def make(user=None, n: int = 1, *, to=None, **overrides):
        return services.create_application(user or employer, to or call, **person(n, **overrides))

    return make


@pytest.fixture
def draft(make_application):
    return make_application()


@pytest.fixture
def submitted(draft, employer):
    from kechuang.talent import services

    return services.submit_application(employer, draft)


@pytest.fixture
def after_deadline(clock, call):
    """The clock one minute after the call closed."""
    clock(call.closes_at + dt.timedelta(minutes=1))


@pytest.fixture
def in_review(submitted, experts, staff_user, after_deadline):
    from kechuang.talent import services

    services.start_panel(staff_user, submitted.call)
    submitted.refresh_from_db()
    return submitted


def sheet(call, *values) -> dict:
    """Scores by criterion pk, in the call's criterion order."""
    return {c.pk: Decimal(v) for c, v in zip(call.criteria.all(), values, strict=True)}


@pytest.fixture
def scored(in_review):
    """Every panel member has scored (8, 7, 9 on each criterion)."""
    from kechuang.talent import services

    for assignment, value in zip(in_review.assignments.all(), (8, 7, 9), strict=True):
        services.submit_score(
            assignment.expert.user, assignment, scores=sheet(in_review.call, value, value, value)
        )
    return in_review
