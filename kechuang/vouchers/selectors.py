"""Reads on innovation vouchers: reconciliation, scheme reports, queues, lists, yearly figures.

Each list is a fixed number of queries however long it is (grouped sums, select_related), so
pages stay fast as the vouchers add up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils.translation import gettext_lazy as _

from kechuang.core import ledger
from kechuang.core.problems import Problem
from kechuang.enterprises.models import Enterprise
from kechuang.vouchers.models import (
    Category,
    LedgerEntry,
    Provider,
    Redemption,
    Scheme,
    Service,
    Voucher,
    VoucherApplication,
    VoucherEvent,
)

ZERO = ledger.ZERO
LIVE = ~Q(state=Redemption.State.REJECTED)  # claims that count: pending, verified or paid
TOTAL_LABELS = {
    "budget": ("总预算", "budget"),
    "issued": ("累计发放", "issued"),
    "redeemed": ("累计兑付", "redeemed"),
    "settled": ("已结算", "settled"),
    "expired": ("过期收回", "expired"),
    "released": ("未用退回", "released unused"),
}


# --- reconciliation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """A scheme's ledger totals beside what its vouchers and claims add up to."""

    scheme: Scheme
    totals: ledger.Totals
    documents: ledger.Totals
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        t = self.totals
        return {
            "scheme": self.scheme.pk,
            "budget": t.budget,
            "issued": t.issued,
            "redeemed": t.redeemed,
            "settled": t.settled,
            "expired": t.expired,
            "released": t.released,
            "outstanding": t.outstanding,
            "awaiting_settlement": t.awaiting_settlement,
            "available": t.available,
            "reconciles": self.ok,
            "problems": [
                {"where": p.where, "message_zh": p.message_zh, "message_en": p.message_en}
                for p in self.problems
            ],
        }


def _grouped(qs, keys: tuple[str, ...], **sums) -> list[dict]:
    return list(qs.order_by().values(*keys).annotate(**sums))


def reconciliations(schemes: Iterable[Scheme]) -> dict[int, Reconciliation]:
    """One reconciliation per scheme, in three queries whatever the number of schemes."""
    schemes = list(schemes)
    ids = [s.pk for s in schemes]
    by_kind: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for r in _grouped(
        LedgerEntry.objects.filter(scheme_id__in=ids), ("scheme_id", "kind"), s=Sum("amount")
    ):
        by_kind[r["scheme_id"]][r["kind"]] = r["s"]
    faces: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for r in _grouped(
        Voucher.objects.filter(scheme_id__in=ids), ("scheme_id", "state"), s=Sum("face_amount")
    ):
        faces[r["scheme_id"]][r["state"]] = r["s"]
    claims: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for r in _grouped(
        Redemption.objects.filter(LIVE, voucher__scheme_id__in=ids),
        ("voucher__scheme_id", "state"),
        s=Sum("subsidy"),
        face=Sum("voucher__face_amount"),
    ):
        claims[r["voucher__scheme_id"]][r["state"]] = (r["s"], r["face"])
    out = {}
    for s in schemes:
        totals = ledger.Totals.from_sums(by_kind[s.pk])
        paid_subsidy, paid_face = claims[s.pk].get(Redemption.State.SETTLED, (ZERO, ZERO))
        documents = ledger.Totals(
            budget=s.budget,
            issued=sum(faces[s.pk].values(), ZERO),
            redeemed=sum((c[0] for c in claims[s.pk].values()), ZERO),
            settled=paid_subsidy,
            expired=faces[s.pk].get(Voucher.State.EXPIRED, ZERO),
            released=paid_face - paid_subsidy,
        )
        out[s.pk] = Reconciliation(s, totals, documents, tuple(_disagreements(totals, documents)))
    return out


def reconciliation(scheme: Scheme) -> Reconciliation:
    return reconciliations([scheme])[scheme.pk]


def _disagreements(books: ledger.Totals, documents: ledger.Totals) -> list[Problem]:
    problems = ledger.invariant_problems(books)
    for name, (zh, en) in TOTAL_LABELS.items():
        a, b = getattr(books, name), getattr(documents, name)
        if a != b:
            problems.append(
                Problem(
                    name,
                    f"{zh}：台账 {ledger.wan(a)}，券与兑付单据合计 {ledger.wan(b)}，不一致",
                    f"{en}: the ledger says {ledger.wan(a, 'en')}, the vouchers and claims "
                    f"{ledger.wan(b, 'en')}",
                )
            )
    return problems


