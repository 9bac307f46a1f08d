"""Nothing sensitive is ever published: every dataset, in every format and over the API, holds
only its declared fields, no internal records, and no personal data."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.accounts.models import User
from kechuang.opendata.datasets import DATASETS
from kechuang.opendata.tests.conftest import SECRET

PATTERNS = {
    "ID number": re.compile(
        r"(?<!\d)[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"
    ),
    "mobile phone": re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    "landline": re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"),
    "e-mail": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
}
NUMERIC = {"integer", "decimal"}


def tables(client, slug: str) -> dict[str, tuple[list[str], list[dict]]]:
    """The dataset as each format gives it: field names and rows of text."""
    out = {}
    body = client.get(reverse("opendata:download", args=[slug, "csv"])).content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(body))
    out["csv"] = (reader.fieldnames, list(reader))
    wb = load_workbook(
        io.BytesIO(client.get(reverse("opendata:download", args=[slug, "xlsx"])).content)
    )
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    out["xlsx"] = (list(rows[0]), [dict(zip(rows[0], r, strict=True)) for r in rows[1:]])
    data = json.loads(client.get(reverse("opendata:download", args=[slug, "json"])).content)
    out["json"] = (data["fields"] and [f["name"] for f in data["fields"]], data["rows"])
    api = client.get(f"/api/open-data/{slug}").json()
    out["api"] = ([f["name"] for f in api["fields"]], api["rows"])
    return out


def texts(value) -> list[str]:
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return [] if value is None else [str(value)]


@pytest.mark.parametrize("slug", list(DATASETS))
def test_every_format_of_every_dataset_holds_only_public_data(seeded, slug, client):
    dataset = DATASETS[slug]
    if not dataset.available:
        assert client.get(reverse("opendata:download", args=[slug, "csv"])).status_code == 404
        return
    allowed = set(dataset.field_names)
    types = {f.name: f.type for f in dataset.fields}
    usernames = [
        re.compile(rf"(?<![A-Za-z0-9_]){re.escape(u)}(?![A-Za-z0-9_])")
        for u in User.objects.values_list("username", flat=True)
    ]
    assert usernames, "the demo users exist, so their names could leak"
    for fmt, (header, rows) in tables(client, slug).items():
        assert set(header) <= allowed, (fmt, set(header) - allowed)
        if slug in seeded:
            assert rows, f"{slug} {fmt} has the seeded public record"
        for row in rows:
            assert set(row) <= allowed, (fmt, set(row) - allowed)
            for name, value in row.items():
                for text in texts(value):
                    assert SECRET not in text, (fmt, name, text)
                    for u in usernames:
                        assert not u.search(text), (fmt, name, text)
                    if types[name] in NUMERIC:
                        continue
                    for what, pattern in PATTERNS.items():
                        assert not pattern.search(text), (fmt, name, what, text)


def test_the_seeded_records_are_published_without_their_private_fields(seeded, client):
    body = client.get(reverse("opendata:download", args=["carriers", "json"])).json()
    (carrier,) = [r for r in body["rows"] if r["name"] == seeded["carriers"].name]
    assert "contact_phone" not in carrier and "description" not in carrier
    achievements = client.get("/api/open-data/achievements").json()["rows"]
    assert [a["title"] for a in achievements] == ["乙烯裂解炉节能技术"]
    assert "co_owners" not in achievements[0]


def test_a_source_that_returns_extra_fields_publishes_only_the_declared_ones(seeded):
    from dataclasses import replace

    from kechuang.opendata import formats

    leaky = [{"name": "甲", "contact_phone": "13912345678", "kind": "key_lab"}]
    dataset = replace(DATASETS["carriers"], source=lambda: lambda: leaky)
    assert "13912345678" not in formats.to_csv(dataset).decode("utf-8-sig")
    (record,) = dataset.records()
    assert list(record) == dataset.field_names
    assert (record["name"], record["kind"], record["host"]) == ("甲", "key_lab", None)


def test_spot_checks_publish_the_result_and_findings_never_the_internal_notes(monkeypatch):
    import datetime as dt
    from types import SimpleNamespace

    from kechuang.inspections.models import Check
    from kechuang.opendata import datasets

    check = Check(
        object_code="XM-2024-001",
        result="fail",
        findings="台账不全，限期整改。",
        internal_notes="内部机密：联系人 13912345678",
        rectification="required",
    )
    plan = SimpleNamespace(
        title="2024年在研项目抽查",
        year=2024,
        get_pool_display=lambda: "在研项目",
        published_at=dt.datetime(2024, 11, 1, tzinfo=dt.UTC),
        checks=SimpleNamespace(all=lambda: [check]),
    )
    monkeypatch.setattr(datasets, "optional", lambda app, module, name: lambda: [plan])
    (row,) = datasets.DATASETS["spot-checks"].records()
    assert row["result_label"] == "不合格" and row["findings"] == "台账不全，限期整改。"
    assert row["rectification"] == "待整改" and row["published_on"] == "2024-11-01"
    assert "13912345678" not in str(row) and "内部机密" not in str(row)
