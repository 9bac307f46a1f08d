"""Reads from the enterprise registry: the filtered list, one enterprise, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    ImportJob,
    Industry,
    IntellectualProperty,
    Park,
    YearlyFigures,
)
from kechuang.enterprises.tables import ENTERPRISE_COLUMNS, FIGURE_COLUMNS, IP_COLUMNS

EXPIRY_WARNING_MONTHS = 6
# Enterprises without a figure sort last either way: PostgreSQL and SQLite disagree otherwise.
SORTS = {
    "name": ("name", "uscc"),
    "-name": ("-name", "uscc"),
    "uscc": ("uscc",),
    "registered": ("registered_on", "uscc"),
    "-registered": ("-registered_on", "uscc"),
    "revenue": (F("latest_revenue").asc(nulls_last=True), "uscc"),
    "-revenue": (F("latest_revenue").desc(nulls_last=True), "uscc"),
    "hnte": (F("hnte_expires").asc(nulls_last=True), "uscc"),
}


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expiry_horizon(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, months_later(today, EXPIRY_WARNING_MONTHS)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    section: str = ""
    park: str = ""
    certification: str = ""
    expiring: bool = False
    sort: str = "name"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        section = params.get("section", "").strip().upper()[:1]
        cert = params.get("certification", "")
        sort = params.get("sort", "name")
        return cls(
            q=params.get("q", "").strip()[:100],
            section=section if section.isalpha() else "",
            park=params.get("park", "").strip()[:32],
            certification=cert if cert in Certification.Kind.values else "",
            expiring=params.get("expiring") in {"1", "true", "on"},
            sort=sort if sort in SORTS else "name",
        )


def _valid_on(day: dt.date) -> Q:
    return Q(issued_on__lte=day, expires_on__gte=day)


def enterprise_list(filters: Filters, *, today: dt.date | None = None) -> QuerySet[Enterprise]:
    """Enterprises matching the filters, each with its valid titles, HNTE expiry and the latest
    year's revenue, in a fixed number of queries however many there are."""
    today, horizon = expiry_horizon(today)
    valid = Certification.objects.filter(_valid_on(today))
    latest = YearlyFigures.objects.filter(enterprise=OuterRef("pk")).order_by("-year")
    qs = (
        Enterprise.objects.select_related("industry", "park")
        .annotate(
            hnte_expires=Subquery(
                valid.filter(enterprise=OuterRef("pk"), kind=Certification.Kind.HNTE)
                .order_by("-expires_on")
                .values("expires_on")[:1]
            ),
            latest_year=Subquery(latest.values("year")[:1]),
            latest_revenue=Subquery(latest.values("operating_revenue")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=valid.order_by("kind", "-expires_on"),
                to_attr="valid_certifications",
            )
        )
    )
    if filters.q:
        q = filters.q
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
    if filters.section:
        qs = qs.filter(industry__section=filters.section)
    if filters.park:
        qs = qs.filter(park__code=filters.park)
    if filters.certification:
        qs = qs.filter(Exists(valid.filter(enterprise=OuterRef("pk"), kind=filters.certification)))
    if filters.expiring:
        qs = qs.filter(hnte_expires__gte=today, hnte_expires__lte=horizon)
    return qs.order_by(*SORTS[filters.sort])


def sections() -> QuerySet[Industry]:
    return Industry.objects.filter(level=Industry.Level.SECTION).order_by("code")


def parks() -> QuerySet[Park]:
    return Park.objects.order_by("code")


# --- one enterprise --------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificationView:
    certification: Certification
    state: str  # valid, expiring, expired, pending
    days_left: int | None

    LABELS = {
        "valid": _("有效"),
        "expiring": _("临期"),
        "expired": _("已过期"),
        "pending": _("未生效"),
    }
    BADGES = {"valid": "ok", "expiring": "warn", "expired": "bad", "pending": "none"}

    @property
    def label(self) -> str:
        return str(self.LABELS[self.state])

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]


def certification_views(
    enterprise: Enterprise, *, today: dt.date | None = None
) -> list[CertificationView]:
    today, horizon = expiry_horizon(today)
    out = []
    for c in enterprise.certifications.order_by("-expires_on", "kind"):
        if c.issued_on > today:
            out.append(CertificationView(c, "pending", None))
        elif c.expires_on < today:
            out.append(CertificationView(c, "expired", None))
        else:
            state = "expiring" if c.expires_on <= horizon else "valid"
            out.append(CertificationView(c, state, (c.expires_on - today).days))
    return out


