from dataclasses import FrozenInstanceError
from decimal import Context, Decimal, localcontext
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core import formula as F

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "formula.yaml").read_text("utf-8"))


def cases(section: str) -> list:
    return [pytest.param(case, id=case["id"]) for case in CASES[section]]


def decimals(values: dict | None) -> dict[str, Decimal]:
    return {name: Decimal(str(value)) for name, value in (values or {}).items()}


@pytest.mark.parametrize("case", cases("evaluate"))
def test_evaluate(case):
    result = F.parse(case["formula"]).evaluate(decimals(case.get("values")))
    assert result == Decimal(case["expected"])


@pytest.mark.parametrize("case", cases("syntax_errors"))
def test_syntax_error(case):
    with pytest.raises(F.FormulaSyntaxError) as raised:
        F.parse(case["formula"])
    error = raised.value
    assert error.code == "syntax"
    assert (error.column, error.token) == (case["column"], case["token"])
    assert case["message_en"] in error.message_en
    assert f"column {case['column']}" in error.message_en
    assert f"第 {case['column']} 列" in error.message_zh
    assert error.message_en.endswith(f"Formula: {case['formula']}")
    assert error.message_zh.endswith(f"公式：{case['formula']}")
    assert str(error) == f"{error.message_zh} / {error.message_en}"


@pytest.mark.parametrize("case", cases("evaluation_errors"))
def test_evaluation_error(case):
    formula = F.parse(case["formula"])
    with pytest.raises(F.FormulaError) as raised:
        formula.evaluate(decimals(case["values"]))
    error = raised.value
    assert error.code == case["code"]
    if "divisor" in case:
        assert isinstance(error, F.DivisionByZero)
        assert error.divisor == case["divisor"]
        assert f"'{case['divisor']}' is 0" in error.message_en
        assert f"“{case['divisor']}”等于 0" in error.message_zh
    if "names" in case:
        assert isinstance(error, F.MissingValue)
        assert list(error.names) == case["names"]
        assert ", ".join(case["names"]) in error.message_en


@pytest.mark.parametrize("case", cases("references"))
def test_check_references(case):
    formula = F.parse(case["formula"])
    if not case["unknown"]:
        F.check_references(formula, case["known"])
        return
    with pytest.raises(F.UnknownReference) as raised:
        F.check_references(formula, case["known"])
    assert list(raised.value.names) == case["unknown"]
    assert ", ".join(case["unknown"]) in raised.value.message_en
    assert "、".join(case["unknown"]) in raised.value.message_zh


@pytest.mark.parametrize("case", cases("evaluation_order"))
def test_evaluation_order(case):
    formulas = {code: F.parse(text) for code, text in case["formulas"].items()}
    if "order" in case:
        assert F.evaluation_order(formulas, case["elements"]) == case["order"]
        return
    with pytest.raises(F.FormulaError) as raised:
        F.evaluation_order(formulas, case["elements"])
    error = raised.value
    if "cycle" in case:
        assert isinstance(error, F.CycleError)
        assert error.code == "cycle"
        assert error.path == case["cycle"]
        assert " → ".join(case["cycle"]) in error.message_zh
    else:
        assert isinstance(error, F.UnknownReference)
        assert list(error.names) == case["unknown"]
        assert {name: list(codes) for name, codes in error.used_by.items()} == case["used_by"]


@pytest.mark.parametrize("case", cases("evaluate_all"))
def test_evaluate_all(case):
    formulas = {code: F.parse(text) for code, text in case["formulas"].items()}
    results = F.evaluate_all(formulas, case["order"], decimals(case["values"]))
    assert list(results) == case["order"]
    for code, expected in case["expected"].items():
        result = results[code]
        if isinstance(expected, dict):
            assert isinstance(result, F.FormulaError)
            assert result.code == expected["error"]
            if "names" in expected:
                assert list(result.names) == expected["names"]
        else:
            assert result == Decimal(expected)


