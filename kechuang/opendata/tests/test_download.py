"""The dataset files: CSV (UTF-8 with BOM), Excel with a dictionary sheet, JSON."""

import csv
import io
import json
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from kechuang.opendata.datasets import DATASETS
from kechuang.reports.selectors import plan_result


def get(client, slug, fmt):
    return client.get(reverse("opendata:download", args=[slug, fmt]))


def test_the_indicators_csv_has_the_header_and_a_row_per_indicator_and_year(seeded, demo, client):
    response = get(client, "indicators", "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment; filename=indicators-" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == DATASETS["indicators"].field_names
    row = next(r for r in rows if r["indicator"] == "RD_INTENSITY" and r["year"] == "2024")
    result = plan_result(demo, as_of_year=2024)
    expected = next(r for r in result.indicators if r.indicator.code == "RD_INTENSITY")
    assert row["status"] == expected.assessment.status.value
    assert Decimal(row["value"]) == next(
        v.value for v in expected.values if v.year == 2024
    ).quantize(Decimal("0.01"))
    assert row["target_value"] == "2.00" and row["is_demo"] == "true"


def test_the_excel_file_has_the_data_and_the_dictionary(seeded, client):
    wb = load_workbook(io.BytesIO(get(client, "carriers", "xlsx").content))
    data, about = wb.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == DATASETS["carriers"].field_names
    assert rows[1][0] == "独山子石化新材料工程技术研究中心"
    meanings = {r[0]: r[3] for r in about.iter_rows(values_only=True) if r and r[0]}
    assert meanings["name"] == "载体名称"


def test_the_json_file_carries_its_dictionary_and_rows(seeded, client):
    body = json.loads(get(client, "events", "json").content)
    assert body["dataset"] == "events"
    assert [f["name"] for f in body["fields"]] == DATASETS["events"].field_names
    assert body["rows"][0]["title"] == "2024年科技活动周启动仪式"
    assert body["rows"][0]["starts_on"] == "2024-05-20"
    assert body["licence"]


def test_lists_are_joined_in_csv_and_kept_as_lists_in_json(seeded, client):
    rows = list(
        csv.DictReader(io.StringIO(get(client, "achievements", "csv").content.decode("utf-8-sig")))
    )
    assert rows[0]["owners"] == "独山子开放数据测试研究院"
    assert json.loads(get(client, "achievements", "json").content)["rows"][0]["owners"] == [
        "独山子开放数据测试研究院"
    ]


def test_unknown_datasets_and_formats_are_404(plan, client):
    assert get(client, "nothing", "csv").status_code == 404
    assert get(client, "indicators", "pdf").status_code == 404
