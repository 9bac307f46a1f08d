"""Roll figures up an org-unit tree the way statisticians do.

A unit's own published figure always wins; only when it has none are its children's figures
added up (ratio of sums: indicators are then computed on the totals, never averaged). Elements
that cannot be added across areas are never rolled up.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

Key = tuple[str, int]  # (element code, year)


def rolled_up(
    unit: int,
    children: Mapping[int, list[int]],
    direct: Mapping[int, Mapping[Key, Decimal]],
    summable: set[str],
) -> dict[Key, Decimal]:
    """Values for ``unit``: its direct values, completed by sums over its subtree."""
    out: dict[Key, Decimal] = dict(direct.get(unit, {}))
    kids = children.get(unit, [])
    if not kids:
        return out
    totals: dict[Key, Decimal] = {}
    for kid in kids:
        for key, value in rolled_up(kid, children, direct, summable).items():
            if key[0] in summable:
                totals[key] = totals.get(key, Decimal(0)) + value
    for key, value in totals.items():
        out.setdefault(key, value)
    return out
