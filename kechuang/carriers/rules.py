"""Permissions on carriers.

The registry is the bureau's. A carrier's host organisation's enterprise users see their own
carriers and report their yearly metrics; the bureau approves. Everyone else has nothing here
(public carriers are read through the public API and the open-data rows).
"""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import is_enterprise_user


@rules.predicate
def hosts_carrier(user, obj) -> bool:
    """The carrier (or the metrics' carrier) is hosted by the user's organisation."""
    if obj is None:
        return False
    carrier = getattr(obj, "carrier", obj)
    return user.organization_id is not None and carrier.host_id == user.organization_id


host = is_enterprise_user & hosts_carrier

PERMISSIONS = {
    "carriers.view_registry": is_bureau,
    "carriers.manage_carrier": is_bureau,
    "carriers.view_carrier": is_bureau | host,
    "carriers.submit_metrics": is_bureau | host,
    "carriers.approve_metrics": is_bureau,
    "carriers.import_metrics": is_bureau,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
