"""Reads for the expert review: the bureau's call list and review board, a panel, an expert's
assignments, an applicant's result and the public notice.

The board ranks every application of the call on every view: the panels' results are read in
one query (``Panel.result`` holds what the review rules computed when the last sheet came in),
ranked and set against the budget by ``kechuang.core.review``, and only the page shown loads
its members and details — a fixed number of queries however many applications there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from kechuang.calls.models import Application, ApplicationField, Attachment, Call, Criterion
from kechuang.core import review as R
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Draw, Expert
from kechuang.reviews.models import Assignment, Notice, Panel, Score

S = Application.State
A = Assignment.State
REVIEW_STATES = (S.ACCEPTED, S.IN_REVIEW, S.APPROVED, S.NOT_APPROVED)
CHART_TOP = 15


# --- the bureau's calls -----------------------------------------------------------------------


def review_calls() -> QuerySet[Call]:
    """Calls past their window (the ones a review can start on or has), with counts."""
    now = timezone.now()
    return (
        Call.objects.filter(
            Q(state__in=(Call.State.CLOSED, Call.State.REVIEWING, Call.State.DECIDED))
            | Q(state=Call.State.PUBLISHED, closes_at__lte=now)
        )
        .select_related("program", "notice")
        .annotate(
            n_accepted=Count("applications", filter=Q(applications__state=S.ACCEPTED)),
            n_in_review=Count("applications", filter=Q(applications__state=S.IN_REVIEW)),
            n_decided=Count(
                "applications", filter=Q(applications__state__in=(S.APPROVED, S.NOT_APPROVED))
            ),
        )
        .order_by("-closes_at", "code")
    )


# --- the review board -------------------------------------------------------------------------

SORTS = ("rank", "code", "-final", "final", "-amount", "amount", "-sheets")


@dataclass(frozen=True)
class BoardFilters:
    state: str = ""
    field: str = ""
    warning: bool = False
    attention: bool = False
    sort: str = "rank"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> BoardFilters:
        state, fld, sort = params.get("state", ""), params.get("field", ""), params.get("sort", "")
        return cls(
            state=state if state in REVIEW_STATES else "",
            field=fld if fld in Enterprise.HighTechField.values else "",
            warning=params.get("warning") in {"1", "on", "true"},
            attention=params.get("attention") in {"1", "on", "true"},
            sort=sort if sort in SORTS else "rank",
        )

    @property
    def active(self) -> bool:
        return bool(self.state or self.field or self.warning or self.attention)


@dataclass(slots=True)
class Row:
    id: int
    code: str
    title: str
    applicant: str
    requested: Decimal
    state: str
    state_label: str
    panel_id: int | None
    panel_state: str | None
    needs_attention: bool
    attention_zh: str
    attention_en: str
    sheets: int
    final: Decimal | None
    has_warning: bool
    approved: bool | None
    amount: Decimal | None
    rank: int | None = None
    tied: bool = False
    funding: R.FundingItem | None = None
    # Loaded for the rows shown only.
    fields: list[str] = field(default_factory=list)
    members: list[Assignment] = field(default_factory=list)
    result: dict = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)  # the result's, with the expert's name

    @property
    def complete(self) -> bool:
        return self.rank is not None


@dataclass
class Board:
    call: Call
    rows: list[Row]  # filtered and sorted
    total: int  # before filtering
    ranking: R.Ranking
    funding: R.FundingAdvice
    counts: dict[str, int]
    criteria: list[Criterion]


_NONE: Mapping[str, Decimal] = MappingProxyType({})


def _for_ranking(n: int, final: Decimal | None) -> R.Aggregate:
    """An aggregate carrying what ``rank`` reads (the sheets and the final score), as the
    panel row keeps them, without loading every panel's whole result."""
    return R.Aggregate(
        n=n,
        totals=(),
        mean=final,
        trimmed_mean=None,
        dropped=(),
        final=final,
        criterion_means=_NONE,
        minimum=None,
        maximum=None,
        stdev=None,
        threshold=R.SPREAD_THRESHOLD,
        warnings=(),
        notes=(),
    )


_ROW_VALUES = (
    "id",
    "code",
    "title",
    "applicant__name",
    "requested_amount",
    "state",
    "panel__id",
    "panel__state",
    "panel__needs_attention",
    "panel__attention_zh",
    "panel__attention_en",
    "panel__sheets",
    "panel__final_score",
    "panel__has_warning",
    "review_decision__approved",
    "review_decision__amount",
)


