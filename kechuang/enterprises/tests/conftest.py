"""Enterprise fixtures: the industry codes, a park, enterprises made through the service, and
files built in memory (xlsx or csv) for the imports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc as stdnum_uscc


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_uscc(n: int, region: str = "650202") -> str:
    """A valid code for the nth test enterprise (check character by python-stdnum)."""
    body = f"91{region}{n:09d}"[:17]
    body = body[:8] + body[8:].replace("I", "1")
    return body + stdnum_uscc.calc_check_digit(body)


@pytest.fixture
def uscc():
    return make_uscc


@pytest.fixture
def industries(db):
    from kechuang.enterprises.codes import load_industry_codes

    load_industry_codes()


@pytest.fixture
def park(db):
    from kechuang.enterprises.models import Park

    return Park.objects.create(code="dsz-etdz", name="独山子经济技术开发区")


@pytest.fixture
def make_enterprise(industries, staff_user):
    """``make_enterprise(n, **profile)`` → an enterprise registered through the service."""
    from kechuang.enterprises import services

    def make(n: int = 1, **profile):
        profile.setdefault("name", f"新疆独山子测试{n}新材料有限公司")
        profile.setdefault("industry", "C26")
        return services.create_enterprise(staff_user, uscc=make_uscc(n), **profile)

    return make


@pytest.fixture
def enterprise(make_enterprise):
    import datetime as dt

    return make_enterprise(1, registered_on=dt.date(2015, 3, 1))


@pytest.fixture
def own_user(enterprise):
    """An enterprise user of ``enterprise``."""
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username="t_own",
        password="pw-t_own",
        role="enterprise",
        organization=enterprise.organization,
    )


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(header: list[str], rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def write_file(tmp_path):
    """``write_file("x.xlsx", header, rows)`` → a path to a file with those rows."""

    def write(name: str, header: list[str], rows: list[list], encoding: str = "utf-8-sig") -> Path:
        path = tmp_path / name
        if name.endswith(".xlsx"):
            path.write_bytes(xlsx_bytes(header, rows))
        else:
            path.write_bytes(csv_bytes(header, rows, encoding))
        return path

    return write
