"""Pure spot-check rules: how many objects a plan draws, the look-back window, the states.

No Django here, so the rules can be read and tested on their own; services apply them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_CEILING, Decimal

DRAFT, OBJECTS_DRAWN, INSPECTORS_DRAWN = "draft", "objects_drawn", "inspectors_drawn"
IN_PROGRESS, PUBLISHED = "in_progress", "published"

# Where a plan may go from each state; it only ever moves forward.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({OBJECTS_DRAWN}),
    OBJECTS_DRAWN: frozenset({INSPECTORS_DRAWN}),
    INSPECTORS_DRAWN: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({PUBLISHED}),
}
# Results may be recorded (and corrected) once inspectors are drawn and until publication.
RECORDING = frozenset({INSPECTORS_DRAWN, IN_PROGRESS})
HUNDRED = Decimal(100)


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def sample_size(
    eligible: int, *, ratio_pct: Decimal | None = None, count: int | None = None
) -> int:
    """Objects to draw: ``count`` as given, or the ratio of the eligible pool rounded UP, at least
    one (10% of 21 is 2.1, so 3). Rounding up is the rule's side of caution: a ratio is a floor on
    how many are checked, never a ceiling. Callers have checked the inputs."""
    if count is not None:
        return count
    if ratio_pct is None:
        raise ValueError("either ratio_pct or count is required")
    n = (Decimal(eligible) * ratio_pct / HUNDRED).to_integral_value(rounding=ROUND_CEILING)
    return max(int(n), 1)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, or the month's last day when it is shorter (31 March
    less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
