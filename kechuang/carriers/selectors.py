"""Reads from the carrier registry: the list, one carrier, figures for reports, open data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import translation

from kechuang.carriers.models import (
    Carrier,
    CarrierMetrics,
    CarrierMetricsLog,
    CarrierStatusChange,
)
from kechuang.carriers.services import METRIC_LABELS, metric_fields

SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "recognised": ("recognised_on", "name"),
    "-recognised": ("-recognised_on", "name"),
    "kind": ("kind", "name"),
    "level": ("level", "name"),
}
LEVEL_ORDER = [c for c, _ in Carrier.Level.choices]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str = ""
    level: str = ""
    status: str = ""
    pending: bool = False  # with metrics awaiting the bureau's review
    sort: str = "name"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        def pick(key: str, allowed) -> str:
            value = params.get(key, "")
            return value if value in allowed else ""

        return cls(
            q=params.get("q", "").strip()[:100],
            kind=pick("kind", Carrier.Kind.values),
            level=pick("level", Carrier.Level.values),
            status=pick("status", Carrier.Status.values),
            pending=params.get("pending") == "1",
            sort=params.get("sort", "name") if params.get("sort") in SORTS else "name",
        )


def carrier_list(filters: Filters) -> QuerySet[Carrier]:
    """Carriers matching the filters with their host and latest reported year: two queries."""
    qs = Carrier.objects.select_related("host").annotate(latest_year=Max("metrics__year"))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(host__name__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.pending:
        submitted = CarrierMetrics.objects.filter(
            carrier=OuterRef("pk"), status=CarrierMetrics.Status.SUBMITTED
        )
        qs = qs.filter(Exists(submitted))
    return qs.order_by(*SORTS[filters.sort])


def hosted_by(organization_id: int | None) -> QuerySet[Carrier]:
    return Carrier.objects.filter(host_id=organization_id).select_related("host").order_by("name")


def carrier_by_pk(pk: int) -> Carrier | None:
    return Carrier.objects.select_related("host").filter(pk=pk).first()


def metrics_of(carrier: Carrier) -> list[CarrierMetrics]:
    return list(carrier.metrics.select_related("submitted_by", "approved_by").order_by("-year"))


def metrics_log(carrier: Carrier) -> QuerySet[CarrierMetricsLog]:
    return (
        CarrierMetricsLog.objects.filter(metrics__carrier=carrier)
        .select_related("metrics", "actor")
        .order_by("-at", "-id")
    )


def status_changes(carrier: Carrier) -> QuerySet[CarrierStatusChange]:
    return carrier.status_changes.select_related("changed_by").order_by("-changed_at", "-id")


def chart(carrier: Carrier, metrics: Iterable[CarrierMetrics]) -> dict:
    """The carrier's counts over the years, for the detail page's chart (plain JSON)."""
    rows = sorted(metrics, key=lambda m: m.year)
    fields = [f for f in metric_fields(carrier.kind) if f not in CarrierMetrics.DECIMAL_FIELDS]
    return {
        "x": [m.year for m in rows],
        "series": [
            {
                "zh": METRIC_LABELS[f][0],
                "en": METRIC_LABELS[f][1],
                "kind": "line",
                "values": [getattr(m, f) for m in rows],
            }
            for f in fields
        ],
    }


EXPORT_HEADER = [
    "载体名称 / name",
    "载体类型 / kind",
    "级别 / level",
    "依托单位 / host",
    "认定（成立）日期 / recognised on",
    "认定部门 / recognised by",
    "认定有效期至 / valid until",
    "状态 / status",
    "地址 / address",
    "联系人 / contact",
    "联系电话 / phone",
    "公开 / public",
    "最近填报年度 / latest year",
]


def export_rows(qs: QuerySet[Carrier]) -> Iterator[list]:
    for c in qs:
        yield [
            c.name,
            c.get_kind_display(),
            c.get_level_display(),
            c.host.name,
            c.recognised_on,
            c.recognised_by,
            c.valid_until,
            c.get_status_display(),
            c.address,
            c.contact_name,
            c.contact_phone,
            "是" if c.is_public else "否",
            getattr(c, "latest_year", None),
        ]


# --- figures for the yearly report ------------------------------------------------------------


def standing_at(year: int) -> QuerySet[Carrier]:
    """Carriers recognised by the end of ``year`` and not revoked by then.

    A carrier revoked now counts for the years before its revocation (its status log says when);
    one revoked with no log row is taken as revoked throughout.
    """
    end = dt.date(year, 12, 31)
    revoked_by_then = Q(status=Carrier.Status.REVOKED) & (
        Q(
            status_changes__to_status=Carrier.Status.REVOKED,
            status_changes__changed_at__date__lte=end,
        )
        | Q(status_changes__isnull=True)
    )
    return Carrier.objects.filter(recognised_on__lte=end).exclude(revoked_by_then).distinct()


def carrier_figures(year: int) -> dict:
    """Counts and sums of the carriers for one year, for the yearly monitoring report.

    Keys:
    - ``year``;
    - ``carriers``: carriers standing at the end of the year (recognised by then, not revoked);
    - ``new``: of those, recognised during the year;
    - ``by_kind`` / ``by_level``: {Carrier.Kind value: count} / {Carrier.Level value: count};
    - ``national_or_regional``: standing carriers at 国家级 or 自治区级;
    - ``incubation``: sums over the year's approved metrics of 众创空间/创业苗圃/孵化器/加速器:
      ``area_m2`` (Decimal m²), ``firms_incubating``, ``firms_graduated``, ``jobs`` (ints),
      ``investment_raised`` (Decimal yuan), ``reporting`` (carriers with approved metrics);
    - ``rd``: the same for the other kinds: ``staff``, ``projects``, ``patents``, ``papers``,
      ``standards``, ``reporting``.

    Only approved metrics count; a field nobody reported sums to 0.
    """
    standing = list(standing_at(year).values_list("kind", "level", "recognised_on"))
    metrics = CarrierMetrics.objects.filter(
        year=year, status=CarrierMetrics.Status.APPROVED
    ).select_related("carrier")

    def zero(fields) -> dict:
        return {f: Decimal(0) if f in CarrierMetrics.DECIMAL_FIELDS else 0 for f in fields}

    incubation = zero(CarrierMetrics.INCUBATION_FIELDS) | {"reporting": 0}
    rd = zero(CarrierMetrics.RD_FIELDS) | {"reporting": 0}
    for m in metrics:
        bucket = incubation if m.carrier.is_incubation else rd
        bucket["reporting"] += 1
        for f in metric_fields(m.carrier.kind):
            bucket[f] += getattr(m, f) or 0
    return {
        "year": year,
        "carriers": len(standing),
        "new": sum(1 for _, _, on in standing if on.year == year),
        "by_kind": dict(Counter(k for k, _, _ in standing)),
        "by_level": dict(Counter(lv for _, lv, _ in standing)),
        "national_or_regional": sum(
            1 for _, lv, _ in standing if lv in {Carrier.Level.NATIONAL, Carrier.Level.REGIONAL}
        ),
        "incubation": incubation,
        "rd": rd,
    }


# --- open data --------------------------------------------------------------------------------

PUBLIC_FIELDS = (
    "name",
    "kind",
    "kind_label",
    "level",
    "level_label",
    "host",
    "recognised_on",
    "recognised_by",
    "valid_until",
    "status",
    "status_label",
)


def public_rows() -> list[dict]:
    """Public carriers, with only the fields in ``PUBLIC_FIELDS`` (no contacts, no internal
    entries); labels in Chinese, the dataset's language."""
    qs = Carrier.objects.filter(is_public=True).select_related("host").order_by("name")
    with translation.override("zh-hans"):
        return [
            {
                "name": c.name,
                "kind": c.kind,
                "kind_label": str(c.get_kind_display()),
                "level": c.level,
                "level_label": str(c.get_level_display()),
                "host": c.host.name,
                "recognised_on": c.recognised_on,
                "recognised_by": c.recognised_by,
                "valid_until": c.valid_until,
                "status": c.status,
                "status_label": str(c.get_status_display()),
            }
            for c in qs
        ]
