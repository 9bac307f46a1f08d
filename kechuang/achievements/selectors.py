"""Reads from the achievements database and the contract registry: lists, totals against the
indicator, figures for the yearly report, open data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone, translation

from kechuang.achievements.models import Achievement, TechContract
from kechuang.achievements.services import CONTRACT_VALUE, TRADE_VALUE, district_unit, yuan
from kechuang.enterprises.models import Enterprise, IntellectualProperty
from kechuang.indicators.models import DataValue
from kechuang.policies.search import search

_FIELDS = frozenset(Enterprise.HighTechField.values)
ACHIEVEMENT_SORTS = {
    "year": ("-year", "title"),
    "-year": ("year", "title"),
    "title": ("title",),
    "trl": ("-trl", "title"),
}


@dataclass(frozen=True)
class AchievementFilters:
    q: str = ""
    field: str = ""
    status: str = ""
    trl_min: int | None = None
    visibility: str = ""  # "public" / "internal", bureau only
    sort: str = "year"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> AchievementFilters:
        trl = params.get("trl_min", "")
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            field=params.get("field", "") if params.get("field") in _FIELDS else "",
            status=params.get("status", "")
            if params.get("status") in Achievement.TransferStatus.values
            else "",
            trl_min=int(trl) if trl.isdigit() and 1 <= int(trl) <= 9 else None,
            visibility=params.get("visibility", "")
            if params.get("visibility") in {"public", "internal"}
            else "",
            sort=sort if sort in ACHIEVEMENT_SORTS else "year",
        )


def achievement_list(filters: AchievementFilters, *, internal: bool) -> QuerySet[Achievement]:
    """Achievements matching the filters, owners prefetched (two queries); internal ones only
    when ``internal``. With a query, the best matches (title above abstract) come first."""
    qs = Achievement.objects.prefetch_related("owners")
    if not internal:
        qs = qs.filter(is_public=True)
    elif filters.visibility:
        qs = qs.filter(is_public=filters.visibility == "public")
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.status:
        qs = qs.filter(transfer_status=filters.status)
    if filters.trl_min:
        qs = qs.filter(trl__gte=filters.trl_min)
    order = ACHIEVEMENT_SORTS[filters.sort]
    if filters.q:
        return search(qs, filters.q).order_by("-score", *order)
    return qs.order_by(*order)


def achievement_by_pk(pk: int) -> Achievement | None:
    return (
        Achievement.objects.prefetch_related(
            "owners",
            Prefetch(
                "ip",
                queryset=IntellectualProperty.objects.select_related("enterprise").order_by(
                    "kind", "number"
                ),
            ),
            "projects",
            Prefetch("contracts", queryset=TechContract.objects.order_by("-registered_on")),
        )
        .filter(pk=pk)
        .first()
    )


ACHIEVEMENT_EXPORT_HEADER = [
    "成果名称 / title",
    "完成单位 / owners",
    "其他完成单位 / co-owners",
    "技术领域 / field",
    "技术成熟度 / TRL",
    "完成年度 / year",
    "转化状态 / transfer status",
    "转化方式 / transfer mode",
    "公开 / public",
    "成果简介 / abstract",
]


def achievement_export_rows(qs: QuerySet[Achievement]):
    for a in qs:
        yield [
            a.title,
            "、".join(o.name for o in a.owners.all()),
            a.co_owners,
            a.get_field_display() if a.field else "",
            a.trl,
            a.year,
            a.get_transfer_status_display(),
            a.get_transfer_mode_display() if a.transfer_mode else "",
            "是" if a.is_public else "否",
            a.abstract,
        ]


# --- contracts -------------------------------------------------------------------------------

CONTRACT_SORTS = {
    "date": ("-registered_on", "registration_number"),
    "-date": ("registered_on", "registration_number"),
    "amount": ("-amount", "registration_number"),
    "number": ("registration_number",),
}


@dataclass(frozen=True)
class ContractFilters:
    q: str = ""
    year: int | None = None
    kind: str = ""
    district: str = ""  # "1": district sellers only; "0": others
    sort: str = "date"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ContractFilters:
        year = params.get("year", "")
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "").strip()[:100],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            kind=params.get("kind", "") if params.get("kind") in TechContract.Kind.values else "",
            district=params.get("district", "") if params.get("district") in {"0", "1"} else "",
            sort=sort if sort in CONTRACT_SORTS else "date",
        )


def contract_list(filters: ContractFilters) -> QuerySet[TechContract]:
    qs = TechContract.objects.select_related("seller", "buyer")
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(registration_number__icontains=q)
            | Q(title__icontains=q)
            | Q(seller_name__icontains=q)
            | Q(buyer_name__icontains=q)
        )
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.district:
        qs = qs.filter(seller_in_district=filters.district == "1")
    return qs.order_by(*CONTRACT_SORTS[filters.sort])


def contract_by_pk(pk: int) -> TechContract | None:
    return (
        TechContract.objects.select_related("seller", "buyer", "achievement").filter(pk=pk).first()
    )


def contract_years() -> list[int]:
    return sorted(set(TechContract.objects.values_list("year", flat=True)), reverse=True)


@dataclass
class YearRow:
    """One year of registered totals beside what indicator 8's data elements hold."""

    year: int
    contracts: int
    amount: Decimal
    trade_value: Decimal
    approved: dict  # element code → approved current DataValue or None
    pending: dict  # element code → open revision or None

    @property
    def matches(self) -> bool:
        a, t = self.approved.get(CONTRACT_VALUE), self.approved.get(TRADE_VALUE)
        return (
            a is not None
            and t is not None
            and a.value == self.amount
            and t.value == self.trade_value
        )


