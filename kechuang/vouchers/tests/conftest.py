"""Voucher fixtures: enterprises with their users, providers with theirs, an open scheme, and a
``flow`` helper that walks a voucher to any state through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.enterprises.tests.conftest import make_uscc
from kechuang.supervision.tests.files import CONTENTS

W = Decimal(10_000)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(kind: str = "pdf", name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"file.{kind}", CONTENTS[kind])


def _enterprise(n: int, name: str):
    from kechuang.accounts.models import Organization
    from kechuang.enterprises.models import Enterprise

    uscc = make_uscc(n)
    org = Organization.objects.create(code=f"ent-{uscc.lower()}", name=name, kind="enterprise")
    return Enterprise.objects.create(uscc=uscc, name=name, organization=org)


@pytest.fixture
def enterprise(plan, enterprise_user):
    """The enterprise of the root ``enterprise_user`` fixture."""
    from kechuang.enterprises.models import Enterprise

    return Enterprise.objects.create(
        uscc=make_uscc(1), name="测试企业", organization=enterprise_user.organization
    )


@pytest.fixture
def other_enterprise(plan):
    return _enterprise(2, "另一家企业")


@pytest.fixture
def other_enterprise_user(other_enterprise):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username="t_ent2",
        password="x",
        role="enterprise",
        organization=other_enterprise.organization,
    )


@pytest.fixture
def expert(plan):
    from kechuang.accounts.models import User

    return User.objects.create_user(username="t_expert", password="x", role="expert")


def _provider(staff, n: int, name: str, categories=("testing", "ip")):
    from kechuang.vouchers import services

    provider = services.register_provider(
        staff,
        uscc=make_uscc(100 + n, region="650203"),
        name=name,
        contact_name="联系人",
        contact_phone="0992-1234567",
        categories=list(categories),
        approved=True,
    )
    services.add_service(staff, provider, category=categories[0], name=f"{name}检测服务")
    return provider


@pytest.fixture
def provider(staff_user):
    return _provider(staff_user, 1, "甲检测中心")


@pytest.fixture
def other_provider(staff_user):
    return _provider(staff_user, 2, "乙检测中心")


def _provider_user(provider, username: str):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username=username, password="x", role="provider", organization=provider.organization
    )


@pytest.fixture
def provider_user(provider):
    return _provider_user(provider, "t_prv")


@pytest.fixture
def other_provider_user(other_provider):
    return _provider_user(other_provider, "t_prv2")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_scheme(staff_user, today):
    """``make_scheme(budget=..., cap=...)`` → an open scheme whose window covers today."""
    from kechuang.vouchers import services

    def make(**kwargs):
        kwargs.setdefault("year", today.year)
        kwargs.setdefault("name", f"创新券{kwargs['year']}")
        kwargs.setdefault("budget", 100 * W)
        kwargs.setdefault("cap", 20 * W)
        kwargs.setdefault("subsidy_ratio", Decimal("0.5"))
        kwargs.setdefault("categories", ["testing", "ip", "rd_design"])
        kwargs.setdefault("issue_from", today - dt.timedelta(days=200))
        kwargs.setdefault("issue_until", today + dt.timedelta(days=200))
        kwargs.setdefault("validity_days", 180)
        return services.create_scheme(staff_user, **kwargs)

    return make


@pytest.fixture
def scheme(make_scheme):
    return make_scheme()


@pytest.fixture
def flow(staff_user, enterprise_user, enterprise, scheme, provider, provider_user):
    """Walk a voucher of ``enterprise`` to a state through the services:
    ``flow.issue()``, ``flow.assign(v)``, ``flow.claim(v)``, ``flow.verify(r)``, ``flow.settle(r)``.
    """
    from kechuang.vouchers import services

    class Flow:
        def issue(self, amount=10 * W, *, who=enterprise_user, firm=enterprise, on=None):
            app = services.apply_for_voucher(
                who, firm, scheme, amount=amount, category="testing", purpose="检测", on=on
            )
            return services.approve_application(staff_user, app, on=on)

        def assign(self, voucher, service=None):
            return services.use_voucher(
                enterprise_user, voucher, service or provider.services.first()
            )

        def claim(self, voucher, contract=16 * W, invoice=None, user=provider_user, on=None):
            return services.submit_redemption(
                user,
                voucher,
                contract_no="HT-001",
                contract_amount=contract,
                invoice_no="FP-001",
                invoice_amount=contract if invoice is None else invoice,
                contract_files=[upload("pdf", "合同.pdf")],
                invoice_files=[upload("jpeg", "发票.jpg")],
                on=on,
            )

        def verify(self, redemption):
            return services.verify_redemption(staff_user, redemption)

        def settle(self, redemption):
            return services.settle_redemption(staff_user, redemption)

        def assigned(self, amount=10 * W):
            return self.assign(self.issue(amount))

        def redeeming(self, amount=10 * W, contract=16 * W):
            v = self.assigned(amount)
            return v, self.claim(v, contract)

    return Flow()


def ledger_rows() -> int:
    from kechuang.vouchers.models import LedgerEntry

    return LedgerEntry.objects.count()


ROLES = ["admin_user", "staff_user", "reporter", "enterprise_user", "expert", "provider_user"]


@pytest.fixture
def as_role(request, client):
    """``as_role("reporter")`` → the test client logged in as that fixture's user (or anonymous
    for ``"anonymous"``)."""

    def login(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return login