# --- schemes and their report -------------------------------------------------------------------


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.all()


def open_schemes(on: dt.date) -> QuerySet[Scheme]:
    return Scheme.objects.filter(
        state=Scheme.State.OPEN, issue_from__lte=on, issue_until__gte=on
    ).order_by("-year", "name")


@dataclass
class Row:
    """One line of a scheme report; what ``count`` counts depends on the table."""

    label: str
    count: int = 0
    issued: Decimal = ZERO
    redeemed: Decimal = ZERO
    settled: Decimal = ZERO
    expired: Decimal = ZERO


@dataclass
class SchemeReport:
    by_enterprise: list[Row] = field(default_factory=list)
    by_provider: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)

    def chart(self) -> dict:
        return {
            "months": [r.label for r in self.by_month],
            "issued": [float(r.issued / ledger.WAN) for r in self.by_month],
            "redeemed": [float(r.redeemed / ledger.WAN) for r in self.by_month],
            "settled": [float(r.settled / ledger.WAN) for r in self.by_month],
        }


def _rows(keyed: Mapping[object, Row]) -> list[Row]:
    return sorted(keyed.values(), key=lambda r: (-r.issued, -r.redeemed, r.label))


def scheme_report(scheme: Scheme) -> SchemeReport:
    """Per enterprise, per provider, per service category and per month (from the ledger)."""
    vouchers = Voucher.objects.filter(scheme=scheme)
    claims = Redemption.objects.filter(LIVE, voucher__scheme=scheme)
    paid = Q(state=Redemption.State.SETTLED)
    report = SchemeReport()

    enterprises: dict[int, Row] = {}
    for r in _grouped(
        vouchers,
        ("enterprise_id", "enterprise__name"),
        n=Count("id"),
        face=Sum("face_amount"),
        lapsed=Sum("face_amount", filter=Q(state=Voucher.State.EXPIRED)),
    ):
        enterprises[r["enterprise_id"]] = Row(
            r["enterprise__name"], r["n"], r["face"], expired=r["lapsed"] or ZERO
        )
    for r in _grouped(
        claims,
        ("voucher__enterprise_id",),
        s=Sum("subsidy"),
        paid=Sum("subsidy", filter=paid),
    ):
        row = enterprises[r["voucher__enterprise_id"]]
        row.redeemed, row.settled = r["s"], r["paid"] or ZERO
    report.by_enterprise = _rows(enterprises)

    categories = dict(Category.choices)
    for target, keys, label in (
        ("by_provider", ("provider", "provider__name"), lambda r: r["provider__name"]),
        ("by_category", ("service__category",), lambda r: str(categories[r["service__category"]])),
    ):
        rows: dict[object, Row] = {}
        for r in _grouped(
            vouchers.filter(**{f"{keys[0]}__isnull": False}), keys, face=Sum("face_amount")
        ):
            rows[r[keys[0]]] = Row(label(r), issued=r["face"])
        for r in _grouped(
            claims, keys, n=Count("id"), s=Sum("subsidy"), paid=Sum("subsidy", filter=paid)
        ):
            row = rows.setdefault(r[keys[0]], Row(label(r)))
            row.count, row.redeemed, row.settled = r["n"], r["s"], r["paid"] or ZERO
        setattr(report, target, _rows(rows))

    months: dict[dt.date, Row] = {}
    for r in _grouped(
        LedgerEntry.objects.filter(scheme=scheme).annotate(month=TruncMonth("posted_on")),
        ("month", "kind"),
        s=Sum("amount"),
        n=Count("id"),
    ):
        month = r["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        row = months.setdefault(month, Row(f"{month:%Y-%m}"))
        match r["kind"]:
            case ledger.Kind.ISSUE:
                row.count += r["n"]
                row.issued += r["s"]
            case ledger.Kind.REDEEM:
                row.redeemed += r["s"]
            case ledger.Kind.REJECT:
                row.redeemed -= r["s"]
            case ledger.Kind.SETTLE:
                row.settled += r["s"]
            case ledger.Kind.EXPIRE:
                row.expired += r["s"]
    report.by_month = [months[m] for m in sorted(months)]
    return report


REPORT_SHEETS = (
    ("by_enterprise", _("按企业"), _("企业"), _("券数")),
    ("by_provider", _("按服务机构"), _("服务机构"), _("兑付笔数")),
    ("by_category", _("按服务类别"), _("服务类别"), _("兑付笔数")),
    ("by_month", _("按月份"), _("月份"), _("发放张数")),
)


def report_sheets(report: SchemeReport) -> list[tuple[str, list[str], list[list]]]:
    """The report as spreadsheet tabs: (title, header, rows), amounts in yuan."""
    out = []
    for attr, title, first, count in REPORT_SHEETS:
        header = [
            str(first),
            str(count),
            str(_("发放/使用金额（元）")),
            str(_("兑付金额（元）")),
            str(_("结算金额（元）")),
            str(_("过期金额（元）")),
        ]
        rows = [
            [r.label, r.count, r.issued, r.redeemed, r.settled, r.expired]
            for r in getattr(report, attr)
        ]
        out.append((str(title), header, rows))
    return out


def ledger_of(scheme: Scheme) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(scheme=scheme).select_related("voucher", "actor")


# --- queues -------------------------------------------------------------------------------------


def application_queue(state: str = VoucherApplication.State.SUBMITTED):
    qs = VoucherApplication.objects.select_related("enterprise", "scheme", "decided_by", "voucher")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("submitted_at", "pk") if state == "submitted" else qs


def commitments(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """What each (scheme, enterprise) holds against the cap, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    kinds = (ledger.Kind.ISSUE, ledger.Kind.EXPIRE, ledger.Kind.RELEASE)
    out: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for r in _grouped(
        LedgerEntry.objects.filter(
            scheme_id__in={p[0] for p in pairs},
            voucher__enterprise_id__in={p[1] for p in pairs},
            kind__in=kinds,
        ),
        ("scheme_id", "voucher__enterprise_id", "kind"),
        s=Sum("amount"),
    ):
        sign = 1 if r["kind"] == ledger.Kind.ISSUE else -1
        out[(r["scheme_id"], r["voucher__enterprise_id"])] += sign * r["s"]
    return out


def redemption_queue(state: str = Redemption.State.SUBMITTED):
    qs = Redemption.objects.select_related(
        "voucher__enterprise", "voucher__scheme", "provider", "service", "verified_by"
    ).prefetch_related("files")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("submitted_at", "pk") if state in ("submitted", "verified") else qs


def queue_counts() -> dict[str, int]:
    return {
        "applications": VoucherApplication.objects.filter(
            state=VoucherApplication.State.SUBMITTED
        ).count(),
        "redemptions": Redemption.objects.filter(state=Redemption.State.SUBMITTED).count(),
        "to_settle": Redemption.objects.filter(state=Redemption.State.VERIFIED).count(),
    }


# --- vouchers -----------------------------------------------------------------------------------

SORTS = {
    "-issued": ("-issued_on", "-number"),
    "issued": ("issued_on", "number"),
    "expires": ("expires_on", "number"),
    "-face": ("-face_amount", "number"),
    "face": ("face_amount", "number"),
    "number": ("number",),
    "enterprise": ("enterprise__name", "number"),
}


@dataclass(frozen=True)
class Filters:
    scheme: int | None = None
    state: str = ""
    provider: int | None = None
    q: str = ""
    sort: str = "-issued"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        def pk(name):
            raw = params.get(name, "")
            return int(raw) if raw.isdigit() else None

        state, sort = params.get("state", ""), params.get("sort", "-issued")
        return cls(
            scheme=pk("scheme"),
            state=state if state in Voucher.State.values else "",
            provider=pk("provider"),
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "-issued",
        )


def voucher_list(filters: Filters) -> QuerySet[Voucher]:
    qs = Voucher.objects.select_related("scheme", "enterprise", "provider", "service")
    if filters.scheme:
        qs = qs.filter(scheme_id=filters.scheme)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.provider:
        qs = qs.filter(provider_id=filters.provider)
    if filters.q:
        qs = qs.filter(
            Q(number__icontains=filters.q)
            | Q(enterprise__name__icontains=filters.q)
            | Q(enterprise__uscc__istartswith=filters.q)
        )
    return qs.order_by(*SORTS[filters.sort])


VOUCHER_EXPORT_HEADER = [
    "券号",
    "券种",
    "企业",
    "统一社会信用代码",
    "面额（元）",
    "发放日期",
    "有效期至",
    "状态",
    "服务机构",
    "服务",
]


def voucher_export_rows(qs: QuerySet[Voucher]):
    for v in qs.iterator(chunk_size=2000):
        yield [
            v.number,
            str(v.scheme),
            v.enterprise.name,
            v.enterprise.uscc,
            v.face_amount,
            v.issued_on,
            v.expires_on,
            v.get_state_display(),
            v.provider.name if v.provider else "",
            v.service.name if v.service else "",
        ]


def voucher_detail(number: str) -> Voucher | None:
    return (
        Voucher.objects.select_related(
            "scheme", "enterprise", "provider", "service", "application", "issued_by"
        )
        .filter(number=number)
        .first()
    )


def timeline(voucher: Voucher) -> QuerySet[VoucherEvent]:
    return voucher.events.select_related("actor")


def claims_of(voucher: Voucher) -> QuerySet[Redemption]:
    return voucher.redemptions.select_related(
        "provider", "service", "verified_by"
    ).prefetch_related("files")


def entries_of(voucher: Voucher) -> QuerySet[LedgerEntry]:
    return voucher.entries.select_related("actor").order_by("id")


# --- the enterprise's and the provider's portals ------------------------------------------------


def enterprise_of(user) -> Enterprise | None:
    if user.organization_id is None:
        return None
    return Enterprise.objects.filter(organization_id=user.organization_id).first()


def provider_of(user) -> Provider | None:
    if user.organization_id is None:
        return None
    return Provider.objects.filter(organization_id=user.organization_id).first()


def my_vouchers(enterprise: Enterprise) -> QuerySet[Voucher]:
    return (
        Voucher.objects.filter(enterprise=enterprise)
        .select_related("scheme", "provider", "service")
        .order_by("state", "expires_on", "number")
    )


def my_applications(enterprise: Enterprise) -> QuerySet[VoucherApplication]:
    return VoucherApplication.objects.filter(enterprise=enterprise).select_related(
        "scheme", "voucher"
    )


def listed_services() -> QuerySet[Service]:
    return (
        Service.objects.filter(active=True, provider__approved=True)
        .select_related("provider")
        .order_by("category", "provider__name", "name")
    )


def provider_vouchers(provider: Provider) -> QuerySet[Voucher]:
    """The vouchers the provider may still act on; the rest is in its claim history."""
    return (
        Voucher.objects.filter(
            provider=provider, state__in=(Voucher.State.ISSUED, Voucher.State.REDEEMING)
        )
        .select_related("scheme", "enterprise", "service")
        .order_by("state", "expires_on", "number")
    )


def provider_claims(provider: Provider) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(provider=provider)
        .select_related("voucher__enterprise", "service")
        .prefetch_related("files")
    )


def public_providers(category: str = "", q: str = "") -> QuerySet[Provider]:
    services = Service.objects.filter(active=True).order_by("category", "name")
    if category:
        services = services.filter(category=category)
    qs = Provider.objects.filter(approved=True)
    if category:
        qs = qs.filter(services__category=category, services__active=True).distinct()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(services__name__icontains=q)).distinct()
    return qs.prefetch_related(Prefetch("services", queryset=services, to_attr="listed"))


def all_providers() -> QuerySet[Provider]:
    return Provider.objects.annotate(n_services=Count("services")).order_by("approved", "name")


# --- figures for reports ------------------------------------------------------------------------


def yearly_figures() -> list[dict]:
    """Vouchers issued and redeemed per year, amount (yuan) and count, for the yearly reports.

    ``issued`` counts vouchers by the year they were issued; ``redeemed`` counts claims not sent
    back by the year they were submitted (pending ones included, as in the ledger); ``settled``
    the claims paid, by the year paid; ``expired`` vouchers that lapsed, by their expiry year.
    """
    years: dict[int, dict] = {}

    def row(year: int) -> dict:
        return years.setdefault(
            year,
            {
                "year": year,
                "issued_count": 0,
                "issued_amount": ZERO,
                "redeemed_count": 0,
                "redeemed_amount": ZERO,
                "settled_count": 0,
                "settled_amount": ZERO,
                "expired_count": 0,
                "expired_amount": ZERO,
            },
        )

    for key, qs, amount, day in (
        ("issued", Voucher.objects.all(), "face_amount", "issued_on"),
        ("redeemed", Redemption.objects.filter(LIVE), "subsidy", "submitted_on"),
        (
            "settled",
            Redemption.objects.filter(state=Redemption.State.SETTLED),
            "subsidy",
            "settled_on",
        ),
        (
            "expired",
            Voucher.objects.filter(state=Voucher.State.EXPIRED),
            "face_amount",
            "expires_on",
        ),
    ):
        for r in _grouped(qs.annotate(y=ExtractYear(day)), ("y",), n=Count("id"), s=Sum(F(amount))):
            row(r["y"])[f"{key}_count"] = r["n"]
            row(r["y"])[f"{key}_amount"] = r["s"]
    return [years[y] for y in sorted(years)]
