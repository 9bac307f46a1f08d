"""The registry as the rules see it: an ``Enterprise`` → ``EnterpriseFacts``.

Only approved yearly figures count: a draft or a figure under review is not yet a fact. The
registry's lists (IP, certifications, incidents, listings, awards, standards, institutions) are
the bureau's record, so an empty list means "none on record" (an empty tuple), not "unknown".
The standing declarations (residency, restricted products, the eleven 研发组织管理 elements) and
the pre-assessment expert views are nullable on the enterprise: undeclared stays ``None`` (no
``Management``/``ExpertViews`` at all when nothing of it was declared). What the registry does
not keep at all (financing, the 梯度培育 declarations) stays ``None`` so the rules say it needs
review and name the missing fact.

Choice values equal the criteria enums' values (test_vocabulary checks it), so each mapping is
a direct ``Enum(value)`` lookup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet

from kechuang.core.criteria.facts import (
    Acquisition,
    AdvancementView,
    Award,
    AwardLevel,
    Certification,
    CertificationKind,
    EnterpriseFacts,
    ExpertViews,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPClass,
    IPKind,
    IPRight,
    IPStatus,
    Listing,
    ListingKind,
    Management,
    Ownership,
    RDExpense,
    RDInstitution,
    Standard,
    StandardLevel,
    StandardRole,
    SupportView,
    YearFigures,
)
from kechuang.enterprises import models as m

__all__ = ["facts_for", "facts_for_many"]

_RD = {
    "personnel": "rd_personnel",
    "direct_inputs": "rd_direct_inputs",
    "depreciation": "rd_depreciation",
    "amortization": "rd_amortization",
    "design": "rd_design",
    "trials": "rd_trials",
    "outsourced_domestic": "rd_outsourced_domestic",
    "outsourced_overseas": "rd_outsourced_overseas",
    "other": "rd_other",
}
_ZERO_DEFAULTS = ("other_revenue", "non_taxable_income")


def _year(f: m.YearlyFigures) -> YearFigures:
    parts = {k: getattr(f, col) for k, col in _RD.items()}
    rd = None
    if any(v is not None for v in parts.values()) or f.rd_domestic is not None:
        # An undeclared category inside a declared R&D breakdown is nothing spent on it.
        rd = RDExpense(**{k: v for k, v in parts.items() if v is not None}, domestic=f.rd_domestic)
    extra = {k: getattr(f, k) for k in _ZERO_DEFAULTS if getattr(f, k) is not None}
    return YearFigures(
        year=f.year,
        main_revenue=f.main_revenue,
        operating_revenue_declared=f.operating_revenue,
        total_income=f.total_income,
        high_tech_income=f.high_tech_income,
        rd=rd,
        employees=f.employees,
        st_staff=f.st_staff,
        rd_staff=f.rd_staff,
        total_assets=f.total_assets,
        liabilities=f.liabilities,
        net_assets_declared=f.net_assets,
        net_profit=f.net_profit,
        cost_and_expense_total=f.cost_and_expense_total,
        conversions=f.conversions,
        **extra,
    )


def _ip(r: m.IntellectualProperty) -> IPRight:
    return IPRight(
        kind=IPKind(r.kind),
        ip_class=IPClass(r.ip_class),
        status=IPStatus(r.status),
        valid=r.valid,
        ownership=Ownership(r.ownership),
        acquisition=Acquisition(r.acquisition),
        used_for_hnte=bool(r.used_for_hnte_application),
        high_value=r.high_value,
        number=r.number or None,
        title=r.title or None,
        applied_on=r.applied_on,
        granted_on=r.granted_on,
    )


def _certification(c: m.Certification) -> Certification:
    return Certification(
        kind=CertificationKind(c.kind),
        issued_on=c.issued_on,
        expires_on=c.expires_on,
        number=c.number or None,
    )


def _events(events: Iterable[m.EnterpriseEvent]) -> dict[str, tuple]:
    C = m.EnterpriseEvent.Category
    out: dict[str, list] = {
        "incidents": [],
        "listings": [],
        "awards": [],
        "standards": [],
        "rd_institutions": [],
    }
    for e in events:
        if e.category == C.INCIDENT:
            out["incidents"].append(
                Incident(IncidentKind(e.kind), e.date, e.serious, e.description or None)
            )
        elif e.category == C.LISTING:
            out["listings"].append(Listing(ListingKind(e.kind), e.date, e.ended_on))
        elif e.category == C.AWARD:
            # An award recorded without its rank is treated as a lower-ranked unit, so it can
            # never score more than the record supports.
            out["awards"].append(
                Award(AwardLevel(e.level or "other"), e.rank or 99, e.date, e.name or None)
            )
        elif e.category == C.STANDARD:
            out["standards"].append(
                Standard(StandardLevel(e.level), StandardRole(e.role), e.date, e.name or None)
            )
        elif e.category == C.INSTITUTION:
            out["rd_institutions"].append(
                RDInstitution(InstitutionLevel(e.level), e.date, e.name or None)
            )
    return {k: tuple(v) for k, v in out.items()}


def _management(e: m.Enterprise) -> Management | None:
    declared = {k: getattr(e, k) for k in m.Enterprise.MANAGEMENT_FIELDS}
    if all(v is None for v in declared.values()):
        return None
    return Management(**declared)


def _expert_views(e: m.Enterprise) -> ExpertViews | None:
    if not (e.ip_advancement or e.ip_core_support):
        return None
    return ExpertViews(
        ip_advancement=AdvancementView(e.ip_advancement) if e.ip_advancement else None,
        ip_core_support=SupportView(e.ip_core_support) if e.ip_core_support else None,
    )


def _build(
    e: m.Enterprise,
    figures: Iterable[m.YearlyFigures],
    ip: Iterable[m.IntellectualProperty],
    certifications: Iterable[m.Certification],
    events: Iterable[m.EnterpriseEvent],
    on: date,
) -> EnterpriseFacts:
    industry = e.industry
    return EnterpriseFacts(
        name=e.name,
        uscc=e.uscc,
        registered_on=e.registered_on,
        application_date=on,
        industry_code=industry.code if industry else None,
        size_industry=(industry.size_category or None) if industry else None,
        high_tech_field=e.high_tech_field or None,
        resident=e.resident,
        restricted_products=e.restricted_products,
        management=_management(e),
        expert_views=_expert_views(e),
        # Only figures up to the year before ``on`` exist on that day for the rules.
        years=tuple(_year(f) for f in sorted(figures, key=lambda f: f.year) if f.year < on.year),
        ip=tuple(_ip(r) for r in ip),
        certifications=tuple(_certification(c) for c in certifications if c.issued_on <= on),
        **_events(ev for ev in events if ev.date <= on),
    )


# The same order one by one and in bulk, so both give equal facts; without the enterprise join
# the models' default orderings would bring.
_ORDER = {
    "figures": ("year",),
    "ip": ("kind", "number", "id"),
    "certs": ("kind", "-issued_on", "id"),
    "events": ("-date", "-id"),
}


def _approved() -> QuerySet[m.YearlyFigures]:
    return m.YearlyFigures.objects.filter(status=m.YearlyFigures.Status.APPROVED)


def facts_for(enterprise: m.Enterprise, *, on: date) -> EnterpriseFacts:
    """The facts of one enterprise as known on ``on`` (five queries)."""
    return _build(
        enterprise,
        _approved().filter(enterprise=enterprise).order_by(*_ORDER["figures"]),
        enterprise.ip.order_by(*_ORDER["ip"]),
        enterprise.certifications.order_by(*_ORDER["certs"]),
        enterprise.events.order_by(*_ORDER["events"]),
        on,
    )


def facts_for_many(
    queryset: QuerySet[m.Enterprise], *, on: date, chunk_size: int = 2000
) -> Iterator[tuple[m.Enterprise, EnterpriseFacts]]:
    """Facts for every enterprise of ``queryset``, five queries per chunk of enterprises.

    Chunked by primary key so that memory stays bounded over a hundred thousand enterprises
    (a plain prefetch_related would hold every related row of the whole queryset at once).
    """
    qs = queryset.select_related("industry").order_by("pk")
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:chunk_size])
        if not batch:
            return
        last = batch[-1].pk
        ids = [e.pk for e in batch]
        related: dict[str, dict[int, list]] = {}
        for name, rows in (
            ("figures", _approved()),
            ("ip", m.IntellectualProperty.objects.all()),
            ("certs", m.Certification.objects.all()),
            ("events", m.EnterpriseEvent.objects.all()),
        ):
            rows = rows.filter(enterprise_id__in=ids).order_by(*_ORDER[name])
            by: dict[int, list] = defaultdict(list)
            for row in rows.iterator(chunk_size=5000):
                by[row.enterprise_id].append(row)
            related[name] = by
        for e in batch:
            pk = e.pk
            yield (
                e,
                _build(
                    e,
                    related["figures"].get(pk, ()),
                    related["ip"].get(pk, ()),
                    related["certs"].get(pk, ()),
                    related["events"].get(pk, ()),
                    on,
                ),
            )