def test_formula_is_frozen_and_lists_references():
    formula = F.parse("RD_EXP / GDP * 100")
    assert formula.text == "RD_EXP / GDP * 100"
    assert formula.references == frozenset({"RD_EXP", "GDP"})
    assert formula == F.parse("RD_EXP / GDP * 100")
    with pytest.raises(FrozenInstanceError):
        formula.text = "1"  # type: ignore[misc]


def test_evaluation_ignores_the_callers_decimal_context():
    with localcontext(Context(prec=3)):
        result = F.parse("1 / 3").evaluate({})
    assert result == Decimal("0.3333333333333333333333333333")


def test_error_messages_read_in_both_languages():
    error = F.CycleError(["A", "B", "A"])
    assert str(error) == (
        "指标之间存在循环引用：A → B → A / Indicators refer to each other in a cycle: A → B → A"
    )


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("3.125000", 6, "3.125"),
        ("100", 6, "100"),
        ("0.0000004", 6, "0"),
        ("-0.0000004", 6, "0"),
        ("2.45", 1, "2.5"),
        ("1E+3", 6, "1000"),
    ],
)
def test_format_decimal(value, places, expected):
    assert F.format_decimal(Decimal(value), places) == expected


# Property tests: the parser must respect the structure the text spells out.

NAMES = ["A", "B", "GDP", "RD_EXP"]
CONTEXT = Context(prec=28)
positive = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3)
values_strategy = st.fixed_dictionaries({name: positive for name in NAMES})
leaf = st.one_of(st.sampled_from(NAMES), positive.map(str))
tree = st.recursive(
    leaf,
    lambda kids: st.one_of(
        st.tuples(st.sampled_from("+-*/"), kids, kids), st.tuples(st.just("neg"), kids)
    ),
    max_leaves=12,
)


def render(node) -> str:
    if isinstance(node, str):
        return node
    if node[0] == "neg":
        return f"-({render(node[1])})"
    return f"({render(node[1])} {node[0]} {render(node[2])})"


def compute(node, values: dict[str, Decimal]) -> Decimal:
    if isinstance(node, str):
        return values[node] if node in values else Decimal(node)
    if node[0] == "neg":
        return CONTEXT.minus(compute(node[1], values))
    left, right = compute(node[1], values), compute(node[2], values)
    if node[0] == "/":
        if not right:
            raise ZeroDivisionError
        return CONTEXT.divide(left, right)
    return {"+": CONTEXT.add, "-": CONTEXT.subtract, "*": CONTEXT.multiply}[node[0]](left, right)


@settings(max_examples=300)
@given(tree, values_strategy)
def test_parsed_tree_evaluates_like_direct_computation(node, values):
    formula = F.parse(render(node))
    try:
        expected = compute(node, values)
    except ZeroDivisionError:
        with pytest.raises(F.DivisionByZero):
            formula.evaluate(values)
    else:
        assert formula.evaluate(values) == expected


@settings(max_examples=300)
@given(
    st.lists(leaf, min_size=1, max_size=8),
    st.lists(st.sampled_from("+-*/"), min_size=7, max_size=7),
    values_strategy,
)
def test_unparenthesised_chain_follows_precedence(operands, ops, values):
    ops = ops[: len(operands) - 1]
    text = operands[0] + "".join(
        f" {op} {operand}" for op, operand in zip(ops, operands[1:], strict=True)
    )

    def value(operand: str) -> Decimal:
        return values[operand] if operand in values else Decimal(operand)

    terms, signs = [value(operands[0])], []
    for op, operand in zip(ops, operands[1:], strict=True):
        if op == "*":
            terms[-1] = CONTEXT.multiply(terms[-1], value(operand))
        elif op == "/":
            terms[-1] = CONTEXT.divide(terms[-1], value(operand))
        else:
            signs.append(op)
            terms.append(value(operand))
    expected = terms[0]
    for sign, term in zip(signs, terms[1:], strict=True):
        expected = CONTEXT.add(expected, term) if sign == "+" else CONTEXT.subtract(expected, term)
    assert F.parse(text).evaluate(values) == expected
