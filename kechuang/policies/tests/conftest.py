"""Policy fixtures: the registry's enterprise fixtures, policies made through the service, the
real catalog from data/policies/, and enterprises with the facts the conditions read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.enterprises.tests.conftest import (  # noqa: F401 - fixtures re-exported
    enterprise,
    industries,
    make_enterprise,
    make_uscc,
    media,
    own_user,
    uscc,
)

TODAY = dt.date(2026, 6, 30)

BASE = {
    "title": "测试政策",
    "issuer": "克拉玛依市独山子区人民政府",
    "level": "district",
    "category": "reward",
    "summary": "测试用政策摘要",
    "department": "区科学技术局",
    "state": "published",
}


@pytest.fixture
def make_policy(db):
    """``make_policy(code, **fields)`` → a published district policy saved by the service."""
    from kechuang.policies import services

    def make(code: str = "test-policy", **fields):
        return services.save_policy(None, {"code": code, **BASE, **fields})

    return make


@pytest.fixture
def catalog(db):
    from kechuang.policies.loader import load_policies

    load_policies()


@pytest.fixture
def certify():
    from kechuang.enterprises.models import Certification
    from kechuang.enterprises.services import default_expiry

    def add(firm, kind="hnte", issued=None, number=""):
        issued = issued or timezone.localdate() - dt.timedelta(days=100)
        return Certification.objects.create(
            enterprise=firm,
            kind=kind,
            issued_on=issued,
            expires_on=default_expiry(kind, issued),
            number=number,
        )

    return add


@pytest.fixture
def figures():
    """``figures(enterprise, year, **values)``: approved yearly figures."""
    from kechuang.enterprises.models import YearlyFigures

    def add(firm, year, **values):
        values = {k: Decimal(str(v)) for k, v in values.items()}
        return YearlyFigures.objects.create(
            enterprise=firm, year=year, status=YearlyFigures.Status.APPROVED, **values
        )

    return add


@pytest.fixture
def dishonest():
    from kechuang.enterprises.models import EnterpriseEvent

    def add(firm, on=None):
        return EnterpriseEvent.objects.create(
            enterprise=firm,
            category=EnterpriseEvent.Category.LISTING,
            kind=EnterpriseEvent.Kind.SERIOUS_DISHONESTY,
            date=on or timezone.localdate() - dt.timedelta(days=10),
        )

    return add


@pytest.fixture
def user_of():
    """``user_of(enterprise, name)``: an active enterprise user of that enterprise."""
    from kechuang.accounts.models import User

    def make(firm, name="t_firm", email=""):
        return User.objects.create_user(
            username=name,
            password="pw",
            role="enterprise",
            organization=firm.organization,
            email=email,
        )

    return make


@pytest.fixture
def expert_user(plan):
    from kechuang.accounts.models import User

    return User.objects.create_user(username="t_expert", password="x", role="expert")


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization, User

    org = Organization.objects.create(code="prov-t", name="测试服务机构", kind="provider")
    return User.objects.create_user(
        username="t_provider", password="x", role="provider", organization=org
    )


HNTE_REWARD = {
    "auto_grant": True,
    "grant_trigger": "hnte",
    "conditions": {
        "all": [
            {"fact": "registered_in_district", "is": True},
            {"fact": "certification.hnte.valid", "is": True},
            {"not": {"fact": "listing.serious_dishonesty.active", "is": True}},
        ]
    },
}
