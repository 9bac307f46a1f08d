"""Permissions on the enterprise registry.

Bureau staff and admins see and change everything. An enterprise user sees and works on its
own enterprise only (profile contact details, yearly figures, IP). Reporters, experts and
providers have nothing here.
"""

import rules

from kechuang.accounts.models import User
from kechuang.accounts.rules import is_bureau


@rules.predicate
def is_enterprise_user(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.ENTERPRISE
        and user.organization_id is not None
    )


@rules.predicate
def is_own_enterprise(user, obj) -> bool:
    """The enterprise (or the figures, IP, certification's enterprise) is the user's."""
    if obj is None:
        return False
    enterprise = getattr(obj, "enterprise", obj)
    return enterprise.organization_id == user.organization_id


own = is_enterprise_user & is_own_enterprise

PERMISSIONS = {
    # The registry as a whole: lists, search, exports, imports.
    "enterprises.view_registry": is_bureau,
    "enterprises.import_data": is_bureau,
    "enterprises.view_enterprise": is_bureau | own,
    "enterprises.add_enterprise": is_bureau,
    "enterprises.change_enterprise": is_bureau | own,
    # Registration data, certifications, events and the service officer.
    "enterprises.manage_enterprise": is_bureau,
    "enterprises.submit_figures": is_bureau | own,
    "enterprises.approve_figures": is_bureau,
    "enterprises.add_ip": is_bureau | own,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
