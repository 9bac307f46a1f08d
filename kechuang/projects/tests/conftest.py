"""Project fixtures: approved applications, projects at each step, panel experts, files.

``enterprise_user`` (root conftest) acts for the organisation ``ent-demo``, which carries the
projects made here; ``other_enterprise_user`` acts for an unrelated enterprise.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.supervision.tests.files import CONTENTS

FIELD = "新材料"
APPROVED = Decimal("1000000.00")
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded attachments go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def org(enterprise_user):
    return enterprise_user.organization


@pytest.fixture
def other_enterprise_user(plan):
    from kechuang.accounts.models import Organization, User

    other = Organization.objects.create(code="ent-other", name="另一企业", kind="enterprise")
    return User.objects.create_user(
        username="t_ent_other", password="pw", role="enterprise", organization=other
    )


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization, User

    unit = Organization.objects.create(code="prov-1", name="服务机构甲", kind="provider")
    return User.objects.create_user(
        username="t_provider", password="pw", role="provider", organization=unit
    )


@pytest.fixture
def make_application(org, staff_user):
    """``make_application(major=True)`` → an APPROVED application of ``org``."""
    from kechuang.calls.models import Application, Call, Program

    def make(*, major: bool = True, requested=Decimal("1200000.00"), applicant=None):
        n = next(_numbers)
        program, _ = Program.objects.get_or_create(
            code="major" if major else "key-rd",
            defaults={
                "name": "重大科技专项" if major else "重点研发",
                "kind": "major" if major else "key_rd",
                "is_major": major,
            },
        )
        now = timezone.now()
        call = Call.objects.create(
            program=program,
            code=f"call-{n}",
            title=f"2025年{program.name}申报指南",
            year=2025,
            opens_at=now - dt.timedelta(days=90),
            closes_at=now - dt.timedelta(days=60),
            budget=Decimal("10000000"),
            state=Call.State.DECIDED,
        )
        return Application.objects.create(
            call=call,
            code=f"SB-2025-{n:04d}",
            applicant=applicant or org,
            created_by=staff_user,
            title=f"高性能聚烯烃催化剂研发{n}",
            fields=[FIELD],
            requested_amount=requested,
            state=Application.State.APPROVED,
        )

    return make


@pytest.fixture
def make_project(make_application, staff_user, today):
    """``make_project(major=True)`` → a project in progress, contract not yet signed."""
    from kechuang.projects import services

    def make(*, major: bool = True, applicant=None):
        return services.create_project(
            staff_user,
            make_application(major=major, applicant=applicant),
            approved_amount=APPROVED,
            starts_on=today - dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=500),
            lead_person="王工",
        )

    return make


@pytest.fixture
def project(make_project):
    return make_project()


def sign(project, user, on: dt.date):
    """Give a project a complete contract and sign it."""
    from kechuang.projects import services

    services.add_milestone(user, project, title="完成中试", due_on=on + dt.timedelta(days=30))
    services.add_deliverable(
        user, project, kind="patent", description="申请发明专利", target_quantity=3
    )
    services.add_deliverable(user, project, kind="product", description="新产品", target_quantity=1)
    services.set_budget(
        user,
        project,
        [
            ("fiscal", "equipment", Decimal("600000.00")),
            ("fiscal", "materials", Decimal("400000.00")),
            ("self", "labour", Decimal("200000.00")),
        ],
    )
    return services.sign_contract(user, project, signed_on=on)


@pytest.fixture
def signed(project, staff_user, today):
    return sign(project, staff_user, today)


@pytest.fixture
def make_expert(plan):
    """``make_expert("E001", org_name)`` → a library expert in the project's field, with a login."""
    from kechuang.accounts.models import User
    from kechuang.experts.models import Expert

    def make(code: str, unit: str, *, fields=(FIELD,), login: bool = True):
        user = (
            User.objects.create_user(username=f"x_{code}", password="pw", role="expert")
            if login
            else None
        )
        return Expert.objects.create(
            code=code,
            name=f"专家{code}",
            id_number_token="token",
            id_number_hash=f"hash-{code}",
            id_number_masked="6501**********0011",
            title="senior",
            organization_name=unit,
            fields=list(fields),
            user=user,
        )

    return make


@pytest.fixture
def experts(make_expert):
    """Six experts in six units, all in the project's field."""
    return [make_expert(f"E00{i}", f"研究院{i}") for i in range(1, 7)]


@pytest.fixture
def midterm(signed, staff_user, experts):
    from kechuang.projects import services

    return services.start_midterm(staff_user, signed, k=3)


@pytest.fixture
def panel_user(midterm):
    return midterm.panel.select_related("expert__user").first().expert.user


@pytest.fixture
def outsider_expert(midterm, experts):
    """An expert in the library but not on this project's panel."""
    on_panel = set(midterm.panel.values_list("expert_id", flat=True))
    return next(e for e in experts if e.pk not in on_panel).user


@pytest.fixture
def upload():
    """``upload("进展.pdf")`` → a file whose content matches its extension, or ``kind=``."""

    def make(name: str, kind: str | None = None):
        ext = name.rsplit(".", 1)[-1].lower()
        return SimpleUploadedFile(name, CONTENTS[kind or {"jpg": "jpeg"}.get(ext, ext)])

    return make


ROLES = [
    "admin_user",
    "staff_user",
    "reporter",
    "enterprise_user",
    "other_enterprise_user",
    "provider_user",
]
