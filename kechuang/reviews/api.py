"""Expert review over JSON.

An expert lists their own assignments (nothing about other experts). The bureau reads a call's
ranking: every reviewable application with its sheets, scores, rank and funding-line advice,
as on the review board.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.calls.models import Call
from kechuang.reviews import selectors

router = Router(tags=["reviews"])


class AssignmentOut(Schema):
    id: int
    application_id: int
    application_code: str
    application_title: str
    call: str
    state: str
    review_deadline: dt.datetime | None
    invited_at: dt.datetime
    submitted_at: dt.datetime | None


@router.get(
    "/reviews/assignments",
    response=list[AssignmentOut],
    auth=django_auth,
    summary="我的评审任务 / my review assignments",
)
@paginate
def my_assignments(request, state: str = ""):
    """The signed-in expert's assignments, those still to score first."""
    if not request.user.has_perm("reviews.view_assignments"):
        raise PermissionDenied("只有专家可以查看 / experts only")
    return [
        {
            "id": a.pk,
            "application_id": a.panel.application_id,
            "application_code": a.panel.application.code,
            "application_title": a.panel.application.title,
            "call": a.panel.call.code,
            "state": a.state,
            "review_deadline": a.panel.call.review_deadline,
            "invited_at": a.invited_at,
            "submitted_at": a.submitted_at,
        }
        for a in selectors.my_assignments(request.user, state)
    ]


class RankingRow(Schema):
    rank: int | None
    tied: bool
    code: str
    title: str
    applicant: str
    state: str
    requested_amount: Decimal
    sheets: int
    required_sheets: int
    mean: Decimal | None
    trimmed_mean: Decimal | None
    final: Decimal | None
    criterion_means: dict[str, Decimal | None]
    warnings: list[str]
    within_funding_line: bool | None


class RankingOut(Schema):
    call: str
    budget: Decimal
    funded: Decimal
    remaining: Decimal
    ties: list[str]
    rows: list[RankingRow]


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@router.get(
    "/reviews/calls/{code}/ranking",
    response=RankingOut,
    auth=django_auth,
    summary="评审排名 / a call's review ranking",
)
def ranking(request, code: str):
    """Ranked first (ties share a rank), incomplete reviews last. Bureau only."""
    call = get_object_or_404(Call, code=code)
    if not request.user.has_perm("reviews.manage", call):
        raise PermissionDenied("只有科技局可以查看 / bureau only")
    b = selectors.board(call, selectors.BoardFilters())
    rows = selectors.fill(b.rows, members=False)
    names = {str(c.pk): c.name for c in b.criteria}
    return {
        "call": call.code,
        "budget": b.funding.budget,
        "funded": b.funding.funded,
        "remaining": b.funding.remaining,
        "ties": [t.message_zh for t in b.ranking.ties],
        "rows": [
            {
                "rank": r.rank,
                "tied": r.tied,
                "code": r.code,
                "title": r.title,
                "applicant": r.applicant,
                "state": r.state,
                "requested_amount": r.requested,
                "sheets": r.sheets,
                "required_sheets": call.panel_size,
                "mean": _d(r.result.get("mean")),
                "trimmed_mean": _d(r.result.get("trimmed_mean")),
                "final": r.final,
                "criterion_means": {
                    names[k]: _d(v)
                    for k, v in r.result.get("criterion_means", {}).items()
                    if k in names
                },
                "warnings": [w["message_zh"] for w in r.result.get("warnings", [])],
                "within_funding_line": None if r.funding is None else r.funding.fits,
            }
            for r in rows
        ],
    }
