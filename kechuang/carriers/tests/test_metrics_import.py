"""The yearly metrics template and the all-or-nothing import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from kechuang.carriers import imports, services
from kechuang.carriers.models import CarrierMetrics
from kechuang.carriers.tests.conftest import xlsx_upload
from kechuang.core.problems import Rejected

HEADER = [c.header for c in imports.COLUMNS]


def row(name: str, year: int, **values) -> list:
    keys = [c.key for c in imports.COLUMNS]
    cells = {"carrier": name, "year": year, **values}
    return [cells.get(k) for k in keys]


def test_the_template_lists_each_carrier_with_what_is_on_file(staff_user, incubator, lab):
    services.save_metrics(staff_user, incubator, 2024, {"firms_incubating": 12})
    wb = load_workbook(io.BytesIO(imports.metrics_template(2024)))
    rows = list(wb["数据"].iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"测试众创空间", "测试重点实验室"}
    assert by_name["测试众创空间"][HEADER.index("在孵企业数 / firms in incubation")] == 12
    assert "说明" in wb.sheetnames


def test_a_good_file_is_imported_and_reimporting_changes_nothing(staff_user, incubator, lab):
    rows = [
        row("测试众创空间", 2024, firms_incubating=20, firms_graduated=2, jobs=80),
        row("测试重点实验室", 2024, staff=15, patents=3),
        row("测试重点实验室", 2023),  # all blank: not reporting this year
    ]
    result = imports.import_metrics(staff_user, xlsx_upload(HEADER, rows))
    assert (result.created, result.updated, result.blank) == (2, 0, 1)
    assert CarrierMetrics.objects.get(carrier=lab).patents == 3
    again = imports.import_metrics(staff_user, xlsx_upload(HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_approve_on_import_approves_the_rows(staff_user, incubator):
    imports.import_metrics(
        staff_user, xlsx_upload(HEADER, [row("测试众创空间", 2024, jobs=5)]), approve=True
    )
    assert CarrierMetrics.objects.get().status == "approved"


def test_one_bad_row_means_nothing_is_written_and_each_problem_has_its_row_and_column(
    staff_user, incubator, lab
):
    rows = [
        row("测试众创空间", 2024, firms_incubating=5),
        row("测试众创空间", 2025, firms_incubating=3, firms_graduated=4),
        row("不存在的载体", 2024, jobs=1),
        row("测试重点实验室", 2024, patents=-2),
        row("测试众创空间", 2024, jobs=1),
        row("测试众创空间", 2019, jobs=1),
    ]
    with pytest.raises(Rejected) as exc:
        imports.import_metrics(staff_user, xlsx_upload(HEADER, rows))
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "第3行 / row 3 · 毕业企业数 / firms_graduated" in text
    assert "毕业企业数（4）超过当年在孵企业数（3）" in text
    assert "第4行 / row 4 · 载体名称 / carrier" in text and "不存在的载体" in text
    assert "第5行 / row 5 · 专利数 / patents" in text
    assert "第6行 / row 6" in text and "与第2行重复" in text
    assert "第7行 / row 7 · 年度 / year" in text and "早于载体认定" in text
    assert not CarrierMetrics.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("metrics.xlsx", b"%PDF-1.4 not a workbook")
    with pytest.raises(Rejected) as exc:
        imports.import_metrics(staff_user, fake)
    assert "与扩展名 .xlsx 不符" in str(exc.value)


def test_only_the_bureau_imports(host_user, incubator):
    with pytest.raises(PermissionDenied):
        imports.import_metrics(host_user, xlsx_upload(HEADER, [row("测试众创空间", 2024)]))


def test_the_import_page_uploads_and_reports(client_for, staff_user, incubator):
    c = client_for(staff_user)
    assert c.get("/carriers/metrics/template.xlsx?year=2024").status_code == 200
    bad = xlsx_upload(HEADER, [row("测试众创空间", 2024, jobs=-5)])
    response = c.post("/carriers/metrics/import/", {"file": bad})
    assert response.status_code == 200 and "不能为负数" in response.content.decode()
    good = xlsx_upload(HEADER, [row("测试众创空间", 2024, jobs=5)])
    assert c.post("/carriers/metrics/import/", {"file": good}).status_code == 302
    assert CarrierMetrics.objects.get().jobs == 5


@pytest.mark.parametrize("who", ["host_user", "reporter", "enterprise_user"])
def test_the_import_page_is_the_bureaus(client_for, request, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/carriers/metrics/import/").status_code == 403
    assert client_for(user).get("/carriers/metrics/template.xlsx").status_code == 403
