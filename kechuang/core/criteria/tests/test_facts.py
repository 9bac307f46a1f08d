"""facts_from_dict: validation with JSON paths in both languages, and what valid input becomes."""

from decimal import Decimal
from enum import Enum

import pytest

from kechuang.core.criteria import facts_from_dict
from kechuang.core.criteria.tests import support
from kechuang.core.problems import Rejected

DOC = support.load("facts.yaml")


def _cases(section: str) -> list:
    return [pytest.param(case, id=case["id"]) for case in DOC[section]]


@pytest.mark.parametrize("case", _cases("refused"))
def test_refused(case):
    with pytest.raises(Rejected) as raised:
        facts_from_dict(support.apply(DOC["base"], case.get("change")))
    problems = raised.value.problems
    for wanted in case["problems"]:
        matching = [p for p in problems if p.where == wanted["where"]]
        assert matching, [str(p) for p in problems]
        assert any(wanted.get("en", "") in p.message_en for p in matching), [
            str(p) for p in matching
        ]
        assert any(wanted.get("zh", "") in p.message_zh for p in matching), [
            str(p) for p in matching
        ]
    for problem in problems:
        assert problem.message_zh and problem.message_en


def _value(facts, path: str):
    node = facts
    for segment in path.split("."):
        if segment.isdigit() and len(segment) == 4 and node is facts.years:
            node = facts.year(int(segment))
        elif segment == "years":
            node = facts.years
        elif segment.isdigit():
            node = node[int(segment)]
        else:
            node = getattr(node, segment)
    return node


@pytest.mark.parametrize("case", _cases("accepted"))
def test_accepted(case):
    facts = facts_from_dict(support.apply(DOC["base"], case.get("change")))
    for path, expected in case["expect"].items():
        value = _value(facts, path)
        if isinstance(value, Decimal):
            assert value == Decimal(expected), path
        elif isinstance(value, Enum):
            assert value.value == expected, path
        elif isinstance(value, tuple):
            assert list(value) == expected, path
        else:
            assert value == expected, path


def test_not_an_object_is_refused():
    with pytest.raises(Rejected) as raised:
        facts_from_dict(["not", "an", "object"])
    assert raised.value.problems[0].where == "$"


def test_rejected_message_lists_every_problem():
    with pytest.raises(Rejected) as raised:
        facts_from_dict({"registered_on": "x"})
    text = str(raised.value)
    assert "$.name" in text and "$.registered_on" in text
