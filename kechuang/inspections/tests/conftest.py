"""Spot-check fixtures: units, projects and enterprises to draw from, a library of inspectors,
and plans at each step.

``enterprise_user`` (root conftest) acts for the unit ``ent-demo``: the ``own_project`` fixture
makes it the only object of a plan, so its user is the inspected unit's user.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.supervision.tests.files import CONTENTS

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def make_unit(plan):
    """``make_unit("企业甲")`` → an enterprise organisation."""
    from kechuang.accounts.models import Organization

    def make(name: str | None = None, kind: str = "enterprise"):
        n = next(_numbers)
        return Organization.objects.create(code=f"unit-{n}", name=name or f"被查单位{n}", kind=kind)

    return make


@pytest.fixture
def make_project(staff_user, today, make_unit):
    """``make_project(unit, state="in_progress")`` → a project carried by ``unit``; an end state
    is reached with its state-change row dated now."""
    from kechuang.calls.models import Application, Call, Program
    from kechuang.projects import services
    from kechuang.projects.models import Project, ProjectStateChange

    def make(unit=None, *, state: str = "in_progress", title: str | None = None):
        n = next(_numbers)
        unit = unit or make_unit()
        program, _ = Program.objects.get_or_create(
            code="key-rd", defaults={"name": "重点研发", "kind": "key_rd", "is_major": False}
        )
        now = timezone.now()
        call = Call.objects.create(
            program=program,
            code=f"call-{n}",
            title=f"申报指南{n}",
            year=today.year,
            opens_at=now - dt.timedelta(days=90),
            closes_at=now - dt.timedelta(days=60),
            budget=Decimal("10000000"),
            state=Call.State.DECIDED,
        )
        application = Application.objects.create(
            call=call,
            code=f"SB-T-{n:04d}",
            applicant=unit,
            created_by=staff_user,
            title=title or f"抽查测试项目{n}",
            fields=["新材料"],
            requested_amount=Decimal("500000.00"),
            state=Application.State.APPROVED,
        )
        project = services.create_project(
            staff_user,
            application,
            approved_amount=Decimal("400000.00"),
            starts_on=today - dt.timedelta(days=100),
            ends_on=today + dt.timedelta(days=300),
            lead_person="李工",
        )
        if state != "in_progress":
            # The end of a project's life is the projects app's business; here only its trace.
            ProjectStateChange.objects.create(
                project=project, from_state="acceptance", to_state=state, changed_by=staff_user
            )
            Project.objects.filter(pk=project.pk).update(state=state)
            project.refresh_from_db()
        return project

    return make


@pytest.fixture
def make_enterprise(make_unit, today):
    """``make_enterprise(hnte=True, pool=False)`` → a registry enterprise, optionally holding a
    valid HNTE certificate and/or sitting in the cultivation pool."""
    from kechuang.cultivation.models import PipelineEntry
    from kechuang.enterprises.models import Certification, Enterprise

    def make(*, hnte: bool = False, pool: bool = False, expired: bool = False, **values):
        n = next(_numbers)
        unit = make_unit(values.pop("name", f"测试企业{n}"))
        firm = Enterprise.objects.create(
            uscc=f"91650202T{n:08d}"[:18], name=unit.name, organization=unit, **values
        )
        if hnte or expired:
            issued = today - dt.timedelta(days=1200 if expired else 100)
            Certification.objects.create(
                enterprise=firm,
                kind="hnte",
                issued_on=issued,
                expires_on=issued + dt.timedelta(days=3 * 365),
            )
        if pool:
            PipelineEntry.objects.create(
                enterprise=firm, stage="pool", since=today, entered_on=today
            )
        return firm

    return make


@pytest.fixture
def make_expert(plan):
    """``make_expert("E00101", "研究院1")`` → a library expert with a login (unless told not)."""
    from kechuang.accounts.models import User
    from kechuang.experts.models import Expert, ExpertField

    def make(code: str, unit: str, *, login: bool = True, fields=("新材料",), **values):
        user = (
            User.objects.create_user(
                username=f"x_{code}", password="pw", role="expert", email=f"{code}@example.invalid"
            )
            if login
            else None
        )
        expert = Expert.objects.create(
            code=code,
            name=values.pop("name", f"检查员{code[-2:]}号"),
            id_number_token="token",
            id_number_hash=f"hash-{code}",
            id_number_masked="6502**********0011",
            title="senior",
            organization_name=unit,
            fields=list(fields),
            phone=values.pop("phone", "13900000000"),
            email=f"{code}@example.invalid",
            user=user,
            **values,
        )
        ExpertField.objects.bulk_create([ExpertField(expert=expert, field=f) for f in fields])
        return expert

    return make


@pytest.fixture
def inspectors(make_expert):
    """Six inspectors in six units."""
    return [make_expert(f"E009{i:02d}", f"检查单位{i}") for i in range(1, 7)]


@pytest.fixture
def own_project(make_project, enterprise_user):
    """A running project of the enterprise user's unit."""
    return make_project(enterprise_user.organization, title="本单位在研项目")


def make_plan(user, **values):
    from kechuang.inspections import services

    values.setdefault("title", "2025年在研项目双随机抽查")
    values.setdefault("year", timezone.localdate().year)
    values.setdefault("pool", "projects_running")
    values.setdefault("sampling", "count")
    if values["sampling"] == "count":
        values.setdefault("count", 1)
    return services.create_plan(user, **values)


@pytest.fixture
def draft(own_project, staff_user, inspectors):
    """A plan whose only object is the enterprise user's project; objects not drawn yet."""
    return make_plan(staff_user)


@pytest.fixture
def objects_drawn(draft, staff_user):
    from kechuang.inspections import services

    return services.draw_objects(staff_user, draft)


@pytest.fixture
def assigned(objects_drawn, staff_user):
    """Inspectors drawn; the plan waits for results."""
    from kechuang.inspections import services

    return services.draw_inspectors(staff_user, objects_drawn)


@pytest.fixture
def check(assigned):
    return assigned.checks.get()


@pytest.fixture
def inspector_user(check):
    """The login of the first inspector drawn for the check."""
    return check.assignments.select_related("expert__user").first().expert.user


@pytest.fixture
def outsider_inspector(check, inspectors):
    """An expert with a login who was not drawn for this check."""
    drawn = set(check.assignments.values_list("expert_id", flat=True))
    return next(e for e in inspectors if e.pk not in drawn).user


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization, User

    unit = Organization.objects.create(code="prov-i", name="服务机构乙", kind="provider")
    return User.objects.create_user(
        username="t_provider_i", password="pw", role="provider", organization=unit
    )


@pytest.fixture
def other_enterprise_user(plan):
    from kechuang.accounts.models import Organization, User

    other = Organization.objects.create(code="ent-other-i", name="无关企业", kind="enterprise")
    return User.objects.create_user(
        username="t_ent_other_i", password="pw", role="enterprise", organization=other
    )


def record(user, check, **values):
    from kechuang.inspections import services

    values.setdefault("inspected_on", timezone.localdate())
    values.setdefault("result", "pass")
    values.setdefault("findings", "资金使用规范，进度与任务书一致。")
    return services.record_result(user, check, **values)


@pytest.fixture
def upload():
    """``upload("记录.pdf")`` → a file whose content matches its extension, or ``kind=``."""

    def make(name: str, kind: str | None = None):
        ext = name.rsplit(".", 1)[-1].lower()
        return SimpleUploadedFile(name, CONTENTS[kind or ext])

    return make
