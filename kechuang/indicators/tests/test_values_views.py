"""Data-entry pages: lists, the entry form, templates, uploads and the review queue."""

import io

import pytest
from openpyxl import load_workbook

from kechuang.indicators.models import DataValue

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client, plan):
    r = client.get("/data/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_an_enterprise_user_may_not_open_data_entry(client_for, enterprise_user):
    assert client_for(enterprise_user).get("/data/").status_code == 403


def test_the_list_shows_only_the_reporters_department(client_for, other_reporter, demo):
    body = client_for(other_reporter).get("/data/?current=1").content.decode()
    assert "FISCAL_ST_EXP" in body and "RD_EXP" not in body


def test_the_list_page_query_count_does_not_grow_with_rows(
    client_for, staff_user, demo, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        assert c.get("/data/").status_code == 200


def test_the_entry_form_saves_a_submitted_revision(client_for, reporter):
    r = client_for(reporter).post(
        "/data/new/",
        {
            "element": _pk("GDP"),
            "org_unit": _unit_pk(),
            "year": 2023,
            "value": "5",
            "source": "统计公报",
            "submit": "on",
        },
    )
    assert r.status_code == 302
    assert DataValue.objects.get(year=2023).status == "submitted"


def test_the_entry_form_only_offers_own_elements(client_for, other_reporter):
    r = client_for(other_reporter).post(
        "/data/new/",
        {"element": _pk("GDP"), "org_unit": _unit_pk(), "year": 2023, "value": "5", "source": "x"},
    )
    assert r.status_code == 200 and not DataValue.objects.filter(year=2023).exists()
    assert "element" in r.context["form"].errors


def test_the_department_template_lists_its_elements_and_years(client_for, reporter):
    r = client_for(reporter).get("/data/template.xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content))["数据"]
    codes = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "GDP" in codes and "FISCAL_ST_EXP" not in codes
    years = {row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert years == set(range(2020, 2026))


def test_a_filled_template_uploads_back(client_for, reporter):
    c = client_for(reporter)
    wb = load_workbook(io.BytesIO(c.get("/data/template.xlsx").content))
    ws = wb["数据"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "POPULATION" and row[3].value == 2023:
            row[6].value, row[7].value = 90500, "统计公报2023"
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "filled.xlsx"
    buf.seek(0)
    r = c.post("/data/upload/", {"file": buf})
    assert r.status_code == 302, r.context and r.context.get("problems")
    # Rows left blank are not reporting; only the filled one becomes a revision.
    assert list(
        DataValue.objects.filter(status="submitted").values_list("element__code", "year", "value")
    ) == [("POPULATION", 2023, 90500)]


def test_an_upload_with_bad_rows_lists_them_and_writes_nothing(client_for, reporter):
    buf = io.BytesIO("数据元代码,年份,区域代码,数值,来源\nGDP,2023,650202,abc,公报\n".encode())
    buf.name = "bad.csv"
    r = client_for(reporter).post("/data/upload/", {"file": buf})
    body = r.content.decode()
    assert r.status_code == 200 and "第2行" in body and "abc" in body
    assert not DataValue.objects.filter(year=2023).exists()


def test_the_review_queue_is_for_bureau_staff(client_for, reporter, staff_user):
    assert client_for(reporter).get("/data/review/").status_code == 403


def test_staff_approve_in_bulk_from_the_queue(client_for, reporter, staff_user, client):
    c = client_for(reporter)
    for year in (2022, 2023):
        c.post(
            "/data/new/",
            {
                "element": _pk("GDP"),
                "org_unit": _unit_pk(),
                "year": year,
                "value": "5",
                "source": "公报",
                "submit": "on",
            },
        )
    ids = list(DataValue.objects.filter(status="submitted").values_list("pk", flat=True))
    client.force_login(staff_user)
    client.post("/data/review/", {"ids": ids, "action": "approve"})
    assert DataValue.objects.filter(pk__in=ids, is_current=True).count() == 2


def _pk(code):
    from kechuang.indicators.models import DataElement

    return DataElement.objects.get(code=code).pk


def _unit_pk():
    from kechuang.indicators.models import OrgUnit

    return OrgUnit.objects.get(code="650202").pk
