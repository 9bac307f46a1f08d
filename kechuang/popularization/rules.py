"""Permissions on science-popularization events.

Anyone, signed in or not, sees public events (the calendar, its feed, an event's page); the
bureau records and sees every event, the yearly totals and the attachments (photos may show
people, reports are internal).
"""

import rules

from kechuang.accounts.rules import is_bureau


@rules.predicate
def is_public_event(user, event) -> bool:
    return event is not None and event.is_public


PERMISSIONS = {
    "popularization.view_event": is_public_event | is_bureau,
    "popularization.view_events": is_bureau,
    "popularization.manage_event": is_bureau,
    "popularization.view_attachments": is_bureau,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
