"""Permissions on spot checks.

The bureau runs the plans: creates them, draws, schedules, records results and publishes. An
inspector (an expert with a login) sees and records only the checks it was drawn for, internal
notes included. The inspected unit's enterprise users see their own check's result, public
findings and rectification steps, report their rectification and fetch the files that came with
those reports; never the internal notes or the inspectors' files. The public sees published
plans only, on the public page.
"""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.experts.rules import is_expert_user as is_expert
from kechuang.inspections.models import Assignment, CheckFile


def _check(obj):
    """The check itself, or the check a file belongs to."""
    return obj.event.spot_check if isinstance(obj, CheckFile) else obj


@rules.predicate
def is_assigned(user, obj) -> bool:
    if obj is None:
        return False
    return Assignment.objects.filter(spot_check=_check(obj), expert__user=user).exists()


@rules.predicate
def is_check_org(user, obj) -> bool:
    if obj is None:
        return False
    return user.organization_id is not None and _check(obj).organization_id == user.organization_id


@rules.predicate
def is_rectification_file(user, obj) -> bool:
    return isinstance(obj, CheckFile) and obj.event.is_rectification_report


inspector = is_expert & is_assigned
own = is_enterprise_user & is_check_org

PERMISSIONS = {
    "inspections.view_list": is_bureau,
    "inspections.manage_plan": is_bureau,
    "inspections.view_check": is_bureau | inspector | own,
    "inspections.record_result": is_bureau | inspector,
    "inspections.view_internal": is_bureau | inspector,
    # The bureau may enter a report the unit handed in on paper.
    "inspections.report_rectification": is_bureau | own,
    "inspections.confirm_rectification": is_bureau,
    "inspections.view_file": is_bureau | inspector | (own & is_rectification_file),
    "inspections.view_mine": is_expert | is_enterprise_user,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
