"""Reads: the library list with its filters, one expert, the draws and one draw's public page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from kechuang.experts import services
from kechuang.experts.models import (
    Collaboration,
    Draw,
    DrawChoice,
    Expert,
    ExpertField,
    Relationship,
)

SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("name", "code"),
    "-name": ("-name", "code"),
    "organization": ("organization_name", "code"),
    "title": ("title", "code"),
    "-updated": ("-updated_at", "code"),
}
AVAILABILITY = {"1": True, "0": False}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    field: str = ""
    title: str = ""
    available: str = ""  # "1" marked available, "0" marked unavailable, "" either
    finance: bool = False
    sort: str = "code"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        field = params.get("field", "")
        title = params.get("title", "")
        available = params.get("available", "")
        sort = params.get("sort", "code")
        return cls(
            q=params.get("q", "").strip()[:100],
            field=field if field in services.FIELDS else "",
            title=title if title in Expert.Title.values else "",
            available=available if available in AVAILABILITY else "",
            finance=params.get("finance") in {"1", "true", "on"},
            sort=sort if sort in SORTS else "code",
        )


def expert_list(filters: Filters) -> QuerySet[Expert]:
    qs = Expert.objects.select_related("organization")
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(code__iexact=q)
            | Q(organization_name__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(specialty__icontains=q)
            | Q(title_name__icontains=q)
        )
    if filters.field:
        qs = qs.filter(
            Exists(ExpertField.objects.filter(expert=OuterRef("pk"), field=filters.field))
        )
    if filters.title:
        qs = qs.filter(title=filters.title)
    if filters.available:
        qs = qs.filter(available=AVAILABILITY[filters.available])
    if filters.finance:
        qs = qs.filter(is_finance=True)
    return qs.order_by(*SORTS[filters.sort])


def expert_by_code(code: str) -> Expert | None:
    return Expert.objects.select_related("organization", "user").filter(code=code).first()


def expert_of(user) -> Expert | None:
    """The library record linked to this login, if any."""
    if not getattr(user, "pk", None):
        return None
    return Expert.objects.select_related("organization").filter(user=user).first()


def relationships_of(expert: Expert) -> QuerySet[Relationship]:
    return expert.relationships.select_related("organization", "declared_by")


def collaborations_of(expert: Expert) -> QuerySet[Collaboration]:
    return expert.collaborations.select_related("organization", "created_by")


# Drawing enterprises to inspect names enterprises, not experts, even if an id looked alike.
EXPERT_KINDS = [k for k in Draw.Kind.values if k != Draw.Kind.INSPECTION_OBJECTS]


def draws_of(expert: Expert) -> QuerySet[DrawChoice]:
    """The published draws that chose this expert, newest first."""
    return (
        DrawChoice.objects.filter(candidate=expert.code, draw__kind__in=EXPERT_KINDS)
        .select_related("draw")
        .defer("draw__record", "draw__result")
        .order_by("-draw__drawn_at", "-draw_id")
    )


# --- draws -----------------------------------------------------------------------------------

DRAW_SORTS = {"-created": ("-created_at", "-id"), "created": ("created_at", "id")}


def draw_list(
    *, kind: str = "", state: str = "", q: str = "", sort: str = "-created"
) -> QuerySet[Draw]:
    # The record and result can hold thousands of candidates: lists never load them.
    qs = Draw.objects.defer("record", "result", "seed_token")
    if kind in Draw.Kind.values:
        qs = qs.filter(kind=kind)
    if state in Draw.State.values:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(
            Q(draw_id__iexact=q) | Q(purpose__icontains=q) | Q(subject_label__icontains=q)
        )
    return qs.order_by(*DRAW_SORTS.get(sort, DRAW_SORTS["-created"]))


def draw_by_id(draw_id: str) -> Draw | None:
    return Draw.objects.filter(draw_id=draw_id).first()


@dataclass(frozen=True)
class Entry:
    """One candidate as the public page shows it: code, unit and fields, nothing personal."""

    candidate: str
    organisation: str
    fields: tuple[str, ...]
    key: str = ""
    reason_zh: str = ""
    reason_en: str = ""
    # Only for bureau users (experts.view_draw_names); the public page never has one.
    name: str = ""


POOL_SHOWN = 200
ALTERNATES_SHOWN = 20
ORDER_SHOWN = 100


@dataclass(frozen=True)
class DrawPage:
    """What a draw's page shows, read from the stored record and result."""

    pool: list[Entry]
    exclusions: list[Entry]
    max_per: dict
    require_field_overlap: bool
    application_fields: list[str]
    order: list[Entry]
    chosen: list[Entry]
    skipped_chosen: list[Entry]
    skipped_alternate: int
    alternates: list[Entry]
    alternates_total: int
    shortfall: int


def draw_page(draw: Draw, names: Mapping[str, str] | None = None) -> DrawPage:
    record = draw.record
    attrs = {c["id"]: c.get("attributes", {}) for c in record["pool"]}
    names = names or {}

    def entry(cid: str, **extra) -> Entry:
        a = attrs.get(cid, {})
        return Entry(
            cid,
            str(a.get("organisation", "")),
            tuple(a.get("fields", ())),
            name=names.get(cid, ""),
            **extra,
        )

    constraints = record.get("constraints", {})
    result = draw.result or {}
    skipped = result.get("skipped", [])
    alternates = result.get("alternates", [])
    return DrawPage(
        pool=[entry(c["id"]) for c in record["pool"][:POOL_SHOWN]],
        exclusions=[entry(cid, reason_zh=why) for cid, why in sorted(record["exclusions"].items())],
        max_per=constraints.get("max_per", {}),
        require_field_overlap=constraints.get("require_field_overlap", False),
        application_fields=constraints.get("application_fields", []),
        order=[entry(e["candidate"], key=e["key"]) for e in result.get("order", [])[:ORDER_SHOWN]],
        chosen=[entry(c) for c in result.get("chosen", [])],
        skipped_chosen=[
            entry(s["candidate"], reason_zh=s["reason_zh"], reason_en=s["reason_en"])
            for s in skipped
            if s["phase"] == "chosen"
        ],
        skipped_alternate=sum(s["phase"] == "alternate" for s in skipped),
        alternates=[entry(c) for c in alternates[:ALTERNATES_SHOWN]],
        alternates_total=len(alternates),
        shortfall=result.get("shortfall", 0),
    )
