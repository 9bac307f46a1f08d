"""科技型中小企业评价, 国科发政〔2017〕115号 (still in force; the 2022 service guideline
国科火字〔2022〕67号 keeps the same scoring).

Conditions (一)–(四) must hold; then either the score (≥ 60, with a non-zero S&T-personnel
score) or one of the direct routes of Article 7.

Readings chosen where the text leaves room, with the note each result carries:

- ⚠ The size limits (职工总数 ≤ 500, 销售收入 ≤ 2亿, 资产总额 ≤ 2亿) and the score use the
  accounting year before the assessment; incidents are checked from 1 January of that year to
  the assessment date ("上一年及当年内"). (``tech_sme.prior_year``, on every result.)
- R&D expense is taken on the 加计扣除 basis that the evaluation refers to: the six in-house
  categories, 其他相关费用 up to 10% of the total (a ninth of the in-house categories), domestic
  outsourcing at 80%, overseas outsourcing at 80% up to two thirds of the domestic qualifying
  expense (财税〔2015〕119号, 财税〔2018〕64号). (``tech_sme.rd_basis``.)
- Both R&D ratios (to sales and to 成本费用支出总额) are computed and the better one is used;
  the item's explanation says which.
- "近五年" is the five years up to the assessment date; 省部级以上研发机构 includes national,
  ministerial and provincial institutions; a standard counts for the direct route only if the
  enterprise led it. 科技人员 here counts part-time staff after six months (not 183 days as
  for HNTE); the facts carry one S&T head count, so declare it on this basis when it differs.
  (``tech_sme.readings``.)
- ⚠ From 2026-04-01 the 2026 梯度培育 rules merge this title with 创新型中小企业; until a new
  evaluation is published the 2017 method stays in force here (``tech_sme.merger_2026``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from kechuang.core.criteria._common import (
    CONTEXT,
    FAIL,
    PASS,
    REVIEW,
    ZERO,
    Missing,
    ceil_int,
    count_ip,
    describe_incidents,
    incidents_between,
    missing_fact,
    missing_year_fields,
    num,
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
    ListingKind,
    RDExpense,
    StandardLevel,
    StandardRole,
)
from kechuang.core.criteria.result import (
    CriterionSpec,
    Gap,
    ItemSpec,
    Note,
    NoteKind,
    Result,
    RuleSetInfo,
    ScoreItem,
    Source,
    category,
    criterion,
    decide,
    gap,
    item,
    note,
    result,
    score,
)

DOC = "国科发政〔2017〕115号"

INFO = RuleSetInfo(
    code="tech_sme",
    name_zh="科技型中小企业评价",
    name_en="Technology-based SME evaluation",
    version="2017",
    effective_from=date(2017, 5, 3),  # the date of issue, taken as the first day in force
    effective_to=None,
    source=f"{DOC}《科技型中小企业评价办法》；国科火字〔2022〕67号《科技型中小企业评价服务工作指引》",
)

PASS_MARK = 60
MAX_EMPLOYEES = Decimal(500)
MAX_SALES = Decimal(200_000_000)
MAX_ASSETS = Decimal(200_000_000)
MERGER_DAY = date(2026, 4, 1)
_EIGHTY = Decimal("0.8")
_NINE = Decimal(9)  # 其他相关费用 ≤ 10% of the total ⇔ ≤ 1/9 of the five items
_TWO, _THREE = Decimal(2), Decimal(3)

STAFF_BANDS = (
    (Decimal("0.30"), 20),
    (Decimal("0.25"), 16),
    (Decimal("0.20"), 12),
    (Decimal("0.15"), 8),
    (Decimal("0.10"), 4),
)
RD_SALES_BANDS = (
    (Decimal("0.06"), 50),
    (Decimal("0.05"), 40),
    (Decimal("0.04"), 30),
    (Decimal("0.03"), 20),
    (Decimal("0.02"), 10),
)
RD_COST_BANDS = (
    (Decimal("0.30"), 50),
    (Decimal("0.25"), 40),
    (Decimal("0.20"), 30),
    (Decimal("0.15"), 20),
    (Decimal("0.10"), 10),
)

INCIDENT_KINDS = (
    IncidentKind.SAFETY,
    IncidentKind.QUALITY,
    IncidentKind.ENVIRONMENTAL,
    IncidentKind.RESEARCH_INTEGRITY,
)
LEAD_STANDARD_LEVELS = (StandardLevel.INTERNATIONAL, StandardLevel.NATIONAL, StandardLevel.INDUSTRY)
INSTITUTION_LEVELS = (
    InstitutionLevel.NATIONAL,
    InstitutionLevel.MINISTERIAL,
    InstitutionLevel.PROVINCIAL,
)
HNTE_TITLE = (CertificationKind.HNTE,)


def _spec(code: str, zh: str, en: str, article: str, group: str = "required") -> CriterionSpec:
    return CriterionSpec(f"tech_sme.{code}", zh, en, Source(DOC, article), group)


ROUTE = "route"
C_RESIDENT = _spec(
    "resident", "境内注册的居民企业", "Resident enterprise in mainland China", "第六条（一）"
)
C_SIZE = _spec("size", "职工、销售收入、资产规模", "Staff, sales and assets limits", "第六条（二）")
C_PRODUCTS = _spec(
    "products",
    "产品不属于禁止、限制和淘汰类",
    "Products not prohibited or restricted",
    "第六条（三）",
)
C_INTEGRITY = _spec(
    "integrity", "无重大事故、失信或异常名录", "No major incident or listing", "第六条（四）"
)
C_SCORE = _spec("score", "综合评价得分", "Evaluation score", "第六条（五）", ROUTE)
C_DIRECT = _spec("direct", "直接确认条件", "Direct qualification", "第七条", ROUTE)

_SRC = Source(DOC, "第六条（五）·评价指标")
I_STAFF = ItemSpec("tech_sme.score.st_staff", "科技人员指标", "S&T personnel", "staff", 20, _SRC)
I_RD = ItemSpec("tech_sme.score.rd", "研发投入指标", "R&D input", "rd", 50, _SRC)
I_IP = ItemSpec("tech_sme.score.ip", "科技成果指标", "Technology results (IP)", "ip", 30, _SRC)
CATEGORIES = (
    ("staff", "科技人员", "S&T personnel", 20),
    ("rd", "研发投入", "R&D input", 50),
    ("ip", "科技成果", "Technology results", 30),
)

NOTE_PRIOR_YEAR = note(
    "tech_sme.prior_year",
    NoteKind.MANUAL_REVIEW,
    "⚠ 规模限额和评价指标按上一会计年度数据计算（口径待确认）",
    "⚠ Size limits and the score use the previous accounting year (reading to be confirmed)",
)
NOTE_DEDUCTION_BASIS = note(
    "tech_sme.rd_basis",
    NoteKind.DECISION,
    "研发费用按加计扣除口径归集：其他相关费用不超过 10%，委托研发按 80% 计入，境外委托不超过境内"
    "符合条件研发费用的三分之二",
    "R&D on the super-deduction basis: other costs up to 10%, outsourcing at 80%, overseas "
    "outsourcing up to two thirds of the domestic qualifying expense",
)
NOTE_READINGS = note(
    "tech_sme.readings",
    NoteKind.DECISION,
    "本平台的口径：“近五年”为评价日前五年；省部级以上研发机构含国家、部、省级；直接确认的标准须为企业主导"
    "制定；科技人员按兼职、临时聘用累计工作 6 个月以上计，与高企口径不同时请按本口径申报",
    "Readings used: 'the last five years' end on the assessment date; provincial/ministerial "
    "R&D institutions include national ones; a standard counts for the direct route only if "
    "the enterprise led it; S&T staff count part-timers after six months, so declare the "
    "figure on this basis when it differs from the HNTE one",
)
NOTE_MERGER = note(
    "tech_sme.merger_2026",
    NoteKind.UNCONFIRMED,
    "⚠ 工信部企业〔2026〕2号起科技型与创新型中小企业合并为科技和创新型中小企业；"
    "在新的评价办法公布前仍按 2017 年评价办法计算",
    "⚠ From 2026-04-01 the technology-based and innovative SME titles merge; until a new "
    "evaluation is published the 2017 method is applied",
)


def deduction_rd(rd: RDExpense) -> Decimal:
    """The year's R&D expense on the 加计扣除 basis."""
    five = rd.in_house
    # Divide rather than multiply by a rounded 1/9 or 2/3, so that whole caps stay exact.
    other_cap = five / _NINE
    other = rd.other if rd.other <= other_cap else other_cap
    domestic = five + other + rd.outsourced_domestic * _EIGHTY
    overseas = rd.outsourced_overseas * _EIGHTY
    overseas_cap = domestic * _TWO / _THREE
    return domestic + (overseas if overseas <= overseas_cap else overseas_cap)


