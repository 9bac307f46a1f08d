"""A baseline the plan states must agree with what its own figures give for that year."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kechuang.core.forecast import Point
from kechuang.core.quality import check_stated_baseline

CASES = yaml.safe_load(
    (Path(__file__).parent.parent / "cases" / "stated_baseline.yaml").read_text()
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_stated_baseline(case):
    year, value = case["stated"]
    computed = Decimal(case["computed"]) if case["computed"] is not None else None
    warnings = check_stated_baseline(
        Point(year, Decimal(value)), computed, unit="件/万人", places=case["places"]
    )
    assert bool(warnings) is case["warns"]
    if case.get("says"):
        assert case["says"] in warnings[0].message_zh
        assert warnings[0].code == "stated_baseline_differs" and warnings[0].year == year
