"""Permissions on achievements and technology contracts.

Anyone, signed in or not, sees public achievements; the bureau sees and keeps all of them, and
the users of an owning organisation also see their own internal ones. Contracts, their totals
and publishing them into indicator 8 are the bureau's.
"""

import rules

from kechuang.accounts.rules import is_bureau


@rules.predicate
def is_public_achievement(user, achievement) -> bool:
    return achievement is not None and achievement.is_public


@rules.predicate
def owns_achievement(user, achievement) -> bool:
    return (
        achievement is not None
        and user.is_authenticated
        and user.organization_id is not None
        and achievement.owners.filter(pk=user.organization_id).exists()
    )


PERMISSIONS = {
    "achievements.view_achievement": is_public_achievement | is_bureau | owns_achievement,
    "achievements.view_internal": is_bureau,
    "achievements.manage_achievement": is_bureau,
    "achievements.view_contracts": is_bureau,
    "achievements.manage_contracts": is_bureau,
    "achievements.publish_totals": is_bureau,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
