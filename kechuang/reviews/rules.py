"""Permissions on the expert review.

The bureau organises the review: starts it, runs the draws, sees the board with every name and
score, records decisions and publishes the result. An expert sees only their own assignments,
and the application of each one they have not declared a conflict on; everyone else gets 404.
An applicant sees its own application's result page (scores only after publication).

Assigned experts read the application and its attachments through the calls pages, so this
module widens ``calls.view_application`` through the hook calls left for it.
"""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.calls.rules import can_view_application, is_applicant_user, is_own_application
from kechuang.experts.rules import is_expert_user
from kechuang.reviews.models import Assignment


@rules.predicate
def is_own_assignment(user, assignment) -> bool:
    return assignment is not None and assignment.expert.user_id == user.pk


@rules.predicate
def is_assigned_expert(user, application) -> bool:
    """The user is an expert with a non-conflict assignment on the application (or on the
    attachment's application)."""
    if application is None:
        return False
    application = getattr(application, "application", application)
    return (
        Assignment.objects.filter(panel__application_id=application.pk, expert__user_id=user.pk)
        .exclude(state=Assignment.State.CONFLICT)
        .exists()
    )


own_assignment = is_expert_user & is_own_assignment

PERMISSIONS = {
    "reviews.manage": is_bureau,
    "reviews.view_assignments": is_expert_user,
    "reviews.view_assignment": own_assignment,
    "reviews.score": own_assignment,
    "reviews.view_result": is_bureau | (is_applicant_user & is_own_application),
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)

rules.set_perm(
    "calls.view_application", can_view_application | (is_expert_user & is_assigned_expert)
)
