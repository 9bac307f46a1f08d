"""The pure core of Kechuang: indicator formulas, status and forecasts against plan targets,
data-quality warnings and validation rules, written as plain functions over frozen dataclasses
with deterministic results and bilingual (Chinese and English) messages. It uses the standard
library only and must not import Django or any other Kechuang package, so that it can be tested
and reasoned about on its own (an import-linter contract in pyproject.toml enforces this).
"""
