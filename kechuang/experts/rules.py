"""Permissions on the expert library and the draws.

Bureau staff and admins keep the library (ID numbers masked) and make draws; the whole ID
number is for admins only, and every look at it is audited. An expert sees only their own record,
masked, and updates only its availability and declared relationships. Draw pages are public and
carry no personal data.
"""

import rules

from kechuang.accounts.models import User
from kechuang.accounts.rules import is_bureau, is_bureau_admin


@rules.predicate
def is_expert_user(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == User.Role.EXPERT


@rules.predicate
def is_own_record(user, expert) -> bool:
    return expert is not None and expert.user_id is not None and expert.user_id == user.pk


own = is_expert_user & is_own_record

PERMISSIONS = {
    "experts.view_library": is_bureau,
    "experts.manage_expert": is_bureau,
    "experts.view_full_id": is_bureau_admin,
    "experts.set_availability": is_bureau | own,
    "experts.declare_relationship": is_bureau | own,
    "experts.record_collaboration": is_bureau,
    "experts.create_draw": is_bureau,
    "experts.perform_draw": is_bureau,
    # Names next to drawn codes: the public page shows codes only.
    "experts.view_draw_names": is_bureau,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
