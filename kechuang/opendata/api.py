"""Open data over JSON, generated from the same dataset definitions as the files."""

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from kechuang.opendata import formats
from kechuang.opendata.datasets import DATASETS

router = Router(tags=["open data"])


class FieldOut(Schema):
    name: str
    type: str
    unit: str
    meaning: str
    meaning_en: str


class DatasetOut(Schema):
    dataset: str
    title: str
    title_en: str
    description: str
    description_en: str
    available: bool
    updated: str | None
    frequency: str
    provider: str
    notes: str
    licence: str
    licence_en: str
    fields: list[FieldOut]


class DatasetRows(DatasetOut):
    rows: list[dict[str, Any]]


@router.get(
    "/open-data", response=list[DatasetOut], auth=None, summary="开放数据目录 / open datasets"
)
def list_datasets(request):
    """Every public dataset with its data dictionary. No login needed."""
    return [formats.dictionary(d) for d in DATASETS.values()]


@router.get(
    "/open-data/{dataset}", response=DatasetRows, auth=None, summary="开放数据 / one dataset"
)
def get_dataset(request, dataset: str):
    """The dataset's dictionary and every row (the same as the .json file)."""
    d = DATASETS.get(dataset)
    if d is None or not d.available:
        raise Http404
    return formats.to_json(d)
