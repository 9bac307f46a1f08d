"""The pure rules: how many objects a plan draws, the look-back window, the state machine."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from kechuang.inspections import logic


@pytest.mark.parametrize(
    ("eligible", "ratio", "expected"),
    [
        (21, "10", 3),  # 2.1 rounds up
        (20, "10", 2),  # exact stays exact
        (21, "100", 21),
        (5, "0.01", 1),  # at least one
        (3, "33.34", 2),  # 1.0002 is more than one
        (1000, "2.5", 25),
    ],
)
def test_a_ratio_is_rounded_up_and_never_below_one(eligible, ratio, expected):
    assert logic.sample_size(eligible, ratio_pct=Decimal(ratio)) == expected


def test_a_count_is_taken_as_given():
    assert logic.sample_size(21, count=4) == 4


def test_one_way_of_sampling_must_be_given():
    with pytest.raises(ValueError):
        logic.sample_size(21)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 5, 15), 12, dt.date(2025, 5, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 10), 3, dt.date(2025, 10, 10)),
        (dt.date(2026, 1, 10), 0, dt.date(2026, 1, 10)),
    ],
)
def test_the_look_back_window_keeps_the_day_or_the_months_end(day, months, expected):
    assert logic.months_before(day, months) == expected


def test_a_plan_only_moves_forward_one_step_at_a_time():
    path = ["draft", "objects_drawn", "inspectors_drawn", "in_progress", "published"]
    for a, b in itertools.pairwise(path):
        assert logic.can_move(a, b)
        assert not logic.can_move(b, a)
    assert not logic.can_move("draft", "published")
    assert not logic.can_move("published", "draft")