def _band(value: Decimal, base: Decimal, bands) -> tuple[int, Decimal | None]:
    """Points for value ÷ base (compared exactly as value ≥ threshold × base)."""
    for threshold, points in bands:
        if value >= threshold * base:
            return points, threshold
    return 0, None


def direct_routes(facts: EnterpriseFacts, day: date) -> tuple[list[tuple[str, str]], list[str]]:
    """The Article 7 routes met, and the fact lists that were not declared."""
    met: list[tuple[str, str]] = []
    unknown = []
    five_years = years_before(day, 5)
    if facts.certifications is None:
        unknown.append("$.certifications")
    elif valid_titles(facts, HNTE_TITLE, day):
        met.append(("拥有有效期内高新技术企业证书", "holds a valid HNTE certificate"))
    if facts.awards is None:
        unknown.append("$.awards")
    elif any(
        a.level is AwardLevel.NATIONAL and a.rank <= 3 and five_years <= a.awarded_on <= day
        for a in facts.awards
    ):
        met.append(("近五年获国家级科技奖励且排名前三", "a national S&T award in 5 years, top 3"))
    if facts.rd_institutions is None:
        unknown.append("$.rd_institutions")
    elif any(r.level in INSTITUTION_LEVELS for r in facts.rd_institutions):
        met.append(("拥有省部级以上研发机构", "a provincial/ministerial-level R&D institution"))
    if facts.standards is None:
        unknown.append("$.standards")
    elif any(
        s.role is StandardRole.LEAD
        and s.level in LEAD_STANDARD_LEVELS
        and five_years <= s.published_on <= day
        for s in facts.standards
    ):
        met.append(
            (
                "近五年主导制定国际、国家或行业标准",
                "led an international/national/industry standard in 5 years",
            )
        )
    return met, unknown


