"""Carrier fixtures: a host organisation with its enterprise user, carriers made through the
service, one login per role, and Excel uploads built in memory."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ROLES = ["admin_user", "staff_user", "reporter", "enterprise_user", "expert_user", "provider_user"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def user_with_role(username: str, role: str, organization=None):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, organization=organization
    )


@pytest.fixture
def expert_user(plan):
    return user_with_role("t_expert", "expert")


@pytest.fixture
def provider_user(plan):
    from kechuang.accounts.models import Organization

    org = Organization.objects.create(code="t-provider", name="测试服务机构", kind="provider")
    return user_with_role("t_provider", "provider", org)


@pytest.fixture
def as_role(request, client_for):
    """``as_role("staff_user")`` → a client logged in as that fixture's user; None → anonymous."""

    def login(name: str | None):
        if name is None:
            return request.getfixturevalue("client")
        return client_for(request.getfixturevalue(name))

    return login


@pytest.fixture
def host_org(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.create(code="t-host", name="测试孵化运营公司", kind="enterprise")


@pytest.fixture
def host_user(host_org):
    """An enterprise user of the organisation that hosts the test carriers."""
    return user_with_role("t_host", "enterprise", host_org)


@pytest.fixture
def make_carrier(staff_user, host_org):
    from kechuang.carriers import services

    def make(name="测试众创空间", kind="makerspace", level="district", **values):
        values.setdefault("host", host_org)
        values.setdefault("recognised_on", dt.date(2020, 3, 1))
        values.setdefault("is_public", True)
        return services.create_carrier(staff_user, name=name, kind=kind, level=level, **values)

    return make


@pytest.fixture
def incubator(make_carrier):
    return make_carrier()


@pytest.fixture
def lab(make_carrier):
    return make_carrier("测试重点实验室", "key_lab", "regional")


def xlsx_upload(header: list[str], rows: list[list], name: str = "metrics.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)
