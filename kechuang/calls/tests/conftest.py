"""Calls fixtures: a program, an open call with sections and criteria, applicants of every kind
(an enterprise in the registry, another enterprise, a research institution), users of the other
roles, files whose content matches their extension, and applications built through the
services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.enterprises.tests import conftest as registry
from kechuang.supervision.tests.files import CONTENTS

# The registry's fixtures: an enterprise made through its service, its user, private media.
industries = registry.industries
make_enterprise = registry.make_enterprise
enterprise = registry.enterprise
own_user = registry.own_user
media = registry.media

SECTIONS = [
    {"key": "overview", "title": "项目概述", "required": True, "max_chars": 100},
    {"key": "plan", "title": "实施计划", "required": True, "max_chars": 50},
    {"key": "benefits", "title": "预期效益", "required": False, "max_chars": 50},
]
CRITERIA = [
    {"name": "技术创新性", "weight": Decimal(30)},
    {"name": "可行性", "weight": Decimal(25)},
    {"name": "团队能力", "weight": Decimal(20)},
    {"name": "经济社会效益", "weight": Decimal(25)},
]
ANSWERS = {"overview": "项目面向石化产业链的共性需求。", "plan": "第一年中试，第二年示范。"}


@pytest.fixture
def program(db):
    from kechuang.calls.models import Program

    return Program.objects.create(code="key-rd", name="重点研发计划", kind="key_rd")


@pytest.fixture
def call_data(program):
    """What a bureau user fills in for a call open from yesterday to ten days from now."""

    def data(**overrides) -> dict:
        now = timezone.now()
        values = {
            "program": program,
            "code": "key-rd-2026",
            "title": "2026年度重点研发计划申报指南",
            "year": 2026,
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=10),
            "budget": Decimal("20000000"),
            "max_amount": Decimal("2000000"),
            "eligibility": ["registered_in_district", "no_serious_dishonesty"],
            "sections": [dict(s) for s in SECTIONS],
            "criteria": [dict(c) for c in CRITERIA],
        }
        return values | overrides

    return data


@pytest.fixture
def make_call(staff_user, call_data):
    """``make_call(**overrides)`` → a published call, made through the services."""
    from kechuang.calls import services

    def make(**overrides):
        call = services.create_call(staff_user, **call_data(**overrides))
        return services.publish(staff_user, call)

    return make


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def make_draft(call):
    """``make_draft(user, **content)`` → a complete draft of ``call`` (or ``call=``)."""
    from kechuang.calls import services

    def make(user, *, to=None, **content):
        values = {
            "title": "高性能聚烯烃催化剂研发",
            "fields": ["新材料"],
            "requested_amount": Decimal("1200000"),
            "answers": dict(ANSWERS),
        } | content
        return services.create_draft(user, to or call, **values)

    return make


@pytest.fixture
def draft(make_draft, own_user):
    return make_draft(own_user)


@pytest.fixture
def submitted(draft, own_user):
    from kechuang.calls import services

    return services.submit(own_user, draft)


def _user(username: str, role: str, org):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, organization=org
    )


@pytest.fixture
def other_enterprise(make_enterprise):
    return make_enterprise(
        2, name="新疆独山子另一家科技有限公司", registered_on=dt.date(2012, 5, 1)
    )


@pytest.fixture
def other_user(other_enterprise):
    """An enterprise user of another enterprise."""
    return _user("t_other", "enterprise", other_enterprise.organization)


@pytest.fixture
def institution(db):
    from kechuang.accounts.models import Organization

    return Organization.objects.create(code="inst-1", name="新疆石化研究院", kind="institution")


@pytest.fixture
def institution_user(institution):
    """A research institution's user: role enterprise, organisation of kind institution."""
    return _user("t_inst", "enterprise", institution)


@pytest.fixture
def expert_user(plan):
    return _user("t_expert", "expert", None)


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization

    org = Organization.objects.create(code="prov-1", name="某服务机构", kind="provider")
    return _user("t_provider", "provider", org)


@pytest.fixture
def role(request):
    """The user of a role by name, for tests parametrised over roles (None = anonymous)."""

    def get(name: str | None):
        return None if name is None else request.getfixturevalue(name)

    return get


@pytest.fixture
def upload():
    """``upload("申报书.pdf")`` → a file whose content matches its extension, or ``kind=``."""

    def make(name: str, content: bytes | None = None, kind: str | None = None):
        if content is None:
            ext = name.rsplit(".", 1)[-1].lower()
            content = CONTENTS[kind or ext]
        return SimpleUploadedFile(name, content)

    return make
