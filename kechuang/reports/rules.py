"""Permissions on reports.

The bureau asks for reports and reads them all. An enterprise's users read their enterprise's
profiles; a department's reporters read their department's task reports. Nobody else sees any.
"""

import rules

from kechuang.accounts.rules import is_bureau, is_reporter
from kechuang.enterprises.rules import is_enterprise_user


@rules.predicate
def is_own_enterprise_profile(user, report) -> bool:
    return (
        report is not None
        and report.kind == "enterprise"
        and report.enterprise is not None
        and report.enterprise.organization_id == user.organization_id
    )


@rules.predicate
def is_own_department_report(user, report) -> bool:
    return (
        report is not None
        and report.kind == "department"
        and report.department_id is not None
        and report.department_id == user.organization_id
    )


PERMISSIONS = {
    "reports.view_list": is_bureau | is_reporter | is_enterprise_user,
    "reports.generate": is_bureau,
    "reports.view_report": is_bureau
    | (is_enterprise_user & is_own_enterprise_profile)
    | (is_reporter & is_own_department_report),
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
