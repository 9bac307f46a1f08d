"""Permissions on policies.

The catalog is public (no permission: anyone, logged in or not, reads published policies).
The bureau edits the catalog, runs the matching, sees which enterprises qualify, pushes notices,
records applications and grants, and prepares and approves 免申即享 rosters. An enterprise user
sees its own enterprise's matches and may declare that it applied; nothing else. Reporters,
experts and providers have nothing here beyond the public catalog.
"""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import own

PERMISSIONS = {
    "policies.manage_policies": is_bureau,
    "policies.run_matching": is_bureau,
    "policies.view_matches": is_bureau,
    "policies.push_notice": is_bureau,
    "policies.manage_rosters": is_bureau,
    # Per enterprise: the bureau for any, an enterprise user for its own.
    "policies.view_own_matches": own,
    "policies.record_application": is_bureau | own,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
