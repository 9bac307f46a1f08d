"""Report fixtures: files under a throwaway MEDIA_ROOT, users of every role with the
organisations the permission rules look at, and readers for the generated .docx."""

from __future__ import annotations

import io

import pytest
from docx import Document


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Generated reports go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tjj(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.get(code="tjj")


@pytest.fixture
def czj(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.get(code="czj")


@pytest.fixture
def enterprise(staff_user):
    """A registry enterprise with approved figures and a certification."""
    import datetime as dt
    from decimal import Decimal

    from kechuang.enterprises.codes import load_industry_codes
    from kechuang.enterprises.models import Certification, YearlyFigures
    from kechuang.enterprises.services import create_enterprise
    from kechuang.enterprises.tests.conftest import make_uscc

    load_industry_codes()
    e = create_enterprise(
        staff_user,
        uscc=make_uscc(7),
        name="新疆独山子报告测试新材料有限公司",
        industry="C26",
        registered_on=dt.date(2015, 3, 1),
    )
    YearlyFigures.objects.create(
        enterprise=e,
        year=2023,
        operating_revenue=Decimal("52000000"),
        rd_personnel=Decimal("1800000"),
        employees=120,
        st_staff=30,
        rd_staff=18,
        status=YearlyFigures.Status.APPROVED,
    )
    Certification.objects.create(
        enterprise=e,
        kind=Certification.Kind.TECH_SME,
        number="2023650202000123",
        issued_on=dt.date(2023, 5, 1),
        expires_on=dt.date(2030, 12, 31),
    )
    return e


@pytest.fixture
def own_user(enterprise):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username="t_own", password="pw", role="enterprise", organization=enterprise.organization
    )


@pytest.fixture
def expert_user(plan):
    from kechuang.accounts.models import User

    return User.objects.create_user(username="t_expert", password="pw", role="expert")


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization, User

    org = Organization.objects.create(code="prov-t", name="测试服务机构", kind="provider")
    return User.objects.create_user(
        username="t_prov", password="pw", role="provider", organization=org
    )


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def table_texts(document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


@pytest.fixture
def cultivated(enterprise, staff_user):
    """The enterprise entered the cultivation pool in 2022 and was visited in 2023."""
    import datetime as dt

    from kechuang.cultivation.models import PipelineEntry, ServiceRecord, Stage

    PipelineEntry.objects.create(
        enterprise=enterprise,
        stage=Stage.POOL,
        since=dt.date(2022, 4, 1),
        entered_on=dt.date(2022, 4, 1),
    )
    ServiceRecord.objects.create(
        enterprise=enterprise, kind="visit", date=dt.date(2023, 6, 1), officer=staff_user
    )
    return enterprise


_BUILT: dict[tuple, bytes] = {}


@pytest.fixture
def yearly_2024(demo, cultivated):
    """The demo plan's 2024 report, built once for the whole run (it only reads the data)."""
    from kechuang.reports import builders

    key = ("yearly", 2024)
    if key not in _BUILT:
        _BUILT[key] = builders.yearly_report(demo, 2024).content
    return open_docx(_BUILT[key])


@pytest.fixture
def make_report(staff_user):
    """``make_report(kind, **subject)`` → a finished report with a small file."""
    from django.core.files.base import ContentFile

    from kechuang.reports.models import Report

    def make(kind="yearly", *, state="done", created_by=None, **subject):
        report = Report.objects.create(
            kind=kind,
            subject=Report.subject_of(kind, **subject),
            version=Report.objects.filter(subject=Report.subject_of(kind, **subject)).count() + 1,
            title=f"测试{kind}报告",
            state=state,
            progress=100 if state == "done" else 30,
            created_by=created_by or staff_user,
            **subject,
        )
        if state == "done":
            report.file.save("r.docx", ContentFile(b"PK-test-" + kind.encode()), save=False)
            report.file_name = "测试报告.docx"
            report.size = report.file.size
            report.save()
        return report

    return make


@pytest.fixture
def reports(demo, make_report, enterprise, tjj):
    """One report of each kind the permission rules tell apart."""
    return {
        "yearly": make_report("yearly", plan=demo, year=2024),
        "enterprise": make_report("enterprise", enterprise=enterprise),
        "department": make_report("department", plan=demo, department=tjj),
    }


@pytest.fixture
def other_enterprise_user(plan):
    from kechuang.accounts.models import Organization, User

    org = Organization.objects.create(code="ent-other", name="另一企业", kind="enterprise")
    return User.objects.create_user(
        username="t_other_ent", password="pw", role="enterprise", organization=org
    )
