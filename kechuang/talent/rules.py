"""Permissions on talent programs, nominations, panels and the registry.

Programs and published calls are public and carry no personal data. An employer (a user with
role ``enterprise`` whose organisation is an enterprise or a research institution, as for
project calls) nominates people and sees only its own nominations and talents. The bureau
manages calls, the panels and decisions, and keeps the registry; only admins see a whole ID
number, and each look is audited. An expert sees and scores only the applications it was
drawn for; the bureau may enter a paper score sheet on an expert's behalf.
"""

import rules

from kechuang.accounts.models import User
from kechuang.accounts.rules import is_bureau, is_bureau_admin
from kechuang.calls.rules import is_applicant_user


@rules.predicate
def is_expert_user(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.EXPERT


@rules.predicate
def is_own_employer(user, obj) -> bool:
    """The nomination (or talent) is the user's organisation's."""
    return obj is not None and obj.employer_id == user.organization_id


@rules.predicate
def is_assigned(user, application) -> bool:
    """The user is an expert drawn to score this application."""
    return application is not None and application.assignments.filter(expert__user=user).exists()


@rules.predicate
def is_public_call(user, call) -> bool:
    return call is not None and call.state != call.State.DRAFT


own = is_applicant_user & is_own_employer

PERMISSIONS = {
    "talent.view_call": is_bureau | is_public_call,
    "talent.manage": is_bureau,
    "talent.apply": is_applicant_user,
    "talent.view_application": is_bureau | own,
    "talent.change_application": own,
    "talent.view_full_id": is_bureau_admin,
    "talent.view_reviews": is_expert_user,
    "talent.review_application": is_expert_user & is_assigned,
    "talent.score": (is_expert_user & is_assigned) | is_bureau,
    "talent.view_registry": is_bureau,
    "talent.view_talent": is_bureau | own,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
