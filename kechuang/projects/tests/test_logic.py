"""The pure project rules: where a project may go, the panel mean, targets against outcomes."""

from decimal import Decimal

import pytest

from kechuang.projects import logic


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        ("in_progress", "midterm"),
        ("in_progress", "acceptance"),
        ("midterm", "in_progress"),
        ("midterm", "terminated"),
        ("acceptance", "passed"),
        ("acceptance", "concluded"),
        ("acceptance", "failed"),
    ],
)
def test_a_project_moves_along_its_life(frm, to):
    assert logic.can_move(frm, to)


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        ("in_progress", "passed"),
        ("midterm", "acceptance"),
        ("passed", "in_progress"),
        ("failed", "acceptance"),
        ("terminated", "in_progress"),
    ],
)
def test_a_project_cannot_skip_steps_or_leave_an_end_state(frm, to):
    assert not logic.can_move(frm, to)


def test_the_panel_mean_is_a_simple_mean_to_two_places():
    assert logic.mean_score([80, 85, 90]) == Decimal("85.00")
    assert logic.mean_score([70, 71, 71]) == Decimal("70.67")
    assert logic.mean_score([]) is None


def test_patent_targets_count_applications_not_grants():
    rows = logic.compare_outcomes(
        [("patent", "申请发明专利", 3), ("product", "新产品", 1)],
        [("patent_filed", Decimal(2)), ("patent_granted", Decimal(2)), ("product", Decimal(1))],
    )
    by_kind = {r.kind: r for r in rows}
    assert by_kind["patent"].achieved == 2 and not by_kind["patent"].met
    assert by_kind["patent"].shortfall == 1
    assert by_kind["product"].met and by_kind["product"].shortfall == 0


def test_targets_of_one_kind_add_up_and_missing_outcomes_count_zero():
    rows = logic.compare_outcomes([("paper", "核心期刊", 2), ("paper", "SCI", 1)], [])
    assert len(rows) == 1
    assert rows[0].target == 3 and rows[0].achieved == 0
    assert rows[0].descriptions == ("核心期刊", "SCI")


def test_project_codes_count_up_within_a_year():
    assert logic.next_code(2026, []) == "XM-2026-001"
    assert logic.next_code(2026, ["XM-2026-001", "XM-2026-009", "XM-2025-020"]) == "XM-2026-010"
    assert logic.next_code(2026, ["XM-2026-999"]) == "XM-2026-1000"
