"""Official qualification criteria as code: 高新技术企业 (2016), 科技型中小企业 (2017), 中小企业划型
(2011) and 优质中小企业梯度培育 (2022, 2026), each dated by its effective period.

An assessment returns, for every criterion, the actual value, the threshold, pass / fail /
needs review, an explanation in Chinese and English and the legal source; scores are ranges
where experts decide; a gap analysis says what would make the enterprise pass. Missing facts
make a criterion need review, never an error.

    facts = facts_from_dict(json.load(open("schemas/facts.example.json")))
    result = assess("hnte", facts, on=date(2025, 6, 30))
    print(result_to_text(result))
"""

from kechuang.core.criteria.facts import EnterpriseFacts
from kechuang.core.criteria.intake import facts_from_dict, facts_json_schema
from kechuang.core.criteria.registry import CODES, RuleSet, assess, list_rule_sets, rule_set
from kechuang.core.criteria.result import (
    Classification,
    Criterion,
    Gap,
    Note,
    NoteKind,
    Outcome,
    Result,
    RuleSetInfo,
    Score,
    ScoreCategory,
    ScoreItem,
    Source,
    Status,
    result_to_dict,
    result_to_text,
)

__all__ = [
    "CODES",
    "Classification",
    "Criterion",
    "EnterpriseFacts",
    "Gap",
    "Note",
    "NoteKind",
    "Outcome",
    "Result",
    "RuleSet",
    "RuleSetInfo",
    "Score",
    "ScoreCategory",
    "ScoreItem",
    "Source",
    "Status",
    "assess",
    "facts_from_dict",
    "facts_json_schema",
    "list_rule_sets",
    "result_to_dict",
    "result_to_text",
    "rule_set",
]
