"""中小企业划型 (enterprise size classes), 工信部联企业〔2011〕300号, with the statistical
counterpart 国统字〔2017〕213号 for the industry codes and the meaning of 从业人员.

The table lives in ``data/sme_size_2011.yaml`` (sixteen rows, from the regulation's text).
Large, medium and small enterprises must meet every lower bound of their row; missing one drops
the enterprise a band, and an enterprise that meets no band is micro.

Readings chosen where the text leaves room:

- The figures are those of the accounting year before the assessment (上一年度).
- 从业人员 is the year-end head count; without one, the yearly average is used, as the 2017
  statistical rule allows ("没有期末从业人员数的，采用全年平均人员数代替").
- 营业收入 is the declared figure, else 主营业务收入 + 其他业务收入.
- The row is the declared size category, else the one the GB/T 4754 code maps to; a code too
  coarse to pick a row (e.g. "K" alone) needs review rather than falling to 其他.
- 规模以上工业企业 (shown for information): an industrial enterprise with 主营业务收入 of at
  least 2,000万元 in the year (国家统计局, since 2011).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from importlib import resources
from types import MappingProxyType

from kechuang.core.criteria import _yaml
from kechuang.core.criteria._common import (
    CONTEXT,
    FAIL,
    INFO_GROUP,
    PASS,
    REVIEW,
    WAN,
    Missing,
    missing_fact,
    missing_year_fields,
    num,
    wan,
)
from kechuang.core.criteria.facts import EnterpriseFacts, YearFigures
from kechuang.core.criteria.result import (
    Classification,
    CriterionSpec,
    NoteKind,
    Outcome,
    Result,
    RuleSetInfo,
    Source,
    criterion,
    note,
    result,
)

DATA_FILE = "sme_size_2011.yaml"
DOC = "工信部联企业〔2011〕300号"
ABOVE_SCALE_REVENUE = Decimal(20_000_000)  # 规模以上工业企业：主营业务收入 ≥ 2,000万元

CLASS_NAMES = {
    "large": ("大型企业", "large enterprise"),
    "medium": ("中型企业", "medium enterprise"),
    "small": ("小型企业", "small enterprise"),
    "micro": ("微型企业", "micro enterprise"),
}
BANDS = ("large", "medium", "small")


@dataclass(frozen=True)
class SizeRow:
    code: str
    article: str
    name_zh: str
    name_en: str
    prefixes: tuple[str, ...]
    measures: tuple[str, ...]
    bounds: tuple[tuple[str, tuple[tuple[str, Decimal], ...]], ...]  # band → (measure, bound)

    def classify(self, values: dict[str, Decimal]) -> str:
        for band, bounds in self.bounds:
            if all(values[measure] >= bound for measure, bound in bounds):
                return band
        return "micro"

    def describe(self, band: str) -> tuple[str, str]:
        for name, bounds in self.bounds:
            if name == band:
                return _bounds_text(bounds)
        return "不满足小型企业下限", "below the small-enterprise bounds"


@dataclass(frozen=True)
class SizeTable:
    source: str
    statistics_source: str
    issued: date
    measures: dict[str, tuple[str, str, str]]
    rows: tuple[SizeRow, ...]

    def row(self, code: str) -> SizeRow | None:
        return _ROWS_BY_CODE.get(code)

    def row_for_industry_code(self, industry_code: str) -> SizeRow | None:
        """The row a GB/T 4754 code maps to; None when the code is too coarse to tell."""
        code = industry_code.strip().upper()
        for row in self.rows:
            for prefix in row.prefixes:
                if code.startswith(prefix):
                    return row
                if prefix.startswith(code) and len(code) < len(prefix):
                    return None
        return self.rows[-1]


_MEASURE_UNITS = {"employees": Decimal(1), "revenue": WAN, "assets": WAN}


def load_table(text: str | None = None) -> SizeTable:
    if text is None:
        text = resources.files(__package__).joinpath("data", DATA_FILE).read_text("utf-8")
    doc = _yaml.load(text)
    rows = []
    for raw in doc["industries"]:
        bounds = tuple(
            (
                band,
                tuple(
                    (measure, Decimal(raw[band][measure]) * _MEASURE_UNITS[measure])
                    for measure in raw["measures"]
                ),
            )
            for band in BANDS
        )
        rows.append(
            SizeRow(
                code=raw["code"],
                article=raw["article"],
                name_zh=raw["name_zh"],
                name_en=raw["name_en"],
                prefixes=tuple(raw["gbt4754"]),
                measures=tuple(raw["measures"]),
                bounds=bounds,
            )
        )
    measures = {name: (m["zh"], m["en"], m["unit"]) for name, m in doc["measures"].items()}
    return SizeTable(
        source=doc["source"],
        statistics_source=doc["statistics_source"],
        issued=date.fromisoformat(doc["issued"]),
        measures=measures,
        rows=tuple(rows),
    )


TABLE = load_table()
_ROWS_BY_CODE = MappingProxyType({row.code: row for row in TABLE.rows})
SIZE_INDUSTRIES = tuple(_ROWS_BY_CODE)

_LABEL = {
    "employees": ("从业人员", "employed persons"),
    "revenue": ("营业收入", "operating revenue"),
    "assets": ("资产总额", "total assets"),
}


def _value_text(measure: str, value: Decimal) -> tuple[str, str]:
    zh, en = _LABEL[measure]
    if measure == "employees":
        return f"{zh} {num(value)} 人", f"{num(value)} {en}"
    return f"{zh} {wan(value)} 万元", f"{en} ¥{wan(value)}万"


def _bounds_text(bounds: tuple[tuple[str, Decimal], ...]) -> tuple[str, str]:
    zh_parts, en_parts = [], []
    for measure, bound in bounds:
        zh, en = _LABEL[measure]
        if measure == "employees":
            zh_parts.append(f"{zh} ≥ {num(bound)} 人")
            en_parts.append(f"{en} ≥ {num(bound)}")
        else:
            zh_parts.append(f"{zh} ≥ {num(bound / WAN)} 万元")
            en_parts.append(f"{en} ≥ ¥{num(bound / WAN)}万")
    return "且".join(zh_parts), " and ".join(en_parts)


@dataclass(frozen=True)
class Sizing:
    row: SizeRow | None
    band: str | None  # large, medium, small, micro; None when it could not be decided
    values: dict[str, Decimal]
    missing: Missing | None
    year_end_used: bool


def size_of(facts: EnterpriseFacts, year: int) -> Sizing:
    """The size class from ``year``'s figures, or what is missing to decide it."""
    if facts.size_industry is not None:
        row = _ROWS_BY_CODE.get(facts.size_industry)
    elif facts.industry_code is not None:
        row = TABLE.row_for_industry_code(facts.industry_code)
        if row is None:
            m = Missing(
                ("$.size_industry",),
                f"缺少数据：行业代码 {facts.industry_code} 不足以确定划型行业，请填写划型行业",
                f"Missing data: the code {facts.industry_code} is too coarse; give size_industry",
            )
            return Sizing(None, None, {}, m, False)
    else:
        row = None
    if row is None:
        m = missing_fact("$.size_industry", "划型所属行业", "industry for sizing")
        return Sizing(None, None, {}, m, False)
    y = facts.year(year)
    values: dict[str, Decimal] = {}
    lacking = []
    year_end = False
    for measure in row.measures:
        value = _measure(y, measure)
        if value is None:
            lacking.append((year, _FACT_NAME[measure]))
        else:
            values[measure] = value
    if y is not None and "employees" in row.measures and y.employees_year_end is not None:
        year_end = True
    if lacking:
        return Sizing(row, None, values, missing_year_fields(lacking), year_end)
    return Sizing(row, row.classify(values), values, None, year_end)


