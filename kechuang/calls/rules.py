"""Permissions on calls and applications.

Published calls are public. The bureau manages calls and does the formal check. An applicant is
a user with role ``enterprise`` whose organisation is an enterprise or a research institution
(the platform has no separate institution role: an institution's users get role ``enterprise``
and an organisation of kind ``institution``); it sees and works on its own organisation's
applications only.

``can_view_application`` is the hook other apps widen: the reviews app lets assigned experts
read an application with ``rules.set_perm("calls.view_application", can_view_application |
its_own_predicate)``, and the attachment download obeys it because it asks for that permission.
"""

import rules

from kechuang.accounts.models import Organization, User
from kechuang.accounts.rules import is_bureau
from kechuang.calls.models import Call

APPLICANT_KINDS = (Organization.Kind.ENTERPRISE, Organization.Kind.INSTITUTION)


@rules.predicate
def is_applicant_user(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.ENTERPRISE
        and user.organization_id is not None
        and user.organization.kind in APPLICANT_KINDS
    )


@rules.predicate
def is_own_application(user, application) -> bool:
    """The application (or the attachment's application) is the user's organisation's."""
    if application is None:
        return False
    application = getattr(application, "application", application)
    return application.applicant_id == user.organization_id


@rules.predicate
def is_public_call(user, call) -> bool:
    return call is not None and call.state != Call.State.DRAFT


can_view_application = is_bureau | (is_applicant_user & is_own_application)

PERMISSIONS = {
    "calls.view_call": is_bureau | is_public_call,
    "calls.manage_calls": is_bureau,
    "calls.apply": is_applicant_user,
    "calls.view_application": can_view_application,
    "calls.change_application": is_applicant_user & is_own_application,
    "calls.formal_check": is_bureau,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
