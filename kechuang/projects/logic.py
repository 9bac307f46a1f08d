"""Pure project rules: the state machine, the panel mean, outcomes against the contract, codes.

No Django here, so the rules can be read and tested on their own; services apply them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

IN_PROGRESS, MIDTERM, ACCEPTANCE = "in_progress", "midterm", "acceptance"
PASSED, CONCLUDED, FAILED, TERMINATED = "passed", "concluded", "failed", "terminated"

# Where a project may go from each state; the four end states go nowhere.
TRANSITIONS: dict[str, frozenset[str]] = {
    IN_PROGRESS: frozenset({MIDTERM, ACCEPTANCE, TERMINATED}),
    MIDTERM: frozenset({IN_PROGRESS, TERMINATED}),
    ACCEPTANCE: frozenset({PASSED, CONCLUDED, FAILED}),
}
ACTIVE = frozenset(TRANSITIONS)
# Work goes on (reports, changes) while the project runs or is being evaluated mid-term.
RUNNING = frozenset({IN_PROGRESS, MIDTERM})
# 容错 is judged on a project that ended without reaching what it promised.
UNSUCCESSFUL = frozenset({CONCLUDED, FAILED, TERMINATED})


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


CENT = Decimal("0.01")


def mean_score(scores: Iterable[int]) -> Decimal | None:
    """The panel's simple mean to two places; None when nobody has scored."""
    values = list(scores)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(CENT, ROUND_HALF_UP)


# Which recorded outcomes count towards each kind of contracted deliverable. A contract's
# "patents" are applications (申请专利); grants are reported but are not the target.
COUNTS_TOWARDS: dict[str, tuple[str, ...]] = {
    "patent": ("patent_filed",),
    "product": ("product",),
    "standard": ("standard",),
    "paper": ("paper",),
    "software": ("software",),
    "other": ("other",),
}


@dataclass(frozen=True)
class Achievement:
    kind: str
    descriptions: tuple[str, ...]
    target: int
    achieved: Decimal

    @property
    def met(self) -> bool:
        return self.achieved >= self.target

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(self.target) - self.achieved, Decimal(0))


def compare_outcomes(
    deliverables: Iterable[tuple[str, str, int]], outcomes: Iterable[tuple[str, Decimal]]
) -> list[Achievement]:
    """Each contracted kind (targets of one kind added up) against what was recorded."""
    targets: dict[str, list] = {}
    for kind, description, target in deliverables:
        entry = targets.setdefault(kind, [[], 0])
        entry[0].append(description)
        entry[1] += target
    recorded: dict[str, Decimal] = {}
    for kind, quantity in outcomes:
        recorded[kind] = recorded.get(kind, Decimal(0)) + Decimal(quantity)
    return [
        Achievement(
            kind,
            tuple(descriptions),
            target,
            sum(
                (recorded.get(k, Decimal(0)) for k in COUNTS_TOWARDS.get(kind, (kind,))), Decimal(0)
            ),
        )
        for kind, (descriptions, target) in targets.items()
    ]


CODE = re.compile(r"^XM-(\d{4})-(\d{3,})$")


def next_code(year: int, taken: Iterable[str]) -> str:
    """``XM-2026-001``: the year's next number after the highest one already given."""
    highest = 0
    for code in taken:
        m = CODE.match(code)
        if m and int(m.group(1)) == year:
            highest = max(highest, int(m.group(2)))
    return f"XM-{year}-{highest + 1:03d}"