_FACT_NAME = {"employees": "employees", "revenue": "operating_revenue", "assets": "total_assets"}


def _measure(y: YearFigures | None, measure: str) -> Decimal | None:
    if y is None:
        return None
    if measure == "employees":
        return y.employees_year_end if y.employees_year_end is not None else y.employees
    if measure == "revenue":
        return y.operating_revenue
    return y.total_assets


INFO = RuleSetInfo(
    code="sme_size",
    name_zh="中小企业划型",
    name_en="SME size classification",
    version="2011",
    effective_from=TABLE.issued,
    effective_to=None,
    source=f"{TABLE.source}；{TABLE.statistics_source}",
)

NOTE_READINGS = note(
    "sme_size.readings",
    NoteKind.DECISION,
    "本平台的口径：按评估日前一个会计年度数据划型；从业人员取期末数，无期末数时以全年平均数代替；营业收入"
    "未申报时按主营业务收入 + 其他业务收入；行业按申报的划型行业，未申报时按国民经济行业代码推定",
    "Readings used: the accounting year before the assessment; employed persons at year end, "
    "else the yearly average; operating revenue as declared, else main + other revenue; the "
    "declared size industry, else the one the GB/T 4754 code maps to",
)

C_CLASS = CriterionSpec("sme_size.class", "企业规模", "Enterprise size", Source(DOC, "第四条"))
C_ABOVE = CriterionSpec(
    "sme_size.above_scale",
    "规模以上工业企业",
    "Industrial enterprise above designated size",
    Source("国家统计局", "规模以上工业企业统计标准（2011 年起主营业务收入 2,000 万元）"),
    INFO_GROUP,
)


