"""Permissions on figures: who may open the dashboard, enter and approve."""

import rules

from kechuang.accounts.rules import is_bureau, is_reporter, owns_element

rules.add_perm("indicators.view_dashboard", is_bureau | is_reporter)
rules.add_perm("indicators.enter_value", is_bureau | (is_reporter & owns_element))
rules.add_perm("indicators.approve_value", is_bureau)