def _rows(call: Call) -> list[Row]:
    labels = {state: str(label) for state, label in S.choices}
    out = []
    for v in (
        Application.objects.filter(call=call, state__in=REVIEW_STATES)
        .order_by("code")
        .values_list(*_ROW_VALUES)
        .iterator(chunk_size=500)
    ):
        out.append(
            Row(
                id=v[0],
                code=v[1],
                title=v[2],
                applicant=v[3],
                requested=v[4],
                state=v[5],
                state_label=labels[v[5]],
                panel_id=v[6],
                panel_state=v[7],
                needs_attention=bool(v[8]),
                attention_zh=v[9] or "",
                attention_en=v[10] or "",
                sheets=v[11] or 0,
                final=v[12],
                has_warning=bool(v[13]),
                approved=v[14],
                amount=v[15],
            )
        )
    return out


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    last = Decimal(-1)  # no score yet sorts below every score
    keys = {
        "rank": lambda r: (r.rank is None, r.rank or 0, -r.sheets, r.code),
        "code": lambda r: r.code,
        "-final": lambda r: (r.final is None, -(r.final or last), r.code),
        "final": lambda r: (r.final is None, r.final or last, r.code),
        "-amount": lambda r: (-r.requested, r.code),
        "amount": lambda r: (r.requested, r.code),
        "-sheets": lambda r: (-r.sheets, r.code),
    }
    return sorted(rows, key=keys[sort])


def board(call: Call, filters: BoardFilters) -> Board:
    """Every reviewable application of the call ranked, filtered and sorted (details for the
    page shown come from ``fill``)."""
    rows = _rows(call)
    ranking = R.rank(
        {r.code: _for_ranking(r.sheets, r.final) for r in rows}, required_sheets=call.panel_size
    )
    funding = R.funding_line(ranking, {r.code: r.requested for r in rows}, call.budget)
    by_code = {r.code: r for r in rows}
    for item in ranking.ranked:
        row = by_code[item.application]
        row.rank, row.tied = item.rank, item.tied
    for item in funding.items:
        by_code[item.application].funding = item
    counts = {
        "applications": len(rows),
        "committed": sum(r.panel_state == Panel.State.COMMITTED for r in rows),
        "active": sum(r.panel_state == Panel.State.ACTIVE for r in rows),
        "waiting": sum(r.panel_id is None and r.state == S.ACCEPTED for r in rows),
        "attention": sum(r.needs_attention for r in rows),
        "warnings": sum(r.has_warning for r in rows),
        "sheets": sum(r.sheets for r in rows),
        "expected": sum(r.panel_id is not None for r in rows) * call.panel_size,
        "ranked": len(ranking.ranked),
        "decided": sum(r.approved is not None for r in rows),
    }
    in_field = (
        set(
            ApplicationField.objects.filter(
                application__call=call, field=filters.field
            ).values_list("application_id", flat=True)
        )
        if filters.field
        else None
    )
    shown = [
        r
        for r in rows
        if (not filters.state or r.state == filters.state)
        and (in_field is None or r.id in in_field)
        and (not filters.warning or r.has_warning)
        and (not filters.attention or r.needs_attention)
    ]
    return Board(
        call=call,
        rows=_sorted(shown, filters.sort),
        total=len(rows),
        ranking=ranking,
        funding=funding,
        counts=counts,
        criteria=list(call.criteria.order_by("order", "id")),
    )


def fill(rows: list[Row], *, members: bool = True) -> list[Row]:
    """Load the panels' results (and members, with names) for the rows about to be shown."""
    panel_ids = [r.panel_id for r in rows if r.panel_id]
    loaded = {
        pk: (fields, result)
        for pk, fields, result in Application.objects.filter(
            pk__in=[r.id for r in rows]
        ).values_list("pk", "fields", "panel__result")
    }
    by_panel: dict[int, list[Assignment]] = defaultdict(list)
    if members:
        for a in (
            Assignment.objects.filter(panel_id__in=panel_ids)
            .select_related("expert")
            .order_by("panel_id", "position")
        ):
            by_panel[a.panel_id].append(a)
    for r in rows:
        fields, result = loaded[r.id]
        r.fields, r.result = fields or [], result or {}
        if members:
            r.members = by_panel.get(r.panel_id, [])
            names = {a.expert.code: a.expert.name for a in r.members}
            r.warnings = [
                w | {"name": names.get(w["expert"], "")} for w in r.result.get("warnings", [])
            ]
    return rows


def chart_data(b: Board) -> list[dict]:
    """Each expert's total for the top ranked applications, for the strip chart."""
    top = [r for r in _sorted(b.rows, "rank") if r.rank is not None][:CHART_TOP]
    fill(top, members=False)
    return [
        {
            "code": r.code,
            "rank": r.rank,
            "final": str(r.final),
            "totals": [t["total"] for t in r.result.get("totals", [])],
        }
        for r in top
    ]


EXPORT_HEADER = [
    "排名 / rank",
    "并列 / tied",
    "申报编号 / code",
    "项目名称 / title",
    "申报单位 / applicant",
    "技术领域 / fields",
    "申请资金（元） / requested (yuan)",
    "状态 / state",
    "评分表 / sheets",
    "平均分 / mean",
    "去掉最高最低分后平均 / trimmed mean",
    "最终得分 / final",
]


def export_header(b: Board) -> list[str]:
    return [
        *EXPORT_HEADER,
        *(f"{c.name} 平均分 / mean of {c.name_en or c.name}" for c in b.criteria),
        "分差预警 / spread warnings",
        "资助线 / funding line",
    ]