class SmeSize2011:
    info = INFO

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            return self._assess(facts, on)

    def _assess(self, facts: EnterpriseFacts, on: date) -> Result:
        day = facts.application_date or on
        year = day.year - 1
        sizing = size_of(facts, year)
        criteria = []
        classification = None
        row = sizing.row
        if sizing.band is None:
            m = sizing.missing
            criteria.append(criterion(C_CLASS, REVIEW, None, None, m.zh, m.en, False, m.paths))
        else:
            band = sizing.band
            pairs = [_value_text(m, sizing.values[m]) for m in row.measures]
            have_zh = "、".join(zh for zh, _ in pairs)
            have_en = ", ".join(en for _, en in pairs)
            rule_zh, rule_en = row.describe(band)
            name_zh, name_en = CLASS_NAMES[band]
            zh = f"{year} 年{have_zh}，按“{row.name_zh}”标准为{name_zh}（{rule_zh}）"
            en = f"{year}: {have_en}; under '{row.name_en}' a {name_en} ({rule_en})"
            if band != "large":
                large_zh, large_en = row.describe("large")
                zh += f"；未同时达到大型企业下限（{large_zh}）"
                en += f"; not all large-enterprise bounds met ({large_en})"
            if sizing.year_end_used is False and "employees" in row.measures:
                zh += "；从业人员以全年平均数代替期末数"
                en += "; yearly average used for lack of a year-end head count"
            source = Source(DOC, row.article)
            spec = CriterionSpec(C_CLASS.code, C_CLASS.name_zh, C_CLASS.name_en, source)
            status = FAIL if band == "large" else PASS
            criteria.append(criterion(spec, status, band, "medium/small/micro", zh, en))
            above = None
            if row.code == "industry":
                y = facts.year(year)
                main = None if y is None else y.main_revenue
                if main is None:
                    m = missing_year_fields([(year, "main_revenue")])
                    criteria.append(
                        criterion(
                            C_ABOVE, REVIEW, None, ABOVE_SCALE_REVENUE, m.zh, m.en, False, m.paths
                        )
                    )
                else:
                    above = main >= ABOVE_SCALE_REVENUE
                    zh = (
                        f"{year} 年主营业务收入 {wan(main)} 万元，"
                        f"{'达到' if above else '未达到'} 2,000 万元：{'是' if above else '不是'}"
                        "规上工业企业"
                    )
                    en = (
                        f"{year} main business revenue ¥{wan(main)}万: "
                        f"{'above' if above else 'below'} the ¥2,000万 line"
                    )
                    status = PASS if above else FAIL
                    criteria.append(criterion(C_ABOVE, status, main, ABOVE_SCALE_REVENUE, zh, en))
            classification = Classification(
                code=band,
                name_zh=name_zh,
                name_en=name_en,
                industry=row.code,
                industry_zh=row.name_zh,
                industry_en=row.name_en,
                above_scale=above,
            )
        status = criteria[0].status
        outcome = {PASS: Outcome.ELIGIBLE, FAIL: Outcome.NOT_ELIGIBLE}.get(
            status, Outcome.NEEDS_REVIEW
        )
        if classification is None:
            summary_zh = "中小企业划型（2011）：无法确定规模"
            summary_en = "SME size (2011): size cannot be decided"
        else:
            summary_zh = f"中小企业划型（2011）：{classification.name_zh}（{row.name_zh}）"
            summary_en = f"SME size (2011): {classification.name_en} ({row.name_en})"
        return result(
            INFO,
            facts.name,
            on,
            day,
            outcome,
            tuple(criteria),
            None,
            (),
            (NOTE_READINGS,),
            classification,
            summary_zh,
            summary_en,
        )
