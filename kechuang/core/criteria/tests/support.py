"""Loading the YAML rule cases and checking a result against a case's expectations."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from kechuang.core.criteria import Result, assess, facts_from_dict

CASES = Path(__file__).parents[1] / "cases"
DELETE = "__delete__"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((CASES / name).read_text("utf-8"))


def params(doc: dict[str, Any]) -> list:
    cases = list(doc["cases"]) + [_bound_case(row) for row in doc.get("bounds", [])]
    return [pytest.param(doc, case, id=case["id"]) for case in cases]


def _bound_case(row: list) -> dict[str, Any]:
    """A size-table row [industry, persons, revenue 万元, assets 万元, class] as a case."""
    industry, employees, revenue, assets, expected = row
    figures: dict[str, Any] = {"year": 2024}
    label = []
    if employees is not None:
        figures["employees_year_end"] = str(employees)
        label.append(f"{employees}p")
    if revenue is not None:
        figures["operating_revenue"] = str(Decimal(str(revenue)) * 10000)
        label.append(f"r{revenue}")
    if assets is not None:
        figures["total_assets"] = str(Decimal(str(assets)) * 10000)
        label.append(f"a{assets}")
    return {
        "id": f"{industry}_{'_'.join(label)}_is_{expected}",
        "change": {"size_industry": industry, "years.2024": figures},
        "expect": {"classification": expected},
    }


def apply(base: dict[str, Any], change: dict[str, Any] | None) -> dict[str, Any]:
    """``base`` with each dotted path in ``change`` set (or deleted with ``__delete__``).

    A four-digit segment under ``years`` picks that year's figures; a number under any other
    list is an index.
    """
    data = copy.deepcopy(base)
    for path, value in (change or {}).items():
        *parents, last = path.split(".")
        node: Any = data
        for segment in parents:
            node = _step(node, segment, create=value != DELETE)
        if isinstance(node, list):
            index = _index(node, last)
            if value == DELETE:
                del node[index]
            else:
                node[index] = copy.deepcopy(value)
        elif value == DELETE:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return data


def _index(node: list, segment: str) -> int:
    if len(segment) == 4 and segment.isdigit() and node and isinstance(node[0], dict):
        for position, entry in enumerate(node):
            if entry.get("year") == int(segment):
                return position
        raise KeyError(segment)
    return int(segment)


def _step(node: Any, segment: str, create: bool) -> Any:
    if isinstance(node, list):
        return node[_index(node, segment)]
    if segment not in node and create:
        node[segment] = {}
    return node[segment]


def run(doc: dict[str, Any], case: dict[str, Any]) -> Result:
    facts = facts_from_dict(apply(doc["base"], case.get("change")))
    on = date.fromisoformat(case.get("assessed_on", doc["assessed_on"]))
    return assess(case.get("rule_set", doc["rule_set"]), facts, on)


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, Decimal):
        return actual == Decimal(str(expected))
    return actual == expected


def check(result: Result, expect: dict[str, Any]) -> None:
    criteria = {c.code: c for c in result.criteria}
    if "outcome" in expect:
        assert result.outcome.value == expect["outcome"], result.summary_en
    if "version" in expect:
        assert result.rule_set.version == expect["version"]
    if "needs_confirmation" in expect:
        assert result.rule_set.needs_confirmation is expect["needs_confirmation"]
    for code, status in expect.get("criteria", {}).items():
        assert code in criteria, f"no criterion {code}"
        assert criteria[code].status.value == status, criteria[code].explanation_en
    for code, value in expect.get("actual", {}).items():
        assert _same(criteria[code].actual, value), (code, criteria[code].actual)
    for code, value in expect.get("threshold", {}).items():
        assert _same(criteria[code].threshold, value), (code, criteria[code].threshold)
    for code, flag in expect.get("expert", {}).items():
        assert criteria[code].expert is flag, code
    for code, fragment in expect.get("says_zh", {}).items():
        assert fragment in criteria[code].explanation_zh, criteria[code].explanation_zh
    for code, fragment in expect.get("says_en", {}).items():
        assert fragment in criteria[code].explanation_en, criteria[code].explanation_en
    if "score" in expect:
        low, high = expect["score"]
        assert (result.score.min_points, result.score.max_points) == (low, high)
    items = {i.code: i for i in result.score.items} if result.score else {}
    for code, (low, high) in expect.get("items", {}).items():
        assert (items[code].min_points, items[code].max_points) == (low, high), (
            code,
            items[code].explanation_en,
        )
    for code, fragment in expect.get("says_item_zh", {}).items():
        assert fragment in items[code].explanation_zh, items[code].explanation_zh
    if "categories" in expect:
        cats = {c.code: (c.min_points, c.max_points) for c in result.score.categories}
        for code, (low, high) in expect["categories"].items():
            assert cats[code] == (low, high), code
    if "expert_items" in expect:
        assert list(result.score.expert_items) == expect["expert_items"]
    if expect.get("no_gaps"):
        assert result.gaps == (), [g.message_en for g in result.gaps]
    found = [(g.criterion, g.amount, g.unit) for g in result.gaps]
    for wanted in expect.get("gaps", []):
        assert any(
            code == wanted["criterion"]
            and unit == wanted["unit"]
            and _same(amount, wanted["amount"])
            for code, amount, unit in found
        ), (wanted, found)
    for fragment in expect.get("gap_says_zh", []):
        assert any(fragment in g.message_zh for g in result.gaps), [
            g.message_zh for g in result.gaps
        ]
    for fragment in expect.get("gap_says_en", []):
        assert any(fragment in g.message_en for g in result.gaps), [
            g.message_en for g in result.gaps
        ]
    codes = [n.code for n in result.notes]
    for code in expect.get("notes", []):
        assert code in codes, codes
    for code in expect.get("no_notes", []):
        assert code not in codes, codes
    if "classification" in expect:
        assert result.classification is not None
        assert result.classification.code == expect["classification"]
    if "above_scale" in expect:
        assert result.classification.above_scale is expect["above_scale"]
    if "no_criteria" in expect:
        assert not set(expect["no_criteria"]) & set(criteria)
    # Whatever the case, every result explains itself in both languages.
    for c in result.criteria:
        assert c.explanation_zh and c.explanation_en and str(c.source)