def totals_against_indicator() -> list[YearRow]:
    """Each year with district-seller contracts or indicator figures, newest first: the sums of
    the registered contracts, the approved figures and any revision awaiting review. Three
    queries however many years."""
    sums = {
        r["year"]: r
        for r in TechContract.objects.filter(seller_in_district=True)
        .values("year")
        .annotate(n=Count("pk"), amount=Sum("amount"), trade=Sum("trade_value"))
    }
    years = set(sums)
    unit = district_unit(max(years) if years else timezone.localdate().year)
    values = list(
        DataValue.objects.filter(element__code__in=[CONTRACT_VALUE, TRADE_VALUE], org_unit=unit)
        .filter(
            Q(is_current=True) | Q(status__in=[DataValue.Status.DRAFT, DataValue.Status.SUBMITTED])
        )
        .select_related("element")
    )
    years |= {v.year for v in values}
    rows = {
        y: YearRow(
            y,
            sums.get(y, {}).get("n", 0),
            yuan(sums.get(y, {}).get("amount")),
            yuan(sums.get(y, {}).get("trade")),
            {},
            {},
        )
        for y in years
    }
    for v in values:
        target = rows[v.year].approved if v.is_current else rows[v.year].pending
        target[v.element.code] = v
    return [rows[y] for y in sorted(rows, reverse=True)]


# --- figures for the yearly report ------------------------------------------------------------


def contract_figures(year: int) -> dict:
    """The year's registered technology contracts, for the yearly monitoring report.

    Keys:
    - ``year``; ``contracts``: every contract registered in the year;
    - ``output``: district units as sellers (技术输出, the 卖方口径 of indicator 8):
      ``contracts`` (int), ``amount`` (合同成交额, Decimal yuan), ``trade_value`` (技术交易额,
      Decimal yuan), ``by_kind`` {TechContract.Kind value: {"contracts", "amount",
      "trade_value"}};
    - ``absorbed``: contracts whose buyer is a district enterprise of the registry (技术吸纳):
      ``contracts``, ``amount``.
    """
    qs = TechContract.objects.filter(year=year)
    output = {"contracts": 0, "amount": yuan(None), "trade_value": yuan(None), "by_kind": {}}
    for r in (
        qs.filter(seller_in_district=True)
        .values("kind")
        .annotate(n=Count("pk"), amount=Sum("amount"), trade=Sum("trade_value"))
    ):
        amount, trade = yuan(r["amount"]), yuan(r["trade"])
        output["by_kind"][r["kind"]] = {"contracts": r["n"], "amount": amount, "trade_value": trade}
        output["contracts"] += r["n"]
        output["amount"] += amount
        output["trade_value"] += trade
    absorbed = qs.filter(buyer__in_district=True).aggregate(n=Count("pk"), amount=Sum("amount"))
    return {
        "year": year,
        "contracts": qs.count(),
        "output": output,
        "absorbed": {"contracts": absorbed["n"], "amount": yuan(absorbed["amount"])},
    }


def achievement_figures() -> dict:
    """The achievements database as a whole, for the yearly monitoring report.

    Keys: ``total``, ``public``; ``by_field`` {HighTechField value ("" = none given): count};
    ``by_transfer_status`` {TransferStatus value: count}; ``by_trl`` {1..9: count};
    ``by_year`` {完成年度: count}; ``with_ip`` (linked to at least one IP right);
    ``with_contracts`` (linked to at least one registered contract); ``contract_amount``
    (Decimal yuan, the sum of the contracts linked to an achievement).
    """
    rows = list(
        Achievement.objects.annotate(
            n_ip=Count("ip", distinct=True), n_contracts=Count("contracts", distinct=True)
        ).values("field", "transfer_status", "trl", "year", "is_public", "n_ip", "n_contracts")
    )
    linked = TechContract.objects.filter(achievement__isnull=False).aggregate(s=Sum("amount"))
    return {
        "total": len(rows),
        "public": sum(1 for r in rows if r["is_public"]),
        "by_field": dict(Counter(r["field"] for r in rows)),
        "by_transfer_status": dict(Counter(r["transfer_status"] for r in rows)),
        "by_trl": {t: sum(1 for r in rows if r["trl"] == t) for t in range(1, 10)},
        "by_year": dict(sorted(Counter(r["year"] for r in rows).items())),
        "with_ip": sum(1 for r in rows if r["n_ip"]),
        "with_contracts": sum(1 for r in rows if r["n_contracts"]),
        "contract_amount": yuan(linked["s"]),
    }


# --- open data --------------------------------------------------------------------------------

PUBLIC_FIELDS = (
    "id",
    "title",
    "owners",
    "field",
    "trl",
    "year",
    "transfer_status",
    "transfer_status_label",
    "transfer_mode",
    "transfer_mode_label",
    "abstract",
)


def public_rows() -> list[dict]:
    """Public achievements with only the fields in ``PUBLIC_FIELDS``: owning organisations by
    name, never the free-text co-owners (they may name people), no internal entries.
    Contracts are commercial records and are not published row by row."""
    qs = (
        Achievement.objects.filter(is_public=True)
        .prefetch_related("owners")
        .order_by("-year", "pk")
    )
    with translation.override("zh-hans"):
        return [
            {
                "id": a.pk,
                "title": a.title,
                "owners": [o.name for o in a.owners.all()],
                "field": a.field,
                "trl": a.trl,
                "year": a.year,
                "transfer_status": a.transfer_status,
                "transfer_status_label": str(a.get_transfer_status_display()),
                "transfer_mode": a.transfer_mode,
                "transfer_mode_label": str(a.get_transfer_mode_display())
                if a.transfer_mode
                else "",
                "abstract": a.abstract,
            }
            for a in qs
        ]
