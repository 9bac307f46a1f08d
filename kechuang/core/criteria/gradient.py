"""优质中小企业梯度培育 (创新型 → 专精特新 → 小巨人).

2022 rules, 工信部企业〔2022〕63号, in force until 2026-03-31: 创新型中小企业 (附件1) and
专精特新中小企业 (附件2). 2026 rules, 工信部企业〔2026〕2号, from 2026-04-01: 科技和创新型中小企业
(the 2022 创新型 standard applies until a new one is published), 专精特新中小企业 and
专精特新“小巨人”企业. ⚠ The 2026 figures come from secondary copies of the text: every 2026
result says so until they are checked against the official document.

Readings chosen where the text leaves room, with the note each result carries:

- "上年度" is the accounting year before the assessment; "近两年/近三年" for awards, financing
  and incidents are the two or three years up to the assessment date; "in each of the last
  two years" are the two accounting years before it. Bands include their lower bound
  ("3–5%" holds 3%, not 5%); for 资产负债率 the bands are "< 55%", "55–75%" (75% included) and
  "> 75%". All tiers share the basic conditions of the 办法 (an independent legal person
  registered in China; an SME under the 2011 size rule; not on the abnormal or dishonesty
  lists; allowed products; no major safety (incl. network and data), quality or environmental
  incident and no tax evasion in three years); ⚠ for 2026 they are kept as in 2022.
  (``gradient.readings``, on every result.)
- R&D expense here is the booked total of all categories (outsourcing at 100%, no cap): the
  梯度培育 texts speak of 研发费用总额, not of the HNTE or super-deduction bases.
  (``gradient.rd_basis``.)
- 主营业务收入增长率 with a zero base: growth from 0 to a positive figure takes the top band,
  0 to 0 scores 0 (``innovative_sme.zero_base``). The 专精特新 two-year average growth uses
  ½(V2/V1 + V3/V2) − 1 with HNTE's rules for zeros (V1 = 0 → V3/V2 − 1; V2 = 0 → 0 points).
- 特色化 (15 points) is set by each province: it is an input fact; without it the item spans
  0–15 (``specialized_sme.specialty``). The 2026 evaluation scores (专精特新 ≥ 50, 小巨人 ≥ 60)
  are not in the national text either and are input facts; without them the criterion needs
  review.
- ⚠ 2026 专精特新 needs the lower title: a valid 创新型 or 科技和创新型 title, or a 科技型
  registration as merged into it (``gradient.title_from_tech_sme`` when that is what counts);
  小巨人 needs a valid 专精特新 title (it is chosen from them). The Ⅰ类-IP waiver for a
  provincial award in the top 3 has no time limit in the copies: any award before the
  assessment counts. "Ⅰ类 IP applied" counts pending applications and granted rights.
- ⚠ Every 2026 result carries ``gradient.2026_unconfirmed``; 科技和创新型 also
  ``innovative_sme.2022_standard``.
- 小巨人 before 2026-04-01 (63号 附件3) is not modelled: the result says so and needs review.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from kechuang.core.criteria._common import (
    CONTEXT,
    FAIL,
    ONE,
    PASS,
    REVIEW,
    ZERO,
    Missing,
    count_ip,
    describe_incidents,
    equity_between,
    incidents_between,
    missing_fact,
    missing_year_fields,
    pct,
    valid_titles,
    wan,
    wan_up,
    with_missing,
    years_before,
    yuan_up,
)
from kechuang.core.criteria.facts import (
    AwardLevel,
    CertificationKind,
    EnterpriseFacts,
    IncidentKind,
    InstitutionLevel,
    LeadProductField,
    ListingKind,
    add_years,
)
from kechuang.core.criteria.result import (
    Criterion,
    CriterionSpec,
    Gap,
    ItemSpec,
    Note,
    NoteKind,
    Result,
    RuleSetInfo,
    Score,
    ScoreItem,
    Source,
    Status,
    category,
    criterion,
    decide,
    gap,
    item,
    note,
    result,
    score,
)
from kechuang.core.criteria.sme_size import CLASS_NAMES, size_of

DOC_2022 = "工信部企业〔2022〕63号"
DOC_2026 = "工信部企业〔2026〕2号"
DAY_2022 = date(2022, 6, 1)  # 63号's date of issue, taken as its first day in force
LAST_2022 = date(2026, 3, 31)
DAY_2026 = date(2026, 4, 1)
TITLE_2022 = "《优质中小企业梯度培育管理暂行办法》"
TITLE_2026 = "《优质中小企业梯度培育管理办法》"

W = Decimal(10000)  # one 万元 in yuan
BASIC_INCIDENTS = (
    IncidentKind.SAFETY,
    IncidentKind.QUALITY,
    IncidentKind.ENVIRONMENTAL,
    IncidentKind.NETWORK_DATA_SECURITY,
    IncidentKind.TAX_EVASION,
)

NOTE_2026 = note(
    "gradient.2026_unconfirmed",
    NoteKind.UNCONFIRMED,
    f"⚠ {DOC_2026} 的条件和数值来自二手资料，尚待与官方文本核对；结果仅供参考",
    f"⚠ The {DOC_2026} conditions and figures come from secondary copies and await "
    "confirmation against the official text; treat the result as provisional",
)
NOTE_READINGS = note(
    "gradient.readings",
    NoteKind.DECISION,
    "本平台的口径：上年度为评估日前一个会计年度，近两年、近三年截至评估日；"
    "各档下限含本数（资产负债率“55%–75%”含 75%）；"
    "基本条件（独立法人、中小企业、名录、产品、近三年无重大事故或偷漏税）适用于各层级",
    "Readings used: the previous year is the accounting year before the assessment, two and "
    "three years end on the assessment date; bands include their lower bound (the 55–75% debt "
    "band includes 75%); the basic conditions apply to every tier",
)
NOTE_TITLE_2026 = note(
    "gradient.title_from_tech_sme",
    NoteKind.UNCONFIRMED,
    "⚠ 以科技型中小企业入库登记视为已获科技和创新型中小企业称号（两者于 2026 年合并），待确认",
    "⚠ A technology-based SME registration is taken as the merged 2026 title; to be confirmed",
)
NOTE_BOOKED_RD = note(
    "gradient.rd_basis",
    NoteKind.DECISION,
    "研发费用按账面研发费用总额计（委托研发全额计入，不设其他费用限额）",
    "R&D is the booked total (outsourcing in full, no cap on other costs)",
)


def _status(ok: bool) -> Status:
    return PASS if ok else FAIL


def full_years(since: date, day: date) -> int:
    years = day.year - since.year
    if (day.month, day.day) < (since.month, since.day):
        years -= 1
    return years


def booked_rd(facts: EnterpriseFacts, year: int) -> Decimal | None:
    y = facts.year(year)
    return None if y is None or y.rd is None else y.rd.booked_total


def _points(value: Decimal, base: Decimal, bands) -> int:
    for threshold, points in bands:
        if value >= threshold * base:
            return points
    return 0


class _Spec:
    """Criterion and item specs of one rule set, made once with its code prefix."""

    def __init__(self, prefix: str, document: str) -> None:
        self.prefix = prefix
        self.document = document

    def c(self, code: str, zh: str, en: str, article: str, group: str = "required"):
        return CriterionSpec(f"{self.prefix}.{code}", zh, en, Source(self.document, article), group)

    def i(self, code: str, zh: str, en: str, cat: str, full: int, article: str):
        return ItemSpec(
            f"{self.prefix}.score.{code}", zh, en, cat, full, Source(self.document, article)
        )


class _Basic:
    """The basic conditions every tier shares."""

    def __init__(self, spec: _Spec, article: str) -> None:
        self.legal = spec.c(
            "legal_person", "境内注册的独立法人", "Independent legal person in China", article
        )
        self.sme = spec.c("sme", "属于中小企业", "Is an SME", article)
        self.lists = spec.c(
            "listings",
            "未列入经营异常名录或严重失信名单",
            "Not on abnormal/dishonesty lists",
            article,
        )
        self.products = spec.c("products", "产品不属于禁止、限制类", "Products allowed", article)
        self.incidents = spec.c(
            "incidents",
            "近三年无重大事故或偷漏税",
            "No major incident or tax evasion in 3 years",
            article,
        )

    def check(self, facts: EnterpriseFacts, day: date, latest: int) -> list[Criterion]:
        made = []
        legal = (facts.resident, facts.independent_legal_person)
        if None in legal:
            paths = tuple(
                p
                for p, v in zip(("$.resident", "$.independent_legal_person"), legal, strict=True)
                if v is None
            )
            zh, en = "缺少数据：" + "、".join(paths), "Missing data: " + ", ".join(paths)
            made.append(criterion(self.legal, REVIEW, None, True, zh, en, False, paths))
        elif all(legal):
            zh, en = (
                "在中国境内工商注册、具有独立法人资格",
                "Registered in China as an independent legal person",
            )
            made.append(criterion(self.legal, PASS, True, True, zh, en))
        else:
            zh, en = "不是境内注册的独立法人", "Not an independent legal person registered in China"
            made.append(criterion(self.legal, FAIL, False, True, zh, en))

        sizing = size_of(facts, latest)
        if sizing.band is None:
            m = sizing.missing
            made.append(
                criterion(self.sme, REVIEW, None, "medium/small/micro", m.zh, m.en, False, m.paths)
            )
        else:
            name_zh, name_en = CLASS_NAMES[sizing.band]
            ok = sizing.band != "large"
            zh = f"按中小企业划型标准（{sizing.row.name_zh}）为{name_zh}"
            en = f"A {name_en} under the 2011 size rule ({sizing.row.name_en})"
            made.append(criterion(self.sme, _status(ok), sizing.band, "medium/small/micro", zh, en))

        if facts.listings is None:
            m = missing_fact("$.listings", "经营异常名录、严重失信名单情况", "list status")
            made.append(criterion(self.lists, REVIEW, None, False, m.zh, m.en, False, m.paths))
        else:
            listed = [entry.kind for entry in facts.listings if entry.active_on(day)]
            if listed:
                zh = "、".join(
                    "经营异常名录" if k is ListingKind.ABNORMAL_OPERATION else "严重违法失信名单"
                    for k in listed
                )
                en = ", ".join(
                    "abnormal-operation list"
                    if k is ListingKind.ABNORMAL_OPERATION
                    else "dishonesty list"
                    for k in listed
                )
                made.append(
                    criterion(
                        self.lists, FAIL, True, False, f"{day} 仍列入{zh}", f"On the {en} on {day}"
                    )
                )
            else:
                zh, en = f"{day} 未列入经营异常名录或严重失信名单", f"Not on either list on {day}"
                made.append(criterion(self.lists, PASS, False, False, zh, en))

        if facts.restricted_products is None:
            m = missing_fact(
                "$.restricted_products", "产品是否属于禁止、限制类", "product category"
            )
            made.append(criterion(self.products, REVIEW, None, False, m.zh, m.en, False, m.paths))
        else:
            ok = not facts.restricted_products
            zh = "产品不属于国家禁止、限制或淘汰类" if ok else "产品属于国家禁止、限制或淘汰类"
            en = "Products allowed" if ok else "Products prohibited, restricted or obsolete"
            made.append(
                criterion(self.products, _status(ok), facts.restricted_products, False, zh, en)
            )

        if facts.incidents is None:
            m = missing_fact("$.incidents", "事故与违法记录", "record of incidents")
            made.append(criterion(self.incidents, REVIEW, None, 0, m.zh, m.en, False, m.paths))
        else:
            first = years_before(day, 3)
            found = incidents_between(facts, BASIC_INCIDENTS, first, day)
            if found:
                what_zh, what_en = describe_incidents(found)
                zh, en = (
                    f"近三年（{first} 至 {day}）发生：{what_zh}",
                    f"Within three years: {what_en}",
                )
                made.append(criterion(self.incidents, FAIL, len(found), 0, zh, en))
            else:
                zh = f"{first} 至 {day} 无重大安全（含网络、数据安全）、质量、环境事故或偷漏税"
                en = (
                    "No major safety, data, quality or environmental incident or tax evasion "
                    f"{first} to {day}"
                )
                made.append(criterion(self.incidents, PASS, 0, 0, zh, en))
        return made


def _sum_cats(items: list[ScoreItem], cats) -> tuple[list, int, int]:
    sums = {code: [0, 0] for code, *_ in cats}
    for it in items:
        pair = sums[it.category]
        pair[0] += it.min_points
        pair[1] += it.max_points
    made = []
    low = high = 0
    for code, zh, en, full in cats:
        a, b = sums[code]
        made.append(category(code, zh, en, full, a, b))
        low += a
        high += b
    return made, low, high


def _span(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


# ---------------------------------------------------------------------------------------------
# 创新型中小企业 (2022), also 科技和创新型中小企业 (2026) until a new standard


INNOVATIVE_CATS = (
    ("innovation", "创新能力", "Innovation capability", 40),
    ("growth", "成长性", "Growth", 30),
    ("specialization", "专业化", "Specialization", 30),
)
INNOVATIVE_MINIMA = {"innovation": 20, "growth": 15, "specialization": 15}
_RD_RATIO_BANDS = (
    (Decimal("0.05"), 20),
    (Decimal("0.03"), 15),
    (Decimal("0.02"), 10),
    (Decimal("0.01"), 5),
)
_GROWTH_BANDS_1Y = ((Decimal("0.15"), 20), (Decimal("0.10"), 15), (Decimal("0.05"), 10), (ZERO, 5))
_MAIN_SHARE_BANDS = (
    (Decimal("0.70"), 20),
    (Decimal("0.60"), 15),
    (Decimal("0.55"), 10),
    (Decimal("0.50"), 5),
)
_INNOVATIVE_TITLES = (
    CertificationKind.HNTE,
    CertificationKind.TECH_INNOVATION_DEMO,
    CertificationKind.IP_ADVANTAGE,
    CertificationKind.IP_DEMONSTRATION,
)
_PROVINCIAL_UP = (
    InstitutionLevel.NATIONAL,
    InstitutionLevel.MINISTERIAL,
    InstitutionLevel.PROVINCIAL,
)


class InnovativeSme:
    """创新型中小企业评价标准 (63号 附件1); in 2026 the same standard under the merged title."""

    def __init__(self, info: RuleSetInfo, document: str, notes: tuple[Note, ...]) -> None:
        self.info = info
        self.notes = notes
        spec = _Spec("innovative_sme", document)
        article = (
            "附件1《创新型中小企业评价标准》" if document == DOC_2022 else "（沿用 63号 附件1）"
        )
        self.basic = _Basic(spec, article)
        self.c_score = spec.c("score", "评价得分", "Evaluation score", article, "route")
        self.c_direct = spec.c("direct", "直通条件", "Direct condition", article, "route")
        self.i_ip = spec.i(
            "ip", "与主导产品相关的知识产权", "IP for the lead product", "innovation", 20, article
        )
        self.i_rd = spec.i(
            "rd", "研发费用占营业收入比重", "R&D ÷ operating revenue", "innovation", 20, article
        )
        self.i_growth = spec.i(
            "growth", "主营业务收入增长率", "Main-revenue growth", "growth", 20, article
        )
        self.i_debt = spec.i("debt", "资产负债率", "Debt-to-asset ratio", "growth", 10, article)
        self.i_field = spec.i(
            "field", "主导产品所属领域", "Lead-product field", "specialization", 10, article
        )
        self.i_share = spec.i(
            "main_share",
            "主营业务收入占营业收入比重",
            "Main ÷ operating revenue",
            "specialization",
            20,
            article,
        )
        self.label_zh = f"{info.name_zh}（{info.version}）"
        self.label_en = f"{info.name_en} ({info.version})"
        self.flag = "⚠ " if info.needs_confirmation else ""

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            day = facts.application_date or on
            latest = day.year - 1
            gaps: list[Gap] = []
            notes = [*self.notes, NOTE_READINGS]
            criteria = self.basic.check(facts, day, latest)
            s, c = self._score(facts, day, latest, gaps, notes)
            criteria.append(c)
            criteria.append(self._direct(facts, day))
            outcome = decide(criteria)
            span = _span(s.min_points, s.max_points)
            return result(
                self.info,
                facts.name,
                on,
                day,
                outcome,
                tuple(criteria),
                s,
                tuple(gaps),
                tuple(notes),
                None,
                f"{self.flag}{self.label_zh}：{outcome.label_zh}；评价得分 {span} 分",
                f"{self.flag}{self.label_en}: {outcome.label_en}; score {span}",
            )

    def _score(self, facts, day, latest, gaps, notes) -> tuple[Score, Criterion]:
        y = facts.year(latest)
        prior = facts.year(latest - 1)
        items: list[ScoreItem] = []
        missing: list[Missing] = []

        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            missing.append(m)
            items.append(item(self.i_ip, 0, 20, False, m.zh, m.en))
        else:
            ip = count_ip(facts, day, hnte=False, lead_only=True)
            if ip.class_i_high_value:
                points, why_zh, why_en = 20, "拥有高价值Ⅰ类知识产权", "a high-value class I right"
            elif ip.class_i_self:
                points, why_zh, why_en = 15, "自主研发Ⅰ类知识产权", "a self-developed class I right"
            elif ip.class_i:
                points, why_zh, why_en = 10, "Ⅰ类知识产权", "a class I right"
            elif ip.class_ii:
                points, why_zh, why_en = 5, "Ⅱ类知识产权", "class II rights only"
            else:
                points, why_zh, why_en = 0, "无", "none"
            zh = (
                f"Ⅰ类 {ip.class_i} 项（高价值 {ip.class_i_high_value}、自主研发 {ip.class_i_self}"
                f"）、Ⅱ类 {ip.class_ii} 项：{why_zh}，{points} 分"
            )
            en = (
                f"{ip.class_i} class I ({ip.class_i_high_value} high-value), "
                f"{ip.class_ii} class II: {why_en}, {points}"
            )
            items.append(item(self.i_ip, points, points, False, zh, en))

        rd = None if y is None or y.rd is None else y.rd.booked_total
        revenue = None if y is None else y.operating_revenue
        if rd is None or not revenue:
            m = missing_year_fields([(latest, "rd"), (latest, "operating_revenue")])
            missing.append(m)
            items.append(item(self.i_rd, 0, 20, False, m.zh, m.en))
        else:
            points = _points(rd, revenue, _RD_RATIO_BANDS)
            zh = (
                f"{latest} 年研发费用 {wan(rd)} 万元 ÷ 营业收入 {wan(revenue)} 万元 = "
                f"{pct(rd / revenue)}：{points} 分"
            )
            en = (
                f"{latest}: R&D ¥{wan(rd)}万 ÷ revenue ¥{wan(revenue)}万 = {pct(rd / revenue)}: "
                f"{points}"
            )
            items.append(item(self.i_rd, points, points, False, zh, en))

        main = None if y is None else y.main_revenue
        before = None if prior is None else prior.main_revenue
        if main is None or before is None:
            lacking = [
                (year, "main_revenue")
                for year, v in ((latest - 1, before), (latest, main))
                if v is None
            ]
            m = missing_year_fields(lacking)
            missing.append(m)
            items.append(item(self.i_growth, 0, 20, False, m.zh, m.en))
        elif before == 0:
            points = 20 if main > 0 else 0
            notes.append(
                note(
                    "innovative_sme.zero_base",
                    NoteKind.DECISION,
                    "上年主营业务收入为 0：由 0 增至正数取最高档，0 到 0 计 0 分",
                    "Prior main revenue 0: growth to a positive figure takes the top band, 0 to 0 "
                    "scores 0",
                )
            )
            zh, en = (
                f"上年为 0，本年 {wan(main)} 万元：{points} 分",
                f"prior 0, now ¥{wan(main)}万: {points}",
            )
            items.append(item(self.i_growth, points, points, False, zh, en))
        else:
            points = _points(main - before, before, _GROWTH_BANDS_1Y)
            g = main / before - ONE
            zh = (
                f"{latest} 年主营业务收入 {wan(main)} 万元，上年 {wan(before)} 万元，增长 {pct(g)}"
                f"：{points} 分"
            )
            en = f"{latest} main revenue ¥{wan(main)}万 vs ¥{wan(before)}万: {pct(g)}: {points}"
            items.append(item(self.i_growth, points, points, False, zh, en))

        assets = None if y is None else y.total_assets
        debts = None if y is None else y.liabilities
        if not assets or debts is None:
            m = missing_year_fields([(latest, "total_assets"), (latest, "liabilities")])
            missing.append(m)
            items.append(item(self.i_debt, 0, 10, False, m.zh, m.en))
        else:
            if debts < Decimal("0.55") * assets:
                points = 10
            elif debts <= Decimal("0.75") * assets:
                points = 5
            else:
                points = 0
            zh = f"资产负债率 {pct(debts / assets)}：{points} 分"
            items.append(
                item(
                    self.i_debt,
                    points,
                    points,
                    False,
                    zh,
                    f"Debt ratio {pct(debts / assets)}: {points}",
                )
            )

        strategic = facts.strategic_emerging_product
        if strategic is None:
            m = missing_fact(
                "$.strategic_emerging_product",
                "主导产品是否属于战略性新兴产业",
                "lead-product field",
            )
            missing.append(m)
            items.append(item(self.i_field, 5, 10, False, m.zh, m.en))
        else:
            points = 10 if strategic else 5
            zh = "主导产品属于战略性新兴产业：10 分" if strategic else "主导产品属于其他领域：5 分"
            en = (
                "Lead product in a strategic emerging industry: 10"
                if strategic
                else "Other field: 5"
            )
            items.append(item(self.i_field, points, points, False, zh, en))

        if main is None or not revenue:
            m = missing_year_fields([(latest, "main_revenue"), (latest, "operating_revenue")])
            missing.append(m)
            items.append(item(self.i_share, 0, 20, False, m.zh, m.en))
        else:
            points = _points(main, revenue, _MAIN_SHARE_BANDS)
            zh = f"主营业务收入占营业收入 {pct(main / revenue)}：{points} 分"
            items.append(
                item(
                    self.i_share,
                    points,
                    points,
                    False,
                    zh,
                    f"Main share {pct(main / revenue)}: {points}",
                )
            )

        cats, low, high = _sum_cats(items, INNOVATIVE_CATS)
        s = score(low, high, 100, 60, tuple(cats), tuple(items))
        short_low = [c for c in cats if c.min_points < INNOVATIVE_MINIMA[c.code]]
        short_high = [c for c in cats if c.max_points < INNOVATIVE_MINIMA[c.code]]
        parts = "，".join(f"{c.name_zh} {_span(c.min_points, c.max_points)}" for c in cats)
        parts_en = ", ".join(
            f"{c.name_en.lower()} {_span(c.min_points, c.max_points)}" for c in cats
        )
        span = _span(low, high)
        if low >= 60 and not short_low:
            status = PASS
        elif high < 60 or short_high:
            status = FAIL
        else:
            status = REVIEW
        zh = f"得分 {span} 分（须 ≥ 60，且创新能力 ≥ 20、成长性 ≥ 15、专业化 ≥ 15）：{parts}"
        en = (
            f"Score {span} (needs ≥ 60 with innovation ≥ 20, growth ≥ 15, specialization ≥ 15): "
            f"{parts_en}"
        )
        if status is not PASS:
            if high < 60 or low < 60:
                short = 60 - (high if status is FAIL else low)
                if short > 0:
                    gaps.append(
                        gap(
                            self.c_score.code,
                            short,
                            "points",
                            f"评价得分差 {short} 分",
                            f"{short} points short",
                        )
                    )
            for c in short_high or short_low:
                need = INNOVATIVE_MINIMA[c.code] - (c.max_points if short_high else c.min_points)
                gaps.append(
                    gap(
                        self.c_score.code,
                        need,
                        "points",
                        f"{c.name_zh}得分差 {need} 分（须 ≥ {INNOVATIVE_MINIMA[c.code]}）",
                        f"{c.name_en} is {need} points short (needs ≥ {INNOVATIVE_MINIMA[c.code]})",
                    )
                )
        paths = ()
        if missing:
            zh, en, paths = with_missing(zh, en, missing)
        c = criterion(self.c_score, status, low if low == high else span, 60, zh, en, False, paths)
        return s, c

    def _direct(self, facts: EnterpriseFacts, day: date) -> Criterion:
        met, unknown = [], []
        three = years_before(day, 3)
        if facts.awards is None:
            unknown.append("$.awards")
        elif any(
            a.level in (AwardLevel.NATIONAL, AwardLevel.PROVINCIAL) and three <= a.awarded_on <= day
            for a in facts.awards
        ):
            met.append(
                ("近三年获国家级或省级科技奖励", "a national or provincial S&T award in 3 years")
            )
        if facts.certifications is None:
            unknown.append("$.certifications")
        elif valid_titles(facts, _INNOVATIVE_TITLES, day):
            met.append(
                (
                    "拥有有效期内的高企、技术创新示范或知识产权优势/示范企业称号",
                    "a valid HNTE, innovation-demonstration or IP title",
                )
            )
        if facts.rd_institutions is None:
            unknown.append("$.rd_institutions")
        elif any(r.level in _PROVINCIAL_UP for r in facts.rd_institutions):
            met.append(("拥有省级以上研发机构", "a provincial-level or higher R&D institution"))
        if facts.financing is None:
            unknown.append("$.financing")
        else:
            equity = equity_between(facts, three, day)
            if equity >= 500 * W:
                met.append(
                    (
                        f"近三年新增股权融资 {wan(equity)} 万元（≥ 500 万元）",
                        f"¥{wan(equity)}万 new equity in 3 years",
                    )
                )
        return _direct_criterion(self.c_direct, met, unknown)


def _direct_criterion(spec: CriterionSpec, met, unknown) -> Criterion:
    if met:
        zh = "满足直通条件：" + "；".join(z for z, _ in met)
        en = "Direct condition met: " + "; ".join(e for _, e in met)
        return criterion(spec, PASS, len(met), 1, zh, en)
    if unknown:
        zh = "未满足已声明的直通条件；缺少数据：" + "、".join(unknown)
        en = "No declared direct condition met; missing: " + ", ".join(unknown)
        return criterion(spec, REVIEW, 0, 1, zh, en, False, tuple(unknown))
    return criterion(spec, FAIL, 0, 1, "不满足任何直通条件", "No direct condition met")


# ---------------------------------------------------------------------------------------------
# 专精特新中小企业 (2022)


SPECIALIZED_CATS = (
    ("specialization", "专业化", "Specialization", 25),
    ("refinement", "精细化", "Refinement", 25),
    ("specialty", "特色化", "Distinctiveness", 15),
    ("innovation", "创新能力", "Innovation capability", 35),
)
_SHARE_5 = ((Decimal("0.80"), 5), (Decimal("0.70"), 3), (Decimal("0.60"), 1))
_GROWTH_2Y = (
    (Decimal("0.10"), 10),
    (Decimal("0.08"), 8),
    (Decimal("0.06"), 6),
    (Decimal("0.04"), 4),
    (ZERO, 2),
)
_MARGIN = (
    (Decimal("0.10"), 10),
    (Decimal("0.08"), 8),
    (Decimal("0.06"), 6),
    (Decimal("0.04"), 4),
    (Decimal("0.02"), 2),
)
_RD_AMOUNT = ((500 * W, 10), (400 * W, 8), (300 * W, 6), (200 * W, 4), (100 * W, 2))
_RD_SHARE = (
    (Decimal("0.10"), 10),
    (Decimal("0.08"), 8),
    (Decimal("0.06"), 6),
    (Decimal("0.04"), 4),
    (Decimal("0.03"), 2),
)
_RD_STAFF = ((Decimal("0.20"), 5), (Decimal("0.10"), 3), (Decimal("0.05"), 1))
_INSTITUTION_POINTS = {
    InstitutionLevel.NATIONAL: 10,
    InstitutionLevel.MINISTERIAL: 8,
    InstitutionLevel.PROVINCIAL: 8,
    InstitutionLevel.MUNICIPAL: 4,
    InstitutionLevel.COUNTY: 2,
}
_FIELD_POINTS = {LeadProductField.KEY: 5, LeadProductField.RELATED: 3, LeadProductField.OTHER: 0}


def average_growth(
    v1: Decimal, v2: Decimal, v3: Decimal, bands
) -> tuple[int, Decimal | None, str, str]:
    """Points for ½(V2/V1 + V3/V2) − 1 against lower-inclusive bands (zeros as for HNTE)."""
    if v2 == 0:
        return 0, None, "中间年为 0：0 分", "middle year 0: 0"
    if v1 == 0:
        numerator, denominator = v3, v2
    else:
        numerator, denominator = v2 * v2 + v1 * v3, 2 * v1 * v2
    g = numerator / denominator - ONE
    for threshold, points in bands:
        if numerator >= (ONE + threshold) * denominator:
            return points, g, f"平均增长率 {pct(g)}", f"average growth {pct(g)}"
    return 0, g, f"平均增长率 {pct(g)}", f"average growth {pct(g)}"


class Specialized2022:
    """专精特新中小企业认定标准 (63号 附件2)."""

    def __init__(self, info: RuleSetInfo) -> None:
        self.info = info
        spec = _Spec("specialized_sme", DOC_2022)
        a = "附件2《专精特新中小企业认定标准》"
        self.basic = _Basic(spec, TITLE_2022)
        self.c_niche = spec.c(
            "niche", "从事特定细分市场 ≥ 2 年", "In a niche market ≥ 2 years", a + "（一）"
        )
        self.c_rd = spec.c(
            "rd", "研发费用 ≥ 100 万元且 ≥ 3%", "R&D ≥ ¥100万 and ≥ 3%", a + "（二）"
        )
        self.c_revenue = spec.c(
            "revenue",
            "营业收入 ≥ 1,000 万元或股权融资",
            "Revenue ≥ ¥1,000万 or financing",
            a + "（三）",
        )
        self.c_score = spec.c("score", "评价得分 ≥ 60", "Score ≥ 60", a + "（四）", "route")
        self.c_direct = spec.c("direct", "直通条件", "Direct condition", a + "（四）", "route")
        i = spec.i
        self.items = {
            "main_share": i(
                "main_share",
                "主营业务收入占营业收入比重",
                "Main-revenue share",
                "specialization",
                5,
                a,
            ),
            "growth": i(
                "growth",
                "近 2 年主营业务收入平均增长率",
                "2-year main-revenue growth",
                "specialization",
                10,
                a,
            ),
            "niche_years": i(
                "niche_years", "从事特定细分市场年限", "Years in the niche", "specialization", 5, a
            ),
            "field": i("field", "主导产品所属领域", "Lead-product field", "specialization", 5, a),
            "digital": i("digital", "数字化水平", "Digital level", "refinement", 5, a),
            "quality": i("quality", "质量管理水平", "Quality management", "refinement", 5, a),
            "margin": i("margin", "净利润率", "Net profit margin", "refinement", 10, a),
            "debt": i("debt", "资产负债率", "Debt-to-asset ratio", "refinement", 5, a),
            "specialty": i(
                "specialty",
                "特色化指标（省级制定）",
                "Distinctiveness (set by province)",
                "specialty",
                15,
                a,
            ),
            "ip": i(
                "ip", "与主导产品相关的知识产权", "IP for the lead product", "innovation", 10, a
            ),
            "rd": i("rd", "研发费用投入", "R&D input", "innovation", 10, a),
            "rd_staff": i("rd_staff", "研发人员占比", "R&D staff share", "innovation", 5, a),
            "institution": i("institution", "研发机构建设", "R&D institution", "innovation", 10, a),
        }

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            day = facts.application_date or on
            latest = day.year - 1
            gaps: list[Gap] = []
            notes: list[Note] = [NOTE_BOOKED_RD, NOTE_READINGS]
            criteria = self.basic.check(facts, day, latest)
            criteria.append(_niche(self.c_niche, facts, day, 2, gaps))
            criteria.append(_rd_floor(self.c_rd, facts, (latest,), gaps))
            criteria.append(_revenue_or_equity(self.c_revenue, facts, day, latest, 1000 * W, gaps))
            s, c = self._score(facts, day, latest, gaps, notes)
            criteria.append(c)
            criteria.append(self._direct(facts, day, latest))
            outcome = decide(criteria)
            span = _span(s.min_points, s.max_points)
            return result(
                self.info,
                facts.name,
                on,
                day,
                outcome,
                tuple(criteria),
                s,
                tuple(gaps),
                tuple(notes),
                None,
                f"专精特新中小企业（2022）：{outcome.label_zh}；评价得分 {span} 分",
                f"Specialized SME (2022): {outcome.label_en}; score {span}",
            )

    def _score(self, facts, day, latest, gaps, notes) -> tuple[Score, Criterion]:
        it = self.items
        y = facts.year(latest)
        items: list[ScoreItem] = []
        missing: list[Missing] = []

        def unknown(key: str, m: Missing, low: int = 0) -> None:
            missing.append(m)
            items.append(item(it[key], low, it[key].full_marks, False, m.zh, m.en))

        def fixed(key: str, points: int, zh: str, en: str) -> None:
            items.append(item(it[key], points, points, False, zh, en))

        main = None if y is None else y.main_revenue
        revenue = None if y is None else y.operating_revenue
        if main is None or not revenue:
            unknown(
                "main_share",
                missing_year_fields([(latest, "main_revenue"), (latest, "operating_revenue")]),
            )
        else:
            p = _points(main, revenue, _SHARE_5)
            fixed(
                "main_share",
                p,
                f"主营占比 {pct(main / revenue)}：{p} 分",
                f"main share {pct(main / revenue)}: {p}",
            )

        values = [facts.year(year) for year in (latest - 2, latest - 1, latest)]
        mains = [None if v is None else v.main_revenue for v in values]
        if None in mains:
            lacking = [(latest - 2 + k, "main_revenue") for k, v in enumerate(mains) if v is None]
            unknown("growth", missing_year_fields(lacking))
        else:
            p, _, zh, en = average_growth(*mains, _GROWTH_2Y)
            fixed("growth", p, f"{zh}：{p} 分", f"{en}: {p}")

        if facts.niche_since is None:
            unknown(
                "niche_years",
                missing_fact("$.niche_since", "从事细分市场起始日期", "niche start date"),
            )
        else:
            years = full_years(facts.niche_since, day)
            p = max(0, min(5, years // 2))
            fixed(
                "niche_years",
                p,
                f"从事细分市场 {years} 年（每满 2 年 1 分）：{p} 分",
                f"{years} years in the niche: {p}",
            )

        if facts.lead_product_field is None:
            unknown(
                "field",
                missing_fact("$.lead_product_field", "主导产品所属领域", "lead-product field"),
            )
        else:
            p = _FIELD_POINTS[facts.lead_product_field]
            fixed(
                "field",
                p,
                f"主导产品领域（{facts.lead_product_field.value}）：{p} 分",
                f"lead-product field: {p}",
            )

        if facts.digital_level is None:
            unknown("digital", missing_fact("$.digital_level", "数字化水平等级", "digital level"))
        else:
            level = facts.digital_level
            p = 5 if level >= 3 else 3 if level == 2 else 0
            fixed("digital", p, f"数字化水平 {level} 级：{p} 分", f"digital level {level}: {p}")

        if facts.quality_items is None:
            unknown("quality", missing_fact("$.quality_items", "质量管理水平项数", "quality items"))
        else:
            p = min(5, 3 * facts.quality_items)
            fixed(
                "quality",
                p,
                f"质量管理 {facts.quality_items} 项（每项 3 分，最高 5 分）：{p} 分",
                f"{facts.quality_items} quality item(s): {p}",
            )

        profit = None if y is None else y.net_profit
        if profit is None or not revenue:
            unknown(
                "margin",
                missing_year_fields([(latest, "net_profit"), (latest, "operating_revenue")]),
            )
        else:
            p = _points(profit, revenue, _MARGIN)
            fixed(
                "margin",
                p,
                f"净利润率 {pct(profit / revenue)}：{p} 分",
                f"net margin {pct(profit / revenue)}: {p}",
            )

        assets = None if y is None else y.total_assets
        debts = None if y is None else y.liabilities
        if not assets or debts is None:
            unknown(
                "debt", missing_year_fields([(latest, "total_assets"), (latest, "liabilities")])
            )
        else:
            if debts < Decimal("0.5") * assets:
                p = 5
            elif debts < Decimal("0.6") * assets:
                p = 3
            elif debts < Decimal("0.7") * assets:
                p = 1
            else:
                p = 0
            fixed(
                "debt",
                p,
                f"资产负债率 {pct(debts / assets)}：{p} 分",
                f"debt ratio {pct(debts / assets)}: {p}",
            )

        declared = facts.declared_scores.specialty_2022 if facts.declared_scores else None
        if declared is None:
            notes.append(
                note(
                    "specialized_sme.specialty",
                    NoteKind.MANUAL_REVIEW,
                    "特色化指标（15 分）由各省制定，未提供得分：按 0–15 分计",
                    "The 15 distinctiveness points are set by each province and were not given: 0–"
                    "15",
                )
            )
            unknown(
                "specialty",
                missing_fact(
                    "$.declared_scores.specialty_2022", "特色化指标得分", "distinctiveness score"
                ),
            )
        else:
            fixed(
                "specialty",
                declared,
                f"省级特色化指标得分 {declared} 分",
                f"provincial distinctiveness score {declared}",
            )

        if facts.ip is None:
            unknown("ip", missing_fact("$.ip", "知识产权清单", "list of IP rights"))
        else:
            ip = count_ip(facts, day, hnte=False, lead_only=True)
            p = (
                10
                if ip.class_i_high_value
                else 8
                if ip.class_i_self
                else 6
                if ip.class_i
                else 2
                if ip.class_ii
                else 0
            )
            fixed(
                "ip",
                p,
                f"Ⅰ类 {ip.class_i} 项（高价值 {ip.class_i_high_value}、自主 {ip.class_i_self}）、Ⅱ"
                f"类 {ip.class_ii} 项：{p} 分",
                f"{ip.class_i} class I, {ip.class_ii} class II: {p}",
            )

        rd = booked_rd(facts, latest)
        if rd is None or not revenue:
            unknown("rd", missing_year_fields([(latest, "rd"), (latest, "operating_revenue")]))
        else:
            by_amount = _points(rd, ONE, _RD_AMOUNT)
            by_share = _points(rd, revenue, _RD_SHARE)
            p = max(by_amount, by_share)
            fixed(
                "rd",
                p,
                f"研发费用 {wan(rd)} 万元（{by_amount} 分）、占营业收入 {pct(rd / revenue)}（"
                f"{by_share} 分），取较高者：{p} 分",
                f"R&D ¥{wan(rd)}万 ({by_amount}), {pct(rd / revenue)} of revenue ({by_share}); "
                f"better: {p}",
            )

        staff = None if y is None else y.rd_staff
        employees = None if y is None else y.employees
        if staff is None or not employees:
            unknown("rd_staff", missing_year_fields([(latest, "rd_staff"), (latest, "employees")]))
        else:
            p = _points(staff, employees, _RD_STAFF)
            fixed(
                "rd_staff",
                p,
                f"研发人员占比 {pct(staff / employees)}：{p} 分",
                f"R&D staff {pct(staff / employees)}: {p}",
            )

        if facts.rd_institutions is None:
            unknown(
                "institution", missing_fact("$.rd_institutions", "研发机构情况", "R&D institutions")
            )
        else:
            p = max((_INSTITUTION_POINTS[r.level] for r in facts.rd_institutions), default=0)
            fixed(
                "institution", p, f"最高级别研发机构：{p} 分", f"highest-level R&D institution: {p}"
            )

        cats, low, high = _sum_cats(items, SPECIALIZED_CATS)
        s = score(low, high, 100, 60, tuple(cats), tuple(items))
        return s, _pass_mark(self.c_score, low, high, 60, missing, gaps)

    def _direct(self, facts: EnterpriseFacts, day: date, latest: int) -> Criterion:
        met, unknown = [], []
        three = years_before(day, 3)
        two = years_before(day, 2)
        if facts.awards is None:
            unknown.append("$.awards")
        elif any(
            three <= a.awarded_on <= day
            and (
                (a.level is AwardLevel.PROVINCIAL and a.rank <= 3)
                or (a.level is AwardLevel.NATIONAL and a.rank <= 5)
            )
            for a in facts.awards
        ):
            met.append(
                (
                    "近三年获省级科技奖励前三或国家级前五",
                    "a provincial award top 3 or national top 5 in 3 years",
                )
            )
        rds = [booked_rd(facts, year) for year in (latest - 1, latest)]
        if None not in rds and rds[0] + rds[1] >= 2000 * W:
            met.append(
                (
                    f"近两年研发费用均值 {wan((rds[0] + rds[1]) / 2)} 万元（≥ 1,000 万元）",
                    "2-year average R&D ≥ ¥1,000万",
                )
            )
        if facts.financing is None:
            unknown.append("$.financing")
        elif equity_between(facts, two, day) >= 6000 * W:
            met.append(("近两年新增股权融资 ≥ 6,000 万元", "≥ ¥6,000万 new equity in 2 years"))
        if facts.certifications is None:
            unknown.append("$.certifications")
        elif any(
            c.kind is CertificationKind.MAKER_CHINA_TOP500 and three <= c.issued_on <= day
            for c in facts.certifications
        ):
            met.append(
                (
                    "近三年进入“创客中国”全国 500 强企业组",
                    "a Maker in China national top 500 in 3 years",
                )
            )
        return _direct_criterion(self.c_direct, met, unknown)


def _pass_mark(spec, low: int, high: int, mark: int, missing, gaps: list[Gap]) -> Criterion:
    span = _span(low, high)
    paths: tuple[str, ...] = ()
    if low >= mark:
        status, zh, en = (
            PASS,
            f"评价得分 {span} 分，达到 {mark} 分",
            f"Score {span}: at least {mark}",
        )
    elif high < mark:
        status, zh, en = FAIL, f"评价得分 {span} 分，不足 {mark} 分", f"Score {span}: below {mark}"
        gaps.append(
            gap(
                spec.code,
                mark - high,
                "points",
                f"评价得分差 {mark - high} 分",
                f"{mark - high} points short",
            )
        )
    else:
        status, zh, en = (
            REVIEW,
            f"评价得分 {span} 分，跨越 {mark} 分线",
            f"Score {span} straddles {mark}",
        )
        gaps.append(
            gap(
                spec.code,
                mark - low,
                "points",
                f"按最保守评分差 {mark - low} 分",
                f"{mark - low} points short at the lowest",
            )
        )
    if missing:
        zh, en, paths = with_missing(zh, en, missing)
    return criterion(spec, status, low if low == high else span, mark, zh, en, False, paths)


def _niche(spec, facts: EnterpriseFacts, day: date, years: int, gaps: list[Gap]) -> Criterion:
    if facts.niche_since is None:
        m = missing_fact("$.niche_since", "从事细分市场起始日期", "niche start date")
        return criterion(spec, REVIEW, None, years, m.zh, m.en, False, m.paths)
    held = full_years(facts.niche_since, day)
    ok = held >= years
    zh = f"自 {facts.niche_since} 从事特定细分市场，满 {held} 年（须 ≥ {years} 年）"
    en = f"In the niche since {facts.niche_since}: {held} full years (needs ≥ {years})"
    if not ok:
        ready = add_years(facts.niche_since, years)
        gaps.append(
            gap(
                spec.code,
                (ready - day).days,
                "days",
                f"须待 {ready} 满 {years} 年",
                f"{years} years are reached on {ready}",
            )
        )
    return criterion(spec, _status(ok), held, years, zh, en)


def _rd_floor(spec, facts: EnterpriseFacts, years: tuple[int, ...], gaps: list[Gap]) -> Criterion:
    """R&D ≥ 100万 and ≥ 3% of 营业收入 in each of ``years``."""
    lacking = []
    parts_zh, parts_en = [], []
    ok = True
    for year in years:
        y = facts.year(year)
        rd = None if y is None or y.rd is None else y.rd.booked_total
        revenue = None if y is None else y.operating_revenue
        if rd is None:
            lacking.append((year, "rd"))
        if revenue is None:
            lacking.append((year, "operating_revenue"))
        if rd is None or revenue is None:
            continue
        good = rd >= 100 * W and rd >= Decimal("0.03") * revenue
        ok = ok and good
        share = pct(rd / revenue) if revenue else "—"
        parts_zh.append(f"{year} 年研发费用 {wan(rd)} 万元，占营业收入 {share}")
        parts_en.append(f"{year}: R&D ¥{wan(rd)}万, {share} of revenue")
        if not good:
            needed = yuan_up(max(100 * W - rd, Decimal("0.03") * revenue - rd))
            gaps.append(
                gap(
                    spec.code,
                    needed,
                    "yuan",
                    f"{year} 年研发费用需再增加 {wan_up(needed)} 万元（须 ≥ 100 万元且 ≥ 3%）",
                    f"{year}: ¥{wan_up(needed)}万 more R&D needed (≥ ¥100万 and ≥ 3%)",
                )
            )
    if lacking:
        m = missing_year_fields(lacking)
        return criterion(spec, REVIEW, None, Decimal("0.03"), m.zh, m.en, False, m.paths)
    zh = "；".join(parts_zh) + ("：达标" if ok else "：未达标") + "（须 ≥ 100 万元且 ≥ 3%）"
    en = "; ".join(parts_en) + (": met" if ok else ": not met") + " (≥ ¥100万 and ≥ 3%)"
    return criterion(spec, _status(ok), None, Decimal("0.03"), zh, en)


def _revenue_or_equity(
    spec, facts, day: date, latest: int, floor: Decimal, gaps: list[Gap]
) -> Criterion:
    y = facts.year(latest)
    revenue = None if y is None else y.operating_revenue
    equity = None if facts.financing is None else equity_between(facts, years_before(day, 2), day)
    if revenue is not None and revenue >= floor:
        zh = f"{latest} 年营业收入 {wan(revenue)} 万元（≥ {wan(floor)} 万元）"
        return criterion(
            spec,
            PASS,
            revenue,
            floor,
            zh,
            f"{latest} revenue ¥{wan(revenue)}万 (≥ ¥{wan(floor)}万)",
        )
    if equity is not None and equity >= 2000 * W:
        zh = f"近两年新增股权融资 {wan(equity)} 万元（≥ 2,000 万元）"
        return criterion(
            spec, PASS, equity, 2000 * W, zh, f"¥{wan(equity)}万 new equity in 2 years (≥ ¥2,000万)"
        )
    if revenue is None or equity is None:
        lacking = []
        if revenue is None:
            lacking.append(f"$.years[year={latest}].operating_revenue")
        if equity is None:
            lacking.append("$.financing")
        zh, en = "缺少数据：" + "、".join(lacking), "Missing data: " + ", ".join(lacking)
        return criterion(spec, REVIEW, revenue, floor, zh, en, False, tuple(lacking))
    needed = yuan_up(floor - revenue)
    gaps.append(
        gap(
            spec.code,
            needed,
            "yuan",
            f"营业收入需再增加 {wan_up(needed)} 万元，或近两年股权融资达到 2,000 万元",
            f"¥{wan_up(needed)}万 more revenue, or ¥2,000万 equity in two years",
        )
    )
    zh = (
        f"{latest} 年营业收入 {wan(revenue)} 万元 < {wan(floor)} 万元，近两年股权融资 "
        f"{wan(equity)} 万元 < 2,000 万元"
    )
    en = (
        f"{latest} revenue ¥{wan(revenue)}万 < ¥{wan(floor)}万 and "
        f"equity ¥{wan(equity)}万 < ¥2,000万"
    )
    return criterion(spec, FAIL, revenue, floor, zh, en)


def _share_at_least(spec, facts, latest: int, floor: Decimal, gaps: list[Gap]) -> Criterion:
    """主营业务收入 ÷ 营业收入 ≥ floor."""
    y = facts.year(latest)
    main = None if y is None else y.main_revenue
    revenue = None if y is None else y.operating_revenue
    if main is None or not revenue:
        m = missing_year_fields([(latest, "main_revenue"), (latest, "operating_revenue")])
        return criterion(spec, REVIEW, None, floor, m.zh, m.en, False, m.paths)
    share = main / revenue
    ok = main >= floor * revenue
    if not ok:
        needed = yuan_up((floor * revenue - main) / (ONE - floor))
        gaps.append(
            gap(
                spec.code,
                needed,
                "yuan",
                f"主营业务收入占比 {pct(share)} < {pct(floor)}：需新增主营业务收入 "
                f"{wan_up(needed)} 万元",
                f"Main share {pct(share)} < {pct(floor)}: ¥{wan_up(needed)}万 more main revenue",
            )
        )
    zh = f"{latest} 年主营业务收入占营业收入 {pct(share)}（须 ≥ {pct(floor)}）"
    en = f"{latest} main revenue {pct(share)} of operating revenue (needs ≥ {pct(floor)})"
    return criterion(spec, _status(ok), share, floor, zh, en)


def _debt_at_most(spec, facts, latest: int, ceiling: Decimal, gaps: list[Gap]) -> Criterion:
    y = facts.year(latest)
    assets = None if y is None else y.total_assets
    debts = None if y is None else y.liabilities
    if not assets or debts is None:
        m = missing_year_fields([(latest, "total_assets"), (latest, "liabilities")])
        return criterion(spec, REVIEW, None, ceiling, m.zh, m.en, False, m.paths)
    ratio = debts / assets
    ok = debts <= ceiling * assets
    if not ok:
        repay = yuan_up((debts - ceiling * assets) / (ONE - ceiling))
        gaps.append(
            gap(
                spec.code,
                repay,
                "yuan",
                f"资产负债率 {pct(ratio)} > {pct(ceiling)}：需偿还负债 {wan_up(repay)} 万元（以资"
                "产偿付）",
                f"Debt ratio {pct(ratio)} > {pct(ceiling)}: repay ¥{wan_up(repay)}万 of debt from "
                "assets",
            )
        )
    zh = f"{latest} 年资产负债率 {pct(ratio)}（须 ≤ {pct(ceiling)}）"
    en = f"{latest} debt-to-asset ratio {pct(ratio)} (needs ≤ {pct(ceiling)})"
    return criterion(spec, _status(ok), ratio, ceiling, zh, en)


def _declared_score(spec, value: int | None, path: str, mark: int, gaps: list[Gap]) -> Criterion:
    if value is None:
        m = missing_fact(path, "评价得分（按省级评价办法）", "evaluation score (provincial method)")
        return criterion(spec, REVIEW, None, mark, m.zh, m.en, False, m.paths)
    ok = value >= mark
    if not ok:
        gaps.append(
            gap(
                spec.code,
                mark - value,
                "points",
                f"评价得分差 {mark - value} 分",
                f"{mark - value} points short",
            )
        )
    zh = f"已提供的评价得分 {value} 分（须 ≥ {mark}）"
    return criterion(spec, _status(ok), value, mark, zh, f"Declared score {value} (needs ≥ {mark})")


def _title(
    spec, facts, kinds: tuple[CertificationKind, ...], day: date, zh_name: str, en_name: str
) -> Criterion:
    if facts.certifications is None:
        m = missing_fact("$.certifications", "已获称号", "titles held")
        return criterion(spec, REVIEW, None, True, m.zh, m.en, False, m.paths)
    # A title of its own comes before one inferred from the 2026 merger.
    held = sorted(valid_titles(facts, kinds, day), key=lambda k: k is CertificationKind.TECH_SME)
    if held:
        zh = f"持有有效期内的{zh_name}称号（{held[0].value}）"
        return criterion(
            spec, PASS, held[0].value, True, zh, f"Holds a valid {en_name} title ({held[0].value})"
        )
    zh, en = f"未持有有效期内的{zh_name}称号", f"No valid {en_name} title"
    return criterion(spec, FAIL, False, True, zh, en)


# ---------------------------------------------------------------------------------------------
# 2026: 专精特新中小企业 and 小巨人 ⚠


_LOWER_TITLES_2026 = (
    CertificationKind.INNOVATIVE_SME,
    CertificationKind.TECH_INNOVATIVE_SME,
    CertificationKind.TECH_SME,
)
_SPECIALIZED_TITLE = (CertificationKind.SPECIALIZED_SME,)


class Specialized2026:
    def __init__(self, info: RuleSetInfo) -> None:
        self.info = info
        spec = _Spec("specialized_sme", DOC_2026)
        a = TITLE_2026
        self.basic = _Basic(spec, a + "（⚠ 沿用 2022 基本条件）")
        self.c_title = spec.c(
            "title", "持有科技和创新型中小企业称号", "Holds the tech-and-innovative SME title", a
        )
        self.c_niche = spec.c("niche", "从事特定细分市场 ≥ 3 年", "In a niche market ≥ 3 years", a)
        self.c_revenue = spec.c(
            "revenue", "营业收入 ≥ 1,500 万元或股权融资", "Revenue ≥ ¥1,500万 or financing", a
        )
        self.c_share = spec.c("main_share", "主营业务收入占比 ≥ 80%", "Main revenue ≥ 80%", a)
        self.c_debt = spec.c("debt", "资产负债率 ≤ 80%", "Debt ratio ≤ 80%", a)
        self.c_rd = spec.c(
            "rd", "近两年研发费用各 ≥ 100 万元且 ≥ 3%", "R&D ≥ ¥100万 and ≥ 3% both years", a
        )
        self.c_ip = spec.c("ip", "Ⅰ类知识产权 ≥ 1 项（已申请）", "≥ 1 class I IP applied", a)
        self.c_score = spec.c("score", "评价得分 ≥ 50", "Evaluation score ≥ 50", a)

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            day = facts.application_date or on
            latest = day.year - 1
            gaps: list[Gap] = []
            notes: list[Note] = [NOTE_2026, NOTE_BOOKED_RD, NOTE_READINGS]
            criteria = self.basic.check(facts, day, latest)
            title = _title(
                self.c_title,
                facts,
                _LOWER_TITLES_2026,
                day,
                "科技和创新型（创新型）中小企业",
                "tech-and-innovative SME",
            )
            if title.actual == CertificationKind.TECH_SME.value:
                notes.append(NOTE_TITLE_2026)
            criteria.append(title)
            criteria.append(_niche(self.c_niche, facts, day, 3, gaps))
            criteria.append(_revenue_or_equity(self.c_revenue, facts, day, latest, 1500 * W, gaps))
            criteria.append(_share_at_least(self.c_share, facts, latest, Decimal("0.80"), gaps))
            criteria.append(_debt_at_most(self.c_debt, facts, latest, Decimal("0.80"), gaps))
            criteria.append(_rd_floor(self.c_rd, facts, (latest - 1, latest), gaps))
            criteria.append(self._ip(facts, day, gaps))
            scores = facts.declared_scores
            criteria.append(
                _declared_score(
                    self.c_score,
                    scores.specialized_2026 if scores else None,
                    "$.declared_scores.specialized_2026",
                    50,
                    gaps,
                )
            )
            outcome = decide(criteria)
            return result(
                self.info,
                facts.name,
                on,
                day,
                outcome,
                tuple(criteria),
                None,
                tuple(gaps),
                tuple(notes),
                None,
                f"⚠ 专精特新中小企业（2026，待核对）：{outcome.label_zh}",
                f"⚠ Specialized SME (2026, unconfirmed): {outcome.label_en}",
            )

    def _ip(self, facts: EnterpriseFacts, day: date, gaps: list[Gap]) -> Criterion:
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            return criterion(self.c_ip, REVIEW, None, 1, m.zh, m.en, False, m.paths)
        ip = count_ip(facts, day, hnte=False, lead_only=False)
        n = ip.class_i + ip.applied_class_i
        if n >= 1:
            zh = f"Ⅰ类知识产权已授权 {ip.class_i} 项、申请中 {ip.applied_class_i} 项"
            return criterion(
                self.c_ip,
                PASS,
                n,
                1,
                zh,
                f"{ip.class_i} class I granted, {ip.applied_class_i} pending",
            )
        waivers = []
        if facts.awards and any(
            a.level is AwardLevel.PROVINCIAL and a.rank <= 3 and a.awarded_on <= day
            for a in facts.awards
        ):
            waivers.append(("获省级科技奖励前三", "a provincial S&T award, top 3"))
        if facts.rd_institutions and any(r.level in _PROVINCIAL_UP for r in facts.rd_institutions):
            waivers.append(("拥有省级以上研发机构", "a provincial-level R&D institution"))
        if waivers:
            zh = "无Ⅰ类知识产权，但可豁免：" + "；".join(z for z, _ in waivers)
            en = "No class I IP, waived by " + "; ".join(e for _, e in waivers)
            return criterion(self.c_ip, PASS, 0, 1, zh, en)
        if facts.awards is None or facts.rd_institutions is None:
            paths = tuple(
                p
                for p, v in (
                    ("$.awards", facts.awards),
                    ("$.rd_institutions", facts.rd_institutions),
                )
                if v is None
            )
            zh = "无Ⅰ类知识产权；豁免条件缺少数据：" + "、".join(paths)
            en = "No class I IP; missing data for the waiver: " + ", ".join(paths)
            return criterion(self.c_ip, REVIEW, 0, 1, zh, en, False, paths)
        gaps.append(
            gap(
                self.c_ip.code,
                1,
                "ip_class_i",
                "需至少申请 1 项Ⅰ类知识产权",
                "Apply for at least 1 class I right",
            )
        )
        return criterion(
            self.c_ip, FAIL, 0, 1, "无Ⅰ类知识产权，也无豁免条件", "No class I IP and no waiver"
        )


class LittleGiant2026:
    def __init__(self, info: RuleSetInfo) -> None:
        self.info = info
        spec = _Spec("little_giant", DOC_2026)
        a = TITLE_2026
        self.basic = _Basic(spec, a + "（⚠ 沿用 2022 基本条件）")
        self.c_title = spec.c(
            "title", "持有专精特新中小企业称号", "Holds the specialized SME title", a
        )
        self.c_revenue = spec.c("revenue", "营业收入 ≥ 5,000 万元", "Revenue ≥ ¥5,000万", a)
        self.c_share = spec.c("main_share", "主营业务收入占比 ≥ 90%", "Main revenue ≥ 90%", a)
        self.c_rd = spec.c(
            "rd", "近两年研发费用 ≥ 1,200 万元且每年 ≥ 3%", "2-year R&D ≥ ¥1,200万, ≥ 3% a year", a
        )
        self.c_ip = spec.c("ip", "Ⅰ类知识产权 ≥ 4 项", "≥ 4 class I IP rights", a)
        self.c_score = spec.c("score", "评价得分 ≥ 60", "Evaluation score ≥ 60", a)

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            day = facts.application_date or on
            latest = day.year - 1
            gaps: list[Gap] = []
            notes: list[Note] = [NOTE_2026, NOTE_BOOKED_RD, NOTE_READINGS]
            criteria = self.basic.check(facts, day, latest)
            criteria.append(
                _title(
                    self.c_title,
                    facts,
                    _SPECIALIZED_TITLE,
                    day,
                    "专精特新中小企业",
                    "specialized SME",
                )
            )
            criteria.append(self._revenue(facts, latest, gaps))
            criteria.append(_share_at_least(self.c_share, facts, latest, Decimal("0.90"), gaps))
            criteria.append(self._rd(facts, latest, gaps))
            criteria.append(self._ip(facts, day, gaps))
            scores = facts.declared_scores
            criteria.append(
                _declared_score(
                    self.c_score,
                    scores.little_giant_2026 if scores else None,
                    "$.declared_scores.little_giant_2026",
                    60,
                    gaps,
                )
            )
            outcome = decide(criteria)
            return result(
                self.info,
                facts.name,
                on,
                day,
                outcome,
                tuple(criteria),
                None,
                tuple(gaps),
                tuple(notes),
                None,
                f"⚠ 专精特新“小巨人”企业（2026，待核对）：{outcome.label_zh}",
                f"⚠ Little giant (2026, unconfirmed): {outcome.label_en}",
            )

    def _revenue(self, facts, latest: int, gaps: list[Gap]) -> Criterion:
        y = facts.year(latest)
        revenue = None if y is None else y.operating_revenue
        floor = 5000 * W
        if revenue is None:
            m = missing_year_fields([(latest, "operating_revenue")])
            return criterion(self.c_revenue, REVIEW, None, floor, m.zh, m.en, False, m.paths)
        ok = revenue >= floor
        if not ok:
            needed = yuan_up(floor - revenue)
            gaps.append(
                gap(
                    self.c_revenue.code,
                    needed,
                    "yuan",
                    f"营业收入需再增加 {wan_up(needed)} 万元",
                    f"¥{wan_up(needed)}万 more revenue",
                )
            )
        zh = f"{latest} 年营业收入 {wan(revenue)} 万元（须 ≥ 5,000 万元）"
        return criterion(
            self.c_revenue,
            _status(ok),
            revenue,
            floor,
            zh,
            f"{latest} revenue ¥{wan(revenue)}万 (≥ ¥5,000万)",
        )

    def _rd(self, facts, latest: int, gaps: list[Gap]) -> Criterion:
        years = (latest - 1, latest)
        lacking, rds, shares_ok = [], [], True
        parts_zh, parts_en = [], []
        for year in years:
            y = facts.year(year)
            rd = None if y is None or y.rd is None else y.rd.booked_total
            revenue = None if y is None else y.operating_revenue
            if rd is None:
                lacking.append((year, "rd"))
            if not revenue:
                lacking.append((year, "operating_revenue"))
            if rd is None or not revenue:
                continue
            rds.append(rd)
            good = rd >= Decimal("0.03") * revenue
            shares_ok = shares_ok and good
            parts_zh.append(f"{year} 年 {wan(rd)} 万元（{pct(rd / revenue)}）")
            parts_en.append(f"{year} ¥{wan(rd)}万 ({pct(rd / revenue)})")
        if lacking:
            m = missing_year_fields(lacking)
            return criterion(self.c_rd, REVIEW, None, 1200 * W, m.zh, m.en, False, m.paths)
        total = sum(rds, ZERO)
        ok = total >= 1200 * W and shares_ok
        if total < 1200 * W:
            needed = yuan_up(1200 * W - total)
            gaps.append(
                gap(
                    self.c_rd.code,
                    needed,
                    "yuan",
                    f"近两年研发费用需再增加 {wan_up(needed)} 万元",
                    f"¥{wan_up(needed)}万 more R&D over two years",
                )
            )
        zh = (
            "研发费用 "
            + "、".join(parts_zh)
            + f"，合计 {wan(total)} 万元（须 ≥ 1,200 万元且每年 ≥ 3%）"
        )
        en = (
            "R&D "
            + ", ".join(parts_en)
            + f", total ¥{wan(total)}万 (needs ≥ ¥1,200万 and ≥ 3% each year)"
        )
        return criterion(self.c_rd, _status(ok), total, 1200 * W, zh, en)

    def _ip(self, facts, day: date, gaps: list[Gap]) -> Criterion:
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            return criterion(self.c_ip, REVIEW, None, 4, m.zh, m.en, False, m.paths)
        n = count_ip(facts, day, hnte=False, lead_only=False).class_i
        ok = n >= 4
        if not ok:
            gaps.append(
                gap(
                    self.c_ip.code,
                    4 - n,
                    "ip_class_i",
                    f"还需 {4 - n} 项Ⅰ类知识产权",
                    f"{4 - n} more class I rights",
                )
            )
        return criterion(
            self.c_ip,
            _status(ok),
            n,
            4,
            f"有效Ⅰ类知识产权 {n} 项（须 ≥ 4）",
            f"{n} valid class I rights (needs ≥ 4)",
        )


INNOVATIVE_2022 = RuleSetInfo(
    code="innovative_sme",
    name_zh="创新型中小企业评价",
    name_en="Innovative SME evaluation",
    version="2022",
    effective_from=DAY_2022,
    effective_to=LAST_2022,
    source=f"{DOC_2022}{TITLE_2022}附件1",
)
INNOVATIVE_2026 = RuleSetInfo(
    code="innovative_sme",
    name_zh="科技和创新型中小企业评价",
    name_en="Technology and innovative SME evaluation",
    version="2026",
    effective_from=DAY_2026,
    effective_to=None,
    source=f"{DOC_2026}{TITLE_2026}（新标准出台前沿用 {DOC_2022} 附件1）",
    needs_confirmation=True,
)
SPECIALIZED_2022 = RuleSetInfo(
    code="specialized_sme",
    name_zh="专精特新中小企业认定",
    name_en="Specialized, refined, distinctive and innovative (specialized) SME recognition",
    version="2022",
    effective_from=DAY_2022,
    effective_to=LAST_2022,
    source=f"{DOC_2022}{TITLE_2022}附件2",
)
SPECIALIZED_2026 = RuleSetInfo(
    code="specialized_sme",
    name_zh="专精特新中小企业认定",
    name_en="Specialized SME recognition",
    version="2026",
    effective_from=DAY_2026,
    effective_to=None,
    source=f"{DOC_2026}{TITLE_2026}",
    needs_confirmation=True,
)
LITTLE_GIANT_2026 = RuleSetInfo(
    code="little_giant",
    name_zh="专精特新“小巨人”企业认定",
    name_en="Specialized 'little giant' enterprise recognition",
    version="2026",
    effective_from=DAY_2026,
    effective_to=None,
    source=f"{DOC_2026}{TITLE_2026}",
    needs_confirmation=True,
)
LITTLE_GIANT_2022 = RuleSetInfo(
    code="little_giant",
    name_zh="专精特新“小巨人”企业认定",
    name_en="Specialized 'little giant' enterprise recognition",
    version="2022（未建模）",
    effective_from=DAY_2022,
    effective_to=LAST_2022,
    source=f"{DOC_2022}{TITLE_2022}附件3",
    modelled=False,
)

RULE_SETS = (
    InnovativeSme(INNOVATIVE_2022, DOC_2022, (NOTE_BOOKED_RD,)),
    InnovativeSme(
        INNOVATIVE_2026,
        DOC_2026,
        (
            NOTE_2026,
            note(
                "innovative_sme.2022_standard",
                NoteKind.UNCONFIRMED,
                "⚠ 科技和创新型中小企业新评价标准公布前，沿用 2022 年创新型中小企业评价标准",
                "⚠ Until a new standard is published, the 2022 innovative-SME standard applies",
            ),
            NOTE_BOOKED_RD,
        ),
    ),
    Specialized2022(SPECIALIZED_2022),
    Specialized2026(SPECIALIZED_2026),
    LittleGiant2026(LITTLE_GIANT_2026),
)
