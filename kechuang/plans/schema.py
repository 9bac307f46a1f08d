"""The plan file's shape (schema ``kechuang-plan/1``), checked with pydantic.

docs/plan-schema.md documents every field; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE = r"^[A-Z][A-Z0-9_]*$"
SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanMeta(Strict):
    code: str = Field(pattern=SLUG, max_length=64)
    title: str = Field(min_length=1, max_length=300)
    title_en: str = ""
    document_number: str = ""
    issuer: str = ""
    issuer_en: str = ""
    issued_on: dt.date | None = None
    period_start: int = Field(ge=1949, le=2100)
    period_end: int = Field(ge=1949, le=2100)
    baseline_year: int = Field(ge=1949, le=2100)
    region: str
    summary: str = ""
    summary_en: str = ""
    source: str = ""
    task_assignment_note: str = ""
    task_assignment_note_en: str = ""

    @model_validator(mode="after")
    def _years_in_order(self) -> PlanMeta:
        if not self.baseline_year <= self.period_start <= self.period_end:
            raise ValueError(
                "需满足 基期年 ≤ 起始年 ≤ 终止年 / baseline_year ≤ period_start ≤ period_end"
            )
        return self


class Department(Strict):
    code: str = Field(pattern=SLUG, max_length=64)
    name: str = Field(min_length=1)
    name_en: str = ""
    kind: Literal["bureau", "department"] = "department"
    phone: str = ""
    address: str = ""


class OrgUnitEntry(Strict):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1)
    name_en: str = ""
    parent: str | None = None


class Element(Strict):
    code: str = Field(pattern=CODE, max_length=64)
    name: str = Field(min_length=1)
    name_en: str = ""
    unit: str = Field(min_length=1, max_length=20)
    value_type: Literal["money", "count", "number", "percent"]
    aggregation: Literal["sum", "none"] = "sum"
    owner: str
    definition: str = ""
    definition_en: str = ""
    source: str = ""


class TargetEntry(Strict):
    kind: Literal["value", "non_decreasing", "non_increasing"]
    value: Decimal | None = None
    year: int
    text: str = ""

    @model_validator(mode="after")
    def _value_matches_kind(self) -> TargetEntry:
        if self.kind == "value" and self.value is None:
            raise ValueError("数值目标必须给出 value / a value target needs 'value'")
        if self.kind != "value" and self.value is not None:
            raise ValueError("定性目标不应给出 value / a qualitative target must not give 'value'")
        return self


class BaselineEntry(Strict):
    year: int
    value: Decimal
    source: str = ""


class Choice(Strict):
    topic: str
    choice: str
    topic_en: str = ""
    choice_en: str = ""


class IndicatorEntry(Strict):
    code: str = Field(pattern=CODE, max_length=64)
    number: int | None = None
    key: bool = True
    name: str = Field(min_length=1)
    name_en: str = ""
    unit: str = Field(min_length=1, max_length=30)
    decimals: int = Field(default=2, ge=0, le=6)
    formula: str = Field(min_length=1, max_length=500)
    direction: Literal["higher", "lower"] = "higher"
    target: TargetEntry
    target_source: str = ""
    owner: str | None = None
    baseline: BaselineEntry | None = None
    definition: str = ""
    definition_en: str = ""
    choices: list[Choice] = []
    notes: str = ""
    notes_en: str = ""


class BaselineValue(Strict):
    element: str
    year: int
    org_unit: str
    value: Decimal
    source: str = Field(min_length=1)


class ValidationRuleEntry(Strict):
    code: str = Field(pattern=CODE, max_length=64)
    name: str = Field(min_length=1)
    name_en: str = ""
    left: str = Field(min_length=1)
    operator: Literal["<=", "<", "==", "!=", ">=", ">"]
    right: str = Field(min_length=1)
    importance: Literal["high", "medium", "low"] = "medium"
    missing: Literal["skip_if_any_missing", "skip_if_all_missing", "never_skip"] = (
        "skip_if_any_missing"
    )


class MilestoneEntry(Strict):
    title: str = Field(min_length=1)
    title_en: str = ""
    due: dt.date


class TaskEntry(Strict):
    code: str = Field(min_length=1, max_length=32)
    level: Literal["project", "action", "measure"]
    title: str = Field(min_length=1)
    title_en: str = ""
    summary: str = ""
    summary_en: str = ""
    lead: str | None = None
    co: list[str] = []
    milestones: list[MilestoneEntry] = []
    children: list[TaskEntry] = []


class PlanFile(Strict):
    schema_: Literal["kechuang-plan/1"] = Field(alias="schema")
    plan: PlanMeta
    departments: list[Department] = []
    org_units: list[OrgUnitEntry] = []
    elements: list[Element] = []
    indicators: list[IndicatorEntry] = Field(min_length=1)
    baseline_values: list[BaselineValue] = []
    validation_rules: list[ValidationRuleEntry] = []
    tasks: list[TaskEntry] = []
