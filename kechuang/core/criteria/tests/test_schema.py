"""The facts JSON Schema: in sync with the validator, documented in both languages, and the
example enterprise it ships with is valid and passes HNTE."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kechuang.core.criteria import assess, facts_from_dict, facts_json_schema
from kechuang.core.problems import Rejected

ROOT = Path(__file__).parents[4]
SCHEMA = json.loads((ROOT / "schemas" / "facts.schema.json").read_text("utf-8"))
EXAMPLE = json.loads((ROOT / "schemas" / "facts.example.json").read_text("utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")


def _validate(node: dict, value, path: str = "$") -> list[str]:
    """The subset of JSON Schema 2020-12 the facts schema uses (no library needed offline)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return _validate(SCHEMA["$defs"][name], value, path)
    if "oneOf" in node:
        passing = [option for option in node["oneOf"] if not _validate(option, value, path)]
        return [] if len(passing) == 1 else [f"{path}: matches {len(passing)} of oneOf"]
    errors = []
    kind = node.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    }
    if kind and not checks[kind](value):
        return [f"{path}: not {kind}"]
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: not in enum")
    if "pattern" in node and not re.search(node["pattern"], value):
        errors.append(f"{path}: pattern")
    if "minLength" in node and len(value) < node["minLength"]:
        errors.append(f"{path}: too short")
    if "minimum" in node and value < node["minimum"]:
        errors.append(f"{path}: below minimum")
    if "maximum" in node and value > node["maximum"]:
        errors.append(f"{path}: above maximum")
    if kind == "object":
        for name in node.get("required", []):
            if name not in value:
                errors.append(f"{path}.{name}: required")
        for name, item in value.items():
            if name in node["properties"]:
                errors += _validate(node["properties"][name], item, f"{path}.{name}")
            elif node.get("additionalProperties") is False:
                errors.append(f"{path}.{name}: not allowed")
    if kind == "array":
        if len(value) < node.get("minItems", 0) or len(value) > node.get("maxItems", 10**9):
            errors.append(f"{path}: wrong length")
        for index, item in enumerate(value):
            prefix = node.get("prefixItems", [])
            sub = prefix[index] if index < len(prefix) else node.get("items")
            if sub:
                errors += _validate(sub, item, f"{path}[{index}]")
    return errors


def test_schema_file_matches_the_validator():
    assert json.loads(json.dumps(facts_json_schema(), ensure_ascii=False)) == SCHEMA, (
        "regenerate: .venv/bin/python -m kechuang.core.criteria.schema > schemas/facts.schema.json"
    )


def test_schema_declares_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _properties(node: dict, path: str = "$"):
    for name, prop in node.get("properties", {}).items():
        yield f"{path}.{name}", prop
        target = prop.get("items", prop) if prop.get("type") == "array" else prop
        if target.get("type") == "object":
            yield from _properties(target, f"{path}.{name}")


def test_every_field_is_described_in_chinese_and_english():
    fields = list(_properties(SCHEMA))
    assert len(fields) > 100
    for path, prop in fields:
        text = prop.get("description", "")
        assert CJK.search(text) and LATIN.search(text), path


def test_example_is_valid_under_the_schema():
    assert _validate(SCHEMA, EXAMPLE) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"name": None}, "$.name"),
        ({"registerd_on": "2020-01-01"}, "not allowed"),
        ({"size_industry": "manufacturing"}, "not in enum"),
        ({"registered_on": "2020/01/01"}, "pattern"),
    ],
)
def test_schema_and_validator_refuse_the_same_mistakes(change, fragment):
    data = {**EXAMPLE, **change}
    data = {k: v for k, v in data.items() if v is not None}
    assert any(fragment in error for error in _validate(SCHEMA, data))
    with pytest.raises(Rejected):
        facts_from_dict(data)


def test_example_passes_hnte():
    facts = facts_from_dict(EXAMPLE)
    result = assess("hnte", facts, date(2025, 6, 30))
    assert result.outcome.value == "eligible"
    assert result.score.min_points >= 71
    assert all(c.status.value == "pass" for c in result.criteria)


def test_example_is_a_petrochemical_new_materials_firm_in_dushanzi():
    assert EXAMPLE["industry_code"].startswith("C26")  # 化学原料和化学制品制造业
    assert EXAMPLE["uscc"][2:8] == "650202"  # 克拉玛依市独山子区
    assert EXAMPLE["high_tech_field"].startswith("4")  # 新材料
