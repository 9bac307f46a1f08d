"""The contract template, export and all-or-nothing import (upsert by registration number)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kechuang.achievements import imports
from kechuang.achievements.models import TechContract
from kechuang.achievements.tests.conftest import xlsx_upload
from kechuang.core.problems import Rejected

HEADER = [c.header for c in imports.COLUMNS]
KEYS = [c.key for c in imports.COLUMNS]


def row(number: str, **values) -> list:
    cells = {
        "registration_number": number,
        "registered_on": "2024-05-20",
        "kind": "技术开发",
        "title": "聚烯烃新牌号开发",
        "buyer_name": "甘肃某公司",
        "amount": 1000000,
        "trade_value": 800000,
        **values,
    }
    return [cells.get(k) for k in KEYS]


def test_a_good_file_is_imported_and_reimporting_changes_nothing(staff_user, enterprise):
    rows = [
        row("2024650202000001", seller_uscc=enterprise.uscc),
        row("2024650202000002", seller_name="上海某研究院", seller_in_district="否"),
    ]
    result = imports.import_contracts(staff_user, xlsx_upload(HEADER, rows))
    assert (result.created, result.updated) == (2, 0)
    first = TechContract.objects.get(registration_number="2024650202000001")
    assert first.seller == enterprise and first.seller_in_district and first.year == 2024
    again = imports.import_contracts(staff_user, xlsx_upload(HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_changed_row_updates_its_contract(staff_user, enterprise):
    imports.import_contracts(
        staff_user, xlsx_upload(HEADER, [row("2024650202000001", seller_uscc=enterprise.uscc)])
    )
    changed = row("2024650202000001", seller_uscc=enterprise.uscc, amount=1500000)
    result = imports.import_contracts(staff_user, xlsx_upload(HEADER, [changed]))
    assert result.updated == 1
    assert TechContract.objects.get().amount == Decimal("1500000.00")


def test_one_bad_row_means_nothing_is_written_and_each_problem_has_row_and_column(
    staff_user, enterprise
):
    rows = [
        row("2024650202000001", seller_uscc=enterprise.uscc),
        row("2024650202000002", seller_uscc=enterprise.uscc, trade_value=1200000),
        row("2024650202000003", seller_uscc="91650202MA0000000X"),
        row("2024650202000001", seller_uscc=enterprise.uscc),
        row("2024650202000004", seller_name="某研究院"),
        row("2024650202000005", seller_uscc=enterprise.uscc, amount="很多"),
    ]
    with pytest.raises(Rejected) as exc:
        imports.import_contracts(staff_user, xlsx_upload(HEADER, rows))
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "第3行 / row 3 · 技术交易额 / trade_value" in text
    assert "技术交易额（1200000.00 元）超过合同成交额（1000000.00 元）" in text
    assert "第4行 / row 4 · 卖方统一社会信用代码 / seller_uscc" in text
    assert "第5行 / row 5 · 登记编号 / registration_number" in text and "与第2行重复" in text
    assert "第6行 / row 6 · 卖方为本区单位 / seller_in_district" in text
    assert "第7行 / row 7 · 合同成交额（元） / amount" in text
    assert not TechContract.objects.exists()


def test_the_export_reimports_unchanged(staff_user, make_contract):
    make_contract()
    make_contract(seller=None, seller_name="北京某公司", seller_in_district=False)
    content = imports.export(TechContract.objects.select_related("seller", "buyer"))
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    upload = SimpleUploadedFile("back.xlsx", content)
    result = imports.import_contracts(staff_user, upload)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_only_the_bureau_imports(own_user):
    with pytest.raises(PermissionDenied):
        imports.import_contracts(own_user, xlsx_upload(HEADER, [row("x")]))


def test_the_import_page_and_template(client_for, staff_user, enterprise):
    c = client_for(staff_user)
    template = c.get("/achievements/contracts/template.xlsx")
    assert "说明" in load_workbook(io.BytesIO(template.content)).sheetnames
    bad = xlsx_upload(HEADER, [row("N1", seller_uscc=enterprise.uscc, amount=-5)])
    response = c.post("/achievements/contracts/import/", {"file": bad})
    assert response.status_code == 200 and "不能为负数" in response.content.decode()
    good = xlsx_upload(HEADER, [row("N1", seller_uscc=enterprise.uscc)])
    assert c.post("/achievements/contracts/import/", {"file": good}).status_code == 302
    assert TechContract.objects.count() == 1
