from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kechuang.core import forecast as FC
from kechuang.core import quality as Q

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "quality.yaml").read_text("utf-8"))


def point(pair: list | None) -> FC.Point | None:
    return None if pair is None else FC.Point(pair[0], Decimal(str(pair[1])))


def target(spec: dict | None) -> FC.Target | None:
    if spec is None:
        return None
    return FC.Target(
        kind=FC.TargetKind(spec["kind"]),
        value=None if spec["value"] is None else Decimal(str(spec["value"])),
        year=spec["year"],
        direction=FC.Direction(spec["direction"]),
    )


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in CASES])
def test_check_series(case):
    years = case.get("years")
    warnings = Q.check_series(
        [point(p) for p in case["series"]],
        baseline=point(case.get("baseline")),
        target=target(case.get("target")),
        unit=case["unit"],
        years=range(*years) if years else None,
        allow_over_100=case.get("allow_over_100", False),
    )
    assert [[w.code, w.year] for w in warnings] == case["warnings"]
    if "severity" in case:
        assert {w.severity for w in warnings} == {case["severity"]}
    english = " | ".join(w.message_en for w in warnings)
    for fragment in case.get("says", []):
        assert fragment in english
    chinese = " | ".join(w.message_zh for w in warnings)
    for fragment in case.get("says_zh", []):
        assert fragment in chinese
    for warning in warnings:
        assert warning.message_zh and warning.message_en
