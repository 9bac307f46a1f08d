"""Importing figures from Excel and CSV: every bad row is named, and nothing half-written."""

import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from openpyxl import Workbook

from kechuang.core.problems import Rejected
from kechuang.indicators.models import DataValue
from kechuang.indicators.services import import_values
from kechuang.indicators.spreadsheets import read_upload

pytestmark = pytest.mark.django_db

HEADER = "数据元代码,年份,区域代码,数值,来源\n"


def csv_rows(text: str):
    return read_upload(io.BytesIO((HEADER + text).encode("utf-8")), "figures.csv")


def xlsx_rows(rows: list[list]):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "数据元代码 / element",
            "年份 / year",
            "区域代码 / org unit",
            "数值 / value",
            "来源 / source",
        ]
    )
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return read_upload(buf, "figures.xlsx")


def problems(user, rows) -> list[str]:
    with pytest.raises(Rejected) as exc:
        import_values(user, rows, file_name="figures.csv")
    return [str(p) for p in exc.value.problems]


def test_a_valid_csv_becomes_submitted_revisions(reporter):
    result = import_values(
        reporter,
        csv_rows("GDP,2023,650202,21000000000,统计公报\nPOPULATION,2023,650202,90100,统计公报\n"),
        file_name="figures.csv",
    )
    assert result.created == 2
    assert set(DataValue.objects.filter(year=2023).values_list("status", flat=True)) == {
        "submitted"
    }


def test_an_xlsx_upload_reads_the_same_columns(reporter):
    rows = xlsx_rows([["GDP", 2023, "650202", 21000000000.5, "统计公报"]])
    import_values(reporter, rows, file_name="figures.xlsx")
    assert DataValue.objects.get(year=2023).value == Decimal("21000000000.5")


def test_a_non_numeric_cell_is_named_by_row_and_column(reporter):
    msgs = problems(reporter, csv_rows("GDP,2023,650202,about 20亿,统计公报\n"))
    assert msgs == [
        "figures.csv 第2行 / row 2 · value: 数值「about 20亿」不是数字 / "
        "value 'about 20亿' is not a number"
    ]


def test_a_duplicate_key_row_points_at_the_first(reporter):
    msgs = problems(reporter, csv_rows("GDP,2023,650202,1,公报\nGDP,2023,650202,2,公报\n"))
    assert len(msgs) == 1 and "第3行" in msgs[0] and "与第2行重复" in msgs[0]


def test_an_element_of_another_department_is_refused_by_row(other_reporter):
    msgs = problems(
        other_reporter, csv_rows("FISCAL_ST_EXP,2023,650202,1,决算\nGDP,2023,650202,1,公报\n")
    )
    assert len(msgs) == 1 and "第3行" in msgs[0] and "GDP" in msgs[0]


def test_one_bad_row_means_nothing_is_written(reporter):
    rows = csv_rows(
        "GDP,2023,650202,1,公报\nPOPULATION,2023,650202,x,公报\n"
        "NOPE,2023,650202,1,公报\nGDP,2024,999999,1,公报\n"
    )
    msgs = problems(reporter, rows)
    assert len(msgs) == 3  # the bad value, the unknown element and the unknown org unit
    assert not DataValue.objects.filter(year__gte=2023).exists()


def test_a_missing_column_is_reported_before_any_row(reporter):
    with pytest.raises(Rejected) as exc:
        read_upload(io.BytesIO("数据元代码,年份,数值\nGDP,2023,1\n".encode()), "short.csv")
    assert "区域代码" in str(exc.value)


def test_re_importing_the_same_file_changes_nothing(reporter, staff_user):
    text = "GDP,2023,650202,21000000000,统计公报\n"
    import_values(staff_user, csv_rows(text), file_name="a.csv", approve=True)
    again = import_values(staff_user, csv_rows(text), file_name="a.csv", approve=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert DataValue.objects.filter(year=2023).count() == 1


def test_an_approved_reimport_with_a_new_value_keeps_the_old_version(staff_user):
    import_values(
        staff_user, csv_rows("GDP,2023,650202,100,初步核算\n"), file_name="a.csv", approve=True
    )
    import_values(
        staff_user, csv_rows("GDP,2023,650202,105,最终核实\n"), file_name="b.csv", approve=True
    )
    versions = list(DataValue.objects.filter(year=2023).order_by("version"))
    assert [(v.version, v.value, v.is_current) for v in versions] == [
        (1, Decimal(100), False),
        (2, Decimal(105), True),
    ]


def test_a_reporter_cannot_approve_an_import(reporter):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_values(
            reporter, csv_rows("GDP,2023,650202,1,公报\n"), file_name="a.csv", approve=True
        )


def test_bulk_imports_are_audited_with_the_actor(reporter):
    import_values(reporter, csv_rows("GDP,2023,650202,7,公报\n"), file_name="a.csv")
    dv = DataValue.objects.get(year=2023)
    entry = LogEntry.objects.get_for_object(dv).get()
    assert entry.actor == reporter and entry.action == LogEntry.Action.CREATE
    assert entry.changes["value"] == ["None", "7.000000"]


def test_gb18030_csv_from_older_excel_is_read(reporter):
    data = (HEADER + "GDP,2023,650202,5,统计公报\n").encode("gb18030")
    rows = read_upload(io.BytesIO(data), "old.csv")
    assert rows[0].source == "统计公报"
