"""Expert fixtures: valid ID numbers, experts made through the service, one login per role the
library and the draws must tell apart, and Excel files built in memory."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from stdnum.cn import ric


def id_number(n: int, region: str = "650202", born: dt.date = dt.date(1975, 3, 1)) -> str:
    """A valid ID number for the nth test person (check digit by python-stdnum)."""
    body = f"{region}{born + dt.timedelta(days=n):%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def user_with_role(username: str, role: str, organization=None):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, organization=organization
    )


@pytest.fixture
def expert_user(plan):
    return user_with_role("t_expert", "expert")


@pytest.fixture
def other_expert_user(plan):
    return user_with_role("t_expert2", "expert")


@pytest.fixture
def provider_user(plan):
    return user_with_role("t_provider", "provider")


ROLES = ["admin_user", "staff_user", "reporter", "enterprise_user", "expert_user", "provider_user"]


@pytest.fixture
def as_role(request, client_for):
    """``as_role("staff_user")`` → a client logged in with that fixture's user, or anonymous."""

    def login(name: str | None):
        if name is None:
            return request.getfixturevalue("client")
        return client_for(request.getfixturevalue(name))

    return login


@pytest.fixture
def make_expert(staff_user):
    """``make_expert(n, **values)`` → an expert created through the service."""
    from kechuang.experts import services

    def make(n: int = 1, **values):
        values.setdefault("name", f"测试专家{n}")
        values.setdefault("id_number", id_number(n))
        values.setdefault("title", "senior")
        values.setdefault("organization_name", f"测试单位{n}")
        values.setdefault("fields", ["新材料"])
        return services.create_expert(staff_user, **values)

    return make


@pytest.fixture
def org(plan):
    """An organisation in our table that applies for projects."""
    from kechuang.accounts.models import Organization

    return Organization.objects.create(code="ent-apply", name="独山子申报企业", kind="enterprise")


def xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    from kechuang.experts.imports import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(header or [c.header for c in COLUMNS])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(n: int, **cells) -> list:
    """One import row in template order; cells by column key."""
    from kechuang.experts.imports import COLUMNS

    values = {
        "name": f"导入专家{n}",
        "id_number": id_number(n),
        "title": "正高级",
        "organization_name": f"导入单位{n}",
        "fields": "新材料、电子信息",
    } | cells
    return [values.get(c.key) for c in COLUMNS]
