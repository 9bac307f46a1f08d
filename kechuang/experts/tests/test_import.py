"""Importing the library from Excel: the template, good files, bad files, re-imports."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kechuang.core.problems import Rejected
from kechuang.experts import identity
from kechuang.experts.imports import COLUMNS, import_experts
from kechuang.experts.models import Expert, ExpertField
from kechuang.experts.tests.conftest import id_number, row, xlsx

URL = "/experts/import/"


def upload(content: bytes, name: str = "专家.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rejected(user, content: bytes) -> list[str]:
    with pytest.raises(Rejected) as info:
        import_experts(user, upload(content))
    return [f"{p.where}: {p.message_en}" for p in info.value.problems]


def test_the_template_has_the_chinese_headers_and_a_text_id_column(client_for, staff_user):
    response = client_for(staff_user).get("/experts/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["数据"]
    header = [c.value for c in ws[1]]
    assert header == [c.header for c in COLUMNS] and header[1] == "姓名 / name"
    id_col = header.index("身份证号 / ID number") + 1
    assert ws.cell(row=2, column=id_col).number_format == "@"
    assert "说明" in wb.sheetnames


def test_a_good_file_adds_every_row(staff_user, org):
    content = xlsx(
        [
            row(1, is_finance="是", organization_code="ent-apply", gender="女"),
            row(2, available="否", unavailable_until="2026-12-31", unavailable_reason="出国"),
        ]
    )
    result = import_experts(staff_user, upload(content))
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    a, b = Expert.objects.order_by("code")
    assert a.code == "E00001" and a.is_finance and a.organization == org and a.gender == "female"
    assert a.fields == ["电子信息", "新材料"] and identity.decrypt(a.id_number_token) == id_number(
        1
    )
    assert not b.available and str(b.unavailable_until) == "2026-12-31"
    assert ExpertField.objects.count() == 4
    assert (
        LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_repr__startswith="E0").count()
        == 2
    )


def test_re_importing_updates_by_id_number_and_counts_the_unchanged(staff_user):
    import_experts(staff_user, upload(xlsx([row(1), row(2)])))
    result = import_experts(
        staff_user, upload(xlsx([row(1), row(2, specialty="氢能", title="副高级")]))
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    b = Expert.objects.get(code="E00002")
    assert b.specialty == "氢能" and b.title == "associate"
    update = LogEntry.objects.get_for_object(b).get(action=LogEntry.Action.UPDATE)
    assert set(update.changes) == {"specialty", "title"}


def test_a_row_with_a_code_updates_that_expert_even_with_a_new_number(staff_user, make_expert):
    make_expert(1)
    import_experts(staff_user, upload(xlsx([row(5, code="e00001", name="改名")])))
    e = Expert.objects.get()
    assert e.name == "改名" and identity.decrypt(e.id_number_token) == id_number(5)


def test_export_then_re_import_keeps_the_masked_numbers(client_for, staff_user, make_expert):
    e = make_expert(1)
    exported = client_for(staff_user).get("/experts/?format=xlsx").content
    ws = load_workbook(io.BytesIO(exported)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    rows[1][9] = "新特长"  # specialty
    result = import_experts(staff_user, upload(xlsx(rows[1:], header=rows[0])))
    assert (result.updated, result.created) == (1, 0)
    e.refresh_from_db()
    assert e.specialty == "新特长" and identity.decrypt(e.id_number_token) == id_number(1)


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(staff_user):
    content = xlsx(
        [
            row(1),
            row(2, name="", id_number="650202"),
            row(3, title="教授", fields="石油化工", email="bad"),
            row(4, id_number=id_number(1)),  # same person as row 2 of the file
            row(5, id_number=650202197503060011),  # Excel turned it into a number
            row(6, code="E00077"),
            row(7, organization_code="no-such-unit", unavailable_from="明天"),
        ]
    )
    found = rejected(staff_user, content)
    assert found == [
        "专家.xlsx 第3行 / row 3 · 姓名 / name: name is required",
        "专家.xlsx 第3行 / row 3 · 身份证号 / id_number: the ID number must have 18 characters, "
        "not 6",
        "专家.xlsx 第4行 / row 4 · 职称级别 / title: title level '教授' is not one of the allowed "
        "values",
        "专家.xlsx 第4行 / row 4 · 技术领域 / fields: '石油化工' is not one of the state-supported "
        "high-tech fields",
        "专家.xlsx 第4行 / row 4 · 电子邮箱 / email: 'bad' is not an e-mail address",
        "专家.xlsx 第5行 / row 5 · 身份证号 / id_number: same ID number as row 2",
        "专家.xlsx 第6行 / row 6 · 身份证号 / id_number: the ID number was stored by Excel as a "
        "number (its last digits are lost); format the column as text and enter it again",
        "专家.xlsx 第7行 / row 7 · 专家编号 / code: no expert has code E00077 (leave it empty for "
        "a new expert)",
        "专家.xlsx 第8行 / row 8 · 不可参加起 / unavailable_from: unavailable from '明天' is not a "
        "date (e.g. 2020-05-20)",
        "专家.xlsx 第8行 / row 8 · 单位代码 / organization_code: unknown unit code 'no-such-unit'",
    ]
    assert not Expert.objects.exists()


def test_a_number_already_held_by_another_code_is_refused(staff_user, make_expert):
    make_expert(1)
    make_expert(2)
    found = rejected(staff_user, xlsx([row(1, code="E00002")]))
    assert found == [
        "专家.xlsx 第2行 / row 2 · 身份证号 / id_number: "
        "this ID number belongs to E00001, not E00002"
    ]


def test_a_missing_required_column_is_named(staff_user):
    header = [c.header for c in COLUMNS if c.key != "fields"]
    found = rejected(staff_user, xlsx([["x"] * len(header)], header=header))
    assert found == ["专家.xlsx 第1行 / row 1: missing column(s): fields"]


def test_a_file_that_is_not_excel_is_refused_by_its_content(staff_user):
    found = rejected(staff_user, b"name,id\n")
    assert "专家.xlsx" in found[0]


def test_the_page_shows_problems_and_then_success(client_for, staff_user):
    c = client_for(staff_user)
    bad = c.post(URL, {"file": upload(xlsx([row(1, name="")]))})
    assert bad.status_code == 200 and "第2行" in bad.content.decode()
    good = c.post(URL, {"file": upload(xlsx([row(1)]))}, follow=True)
    assert "新增 1 人" in good.content.decode()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_imports(as_role, who):
    c = as_role(who)
    assert c.get(URL).status_code == 403
    assert c.get("/experts/import/template.xlsx").status_code == 403
    assert c.post(URL, {"file": upload(xlsx([row(1)]))}).status_code == 403
    assert not Expert.objects.exists()
