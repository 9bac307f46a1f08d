"""Permissions on cultivation: the bureau runs the pipeline; an enterprise user reads its own
enterprise's assessments and nothing else; reporters, experts and providers have nothing here."""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import own

PERMISSIONS = {
    "cultivation.view_pipeline": is_bureau,
    "cultivation.manage_pipeline": is_bureau,
    "cultivation.view_assessment": is_bureau | own,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
