"""Projects over JSON: the list for the bureau, and one project for its organisation or the bureau.

As on the pages, a project the caller may not see is 404 (and the attempt is audited); the list
is the bureau's only (403 for anyone else). Money is yuan as decimal strings.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.audit.services import log_access
from kechuang.projects import selectors

router = Router(tags=["projects"])
CENT = Decimal("0.01")


class ProjectRow(Schema):
    code: str
    title: str
    program: str
    year: int
    organization: str
    state: str
    is_major: bool
    starts_on: dt.date
    ends_on: dt.date
    approved_amount: Decimal
    disbursed: Decimal
    signed_on: dt.date | None
    overdue_milestones: bool
    missing_self_inspection: bool
    is_demo: bool


class MilestoneOut(Schema):
    title: str
    due_on: dt.date
    done_on: dt.date | None
    state: str


class DeliverableOut(Schema):
    kind: str
    description: str
    target_quantity: int


class BudgetLineOut(Schema):
    category: str
    fiscal: Decimal
    self_raised: Decimal


class DisbursementOut(Schema):
    amount: Decimal
    paid_on: dt.date
    batch_note: str


class StateChangeOut(Schema):
    from_state: str
    to_state: str
    at: dt.datetime
    note: str


class AchievementOut(Schema):
    kind: str
    target: int
    achieved: Decimal
    met: bool


class ProjectOut(ProjectRow):
    lead_person: str
    fields: list[str]
    requested_amount: Decimal
    application: str | None
    milestones: list[MilestoneOut]
    deliverables: list[DeliverableOut]
    budget: list[BudgetLineOut]
    disbursements: list[DisbursementOut]
    history: list[StateChangeOut]
    achievements: list[AchievementOut]


class ListFilters(Schema):
    q: str = ""
    state: str = ""
    program: str = ""
    year: str = ""
    org: str = ""
    flag: str = ""
    sort: str = "-year"


def _row(p) -> dict:
    return {
        "code": p.code,
        "title": p.title,
        "program": p.program.code,
        "year": p.year,
        "organization": p.organization.code,
        "state": p.state,
        "is_major": p.is_major,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "approved_amount": p.approved_amount,
        # SQLite hands back sums without their scale; PostgreSQL keeps it. Say it one way.
        "disbursed": p.disbursed.quantize(CENT),
        "signed_on": p.signed_on,
        "overdue_milestones": p.overdue,
        "missing_self_inspection": p.missing_inspection,
        "is_demo": p.is_demo,
    }


@router.get("/projects", response=list[ProjectRow], auth=django_auth, summary="项目列表 / projects")
@paginate
def list_projects(request, filters: Query[ListFilters]):
    """Bureau staff only. Filters as on the list page: q (code, title, organisation or lead),
    state, program (code), year, org (organisation code), flag (overdue | no_inspection)."""
    if not request.user.has_perm("projects.view_list"):
        raise PermissionDenied("只有科技局可以查看项目列表 / only the bureau may list projects")
    qs = selectors.project_list(selectors.Filters.from_params(dict(filters)))
    return [_row(p) for p in qs]


@router.get(
    "/projects/{code}", response=ProjectOut, auth=django_auth, summary="项目详情 / one project"
)
def get_project(request, code: str):
    found = selectors.project_with_flags(code)
    if found is None:
        raise Http404
    if not request.user.has_perm("projects.view_project", found):
        log_access(request.user, found, note="项目接口 / project API", denied=True)
        raise Http404
    budget = selectors.budget_of(found)
    return {
        **_row(found),
        "lead_person": found.lead_person,
        "fields": list(found.fields),
        "requested_amount": found.requested_amount,
        "application": found.application.code,
        "milestones": [
            {
                "title": mv.milestone.title,
                "due_on": mv.milestone.due_on,
                "done_on": mv.milestone.done_on,
                "state": mv.state,
            }
            for mv in selectors.milestone_views(found)
        ],
        "deliverables": list(found.deliverables.values("kind", "description", "target_quantity")),
        "budget": [
            {"category": r.category, "fiscal": r.fiscal, "self_raised": r.own} for r in budget.rows
        ],
        "disbursements": list(
            selectors.disbursements_of(found).values("amount", "paid_on", "batch_note")
        ),
        "history": [
            {"from_state": h.from_state, "to_state": h.to_state, "at": h.changed_at, "note": h.note}
            for h in selectors.state_history(found)
        ],
        "achievements": [
            {"kind": a.kind, "target": a.target, "achieved": a.achieved, "met": a.met}
            for _label, a in selectors.achievements(found)
        ],
    }