def declarations_of(enterprise: Enterprise) -> list[tuple[str, object]]:
    """(label, value) of the declarations and pre-assessment views; None = not declared."""
    rows: list[tuple[str, object]] = []
    for k in (*Enterprise.DECLARATION_FIELDS, *Enterprise.VIEW_FIELDS):
        value = getattr(enterprise, k)
        if k in Enterprise.VIEW_FIELDS:
            value = getattr(enterprise, f"get_{k}_display")() if value else None
        rows.append((Enterprise._meta.get_field(k).verbose_name, value))
    return rows


def figures_of(enterprise: Enterprise) -> QuerySet[YearlyFigures]:
    return enterprise.figures.select_related("entered_by", "approved_by").order_by("-year")


def ip_of(enterprise: Enterprise) -> QuerySet[IntellectualProperty]:
    return enterprise.ip.order_by("-valid", "kind", "-granted_on", "number")


def events_of(enterprise: Enterprise) -> QuerySet[EnterpriseEvent]:
    return enterprise.events.order_by("-date", "-id")


def ip_counts(enterprise: Enterprise) -> dict[str, int]:
    """Valid rights by class, as the HNTE and tech-SME scores count them."""
    counts = {"I": 0, "II": 0, "none": 0}
    for ip_class in enterprise.ip.filter(valid=True).values_list("ip_class", flat=True):
        counts[ip_class] += 1
    return counts


def figures_audit(figures: list[YearlyFigures]):
    from auditlog.models import LogEntry

    return (
        LogEntry.objects.get_for_objects(
            YearlyFigures.objects.filter(pk__in=[f.pk for f in figures])
        )
        .select_related("actor")
        .order_by("-timestamp")[:50]
    )


def recent_jobs(limit: int = 20) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]


# --- exports: the import columns first, so an export re-imports as it is ---------------------


def _headers(columns) -> list[str]:
    return [c.header for c in columns]


ENTERPRISE_EXPORT_HEADER = [
    *_headers(ENTERPRISE_COLUMNS),
    "有效资质 / valid titles",
    "高企证书有效期至 / HNTE valid until",
    "最近年度 / latest year",
    "最近年度营业收入（元） / latest revenue (yuan)",
    "演示数据 / demo",
]


def _yes_no(flag: bool | None) -> str:
    return "是" if flag is True else "否" if flag is False else ""


def enterprise_export_rows(qs: QuerySet[Enterprise]) -> Iterator[list]:
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.uscc,
            e.name,
            e.registered_on,
            e.industry.code if e.industry else "",
            e.park.code if e.park else "",
            e.get_ownership_display() if e.ownership else "",
            e.high_tech_field,
            e.address,
            e.contact_name,
            e.contact_phone,
            "是" if e.in_district else "否",
            *(_yes_no(getattr(e, k)) for k in Enterprise.DECLARATION_FIELDS),
            *(getattr(e, f"get_{k}_display")() if getattr(e, k) else "" for k in e.VIEW_FIELDS),
            "、".join(str(c.get_kind_display()) for c in e.valid_certifications),
            e.hnte_expires,
            e.latest_year,
            e.latest_revenue,
            "是" if e.is_demo else "",
        ]


FIGURES_EXPORT_HEADER = [
    *_headers(FIGURE_COLUMNS),
    "状态 / status",
    "审核时间 / approved at",
]


def figures_export_rows(qs: QuerySet[YearlyFigures] | None = None) -> Iterator[list]:
    qs = qs if qs is not None else YearlyFigures.objects.all()
    keys = [c.key for c in FIGURE_COLUMNS if c.key not in {"uscc", "enterprise_name", "year"}]
    fields = ["enterprise__uscc", "enterprise__name", "year", *keys, "status", "approved_at"]
    for row in qs.order_by("enterprise__uscc", "year").values_list(*fields).iterator(2000):
        *values, approved_at = row
        yield [*values, approved_at.replace(tzinfo=None) if approved_at else None]


IP_EXPORT_HEADER = _headers(IP_COLUMNS)


def ip_export_rows(qs: QuerySet[IntellectualProperty] | None = None) -> Iterator[list]:
    qs = qs if qs is not None else IntellectualProperty.objects.all()
    keys = [c.key for c in IP_COLUMNS if c.key != "uscc"]
    for row in (
        qs.order_by("enterprise__uscc", "kind", "number")
        .values_list("enterprise__uscc", *keys)
        .iterator(2000)
    ):
        yield ["是" if v is True else "否" if v is False else v for v in row]
