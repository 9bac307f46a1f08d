"""Open data pages: the data dictionary and the files. Public: no login, nothing sensitive."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kechuang.opendata import formats
from kechuang.opendata.datasets import DATASETS, LICENCE_EN, LICENCE_ZH


def index(request: HttpRequest) -> HttpResponse:
    """Every dataset with its description, fields, update time, licence and download links."""
    return render(
        request,
        "opendata/index.html",
        {
            "active": "opendata",
            "datasets": [(d, formats.dictionary(d)) for d in DATASETS.values()],
            "formats": list(formats.FORMATS),
            "licence_zh": LICENCE_ZH,
            "licence_en": LICENCE_EN,
        },
    )


def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    d = DATASETS.get(dataset)
    if d is None or fmt not in formats.FORMATS or not d.available:
        raise Http404
    if fmt == "csv":
        content = formats.to_csv(d)
    elif fmt == "xlsx":
        content = formats.to_xlsx(d)
    else:
        content = json.dumps(
            formats.to_json(d), ensure_ascii=False, cls=DjangoJSONEncoder, indent=1
        ).encode("utf-8")
    response = HttpResponse(content, content_type=formats.FORMATS[fmt])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f"attachment; filename={d.slug}-{stamp}.{fmt}"
    return response