def export_rows(b: Board) -> Iterator[list]:
    """The ranking as the Excel export lists it, with each criterion's mean score."""
    chunk = 500
    for start in range(0, len(b.rows), chunk):
        rows = fill(b.rows[start : start + chunk], members=False)
        for r in rows:
            res = r.result
            means = res.get("criterion_means", {})
            yield [
                r.rank,
                "是 / yes" if r.tied else "",
                r.code,
                r.title,
                r.applicant,
                "、".join(r.fields),
                r.requested,
                r.state_label,
                f"{r.sheets}/{b.call.panel_size}",
                _decimal(res.get("mean")),
                _decimal(res.get("trimmed_mean")),
                r.final,
                *(_decimal(means.get(str(c.pk))) for c in b.criteria),
                "；".join(w["message_zh"] for w in res.get("warnings", [])),
                "" if r.funding is None else ("线内 / in" if r.funding.fits else "线外 / out"),
            ]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- a panel ----------------------------------------------------------------------------------


def panel_page(pk: int) -> Panel | None:
    scores = Score.objects.select_related("criterion")
    return (
        Panel.objects.select_related(
            "application__applicant", "application__review_decision", "call", "draw"
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert", "draw", "replaces__expert")
                .prefetch_related(Prefetch("scores", queryset=scores))
                .order_by("position"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def panel_draws(panel: Panel) -> list[Draw]:
    """The panel's draws, first one first (the record and result are not loaded)."""
    ids = {a.draw_id for a in panel.assignments.all()} | {panel.draw_id}
    return list(
        Draw.objects.filter(pk__in=ids)
        .defer("record", "result", "seed_token")
        .order_by("created_at", "pk")
    )


# --- the expert -------------------------------------------------------------------------------

OPEN_FIRST = Case(
    When(state__in=(A.INVITED, A.ACCEPTED), then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def my_assignments(user, state: str = "") -> QuerySet[Assignment]:
    """The expert's assignments: those still to score first, nearest deadline first."""
    qs = Assignment.objects.filter(expert__user_id=user.pk).select_related(
        "panel__application", "panel__call"
    )
    if state in A.values:
        qs = qs.filter(state=state)
    return qs.order_by(OPEN_FIRST, "panel__call__review_deadline", "-invited_at", "-pk")


def assignment_page(pk: int) -> Assignment | None:
    """An assignment with its application as the expert reads it, in a fixed few queries."""
    return (
        Assignment.objects.select_related(
            "expert", "panel__call", "panel__application__applicant", "panel__application__call"
        )
        .prefetch_related(
            "scores",
            "panel__application__co_applicants",
            Prefetch("panel__application__attachments", queryset=Attachment.objects.all()),
            "panel__call__sections",
            "panel__call__criteria",
        )
        .filter(pk=pk)
        .first()
    )


# --- the applicant and the public --------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    label: str  # 专家1, 专家2 … in the panel's order: never the expert's name or code
    overall: str
    criteria: list[tuple[str, str]]  # (criterion name, comment)


@dataclass(frozen=True)
class ApplicantResult:
    published: bool
    final: Decimal | None
    criterion_means: list[tuple[Criterion, Decimal | None]]
    comments: list[Comment]


def applicant_result(application: Application) -> ApplicantResult:
    """What the applicant may see of its own review: nothing before the result is published;
    afterwards its final score, the criteria means and the experts' comments as 专家1…n."""
    notice = Notice.objects.filter(call_id=application.call_id).first()
    panel = Panel.objects.filter(application=application).first()
    if notice is None or panel is None:
        return ApplicantResult(False, None, [], [])
    criteria = list(application.call.criteria.order_by("order", "id"))
    means = panel.result.get("criterion_means", {})
    sheets = (
        panel.assignments.filter(state=A.SUBMITTED)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("position")
    )
    comments = [
        Comment(
            f"专家{i}",
            a.overall_comment,
            [(s.criterion.name, s.comment) for s in a.scores.all() if s.comment],
        )
        for i, a in enumerate(sheets, start=1)
    ]
    return ApplicantResult(
        True,
        panel.final_score,
        [(c, _decimal(means.get(str(c.pk)))) for c in criteria],
        comments,
    )


@dataclass(frozen=True)
class NoticePage:
    notice: Notice
    approved: list[Application]
    experts: list[Expert]


def notice_page(call: Call) -> NoticePage | None:
    notice = Notice.objects.filter(call=call).select_related("published_by").first()
    if notice is None:
        return None
    approved = list(
        Application.objects.filter(call=call, state=S.APPROVED)
        .select_related("applicant", "review_decision")
        .order_by("code")
    )
    reviewed = Assignment.objects.filter(panel__call=call, state=A.SUBMITTED).values("expert_id")
    experts = list(
        Expert.objects.filter(pk__in=reviewed)
        .select_related("organization")
        .order_by("name", "code")
    )
    return NoticePage(notice, approved, experts)
