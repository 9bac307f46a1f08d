"""高新技术企业认定 (HNTE), 2016 rules: 国科发火〔2016〕32号 Article 11 and the 工作指引
国科发火〔2016〕195号.

All eight conditions of Article 11 must hold (5 with its domestic-share sentence, here "5b").
The innovation-capability score is given as a range: experts award points within bands, and
for some items only an expert can choose the band; the range runs from every open judgement at
its lowest to every one at its highest, and a range that straddles the pass mark needs review.

Readings chosen where the text leaves room (each is also reported in the result when it
applies):

- Time: 当年/最近一年 is the accounting year before the application year; 近三个会计年度 are the
  three years before it, fewer when the enterprise was registered later (the year of
  registration counts as a year of operation even when partial). "The year before the
  application" for incidents is the 365 days up to and including the application date.
- R&D expense per year: the six in-house categories, plus 委托外部研究开发费用 (domestic and
  overseas) at 80%, plus 其他费用 capped at 20% of the total. The total includes 其他费用
  itself, so the cap is a quarter of everything else. The domestic part is the enterprise's
  declared 境内研究开发费用 when given, else the total less overseas outsourcing at 80%.
- A Ⅱ类 right already used in an earlier HNTE application is not counted; Ⅰ类 rights may be
  reused. Co-owned rights count but are flagged (only one owner may use them). Applications
  that are not yet granted do not count.
- Condition 2's "core support" link and condition 3's second-level field are for the experts:
  the machine passes them on the facts and marks them as expert items.
- 知识产权 items "technical advancement" and "core support" need an expert; a declared expert
  or pre-assessment view narrows them to its band. 研究开发组织管理水平's four items are split
  into the elements 工作指引 lists, each worth an equal share of the item (6 = 3 × 2,
  6 = 2 × 3, 4 = 2 × 2, 4 = 4 × 1): a declared element earns from half its share (rounded up)
  to all of it, a denied one nothing, an undeclared one anything from nothing to all of it.
- The standards bonus counts international, national and industry standards the enterprise led
  or joined, at any date before the application.
- 科技成果转化: an average between 0 and 1 conversion a year meets no band and scores 0 (the
  literal reading); flagged. Under three years of operation the average is over the years
  operated (⚠, flagged).
- 企业成长性: g = ½ (V2/V1 + V3/V2) − 1, compared exactly (V2² + V1·V3 against
  2·(1 + t)·V1·V2). V1 = 0 → g = V3/V2 − 1; V2 = 0 → 0 points; g ≤ 0 → 0 points. ⚠ Negative
  net assets in any year give 0 points for net-asset growth; two years of history use
  V2/V1 − 1; one year scores 0 (common practice; all flagged for manual review).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache

from kechuang.core.criteria._common import (
    CONTEXT,
    FAIL,
    ONE,
    PASS,
    REVIEW,
    ZERO,
    IPCount,
    Missing,
    ceil_int,
    co_owned_note,
    count_ip,
    days_before,
    describe_incidents,
    incidents_between,
    missing_fact,
    missing_year_fields,
    num,
    pct,
    pct_label,
    wan,
    wan_up,
    window,
    yuan_up,
)
from kechuang.core.criteria.facts import (
    AdvancementView,
    EnterpriseFacts,
    IncidentKind,
    Management,
    StandardLevel,
    SupportView,
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

DOC = "国科发火〔2016〕32号"
GUIDE = "国科发火〔2016〕195号"

INFO = RuleSetInfo(
    code="hnte",
    name_zh="高新技术企业认定",
    name_en="High and New Technology Enterprise (HNTE) recognition",
    version="2016",
    effective_from=date(2016, 1, 1),
    effective_to=None,
    source=f"{DOC}《高新技术企业认定管理办法》；{GUIDE}《高新技术企业认定管理工作指引》",
)

FIELDS = (
    "电子信息",
    "生物与新医药",
    "航空航天",
    "新材料",
    "高技术服务",
    "新能源与节能",
    "资源与环境",
    "先进制造与自动化",
)
FIELDS_EN = (
    "electronic information",
    "biology and new medicine",
    "aviation and aerospace",
    "new materials",
    "high-tech services",
    "new energy and energy saving",
    "resources and environment",
    "advanced manufacturing and automation",
)

PASS_MARK = 71  # "70分以上（不含70分）", scores are whole points
STAFF_SHARE = Decimal("0.10")
DOMESTIC_SHARE = Decimal("0.60")
INCOME_SHARE = Decimal("0.60")
OUTSOURCED_RATE = Decimal("0.8")
OTHER_CAP_OF_REST = Decimal("0.25")  # 其他 ≤ 20% of a total that includes 其他 ⇔ ≤ ¼ of the rest
SMALL_SALES = Decimal(50_000_000)  # 5,000万元 (inclusive)
MEDIUM_SALES = Decimal(200_000_000)  # 2亿元 (inclusive)
RD_BANDS = ((SMALL_SALES, Decimal("0.05")), (MEDIUM_SALES, Decimal("0.04")))
RD_TOP = Decimal("0.03")
REGISTERED_DAYS = 365
INCIDENT_DAYS = 365
INCIDENT_KINDS = frozenset({IncidentKind.SAFETY, IncidentKind.QUALITY, IncidentKind.ENVIRONMENTAL})
STANDARD_LEVELS = frozenset(
    {StandardLevel.INTERNATIONAL, StandardLevel.NATIONAL, StandardLevel.INDUSTRY}
)
_HALF = Decimal("0.5")
_TWO = Decimal(2)

_RD_THRESHOLD_TEXT = {
    Decimal("0.05"): ("5%（最近一年销售收入 ≤ 5,000 万元）", "5% (latest-year sales ≤ 50 million)"),
    Decimal("0.04"): (
        "4%（最近一年销售收入 5,000 万元至 2 亿元）",
        "4% (latest-year sales 50–200 million)",
    ),
    Decimal("0.03"): ("3%（最近一年销售收入 > 2 亿元）", "3% (latest-year sales > 200 million)"),
}


def _spec(code: str, zh: str, en: str, article: str, group: str = "required") -> CriterionSpec:
    return CriterionSpec(f"hnte.{code}", zh, en, Source(DOC, article), group)


C_REGISTERED = _spec(
    "registered", "注册成立满一年", "Registered for at least a year", "第十一条（一）"
)
C_IP = _spec("ip", "拥有核心知识产权", "Owns core intellectual property", "第十一条（二）")
C_FIELD = _spec(
    "field",
    "属于国家重点支持的高新技术领域",
    "In a state-supported high-tech field",
    "第十一条（三）",
)
C_STAFF = _spec("st_staff", "科技人员占比", "Share of S&T personnel", "第十一条（四）")
C_RD = _spec("rd_ratio", "研究开发费用占比", "R&D expense ratio", "第十一条（五）")
C_DOMESTIC = _spec("rd_domestic", "境内研究开发费用占比", "Domestic share of R&D", "第十一条（五）")
C_INCOME = _spec(
    "high_tech_income", "高新技术产品（服务）收入占比", "High-tech income share", "第十一条（六）"
)
C_SCORE = _spec("score", "企业创新能力评价", "Innovation-capability evaluation", "第十一条（七）")
C_INCIDENTS = _spec(
    "incidents",
    "无重大安全、质量事故或严重环境违法",
    "No major accident or violation",
    "第十一条（八）",
)

_G = "工作指引·企业创新能力评价"


def _item(code: str, zh: str, en: str, cat: str, full: int) -> ItemSpec:
    return ItemSpec(f"hnte.score.{code}", zh, en, cat, full, Source(GUIDE, _G))


I_ADVANCE = _item("ip_advancement", "技术的先进程度", "Technical advancement", "ip", 8)
I_SUPPORT = _item(
    "ip_core_support", "对主要产品的核心支持作用", "Core support to products", "ip", 8
)
I_COUNT = _item("ip_count", "知识产权数量", "Number of IP rights", "ip", 8)
I_METHOD = _item("ip_acquisition", "知识产权获得方式", "How the IP was obtained", "ip", 6)
I_STANDARD = _item("standards", "参与编制标准（加分）", "Standards bonus", "ip", 2)
I_CONVERT = _item("conversion", "科技成果转化能力", "Technology conversion", "conversion", 30)
I_MGMT = (
    _item(
        "management_system",
        "研发组织管理制度与研发费用核算",
        "R&D management and accounts",
        "management",
        6,
    ),
    _item(
        "rd_organisation",
        "研发机构与产学研合作",
        "R&D organisation and cooperation",
        "management",
        6,
    ),
    _item(
        "conversion_system",
        "成果转化激励与创新平台",
        "Conversion incentives and platform",
        "management",
        4,
    ),
    _item(
        "talent_system",
        "人才培养、引进与绩效奖励",
        "Training, recruitment and rewards",
        "management",
        4,
    ),
)
I_NET_ASSETS = _item("net_asset_growth", "净资产增长率", "Net-asset growth", "growth", 10)
I_SALES = _item("sales_growth", "销售收入增长率", "Sales growth", "growth", 10)

CATEGORIES = (
    ("ip", "知识产权", "Intellectual property", 30),
    ("conversion", "科技成果转化能力", "Technology conversion", 30),
    ("management", "研究开发组织管理水平", "R&D organisation and management", 20),
    ("growth", "企业成长性", "Growth", 20),
)

_ADVANCE_BANDS = {
    AdvancementView.HIGH: (7, 8, "高", "high"),
    AdvancementView.FAIRLY_HIGH: (5, 6, "较高", "fairly high"),
    AdvancementView.AVERAGE: (3, 4, "一般", "average"),
    AdvancementView.LOW: (1, 2, "较低", "low"),
    AdvancementView.NONE: (0, 0, "无", "none"),
}
_SUPPORT_BANDS = {
    SupportView.STRONG: (7, 8, "强", "strong"),
    SupportView.FAIRLY_STRONG: (5, 6, "较强", "fairly strong"),
    SupportView.AVERAGE: (3, 4, "一般", "average"),
    SupportView.WEAK: (1, 2, "较弱", "weak"),
    SupportView.NONE: (0, 0, "无", "none"),
}
_GROWTH_BANDS = (
    (Decimal("0.35"), 9, 10),
    (Decimal("0.25"), 7, 8),
    (Decimal("0.15"), 5, 6),
    (Decimal("0.05"), 3, 4),
)
_CONVERSION_BANDS = ((5, 25, 30), (4, 19, 24), (3, 13, 18), (2, 7, 12), (1, 1, 6))

# Elements of each 研究开发组织管理水平 item, as 工作指引 lists them, and the share each is worth.
_MGMT_ELEMENTS = (
    (
        2,
        (
            ("rd_management_system", "研发组织管理制度", "R&D management rules"),
            ("rd_accounting_system", "研发投入核算体系", "R&D cost accounting"),
            ("rd_ledger", "研发费用辅助账", "R&D auxiliary ledger"),
        ),
    ),
    (
        3,
        (
            ("rd_organisation", "内部研发机构及科研条件", "in-house R&D unit and facilities"),
            ("industry_university_cooperation", "产学研合作", "industry–university cooperation"),
        ),
    ),
    (
        2,
        (
            ("conversion_incentives", "成果转化激励奖励制度", "conversion incentive rules"),
            ("open_innovation_platform", "开放式创新创业平台", "open innovation platform"),
        ),
    ),
    (
        1,
        (
            ("talent_training", "科技人员培养进修", "S&T staff development"),
            ("skills_training", "职工技能培训", "skills training"),
            ("talent_recruitment", "优秀人才引进", "talent recruitment"),
            ("performance_rewards", "人才绩效评价奖励", "performance rewards"),
        ),
    ),
)

NOTE_EXPERT_ITEMS = note(
    "hnte.expert_items",
    NoteKind.EXPERT,
    "知识产权对主要产品的核心支持作用、技术领域归属、技术先进程度和研究开发组织管理水平由专家评判；"
    "其余各项机器只能确定分档，档内分值仍由专家打分",
    "The IP's core support to the main products, the field, technical advancement and R&D "
    "management are judged by experts; for the other items the machine fixes the band and "
    "experts choose the points within it",
)


@lru_cache(maxsize=4096)
def field_index(text: str) -> int | None:
    """The first-level field (0–7) a declared field name or code belongs to, if any."""
    value = text.strip()
    if value in FIELDS:
        return FIELDS.index(value)
    head = value.split(".", 1)[0].strip()
    if head.isdigit():
        number = int(head)
        return number - 1 if 1 <= number <= 8 else None
    for index, name in enumerate(FIELDS):
        if value.startswith(name) and value[len(name)] in "/／·-—:： （(":
            return index
    return None


def rd_threshold(latest_sales: Decimal) -> Decimal:
    """5,000万 exactly is in the 5% band; one yuan more is in the 4% band."""
    for ceiling, ratio in RD_BANDS:
        if latest_sales <= ceiling:
            return ratio
    return RD_TOP


def hnte_rd(rd) -> tuple[Decimal, Decimal, bool]:
    """(total, domestic, other-cost cap applied) for one year on the HNTE basis."""
    base = rd.in_house + (rd.outsourced_domestic + rd.outsourced_overseas) * OUTSOURCED_RATE
    cap = base * OTHER_CAP_OF_REST
    capped = rd.other > cap
    total = base + (cap if capped else rd.other)
    if rd.domestic is not None:
        domestic = rd.domestic if rd.domestic < total else total
    else:
        domestic = total - rd.outsourced_overseas * OUTSOURCED_RATE
    return total, domestic, capped


@lru_cache(maxsize=512)
def _management_item(index: int, states: tuple[bool | None, ...]) -> tuple[int, int, str, str]:
    share, elements = _MGMT_ELEMENTS[index]
    low = high = 0
    yes, no, unknown = [], [], []
    for state, (_, zh, en) in zip(states, elements, strict=True):
        if state is None:
            high += share
            unknown.append((zh, en))
        elif state:
            low += (share + 1) // 2
            high += share
            yes.append((zh, en))
        else:
            no.append((zh, en))
    parts_zh, parts_en = [], []
    for label_zh, label_en, group in (
        ("已具备", "has", yes),
        ("不具备", "lacks", no),
        ("未声明", "not declared", unknown),
    ):
        if group:
            parts_zh.append(label_zh + "：" + "、".join(zh for zh, _ in group))
            parts_en.append(label_en + ": " + ", ".join(en for _, en in group))
    zh = "；".join(parts_zh) + f"（每项 {share} 分，专家评判）"
    en = "; ".join(parts_en) + f" ({share} points per element, expert judgement)"
    return low, high, zh, en


def _management(m: Management | None) -> list[ScoreItem]:
    made = []
    for index, (_, elements) in enumerate(_MGMT_ELEMENTS):
        if m is None:
            states = (None,) * len(elements)
        else:
            states = tuple(getattr(m, name) for name, _, _ in elements)
        low, high, zh, en = _management_item(index, states)
        made.append(item(I_MGMT[index], low, high, True, zh, en))
    return made


def growth_band(values: list[Decimal]) -> tuple[int, int, Decimal | None, str, str, bool]:
    """Points (low, high), g, explanation and whether a ⚠ reading was used, for V1..V3."""
    if len(values) < 2:
        return 0, 0, None, "经营不足两年，按 0 分计（⚠ 通行做法）", "Under two years: 0 (⚠)", True
    if len(values) == 2:
        v1, v2 = values
        if v1 == 0:
            zh, en = "两年数据且首年为 0，按 0 分计（⚠）", "Two years, first is 0: 0 points (⚠)"
            return 0, 0, None, zh, en, True
        g = v2 / v1 - ONE
        low, high = _band(v2, v1, g)
        return (
            low,
            high,
            g,
            f"两年数据，g = V2/V1 − 1 = {pct(g)}（⚠ 通行做法）",
            (f"two years, g = V2/V1 − 1 = {pct(g)} (⚠ common practice)"),
            True,
        )
    v1, v2, v3 = values
    if v2 == 0:
        return 0, 0, None, "第二年为 0，按 0 分计", "Second year is 0: 0 points", False
    if v1 == 0:
        g = v3 / v2 - ONE
        low, high = _band(v3, v2, g)
        zh = f"第一年为 0，按后两年计算：g = V3/V2 − 1 = {pct(g)}"
        return low, high, g, zh, f"first year is 0, g = V3/V2 − 1 = {pct(g)}", False
    numerator = v2 * v2 + v1 * v3
    denominator = _TWO * v1 * v2
    g = numerator / denominator - ONE
    low, high = _band(numerator, denominator, g)
    return low, high, g, f"g = ½(V2/V1 + V3/V2) − 1 = {pct(g)}", f"g = {pct(g)}", False


def _band(numerator: Decimal, denominator: Decimal, g: Decimal) -> tuple[int, int]:
    # g ≥ t ⇔ numerator ≥ (1 + t) × denominator, compared exactly (denominator > 0).
    for threshold, low, high in _GROWTH_BANDS:
        if numerator >= (ONE + threshold) * denominator:
            return low, high
    return (1, 2) if numerator > denominator else (0, 0)


class Hnte2016:
    info = INFO

    def assess(self, facts: EnterpriseFacts, on: date) -> Result:
        with localcontext(CONTEXT):
            return self._assess(facts, on)

    def _assess(self, facts: EnterpriseFacts, on: date) -> Result:
        day = facts.application_date or on
        latest = day.year - 1
        years = window(facts, day)
        notes: list[Note] = []
        gaps: list[Gap] = []
        criteria: list[Criterion] = []
        add = criteria.append

        add(self._registered(facts, day, gaps))
        ip = count_ip(facts, day, hnte=True, lead_only=False)
        add(self._ip(facts, ip, gaps, notes))
        add(self._field(facts))
        add(self._staff(facts, latest, gaps))
        rd, domestic = self._rd(facts, years, gaps, notes)
        add(rd)
        add(domestic)
        add(self._income(facts, latest, gaps))
        score_, score_criterion = self._score(facts, day, years, ip, gaps, notes)
        add(score_criterion)
        add(self._incidents(facts, day, gaps))

        notes.append(NOTE_EXPERT_ITEMS)
        outcome = decide(criteria)
        points = (
            f"{score_.min_points}"
            if score_.min_points == score_.max_points
            else (f"{score_.min_points}–{score_.max_points}")
        )
        return result(
            INFO,
            facts.name,
            on,
            day,
            outcome,
            tuple(criteria),
            score_,
            tuple(gaps),
            tuple(notes),
            None,
            f"高新技术企业认定（2016）：{outcome.label_zh}；创新能力评价 {points} 分",
            f"HNTE (2016): {outcome.label_en}; innovation score {points}",
        )

    # -- the eight conditions ---------------------------------------------------------------

    def _registered(self, facts: EnterpriseFacts, day: date, gaps: list[Gap]) -> Criterion:
        registered = facts.registered_on
        if registered is None:
            m = missing_fact("$.registered_on", "注册成立日期", "registration date")
            return criterion(
                C_REGISTERED, REVIEW, None, REGISTERED_DAYS, m.zh, m.en, False, m.paths
            )
        days = (day - registered).days
        ok = days >= REGISTERED_DAYS
        zh = (
            f"{registered} 注册成立，至申请日 {day} 共 {days} 天，"
            f"{'满足' if ok else '不足'} {REGISTERED_DAYS} 天"
        )
        en = (
            f"Registered on {registered}, {days} days before the application date {day}; "
            f"{'meets' if ok else 'short of'} {REGISTERED_DAYS} days"
        )
        if not ok:
            earliest = registered + timedelta(days=REGISTERED_DAYS)
            short = REGISTERED_DAYS - days
            gaps.append(
                gap(
                    C_REGISTERED.code,
                    short,
                    "days",
                    f"注册成立还差 {short} 天满一年：最早可于 {earliest} 申请",
                    f"{short} more days to a full year: apply on {earliest} at the earliest",
                )
            )
        return criterion(C_REGISTERED, PASS if ok else FAIL, days, REGISTERED_DAYS, zh, en)

    def _ip(self, facts: EnterpriseFacts, ip: IPCount, gaps: list[Gap], notes: list[Note]):
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            return criterion(C_IP, REVIEW, None, 1, m.zh, m.en, False, m.paths)
        n = ip.total
        reused = (
            f"；另有 {ip.reused_class_ii} 项Ⅱ类已用于以往申请，不再计入"
            if ip.reused_class_ii
            else ""
        )
        reused_en = (
            f"; {ip.reused_class_ii} class II right(s) used in an earlier application not counted"
            if ip.reused_class_ii
            else ""
        )
        if ip.co_owned:
            notes.append(co_owned_note(ip))
        if n:
            zh = (
                f"有效且已授权的Ⅰ类知识产权 {ip.class_i} 项、Ⅱ类 {ip.class_ii} 项{reused}；"
                "对主要产品的核心支持作用需专家判断"
            )
            en = (
                f"{ip.class_i} class I and {ip.class_ii} class II valid granted rights{reused_en}; "
                "their core support to the main products is for the experts"
            )
            return criterion(C_IP, PASS, n, 1, zh, en, True)
        gaps.append(
            gap(
                C_IP.code,
                1,
                "ip_rights",
                "需至少取得 1 项有效的自有Ⅰ类或Ⅱ类知识产权（已授权）",
                "Needs at least 1 valid granted class I or class II right of its own",
            )
        )
        zh = f"没有可计入的有效知识产权{reused}"
        en = f"No valid granted IP right that counts{reused_en}"
        return criterion(C_IP, FAIL, 0, 1, zh, en)

    def _field(self, facts: EnterpriseFacts) -> Criterion:
        declared = facts.high_tech_field
        if declared is None:
            m = missing_fact("$.high_tech_field", "技术领域", "high-tech field")
            return criterion(C_FIELD, REVIEW, None, "8 个一级领域", m.zh, m.en, False, m.paths)
        index = field_index(declared)
        if index is None:
            zh = f"申报领域“{declared}”不属于八大领域（{'、'.join(FIELDS)}）"
            en = f"The declared field '{declared}' is not one of the eight first-level fields"
            return criterion(C_FIELD, FAIL, declared, "8 个一级领域", zh, en)
        zh = f"申报领域“{declared}”属于“{FIELDS[index]}”；具体技术归属由专家确认"
        en = f"'{declared}' is in '{FIELDS_EN[index]}'; the experts confirm the technology fits"
        return criterion(C_FIELD, PASS, declared, "8 个一级领域", zh, en, True)

    def _staff(self, facts: EnterpriseFacts, latest: int, gaps: list[Gap]) -> Criterion:
        y = facts.year(latest)
        if y is None or y.employees is None or y.st_staff is None:
            wanted = [(latest, "employees"), (latest, "st_staff")]
            if y is not None:
                wanted = [p for p in wanted if getattr(y, p[1]) is None]
            m = missing_year_fields(wanted)
            return criterion(C_STAFF, REVIEW, None, STAFF_SHARE, m.zh, m.en, False, m.paths)
        employees, staff = y.employees, y.st_staff
        if y.employees_pair_sum is not None and y.st_staff_pair_sum is not None:
            # Both averages come from monthly figures: compare the exact sums.
            employees_n, staff_n, scale = y.employees_pair_sum, y.st_staff_pair_sum, Decimal(24)
        else:
            employees_n, staff_n, scale = employees, staff, ONE
        if employees_n == 0:
            zh = f"{latest} 年职工总数为 0，无法计算比例"
            en = f"The {latest} employee count is 0; no ratio"
            return criterion(C_STAFF, REVIEW, None, STAFF_SHARE, zh, en)
        ratio = staff_n / employees_n
        ok = staff_n >= STAFF_SHARE * employees_n
        zh = (
            f"{latest} 年科技人员 {num(staff)} 人 ÷ 职工总数 {num(employees)} 人 = {pct(ratio)}，"
            f"{'不低于' if ok else '低于'} 10%"
        )
        en = (
            f"{latest}: {num(staff)} S&T staff ÷ {num(employees)} employees = {pct(ratio)}, "
            f"{'at least' if ok else 'below'} 10%"
        )
        if not ok:
            short = (STAFF_SHARE * employees_n - staff_n) / scale
            people = ceil_int(short)
            hires = ceil_int(short / (ONE - STAFF_SHARE))
            gaps.append(
                gap(
                    C_STAFF.code,
                    people,
                    "persons",
                    f"科技人员占比 {pct(ratio)} < 10%：需再有 {people} 名现有职工从事研发及相关技术"
                    f"创新活动（全年月平均），或新聘 {hires} 名科技人员",
                    f"S&T staff {pct(ratio)} < 10%: {people} more of the current employees in R&D "
                    f"work (yearly average), or {hires} new S&T hires",
                )
            )
        return criterion(C_STAFF, PASS if ok else FAIL, ratio, STAFF_SHARE, zh, en)

    def _rd(self, facts: EnterpriseFacts, years, gaps: list[Gap], notes: list[Note]):
        lacking = []
        total_rd = total_domestic = total_sales = ZERO
        capped_years = []
        for year in years:
            y = facts.year(year)
            if y is None:
                lacking.append((year, "main_revenue"))
                lacking.append((year, "rd"))
                continue
            sales = y.sales
            if sales is None:
                lacking.append((year, "main_revenue"))
            else:
                total_sales += sales
            if y.rd is None:
                lacking.append((year, "rd"))
            else:
                rd, domestic, capped = hnte_rd(y.rd)
                total_rd += rd
                total_domestic += domestic
                if capped:
                    capped_years.append(year)
        span = f"{years[0]}–{years[-1]}" if years else "—"
        if lacking or not years:
            m = missing_year_fields(lacking) if lacking else Missing((), "尚无会计年度", "No year")
            return (
                criterion(C_RD, REVIEW, None, None, m.zh, m.en, False, m.paths),
                criterion(C_DOMESTIC, REVIEW, None, DOMESTIC_SHARE, m.zh, m.en, False, m.paths),
            )
        if capped_years:
            notes.append(
                note(
                    "hnte.other_cap",
                    NoteKind.DECISION,
                    f"{'、'.join(map(str, capped_years))} 年其他费用超过研发费用总额的 20%，"
                    "超出部分不计入（限额 = 其余各项合计 × 25%）",
                    f"Other R&D costs above 20% of the total in {', '.join(map(str, capped_years))} "
                    "were left out (cap = 25% of the other categories)",
                )
            )
        latest_sales = facts.year(years[-1]).sales
        threshold = rd_threshold(latest_sales)
        t_zh, t_en = _RD_THRESHOLD_TEXT[threshold]
        n = len(years)
        if total_sales == 0:
            zh = f"{span} 年销售收入合计为 0，无法计算研发费用占比"
            en = f"Sales {span} total 0; the ratio cannot be computed"
            rd_c = criterion(C_RD, REVIEW, None, threshold, zh, en)
        else:
            ratio = total_rd / total_sales
            ok = total_rd >= threshold * total_sales
            zh = (
                f"{span} 年（{n} 年）研发费用 {wan(total_rd)} 万元 ÷ 销售收入 {wan(total_sales)} 万元"
                f" = {pct(ratio)}，标准 {t_zh}"
            )
            en = (
                f"{span} ({n} years): R&D ¥{wan(total_rd)}万 ÷ sales ¥{wan(total_sales)}万 = "
                f"{pct(ratio)}; threshold {t_en}"
            )
            if not ok:
                needed = yuan_up(threshold * total_sales - total_rd)
                gaps.append(
                    gap(
                        C_RD.code,
                        needed,
                        "yuan",
                        f"研发费用占比 {pct(ratio)} < {pct_label(threshold)}：{span} 年需再增加研发费用 "
                        f"{wan_up(needed)} 万元（{needed} 元，按自行研发全额计入；委托外部研发只计 80%，"
                        f"须支出 {wan_up(needed / OUTSOURCED_RATE)} 万元）",
                        f"R&D {pct(ratio)} of sales < {pct_label(threshold)}: ¥{wan_up(needed)}万 "
                        f"(¥{needed}) more R&D over {span}, spent in-house (outsourced R&D counts at "
                        f"80%, so ¥{wan_up(needed / OUTSOURCED_RATE)}万 if outsourced)",
                    )
                )
            rd_c = criterion(C_RD, PASS if ok else FAIL, ratio, threshold, zh, en)
        if total_rd == 0:
            zh, en = "没有研发费用，境内占比无从谈起", "No R&D expense, so no domestic share"
            return rd_c, criterion(C_DOMESTIC, FAIL, None, DOMESTIC_SHARE, zh, en)
        share = total_domestic / total_rd
        ok = total_domestic >= DOMESTIC_SHARE * total_rd
        zh = (
            f"{span} 年境内研发费用 {wan(total_domestic)} 万元 ÷ 研发费用 {wan(total_rd)} 万元 = "
            f"{pct(share)}，{'不低于' if ok else '低于'} 60%"
        )
        en = (
            f"{span}: domestic R&D ¥{wan(total_domestic)}万 ÷ R&D ¥{wan(total_rd)}万 = "
            f"{pct(share)}, {'at least' if ok else 'below'} 60%"
        )
        if not ok:
            needed = yuan_up((DOMESTIC_SHARE * total_rd - total_domestic) / (ONE - DOMESTIC_SHARE))
            gaps.append(
                gap(
                    C_DOMESTIC.code,
                    needed,
                    "yuan",
                    f"境内研发费用占比 {pct(share)} < 60%：{span} 年需再增加境内研发费用 {wan_up(needed)} 万元",
                    f"Domestic R&D {pct(share)} < 60%: ¥{wan_up(needed)}万 more R&D in China over {span}",
                )
            )
        return rd_c, criterion(C_DOMESTIC, PASS if ok else FAIL, share, DOMESTIC_SHARE, zh, en)

    def _income(self, facts: EnterpriseFacts, latest: int, gaps: list[Gap]) -> Criterion:
        y = facts.year(latest)
        if y is None or y.total_income is None or y.high_tech_income is None:
            wanted = [(latest, "total_income"), (latest, "high_tech_income")]
            if y is not None:
                wanted = [p for p in wanted if getattr(y, p[1]) is None]
            m = missing_year_fields(wanted)
            return criterion(C_INCOME, REVIEW, None, INCOME_SHARE, m.zh, m.en, False, m.paths)
        total = y.total_income - y.non_taxable_income
        high = y.high_tech_income
        if total <= 0:
            zh = f"{latest} 年总收入（收入总额 − 不征税收入）不为正，无法计算比例"
            en = f"{latest} total income (less non-taxable income) is not positive"
            return criterion(C_INCOME, REVIEW, None, INCOME_SHARE, zh, en)
        share = high / total
        ok = high >= INCOME_SHARE * total
        zh = (
            f"{latest} 年高新技术产品（服务）收入 {wan(high)} 万元 ÷ 总收入 {wan(total)} 万元"
            f"（收入总额 {wan(y.total_income)} − 不征税收入 {wan(y.non_taxable_income)}）= "
            f"{pct(share)}，{'不低于' if ok else '低于'} 60%"
        )
        en = (
            f"{latest}: high-tech income ¥{wan(high)}万 ÷ total income ¥{wan(total)}万 (income "
            f"¥{wan(y.total_income)}万 less non-taxable ¥{wan(y.non_taxable_income)}万) = "
            f"{pct(share)}, {'at least' if ok else 'below'} 60%"
        )
        if not ok:
            shift = yuan_up(INCOME_SHARE * total - high)
            new = yuan_up((INCOME_SHARE * total - high) / (ONE - INCOME_SHARE))
            gaps.append(
                gap(
                    C_INCOME.code,
                    shift,
                    "yuan",
                    f"高新收入占比 {pct(share)} < 60%：需有 {wan_up(shift)} 万元现有收入属于高新技术"
                    f"产品（服务），或新增高新收入 {wan_up(new)} 万元",
                    f"High-tech income {pct(share)} < 60%: ¥{wan_up(shift)}万 of current income "
                    f"must be high-tech, or ¥{wan_up(new)}万 of new high-tech income",
                )
            )
        return criterion(C_INCOME, PASS if ok else FAIL, share, INCOME_SHARE, zh, en)

    def _incidents(self, facts: EnterpriseFacts, day: date, gaps: list[Gap]) -> Criterion:
        if facts.incidents is None:
            m = missing_fact("$.incidents", "安全、质量、环境事故记录", "record of incidents")
            return criterion(C_INCIDENTS, REVIEW, None, 0, m.zh, m.en, False, m.paths)
        first = days_before(day, INCIDENT_DAYS)
        found = incidents_between(facts, INCIDENT_KINDS, first, day)
        if not found:
            zh = f"{first} 至 {day} 未发生重大安全、重大质量事故或严重环境违法行为"
            en = f"No major safety or quality accident or serious environmental violation {first} to {day}"
            return criterion(C_INCIDENTS, PASS, 0, 0, zh, en)
        what_zh, what_en = describe_incidents(found)
        last = max(d for _, d in found)
        clear = last + timedelta(days=INCIDENT_DAYS + 1)
        gaps.append(
            gap(
                C_INCIDENTS.code,
                (clear - day).days,
                "days",
                f"申请前一年内有事故：须待 {clear} 及以后申请",
                f"An incident within the year before: apply on {clear} or later",
            )
        )
        zh = f"申请前一年内（{first} 至 {day}）发生：{what_zh}"
        en = f"Within the year before the application ({first} to {day}): {what_en}"
        return criterion(C_INCIDENTS, FAIL, len(found), 0, zh, en)

    # -- the innovation-capability score ----------------------------------------------------

    def _score(self, facts, day: date, years, ip: IPCount, gaps: list[Gap], notes: list[Note]):
        items: list[ScoreItem] = []
        missing: list[str] = []
        n = ip.total
        views = facts.expert_views

        # 知识产权
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            missing.extend(m.paths)
            for spec in (I_ADVANCE, I_SUPPORT, I_COUNT, I_METHOD):
                items.append(item(spec, 0, spec.full_marks, True, m.zh, m.en))
        else:
            for spec, view, bands in (
                (I_ADVANCE, views and views.ip_advancement, _ADVANCE_BANDS),
                (I_SUPPORT, views and views.ip_core_support, _SUPPORT_BANDS),
            ):
                if n == 0:
                    items.append(item(spec, 0, 0, False, "无可计入的知识产权", "No IP that counts"))
                elif view:
                    low, high, zh, en = bands[view]
                    items.append(
                        item(
                            spec,
                            low,
                            high,
                            True,
                            f"按已提供的专家（预评）判断“{zh}”：{low}–{high} 分",
                            f"By the declared expert view '{en}': {low}–{high}",
                        )
                    )
                else:
                    items.append(
                        item(
                            spec,
                            0,
                            spec.full_marks,
                            True,
                            f"由专家评判：0–{spec.full_marks} 分",
                            f"Expert judgement: 0–{spec.full_marks}",
                        )
                    )
            items.append(self._ip_count(ip, gaps))
            if n == 0:
                items.append(item(I_METHOD, 0, 0, False, "无知识产权", "No IP"))
            elif ip.self_developed:
                zh = f"{ip.self_developed} 项为自主研发：1–6 分"
                items.append(
                    item(I_METHOD, 1, 6, False, zh, f"{ip.self_developed} self-developed: 1–6")
                )
            else:
                zh, en = (
                    "仅有受让、受赠或并购所得：1–3 分",
                    "Only transferred, donated or merged: 1–3",
                )
                items.append(item(I_METHOD, 1, 3, False, zh, en))
        if facts.standards is None:
            m = missing_fact("$.standards", "参与编制标准情况", "standards work")
            missing.extend(m.paths)
            items.append(item(I_STANDARD, 0, 2, False, m.zh, m.en))
        else:
            count = 0
            for s in facts.standards:
                if s.level in STANDARD_LEVELS and s.published_on <= day:
                    count += 1
            if count:
                zh = (
                    f"参与编制国际、国家或行业标准 {count} 项：1–2 分（知识产权合计仍以 30 分为限）"
                )
                en = f"{count} international, national or industry standard(s): 1–2 (IP capped at 30)"
                items.append(item(I_STANDARD, 1, 2, False, zh, en))
            else:
                zh, en = "未参与编制国家或行业标准：0 分", "No national or industry standard: 0"
                items.append(item(I_STANDARD, 0, 0, False, zh, en))

        # 科技成果转化能力
        items.append(self._conversion(facts, years, missing, notes))
        # 研究开发组织管理水平
        items.extend(_management(facts.management))
        # 企业成长性
        items.extend(self._growth(facts, years, missing, notes))

        sums = {"ip": [0, 0], "conversion": [0, 0], "management": [0, 0], "growth": [0, 0]}
        for it in items:
            pair = sums[it.category]
            pair[0] += it.min_points
            pair[1] += it.max_points
        cats = []
        low = high = 0
        for code, zh, en, cap in CATEGORIES:
            a, b = sums[code]
            a, b = min(a, cap), min(b, cap)
            low += a
            high += b
            cats.append(category(code, zh, en, cap, a, b))
        s = score(low, high, 100, PASS_MARK, tuple(cats), tuple(items))

        experts = "、".join(it.name_zh for it in items if it.expert)
        experts_en = ", ".join(it.name_en.lower() for it in items if it.expert)
        span = f"{low}" if low == high else f"{low}–{high}"
        if low >= PASS_MARK:
            status = PASS
            zh = f"评分 {span} 分，最低也达到 {PASS_MARK} 分"
            en = f"Score {span}: at least {PASS_MARK} even at the lowest"
        elif high < PASS_MARK:
            status = FAIL
            short = PASS_MARK - high
            zh = f"评分 {span} 分，最高也不足 {PASS_MARK} 分（70 分以上，不含 70 分）"
            en = f"Score {span}: below {PASS_MARK} even at the highest (more than 70 needed)"
            gaps.append(
                gap(
                    C_SCORE.code,
                    short,
                    "points",
                    f"创新能力评价即使按最高分计也差 {short} 分",
                    f"The innovation score is {short} points short even at its highest",
                )
            )
        else:
            status = REVIEW
            short = PASS_MARK - low
            zh = f"评分 {span} 分，跨越 {PASS_MARK} 分线，取决于专家评分"
            en = f"Score {span} straddles {PASS_MARK}: it depends on the experts"
            gaps.append(
                gap(
                    C_SCORE.code,
                    short,
                    "points",
                    f"按最保守评分差 {short} 分；需专家判断：{experts}",
                    f"{short} points short at the most conservative; experts decide: {experts_en}",
                )
            )
        if experts:
            zh += f"；需专家判断：{experts}"
            en += f"; expert items: {experts_en}"
        c = criterion(
            C_SCORE,
            status,
            s.min_points if low == high else f"{low}–{high}",
            PASS_MARK,
            zh,
            en,
            bool(experts),
            tuple(missing),
        )
        return s, c

    def _ip_count(self, ip: IPCount, gaps: list[Gap]) -> ScoreItem:
        i, ii = ip.class_i, ip.class_ii
        if i:
            low, high = 7, 8
        elif ii >= 5:
            low, high = 5, 6
        elif ii >= 3:
            low, high = 3, 4
        elif ii >= 1:
            low, high = 1, 2
        else:
            low = high = 0
        zh = f"Ⅰ类 {i} 项、Ⅱ类 {ii} 项：{low}–{high} 分"
        en = f"{i} class I, {ii} class II: {low}–{high}"
        if not i:
            gaps.append(
                gap(
                    I_COUNT.code,
                    1,
                    "ip_class_i",
                    f"再取得 1 项Ⅰ类知识产权可使“知识产权数量”由 {low}–{high} 分升至 7–8 分"
                    + (f"（或再有 {5 - ii} 项Ⅱ类升至 5–6 分）" if ii < 5 else ""),
                    f"One class I right would lift 'number of IP' from {low}–{high} to 7–8"
                    + (f" (or {5 - ii} more class II to 5–6)" if ii < 5 else ""),
                )
            )
        return item(I_COUNT, low, high, False, zh, en)

    def _conversion(self, facts, years, missing: list[str], notes: list[Note]) -> ScoreItem:
        counts = []
        lacking = []
        for year in years:
            y = facts.year(year)
            if y is None or y.conversions is None:
                lacking.append((year, "conversions"))
            else:
                counts.append(y.conversions)
        if lacking or not years:
            m = missing_year_fields(lacking) if lacking else Missing((), "尚无会计年度", "No year")
            missing.extend(m.paths)
            return item(I_CONVERT, 0, 30, False, m.zh, m.en)
        total = sum(counts)
        n = len(years)
        average = Decimal(total) / n
        if n < 3:
            notes.append(
                note(
                    "hnte.conversion_years",
                    NoteKind.MANUAL_REVIEW,
                    f"经营不足三年：科技成果转化按实际经营 {n} 年平均（⚠ 待人工复核）",
                    f"Under three years of operation: conversions averaged over {n} year(s) (⚠)",
                )
            )
        low = high = 0
        for threshold, a, b in _CONVERSION_BANDS:
            if average >= threshold:
                low, high = a, b
                break
        if 0 < average < 1:
            notes.append(
                note(
                    "hnte.conversion_below_one",
                    NoteKind.MANUAL_REVIEW,
                    f"年均转化 {num(average)} 项，介于 0 与 1 项之间，工作指引未列此档；按字面取 0 分",
                    f"{num(average)} conversions a year lies between the 0 and 1 bands; "
                    "scored 0 on the literal reading",
                )
            )
        zh = f"近 {n} 年转化 {total} 项，年均 {num(average)} 项：{low}–{high} 分"
        en = f"{total} conversions in {n} year(s), {num(average)} a year: {low}–{high}"
        return item(I_CONVERT, low, high, False, zh, en)

    def _growth(self, facts, years, missing: list[str], notes: list[Note]) -> list[ScoreItem]:
        made = []
        for spec, name in ((I_NET_ASSETS, "net_assets"), (I_SALES, "sales")):
            values, lacking = [], []
            for year in years:
                y = facts.year(year)
                value = None if y is None else (y.net_assets if name == "net_assets" else y.sales)
                if value is None:
                    lacking.append((year, "main_revenue" if name == "sales" else name))
                else:
                    values.append(value)
            if lacking:
                m = missing_year_fields(lacking)
                missing.extend(m.paths)
                made.append(item(spec, 0, spec.full_marks, False, m.zh, m.en))
                continue
            if name == "net_assets" and any(v < 0 for v in values):
                notes.append(
                    note(
                        "hnte.negative_net_assets",
                        NoteKind.MANUAL_REVIEW,
                        "近三年净资产出现负值：净资产增长率按 0 分计（⚠ 通行做法，待人工复核）",
                        "Negative net assets in the window: net-asset growth scores 0 "
                        "(⚠ common practice, review by hand)",
                    )
                )
                zh, en = "净资产为负：按 0 分计（⚠）", "Negative net assets: 0 points (⚠)"
                made.append(item(spec, 0, 0, False, zh, en))
                continue
            low, high, _, zh, en, flagged = growth_band(values)
            if flagged:
                notes.append(
                    note(
                        f"hnte.short_history.{name}",
                        NoteKind.MANUAL_REVIEW,
                        f"{spec.name_zh}：经营不足三年，{zh}",
                        f"{spec.name_en}: under three years of history, {en}",
                    )
                )
            label = "、".join(wan(v) for v in values)
            made.append(
                item(
                    spec,
                    low,
                    high,
                    False,
                    f"{label} 万元；{zh}：{low}–{high} 分",
                    f"¥{label}万; {en}: {low}–{high}",
                )
            )
        return made