class TechSme2017:
    info = INFO

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            return self._assess(facts, on)

    def _assess(self, facts: EnterpriseFacts, on: date) -> Result:
        day = facts.application_date or on
        latest = day.year - 1
        y = facts.year(latest)
        gaps: list[Gap] = []
        notes: list[Note] = [NOTE_PRIOR_YEAR, NOTE_DEDUCTION_BASIS, NOTE_READINGS]
        if on >= MERGER_DAY:
            notes.append(NOTE_MERGER)
        criteria = []

        # (一) resident enterprise
        if facts.resident is None:
            m = missing_fact("$.resident", "是否境内注册居民企业", "resident enterprise")
            criteria.append(criterion(C_RESIDENT, REVIEW, None, True, m.zh, m.en, False, m.paths))
        elif facts.resident:
            zh, en = (
                "在中国境内（不含港、澳、台）注册的居民企业",
                "Resident enterprise in mainland China",
            )
            criteria.append(criterion(C_RESIDENT, PASS, True, True, zh, en))
        else:
            zh = "不是境内（不含港、澳、台）注册的居民企业"
            en = "Not a resident enterprise registered in mainland China"
            criteria.append(criterion(C_RESIDENT, FAIL, False, True, zh, en))

        # (二) size limits
        criteria.append(self._size(y, latest))

        # (三) products
        if facts.restricted_products is None:
            m = missing_fact(
                "$.restricted_products", "产品是否属于禁止、限制和淘汰类", "product category"
            )
            criteria.append(criterion(C_PRODUCTS, REVIEW, None, False, m.zh, m.en, False, m.paths))
        elif facts.restricted_products:
            zh, en = (
                "产品或服务属于禁止、限制或淘汰类",
                "Products are prohibited, restricted or obsolete",
            )
            criteria.append(criterion(C_PRODUCTS, FAIL, True, False, zh, en))
        else:
            zh, en = (
                "产品和服务不属于禁止、限制和淘汰类",
                "Products are not prohibited or restricted",
            )
            criteria.append(criterion(C_PRODUCTS, PASS, False, False, zh, en))

        # (四) incidents and listings
        criteria.append(self._integrity(facts, day, latest))

        # (五) score, or Article 7
        s, score_c = self._score(facts, y, latest, day, gaps)
        criteria.append(score_c)
        met, unknown = direct_routes(facts, day)
        if met:
            zh = "满足直接确认条件：" + "；".join(z for z, _ in met) + "（无需评分）"
            en = "Direct route: " + "; ".join(e for _, e in met) + " (no score needed)"
            criteria.append(criterion(C_DIRECT, PASS, len(met), 1, zh, en))
        elif unknown:
            zh = "未满足已声明的直接确认条件；缺少数据：" + "、".join(unknown)
            en = "No declared direct route; missing: " + ", ".join(unknown)
            criteria.append(criterion(C_DIRECT, REVIEW, 0, 1, zh, en, False, tuple(unknown)))
        else:
            zh = "不满足直接确认条件（高企证书、国家级科技奖励前三、省部级研发机构、主导制定标准）"
            en = "No direct route (HNTE, national award top 3, provincial R&D unit, led standard)"
            criteria.append(criterion(C_DIRECT, FAIL, 0, 1, zh, en))

        outcome = decide(criteria)
        points = (
            f"{s.min_points}" if s.min_points == s.max_points else f"{s.min_points}–{s.max_points}"
        )
        return result(
            INFO,
            facts.name,
            on,
            day,
            outcome,
            tuple(criteria),
            s,
            tuple(gaps),
            tuple(notes),
            None,
            f"科技型中小企业评价（2017）：{outcome.label_zh}；评价得分 {points} 分",
            f"Technology-based SME (2017): {outcome.label_en}; score {points}",
        )

    def _size(self, y, latest: int):
        values = None if y is None else (y.employees, y.sales, y.total_assets)
        if values is None or None in values:
            names = ("employees", "main_revenue", "total_assets")
            lacking = [
                (latest, n) for i, n in enumerate(names) if values is None or values[i] is None
            ]
            m = missing_year_fields(lacking)
            return criterion(C_SIZE, REVIEW, None, None, m.zh, m.en, False, m.paths)
        employees, sales, assets = values
        ok = employees <= MAX_EMPLOYEES and sales <= MAX_SALES and assets <= MAX_ASSETS
        zh = (
            f"{latest} 年职工总数 {num(employees)} 人（≤ 500）、销售收入 {wan(sales)} 万元（≤ 2 亿"
            "元）、"
            f"资产总额 {wan(assets)} 万元（≤ 2 亿元）：{'均在限额内' if ok else '超过限额'}"
        )
        en = (
            f"{latest}: {num(employees)} employees (≤ 500), sales ¥{wan(sales)}万 (≤ ¥2亿), "
            f"assets ¥{wan(assets)}万 (≤ ¥2亿): {'within' if ok else 'over'} the limits"
        )
        return criterion(C_SIZE, PASS if ok else FAIL, None, None, zh, en)

    def _integrity(self, facts: EnterpriseFacts, day: date, latest: int):
        lacking = []
        if facts.incidents is None:
            lacking.append("$.incidents")
        if facts.listings is None:
            lacking.append("$.listings")
        if lacking:
            zh = "缺少数据：" + "、".join(lacking)
            en = "Missing data: " + ", ".join(lacking)
            return criterion(C_INTEGRITY, REVIEW, None, 0, zh, en, False, tuple(lacking))
        first = date(latest, 1, 1)
        found = incidents_between(facts, INCIDENT_KINDS, first, day)
        listed = [entry.kind for entry in facts.listings if entry.active_on(day)]
        if not found and not listed:
            zh = (
                f"{first} 至 {day} 无重大安全、质量事故、严重环境违法或科研严重失信，未列入经营异"
                "常名录或严重违法失信名单"
            )
            en = (
                f"No major incident or misconduct {first} to {day}; "
                "not on the abnormal or dishonesty lists"
            )
            return criterion(C_INTEGRITY, PASS, 0, 0, zh, en)
        parts_zh, parts_en = [], []
        if found:
            what_zh, what_en = describe_incidents(found)
            parts_zh.append(what_zh)
            parts_en.append(what_en)
        for kind in listed:
            if kind is ListingKind.ABNORMAL_OPERATION:
                parts_zh.append("列入经营异常名录")
                parts_en.append("on the abnormal-operation list")
            else:
                parts_zh.append("列入严重违法失信名单")
                parts_en.append("on the serious-dishonesty list")
        zh = "；".join(parts_zh)
        en = "; ".join(parts_en)
        return criterion(C_INTEGRITY, FAIL, len(found) + len(listed), 0, zh, en)

    def _score(self, facts: EnterpriseFacts, y, latest: int, day: date, gaps: list[Gap]):
        items: list[ScoreItem] = []
        missing: list[Missing] = []

        # 科技人员
        staff_points: int | None = None
        if y is None or y.employees is None or y.st_staff is None or y.employees == 0:
            m = missing_year_fields([(latest, "employees"), (latest, "st_staff")])
            missing.append(m)
            items.append(item(I_STAFF, 0, 20, False, m.zh, m.en))
        else:
            staff_points, _ = _band(y.st_staff, y.employees, STAFF_BANDS)
            ratio = y.st_staff / y.employees
            zh = (
                f"科技人员 {num(y.st_staff)} 人 ÷ 职工总数 {num(y.employees)} 人 = {pct(ratio)}："
                f"{staff_points} 分"
            )
            en = (
                f"{num(y.st_staff)} S&T staff ÷ {num(y.employees)} employees = {pct(ratio)}: "
                f"{staff_points}"
            )
            items.append(item(I_STAFF, staff_points, staff_points, False, zh, en))

        # 研发投入: both ratios, the better one counts
        rd_points: int | None = None
        rd = None if y is None or y.rd is None else deduction_rd(y.rd)
        sales = None if y is None else y.sales
        costs = None if y is None else y.cost_and_expense_total
        if rd is None or ((sales is None or sales == 0) and (costs is None or costs == 0)):
            lacking = [(latest, "rd")] if rd is None else []
            if sales is None:
                lacking.append((latest, "main_revenue"))
            if costs is None:
                lacking.append((latest, "cost_and_expense_total"))
            m = (
                missing_year_fields(lacking)
                if lacking
                else missing_year_fields([(latest, "sales")])
            )
            missing.append(m)
            items.append(item(I_RD, 0, 50, False, m.zh, m.en))
        else:
            parts_zh, parts_en = [], []
            by_sales = by_cost = -1
            if sales:
                by_sales, _ = _band(rd, sales, RD_SALES_BANDS)
                parts_zh.append(f"占销售收入 {pct(rd / sales)}（{by_sales} 分）")
                parts_en.append(f"{pct(rd / sales)} of sales ({by_sales})")
            if costs:
                by_cost, _ = _band(rd, costs, RD_COST_BANDS)
                parts_zh.append(f"占成本费用支出总额 {pct(rd / costs)}（{by_cost} 分）")
                parts_en.append(f"{pct(rd / costs)} of total costs ({by_cost})")
            rd_points = max(by_sales, by_cost)
            if by_sales >= 0 and by_cost >= 0:
                chosen_zh = "销售收入" if by_sales >= by_cost else "成本费用支出总额"
                chosen_en = "sales" if by_sales >= by_cost else "total costs"
                tail_zh = f"；两种口径取较高者（按{chosen_zh}）{rd_points} 分"
                tail_en = f"; the better basis ({chosen_en}) gives {rd_points}"
            else:
                tail_zh = f"；只有一种口径可算：{rd_points} 分"
                tail_en = f"; only one basis available: {rd_points}"
            zh = f"研发费用（加计扣除口径）{wan(rd)} 万元，" + "，".join(parts_zh) + tail_zh
            en = f"R&D (super-deduction basis) ¥{wan(rd)}万: " + ", ".join(parts_en) + tail_en
            items.append(item(I_RD, rd_points, rd_points, False, zh, en))

        # 科技成果 (IP)
        ip_points: int | None = None
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            missing.append(m)
            items.append(item(I_IP, 0, 30, False, m.zh, m.en))
        else:
            ip = count_ip(facts, day, hnte=False, lead_only=False)
            ip_points = 30 if ip.class_i else (0, 6, 12, 18, 24)[min(ip.class_ii, 4)]
            zh = f"有效Ⅰ类知识产权 {ip.class_i} 项、Ⅱ类 {ip.class_ii} 项：{ip_points} 分"
            en = f"{ip.class_i} class I and {ip.class_ii} class II valid rights: {ip_points}"
            items.append(item(I_IP, ip_points, ip_points, False, zh, en))

        cats = []
        low = high = 0
        for it, (code, zh, en, full) in zip(items, CATEGORIES, strict=True):
            cats.append(category(code, zh, en, full, it.min_points, it.max_points))
            low += it.min_points
            high += it.max_points
        s = score(low, high, 100, PASS_MARK, tuple(cats), tuple(items))
        staff_item = items[0]
        span = f"{low}" if low == high else f"{low}–{high}"
        if low >= PASS_MARK and staff_item.min_points > 0:
            status = PASS
            zh = f"得分 {span} 分（≥ 60），科技人员指标不为 0"
            en = f"Score {span} (≥ 60) with a non-zero S&T-personnel score"
        elif high < PASS_MARK or staff_item.max_points == 0:
            status = FAIL
            reasons_zh, reasons_en = [], []
            if high < PASS_MARK:
                reasons_zh.append(f"得分 {span} 分不足 60 分")
                reasons_en.append(f"score {span} is below 60")
            if staff_item.max_points == 0:
                reasons_zh.append("科技人员指标为 0 分")
                reasons_en.append("the S&T-personnel score is 0")
            zh = "；".join(reasons_zh)
            en = "; ".join(reasons_en).capitalize()
        else:
            status = REVIEW
            zh = f"得分 {span} 分，取决于缺少的数据"
            en = f"Score {span}: depends on the missing data"
        if status is not PASS:
            self._score_gaps(y, rd, sales, low, staff_points, rd_points, gaps)
        paths = ()
        if missing:
            zh, en, paths = with_missing(zh, en, missing)
        c = criterion(
            C_SCORE, status, low if low == high else span, PASS_MARK, zh, en, False, paths
        )
        return s, c

    def _score_gaps(self, y, rd, sales, low, staff_points, rd_points, gaps: list[Gap]) -> None:
        short = PASS_MARK - low
        if short > 0:
            gaps.append(
                gap(
                    C_SCORE.code,
                    short,
                    "points",
                    f"评价得分差 {short} 分",
                    f"The score is {short} points short",
                )
            )
        if staff_points == 0 and y is not None:
            people = ceil_int(Decimal("0.10") * y.employees - y.st_staff)
            gaps.append(
                gap(
                    I_STAFF.code,
                    people,
                    "persons",
                    f"科技人员指标为 0：需再有 {people} 名科技人员，使占比达到 10%（4 分）",
                    f"S&T-personnel score 0: {people} more S&T staff to reach 10% (4 points)",
                )
            )
        if rd_points is not None and rd is not None and sales:
            for threshold, points in reversed(RD_SALES_BANDS):
                if points > rd_points:
                    needed = yuan_up(threshold * sales - rd)
                    if needed <= ZERO:
                        continue
                    gaps.append(
                        gap(
                            I_RD.code,
                            needed,
                            "yuan",
                            f"研发费用再增加 {wan_up(needed)} 万元可使研发投入占销售收入达到 "
                            f"{pct(threshold)}（{points} 分，增加 {points - rd_points} 分）",
                            f"¥{wan_up(needed)}万 more R&D lifts R&D to {pct(threshold)} of sales "
                            f"({points} points, +{points - rd_points})",
                        )
                    )
                    break
