"""One dataset in each published form: CSV, Excel, JSON, and its data dictionary."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from kechuang.opendata.datasets import LICENCE_EN, LICENCE_ZH, Dataset

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
LIST_SEPARATOR = "；"


def _cell(value):
    """CSV and Excel cells: lists joined with the separator, booleans as true/false."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def to_csv(dataset: Dataset) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.field_names)
    for record in dataset.records():
        writer.writerow([_cell(v) for v in record.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(dataset: Dataset) -> bytes:
    """The data on the first sheet, the dictionary and licence on the second."""
    wb = Workbook(write_only=True)
    data = wb.create_sheet("数据 data")
    data.append(dataset.field_names)
    for record in dataset.records():
        data.append([_cell(v) for v in record.values()])
    about = wb.create_sheet("字段说明 dictionary")
    about.append(["字段 field", "类型 type", "单位 unit", "含义", "meaning"])
    for f in dataset.fields:
        about.append([f.name, f.type, f.unit, f.meaning_zh, f.meaning_en])
    about.append([])
    about.append(["许可 licence", LICENCE_ZH])
    about.append(["", LICENCE_EN])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dictionary(dataset: Dataset) -> dict:
    updated = dataset.updated() if dataset.available else None
    return {
        "dataset": dataset.slug,
        "title": dataset.title_zh,
        "title_en": dataset.title_en,
        "description": dataset.description_zh,
        "description_en": dataset.description_en,
        "available": dataset.available,
        "updated": timezone.localtime(updated).isoformat(timespec="seconds") if updated else None,
        "frequency": dataset.frequency_zh,
        "provider": dataset.provider_zh,
        "notes": dataset.notes_zh,
        "licence": LICENCE_ZH,
        "licence_en": LICENCE_EN,
        "fields": [
            {
                "name": f.name,
                "type": f.type,
                "unit": f.unit,
                "meaning": f.meaning_zh,
                "meaning_en": f.meaning_en,
            }
            for f in dataset.fields
        ],
    }


def to_json(dataset: Dataset) -> dict:
    return {**dictionary(dataset), "rows": list(dataset.records())}
