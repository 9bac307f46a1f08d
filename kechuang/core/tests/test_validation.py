from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kechuang.core import validation as V
from kechuang.core.formula import FormulaSyntaxError

DOC = yaml.safe_load((Path(__file__).parents[1] / "cases" / "validation.yaml").read_text("utf-8"))


def rule(spec: dict) -> V.ValidationRule:
    fields = {**DOC["defaults"], **spec}
    return V.ValidationRule(
        code=fields["code"],
        name_zh=fields["name_zh"],
        name_en=fields["name_en"],
        left=fields["left"],
        operator=fields["operator"],
        right=fields["right"],
        importance=fields["importance"],
        missing=V.MissingStrategy(fields["missing"]),
    )


def optional_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in DOC["cases"]])
def test_run_rules(case):
    values = {name: Decimal(str(value)) for name, value in case["values"].items()}
    violations = V.run_rules([rule(spec) for spec in case["rules"]], values)
    assert [(v.rule_code, v.left_value, v.right_value, v.error_code) for v in violations] == [
        (e["rule"], optional_decimal(e["left"]), optional_decimal(e["right"]), e.get("error"))
        for e in case["violations"]
    ]
    english = " | ".join(v.message_en for v in violations)
    for fragment in case.get("says", []):
        assert fragment in english
    chinese = " | ".join(v.message_zh for v in violations)
    for fragment in case.get("says_zh", []):
        assert fragment in chinese
    for violation in violations:
        assert violation.message_zh and violation.message_en


def test_violation_carries_importance():
    spec = {"code": "R", "left": "A", "operator": "<", "right": "B", "importance": "high"}
    [violation] = V.run_rules([rule(spec)], {"A": Decimal(2), "B": Decimal(1)})
    assert violation.importance == "high"


def test_rule_with_a_syntax_error_is_refused_on_construction():
    with pytest.raises(FormulaSyntaxError) as raised:
        rule({"code": "R", "left": "A ** 2", "operator": "<", "right": "B"})
    assert raised.value.column == 3


@pytest.mark.parametrize("operator", ["=", "=>", "<>", "in"])
def test_unknown_operator_is_refused(operator):
    with pytest.raises(ValueError, match="unknown operator"):
        rule({"code": "R", "left": "A", "operator": operator, "right": "B"})


def test_unknown_importance_is_refused():
    with pytest.raises(ValueError, match="unknown importance"):
        rule({"code": "R", "left": "A", "operator": "<", "right": "B", "importance": "urgent"})
