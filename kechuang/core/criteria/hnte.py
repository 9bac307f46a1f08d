"""高新技术企业认定 (HNTE), 2016 rules: 国科发火〔2016〕32号 Article 11 and the 工作指引
国科发火〔2016〕195号.

All eight conditions of Article 11 must hold (5 with its domestic-share sentence, here "5b").
The innovation-capability score is given as a range: experts award points within bands, and
for some items only an expert can choose the band; the range runs from every open judgement at
its lowest to every one at its highest, and a range that straddles the pass mark needs review.

The application date (for every window) is ``facts.application_date``, else the assessment
date. A fact that is missing makes its criterion (or score item) need review, naming the fact.

Readings chosen where the text leaves room, with the note each result carries:

- Time: 当年/最近一年 is the accounting year before the application year; 近三个会计年度 are the
  three years before it, fewer when the enterprise was registered later (the year of
  registration counts as a year of operation even when partial). "The year before the
  application" for incidents is the 365 days up to and including the application date.
  (``hnte.readings``, on every result.)
- R&D expense per year: the six in-house categories, plus 委托外部研究开发费用 (domestic and
  overseas) at 80%, plus 其他费用 capped at 20% of the total. The total includes 其他费用
  itself, so the cap is a quarter of everything else (``hnte.other_cap`` when it bites). The
  domestic part is the enterprise's declared 境内研究开发费用 when given, else the total less
  overseas outsourcing at 80% (``hnte.domestic_estimated`` when that estimate matters).
- A Ⅱ类 right already used in an earlier HNTE application is not counted (said in the
  explanation); Ⅰ类 rights may be reused. Co-owned rights count (``co_owned_ip``: only one
  owner may use them). Applications that are not yet granted do not count.
- Condition 2's "core support" link and condition 3's second-level field are for the experts:
  the machine passes them on the facts and flags the criteria ``expert``.
- 知识产权 items "technical advancement" and "core support" need an expert; a declared expert
  or pre-assessment view narrows them to its band (``hnte.declared_views``). The four items of
  研究开发组织管理水平 are split into the elements 工作指引 lists, each worth an equal share of
  the item (6 = 3 × 2, 6 = 2 × 3, 4 = 2 × 2, 4 = 4 × 1): a declared element earns from half its
  share (rounded up) to all of it, a denied one nothing, an undeclared one anything from
  nothing to all of it. (``hnte.expert_items``, ``hnte.readings``.)
- The standards bonus counts international, national and industry standards the enterprise led
  or joined, at any date before the application.
- 科技成果转化: an average between 0 and 1 conversion a year meets no band and scores 0 (the
  literal reading; ``hnte.conversion_below_one``). ⚠ Under three years of operation the
  average is over the years operated (``hnte.conversion_years``).
- 企业成长性: g = ½ (V2/V1 + V3/V2) − 1, compared exactly (V2² + V1·V3 against
  2·(1 + t)·V1·V2). V1 = 0 → g = V3/V2 − 1; V2 = 0 → 0 points; g ≤ 0 → 0 points. ⚠ Negative
  net assets in any year give 0 points for net-asset growth (``hnte.negative_net_assets``);
  two years of history use V2/V1 − 1, one year scores 0 (``hnte.short_history.*``); both are
  common practice, flagged for manual review.
- The score passes at 71 or more ("70分以上（不含70分）", whole points); a range with its lowest
  end below 71 and its highest at 71 or more needs review.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache

from kechuang.core.criteria._common import (
    CONTEXT,
    FAIL,
    HUNDRED,
    ONE,
    PASS,
    REVIEW,
    WAN,
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
    wan_up,
    window,
    with_missing,
    yuan_up,
)
from kechuang.core.criteria.facts import (
    AdvancementView,
    EnterpriseFacts,
    IncidentKind,
    Management,
    StandardLevel,
    SupportView,
    YearFigures,
)
from kechuang.core.criteria.result import (
    Criterion,
    CriterionSpec,
    Gap,
    ItemSpec,
    Note,
    NoteKind,
    Outcome,
    Result,
    RuleSetInfo,
    ScoreCategory,
    ScoreItem,
    Source,
    Status,
    category,
    criterion,
    decide_required,
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
# Tuples, not sets: membership in a tuple tests identity first and never hashes the members
# (an enum member's hash is computed in Python, which the hot path notices).
INCIDENT_KINDS = (IncidentKind.SAFETY, IncidentKind.QUALITY, IncidentKind.ENVIRONMENTAL)
STANDARD_LEVELS = (StandardLevel.INTERNATIONAL, StandardLevel.NATIONAL, StandardLevel.INDUSTRY)
_HALF = Decimal("0.5")
_TWO = Decimal(2)

_RD_THRESHOLD_TEXT = {
    Decimal("0.05"): ("5%（最近一年销售收入 ≤ 5,000 万元）", "5% (latest-year sales ≤ ¥5,000万)"),
    Decimal("0.04"): (
        "4%（最近一年销售收入 5,000 万元至 2 亿元）",
        "4% (latest-year sales ¥5,000万–2亿)",
    ),
    Decimal("0.03"): ("3%（最近一年销售收入 > 2 亿元）", "3% (latest-year sales > ¥2亿)"),
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

NOTE_READINGS = note(
    "hnte.readings",
    NoteKind.DECISION,
    "本平台的口径：最近一年为申请日前一个会计年度，近三年为其前三个会计年度"
    "（注册当年计为经营年度）；申请前一年为申请日前 365 天（含当日）；研发费用按八类归集，"
    "委托外部研发按 80%、其他费用不超过总额的 20% 计入；Ⅱ类知识产权仅用于一次申请；"
    "研究开发组织管理水平按所列要素均分，已具备要素得其分值的一半至全部；"
    "标准加分计国际、国家、行业标准",
    "Readings used: the latest year is the accounting year before the application, the three "
    "years the three before it (the year of registration counts); the year before the "
    "application is the 365 days up to it; R&D by the eight categories with outsourcing at 80% "
    "and other costs up to 20% of the total; class II IP serves one application; R&D management "
    "items are shared equally among their elements, a declared element earning half to all of "
    "its share; the standards bonus counts international, national and industry standards",
)
NOTE_DOMESTIC_ESTIMATED = note(
    "hnte.domestic_estimated",
    NoteKind.DECISION,
    "未申报境内研究开发费用：按研发费用总额减委托境外研发（按 80%）估算，请以专项审计为准",
    "Domestic R&D not declared: estimated as the total less overseas outsourcing at 80%; the "
    "special audit prevails",
)
NOTE_DECLARED_VIEWS = note(
    "hnte.declared_views",
    NoteKind.EXPERT,
    "技术先进程度、核心支持作用按已提供的专家（预评）判断取档，未经本平台核实",
    "Technical advancement and core support take the bands of the declared expert "
    "(pre-assessment) views, which the platform has not verified",
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


# The score items below are pure functions of a few small values (counts, declared views, the
# management elements), so they are memoised: the same inputs give the same immutable items, and
# an assessment mostly looks them up instead of formatting them again.


@lru_cache(maxsize=512)
def _management_item(index: int, states: tuple[bool | None, ...]) -> ScoreItem:
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
    en = (
        "; ".join(parts_en)
        + f" ({share} point{'s' if share > 1 else ''} per element, expert's call)"
    )
    return item(I_MGMT[index], low, high, True, zh, en)


def management_items(m: Management | None) -> tuple[ScoreItem, ...]:
    return _management_items(_UNDECLARED if m is None else m.states)


_UNDECLARED = (None,) * 11


@lru_cache(maxsize=4096)
def _management_items(states: tuple[bool | None, ...]) -> tuple[ScoreItem, ...]:
    # The elements run through the four items in order (3 + 2 + 2 + 4 = 11).
    made = []
    start = 0
    for index, (_, elements) in enumerate(_MGMT_ELEMENTS):
        made.append(_management_item(index, states[start : start + len(elements)]))
        start += len(elements)
    return tuple(made)


@lru_cache(maxsize=64)
def _view_item(which: int, view: str | None, has_ip: bool) -> ScoreItem:
    """``view`` is the declared view's value: strings hash in C, enum members in Python."""
    spec = (I_ADVANCE, I_SUPPORT)[which]
    if not has_ip:
        return item(spec, 0, 0, False, "无可计入的知识产权：0 分", "No IP that counts: 0")
    if view is None:
        full = spec.full_marks
        return item(spec, 0, full, True, f"由专家评判：0–{full} 分", f"Expert judgement: 0–{full}")
    bands = _ADVANCE_BANDS if which == 0 else _SUPPORT_BANDS
    low, high, zh, en = bands[(AdvancementView if which == 0 else SupportView)(view)]
    return item(
        spec,
        low,
        high,
        True,
        f"按已提供的专家（预评）判断“{zh}”：{low}–{high} 分",
        f"By the declared expert view '{en}': {low}–{high}",
    )


@lru_cache(maxsize=4096)
def _ip_items(
    class_i: int, class_ii: int, self_developed: int, advancement: str | None, support: str | None
) -> tuple[tuple[ScoreItem, ...], Gap | None]:
    """The four IP items other than the standards bonus, and the advice on the IP count."""
    has_ip = class_i + class_ii > 0
    count_item, advice = _count_item(class_i, class_ii)
    return (
        _view_item(0, advancement, has_ip),
        _view_item(1, support, has_ip),
        count_item,
        _method_item(has_ip, self_developed),
    ), advice


@lru_cache(maxsize=1024)
def _count_item(class_i: int, class_ii: int) -> tuple[ScoreItem, Gap | None]:
    if class_i:
        low, high = 7, 8
    elif class_ii >= 5:
        low, high = 5, 6
    elif class_ii >= 3:
        low, high = 3, 4
    elif class_ii >= 1:
        low, high = 1, 2
    else:
        low = high = 0
    zh = f"Ⅰ类 {class_i} 项、Ⅱ类 {class_ii} 项：{low}–{high} 分"
    en = f"{class_i} class I, {class_ii} class II: {low}–{high}"
    advice = None
    if not class_i:
        more = 5 - class_ii
        advice = gap(
            I_COUNT.code,
            1,
            "ip_class_i",
            f"再取得 1 项Ⅰ类知识产权可使“知识产权数量”由 {low}–{high} 分升至 7–8 分"
            + (f"（或再取得 {more} 项Ⅱ类升至 5–6 分）" if more > 0 else ""),
            f"One class I right would lift 'number of IP' from {low}–{high} to 7–8"
            + (f" (or {more} more class II to 5–6)" if more > 0 else ""),
        )
    return item(I_COUNT, low, high, False, zh, en), advice


@lru_cache(maxsize=256)
def _method_item(has_ip: bool, self_developed: int) -> ScoreItem:
    if not has_ip:
        return item(I_METHOD, 0, 0, False, "无知识产权：0 分", "No IP: 0")
    if self_developed:
        zh = f"{self_developed} 项为自主研发：1–6 分"
        return item(I_METHOD, 1, 6, False, zh, f"{self_developed} self-developed: 1–6")
    zh, en = "仅有受让、受赠或并购所得：1–3 分", "Only transferred, donated or merged: 1–3"
    return item(I_METHOD, 1, 3, False, zh, en)


_MISSING_STANDARDS = missing_fact("$.standards", "参与编制标准情况", "standards work")


@lru_cache(maxsize=64)
def _standard_item(count: int | None) -> ScoreItem:
    if count is None:
        m = _MISSING_STANDARDS
        return item(I_STANDARD, 0, 2, False, m.zh, m.en)
    if count:
        zh = f"参与编制国际、国家或行业标准 {count} 项：1–2 分（知识产权合计仍以 30 分为限）"
        en = f"{count} international, national or industry standard(s): 1–2 (IP capped at 30)"
        return item(I_STANDARD, 1, 2, False, zh, en)
    zh, en = "未参与编制国家或行业标准：0 分", "No national or industry standard: 0"
    return item(I_STANDARD, 0, 0, False, zh, en)


@lru_cache(maxsize=1024)
def _conversion_item(total: int, years: int) -> tuple[ScoreItem, tuple[Note, ...]]:
    average = Decimal(total) / years
    notes = []
    if years < 3:
        notes.append(
            note(
                "hnte.conversion_years",
                NoteKind.MANUAL_REVIEW,
                f"经营不足三年：科技成果转化按实际经营 {years} 年平均（⚠ 待人工复核）",
                f"Under three years of operation: conversions averaged over {years} year(s) (⚠)",
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
    zh = f"近 {years} 年转化 {total} 项，年均 {num(average)} 项：{low}–{high} 分"
    en = f"{total} conversions in {years} year(s), {num(average)} a year: {low}–{high}"
    return item(I_CONVERT, low, high, False, zh, en), tuple(notes)


# Category subtotals by (category, low, high): at most 4 × 31 × 31 entries, so a plain dict.
_CATEGORY_CACHE: dict[tuple[int, int, int], ScoreCategory] = {}


def _category(index: int, low: int, high: int) -> ScoreCategory:
    key = (index, low, high)
    made = _CATEGORY_CACHE.get(key)
    if made is None:
        code, zh, en, cap = CATEGORIES[index]
        made = _CATEGORY_CACHE[key] = category(code, zh, en, cap, low, high)
    return made


@lru_cache(maxsize=16384)
def _score_verdict(
    low: int, high: int, ip_experts: tuple[bool, bool, bool, bool]
) -> tuple[Status, str, str, Gap | None]:
    """Status, explanation and gap for a score range, given which IP items need an expert."""
    experts = [k for k, flag in enumerate(ip_experts) if flag] + [6, 7, 8, 9]
    names_zh = "、".join(_ITEM_NAMES[i][0] for i in experts)
    names_en = ", ".join(_ITEM_NAMES[i][1] for i in experts)
    span = f"{low}" if low == high else f"{low}–{high}"
    advice = None
    if low >= PASS_MARK:
        status = PASS
        zh = f"评分 {span} 分，最低也达到 {PASS_MARK} 分"
        en = f"Score {span}: at least {PASS_MARK} even at the lowest"
    elif high < PASS_MARK:
        status = FAIL
        short = PASS_MARK - high
        zh = f"评分 {span} 分，最高也不足 {PASS_MARK} 分（须 70 分以上，不含 70 分）"
        en = f"Score {span}: below {PASS_MARK} even at the highest (more than 70 needed)"
        advice = gap(
            C_SCORE.code,
            short,
            "points",
            f"创新能力评价即使按最高分计也差 {short} 分",
            f"The innovation score is {short} points short even at its highest",
        )
    else:
        status = REVIEW
        short = PASS_MARK - low
        zh = f"评分 {span} 分，跨越 {PASS_MARK} 分线，取决于专家评分"
        en = f"Score {span} straddles {PASS_MARK}: it depends on the experts"
        advice = gap(
            C_SCORE.code,
            short,
            "points",
            f"按最保守评分差 {short} 分；需专家判断：{names_zh}",
            f"{short} points short at the most conservative; experts decide: {names_en}",
        )
    if experts:
        zh += f"；需专家判断：{names_zh}"
        en += f"; expert items: {names_en}"
    return status, zh, en, advice


@lru_cache(maxsize=4096)
def _no_incident(day: date) -> Criterion:
    first = days_before(day, INCIDENT_DAYS)
    zh = f"{first} 至 {day} 未发生重大安全、重大质量事故或严重环境违法行为"
    en = f"No major accident or serious environmental violation from {first} to {day}"
    return criterion(C_INCIDENTS, PASS, 0, 0, zh, en)


_ITEM_ORDER = (I_ADVANCE, I_SUPPORT, I_COUNT, I_METHOD, I_STANDARD, I_CONVERT, *I_MGMT)
_ITEM_NAMES = tuple((spec.name_zh, spec.name_en) for spec in _ITEM_ORDER)


def growth_band(values: list[Decimal]) -> tuple[int, int, str, str, bool]:
    """Points (low, high), explanation and whether a ⚠ reading was used, for V1..V3."""
    if len(values) == 3:
        return (*_three_years(*values), False)
    if len(values) < 2:
        zh, en = "经营不足两年，按 0 分计（⚠ 通行做法）", "under two years: 0 (⚠ common practice)"
        return 0, 0, zh, en, True
    v1, v2 = values
    if v1 == 0:
        zh, en = "两年数据且首年为 0，按 0 分计（⚠）", "two years, the first 0: 0 (⚠)"
        return 0, 0, zh, en, True
    low, high = _band(v2, v1)
    r = pct(v2 / v1 - ONE)
    zh = f"两年数据，g = V2/V1 − 1 = {r}（⚠ 通行做法）：{low}–{high} 分"
    return low, high, zh, f"two years, g = V2/V1 − 1 = {r} (⚠): {low}–{high}", True


def _three_years(v1: Decimal, v2: Decimal, v3: Decimal) -> tuple[int, int, str, str]:
    if v2 == 0:
        return 0, 0, "第二年为 0，按 0 分计", "the second year is 0: 0"
    if v1 == 0:
        numerator, denominator = v3, v2
        zh, en = "第一年为 0，按后两年计算：g = V3/V2 − 1", "the first year is 0, g = V3/V2 − 1"
    else:
        numerator = v2 * v2 + v1 * v3
        denominator = _TWO * v1 * v2
        zh = en = "g = ½(V2/V1 + V3/V2) − 1"
    low, high = _band(numerator, denominator)
    r = pct(numerator / denominator - ONE)
    return low, high, f"{zh} = {r}：{low}–{high} 分", f"{en} = {r}: {low}–{high}"


def _growth_item(spec: ItemSpec, v1: Decimal, v2: Decimal, v3: Decimal) -> ScoreItem:
    low, high, zh, en = _three_years(v1, v2, v3)
    return item(spec, low, high, False, zh, en)


# (1 + t) for each band's lower bound t, so that a band test is one multiplication.
_GROWTH_FACTORS = tuple((ONE + t, low, high) for t, low, high in _GROWTH_BANDS)


def _band(numerator: Decimal, denominator: Decimal) -> tuple[int, int]:
    # g ≥ t ⇔ numerator ≥ (1 + t) × denominator, compared exactly (denominator > 0).
    for factor, low, high in _GROWTH_FACTORS:
        if numerator >= factor * denominator:
            return low, high
    return (1, 2) if numerator > denominator else (0, 0)


_NEGATIVE_NET_ASSETS = note(
    "hnte.negative_net_assets",
    NoteKind.MANUAL_REVIEW,
    "近三年净资产出现负值：净资产增长率按 0 分计（⚠ 通行做法，待人工复核）",
    "Negative net assets in the window: net-asset growth scores 0 (⚠ common practice, review)",
)
_NEGATIVE_ITEM = item(
    I_NET_ASSETS, 0, 0, False, "净资产为负：按 0 分计（⚠）", "Negative net assets: 0 (⚠)"
)


@lru_cache(maxsize=16384)
def _registration(registered: date, day: date) -> tuple[Criterion, Gap | None]:
    days = (day - registered).days
    ok = days >= REGISTERED_DAYS
    r, d = registered.isoformat(), day.isoformat()
    zh = f"{r} 注册成立，至申请日 {d} 共 {days} 天，{'满足' if ok else '不足'} 365 天"
    en = (
        f"Registered on {r}, {days} days before the application date {d}; "
        f"{'meets' if ok else 'short of'} 365 days"
    )
    advice = None
    if not ok:
        earliest = registered + timedelta(days=REGISTERED_DAYS)
        short = REGISTERED_DAYS - days
        advice = gap(
            C_REGISTERED.code,
            short,
            "days",
            f"注册成立还差 {short} 天满一年：最早可于 {earliest} 申请",
            f"{short} more days to a full year: apply on {earliest} at the earliest",
        )
    return criterion(C_REGISTERED, PASS if ok else FAIL, days, REGISTERED_DAYS, zh, en), advice


def _rd_band(latest_sales: Decimal) -> tuple[Decimal, str, str, str]:
    """rd_threshold with its wording (zh, en) and label, without hashing the Decimal."""
    for ceiling, band in _RD_BANDS_TEXT:
        if latest_sales <= ceiling:
            return band
    return _RD_TOP_TEXT


@lru_cache(maxsize=256)
def _span(first: int, last: int) -> str:
    return f"{first}–{last}"


_PCT = {ratio: pct_label(ratio) for _, ratio in RD_BANDS} | {RD_TOP: pct_label(RD_TOP)}


_RD_BANDS_TEXT = tuple(
    (ceiling, (ratio, *_RD_THRESHOLD_TEXT[ratio], _PCT[ratio])) for ceiling, ratio in RD_BANDS
)
_RD_TOP_TEXT = (RD_TOP, *_RD_THRESHOLD_TEXT[RD_TOP], _PCT[RD_TOP])


@lru_cache(maxsize=64)
def _other_cap_note(years: tuple[int, ...]) -> Note:
    return note(
        "hnte.other_cap",
        NoteKind.DECISION,
        f"{'、'.join(map(str, years))} 年其他费用超过研发费用总额的 20%，超出部分不计入"
        "（限额 = 其余各项合计 × 25%）",
        f"Other R&D costs above 20% of the total in {', '.join(map(str, years))} were left out "
        "(cap = 25% of the other categories)",
    )


@lru_cache(maxsize=1024)
def _ip_criterion(class_i: int, class_ii: int, reused: int) -> tuple[Criterion, Gap | None]:
    zh_reused = f"；另有 {reused} 项Ⅱ类已用于以往申请，不再计入" if reused else ""
    en_reused = (
        f"; {reused} class II right(s) used in an earlier application not counted" if reused else ""
    )
    if class_i + class_ii:
        zh = (
            f"有效且已授权的Ⅰ类知识产权 {class_i} 项、Ⅱ类 {class_ii} 项{zh_reused}；"
            "对主要产品的核心支持作用需专家判断"
        )
        en = (
            f"{class_i} class I and {class_ii} class II valid granted rights{en_reused}; "
            "their core support to the main products is for the experts"
        )
        return criterion(C_IP, PASS, class_i + class_ii, 1, zh, en, True), None
    advice = gap(
        C_IP.code,
        1,
        "ip_rights",
        "需至少取得 1 项有效的自有Ⅰ类或Ⅱ类知识产权（已授权）",
        "Needs at least 1 valid granted class I or class II right of its own",
    )
    zh = f"没有可计入的有效知识产权{zh_reused}"
    en = f"No valid granted IP right that counts{en_reused}"
    return criterion(C_IP, FAIL, 0, 1, zh, en), advice


@lru_cache(maxsize=1024)
def _field_criterion(declared: str) -> Criterion:
    index = field_index(declared)
    if index is None:
        zh = f"申报领域“{declared}”不属于八大领域（{'、'.join(FIELDS)}）"
        en = f"The declared field '{declared}' is not one of the eight first-level fields"
        return criterion(C_FIELD, FAIL, declared, "8 个一级领域", zh, en)
    zh = f"申报领域“{declared}”属于“{FIELDS[index]}”；具体技术归属由专家确认"
    en = f"'{declared}' is in '{FIELDS_EN[index]}'; the experts confirm the technology fits"
    return criterion(C_FIELD, PASS, declared, "8 个一级领域", zh, en, True)


@lru_cache(maxsize=32768)
def _summary(outcome_value: str, low: int, high: int) -> tuple[str, str]:
    # Keyed by the outcome's value: a string hashes in C, an enum member in Python.
    outcome = Outcome(outcome_value)
    points = f"{low}" if low == high else f"{low}–{high}"
    return (
        f"高新技术企业认定（2016）：{outcome.label_zh}；创新能力评价 {points} 分",
        f"HNTE (2016): {outcome.label_en}; innovation score {points}",
    )


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

        # The window's figures are looked up once and shared by the criteria that need them.
        figures = [facts.year(year) for year in years]
        last = figures[-1] if years and years[-1] == latest else facts.year(latest)

        add(self._registered(facts, day, gaps))
        ip = count_ip(facts, day, hnte=True, lead_only=False)
        add(self._ip(facts, ip, gaps, notes))
        add(self._field(facts))
        add(self._staff(last, latest, gaps))
        rd, domestic = self._rd(years, figures, gaps, notes)
        add(rd)
        add(domestic)
        add(self._income(last, latest, gaps))
        score_, score_criterion = self._score(facts, day, years, figures, ip, gaps, notes)
        add(score_criterion)
        add(self._incidents(facts, day, gaps))

        notes.append(NOTE_EXPERT_ITEMS)
        notes.append(NOTE_READINGS)
        outcome = decide_required(criteria)
        summary_zh, summary_en = _summary(outcome._value_, score_.min_points, score_.max_points)
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
            summary_zh,
            summary_en,
        )

    # -- the eight conditions ---------------------------------------------------------------

    def _registered(self, facts: EnterpriseFacts, day: date, gaps: list[Gap]) -> Criterion:
        registered = facts.registered_on
        if registered is None:
            m = missing_fact("$.registered_on", "注册成立日期", "registration date")
            return criterion(
                C_REGISTERED, REVIEW, None, REGISTERED_DAYS, m.zh, m.en, False, m.paths
            )
        made, advice = _registration(registered, day)
        if advice is not None:
            gaps.append(advice)
        return made

    def _ip(self, facts: EnterpriseFacts, ip: IPCount, gaps: list[Gap], notes: list[Note]):
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            return criterion(C_IP, REVIEW, None, 1, m.zh, m.en, False, m.paths)
        if ip.co_owned:
            notes.append(co_owned_note(ip))
        made, advice = _ip_criterion(ip.class_i, ip.class_ii, ip.reused_class_ii)
        if advice is not None:
            gaps.append(advice)
        return made

    def _field(self, facts: EnterpriseFacts) -> Criterion:
        declared = facts.high_tech_field
        if declared is None:
            m = missing_fact("$.high_tech_field", "技术领域", "high-tech field")
            return criterion(C_FIELD, REVIEW, None, "8 个一级领域", m.zh, m.en, False, m.paths)
        return _field_criterion(declared)

    def _staff(self, y: YearFigures | None, latest: int, gaps: list[Gap]) -> Criterion:
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
        t, e, r = num(staff), num(employees), f"{ratio * HUNDRED:.2f}%"
        zh = f"{latest} 年科技人员 {t} 人 ÷ 职工总数 {e} 人 = {r}，{'不低于' if ok else '低于'} 10%"
        en = f"{latest}: {t} S&T staff ÷ {e} employees = {r}, {'at least' if ok else 'below'} 10%"
        if not ok:
            short = (STAFF_SHARE * employees_n - staff_n) / scale
            people = ceil_int(short)
            hires = ceil_int(short / (ONE - STAFF_SHARE))
            gaps.append(
                gap(
                    C_STAFF.code,
                    people,
                    "persons",
                    f"科技人员占比 {r} < 10%：需再有 {people} 名现有职工从事研发及相关技术"
                    f"创新活动（全年月平均），或新聘 {hires} 名科技人员",
                    f"S&T staff {r} < 10%: {people} more of the current employees in R&D "
                    f"work (yearly average), or {hires} new S&T hires",
                )
            )
        return criterion(C_STAFF, PASS if ok else FAIL, ratio, STAFF_SHARE, zh, en)

    def _rd(self, years, figures, gaps: list[Gap], notes: list[Note]):
        total_rd = total_domestic = total_sales = ZERO
        capped_years = []
        estimated = False
        rate, quarter = OUTSOURCED_RATE, OTHER_CAP_OF_REST
        for year, y in zip(years, figures):  # noqa: B905 - equal lengths by construction
            if y is None or y.sales is None or y.rd is None:
                return self._rd_missing(years, figures)
            total_sales += y.sales
            rd = y.rd
            # The HNTE basis: outsourced at 80%, 其他费用 up to a quarter of the rest.
            base = rd.in_house + rd.outsourced * rate
            cap = base * quarter
            other = rd.other
            if other > cap:
                other = cap
                capped_years.append(year)
            total = base + other
            total_rd += total
            declared = rd.domestic
            if declared is None:
                overseas = rd.outsourced_overseas
                if overseas:
                    estimated = True
                total_domestic += total - overseas * rate
            else:
                total_domestic += declared if declared < total else total
        if not years:
            return self._rd_missing(years, figures)
        span = _span(years[0], years[-1])
        if capped_years:
            notes.append(_other_cap_note(tuple(capped_years)))
        if estimated:
            notes.append(NOTE_DOMESTIC_ESTIMATED)
        threshold, t_zh, t_en, t = _rd_band(figures[-1].sales)
        n = len(years)
        # wan() and pct() written out: these run in every assessment (a ratio is never -0).
        rd_text = f"{total_rd / WAN:,.2f}"
        if total_sales == 0:
            zh = f"{span} 年销售收入合计为 0，无法计算研发费用占比"
            en = f"Sales {span} total 0; the ratio cannot be computed"
            rd_c = criterion(C_RD, REVIEW, None, threshold, zh, en)
        else:
            ratio = total_rd / total_sales
            ok = total_rd >= threshold * total_sales
            r, s = f"{ratio * HUNDRED:.2f}%", f"{total_sales / WAN:,.2f}"
            zh = (
                f"{span} 年（{n} 年）研发费用 {rd_text} 万元 ÷ 销售收入 {s} 万元 = {r}，标准 {t_zh}"
            )
            en = f"{span} ({n} years): R&D ¥{rd_text}万 ÷ sales ¥{s}万 = {r}; threshold {t_en}"
            if not ok:
                needed = yuan_up(threshold * total_sales - total_rd)
                w, wo = wan_up(needed), wan_up(needed / OUTSOURCED_RATE)
                gaps.append(
                    gap(
                        C_RD.code,
                        needed,
                        "yuan",
                        f"研发费用占比 {r} < {t}：{span} 年需再增加研发费用 {w} 万元（{needed} 元，"
                        f"按自行研发全额计入；委托外部研发只计 80%，须支出 {wo} 万元）",
                        f"R&D {r} of sales < {t}: ¥{w}万 (¥{needed}) more R&D over {span}, spent "
                        f"in-house (outsourced R&D counts at 80%, so ¥{wo}万 if outsourced)",
                    )
                )
            rd_c = criterion(C_RD, PASS if ok else FAIL, ratio, threshold, zh, en)
        if total_rd == 0:
            zh, en = "没有研发费用，境内占比无从谈起", "No R&D expense, so no domestic share"
            return rd_c, criterion(C_DOMESTIC, FAIL, None, DOMESTIC_SHARE, zh, en)
        share = total_domestic / total_rd
        ok = total_domestic >= DOMESTIC_SHARE * total_rd
        d, r = f"{total_domestic / WAN:,.2f}", f"{share * HUNDRED:.2f}%"
        zh = (
            f"{span} 年境内研发费用 {d} 万元 ÷ 研发费用 {rd_text} 万元 = {r}，"
            f"{'不低于' if ok else '低于'} 60%"
        )
        en = (
            f"{span}: domestic R&D ¥{d}万 ÷ R&D ¥{rd_text}万 = {r}, "
            f"{'at least' if ok else 'below'} 60%"
        )
        if not ok:
            needed = yuan_up((DOMESTIC_SHARE * total_rd - total_domestic) / (ONE - DOMESTIC_SHARE))
            w = wan_up(needed)
            gaps.append(
                gap(
                    C_DOMESTIC.code,
                    needed,
                    "yuan",
                    f"境内研发费用占比 {r} < 60%：{span} 年需再增加境内研发费用 {w} 万元",
                    f"Domestic R&D {r} < 60%: ¥{w}万 more R&D in China over {span}",
                )
            )
        return rd_c, criterion(C_DOMESTIC, PASS if ok else FAIL, share, DOMESTIC_SHARE, zh, en)

    def _rd_missing(self, years, figures) -> tuple[Criterion, Criterion]:
        lacking = []
        for year, y in zip(years, figures):  # noqa: B905 - equal lengths by construction
            if y is None or y.sales is None:
                lacking.append((year, "main_revenue"))
            if y is None or y.rd is None:
                lacking.append((year, "rd"))
        m = missing_year_fields(lacking) if lacking else Missing((), "尚无会计年度", "No year")
        return (
            criterion(C_RD, REVIEW, None, None, m.zh, m.en, False, m.paths),
            criterion(C_DOMESTIC, REVIEW, None, DOMESTIC_SHARE, m.zh, m.en, False, m.paths),
        )

    def _income(self, y: YearFigures | None, latest: int, gaps: list[Gap]) -> Criterion:
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
        h, t, r = f"{high / WAN:,.2f}", f"{total / WAN:,.2f}", f"{share * HUNDRED:.2f}%"
        if y.non_taxable_income:
            g, x = f"{y.total_income / WAN:,.2f}", f"{y.non_taxable_income / WAN:,.2f}"
            how_zh = f"（收入总额 {g} − 不征税收入 {x}）"
            how_en = f" (income ¥{g}万 less non-taxable ¥{x}万)"
        else:
            how_zh, how_en = "（无不征税收入）", " (no non-taxable income)"
        zh = (
            f"{latest} 年高新技术产品（服务）收入 {h} 万元 ÷ 总收入 {t} 万元{how_zh}= {r}，"
            f"{'不低于' if ok else '低于'} 60%"
        )
        en = (
            f"{latest}: high-tech income ¥{h}万 ÷ total income ¥{t}万{how_en} = {r}, "
            f"{'at least' if ok else 'below'} 60%"
        )
        if not ok:
            short = INCOME_SHARE * total - high
            shift = yuan_up(short)
            w, wn = wan_up(shift), wan_up(short / (ONE - INCOME_SHARE))
            gaps.append(
                gap(
                    C_INCOME.code,
                    shift,
                    "yuan",
                    f"高新收入占比 {r} < 60%：需有 {w} 万元现有收入属于高新技术产品（服务），"
                    f"或新增高新收入 {wn} 万元",
                    f"High-tech income {r} < 60%: ¥{w}万 of current income must be high-tech, "
                    f"or ¥{wn}万 of new high-tech income",
                )
            )
        return criterion(C_INCOME, PASS if ok else FAIL, share, INCOME_SHARE, zh, en)

    def _incidents(self, facts: EnterpriseFacts, day: date, gaps: list[Gap]) -> Criterion:
        if facts.incidents is None:
            m = missing_fact("$.incidents", "安全、质量、环境事故记录", "record of incidents")
            return criterion(C_INCIDENTS, REVIEW, None, 0, m.zh, m.en, False, m.paths)
        if not facts.incidents:
            return _no_incident(day)
        first = days_before(day, INCIDENT_DAYS)
        found = incidents_between(facts, INCIDENT_KINDS, first, day)
        if not found:
            return _no_incident(day)
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

    def _score(self, facts, day: date, years, figures, ip: IPCount, gaps, notes: list[Note]):
        missing: list[Missing] = []
        n = ip.total
        if facts.ip is None:
            m = missing_fact("$.ip", "知识产权清单", "list of IP rights")
            missing.append(m)
            items = tuple(
                item(spec, 0, spec.full_marks, True, m.zh, m.en)
                for spec in (I_ADVANCE, I_SUPPORT, I_COUNT, I_METHOD)
            )
        else:
            views = facts.expert_views
            advancement = views.ip_advancement if views else None
            support = views.ip_core_support if views else None
            if n and (advancement or support):
                notes.append(NOTE_DECLARED_VIEWS)
            four, advice = _ip_items(
                ip.class_i,
                ip.class_ii,
                ip.self_developed,
                advancement._value_ if advancement else None,
                support._value_ if support else None,
            )
            if advice is not None:
                gaps.append(advice)
            items = four
        if facts.standards is None:
            missing.append(_MISSING_STANDARDS)
            standard = _standard_item(None)
        else:
            count = 0
            for s in facts.standards:
                if s.level in STANDARD_LEVELS and s.published_on <= day:
                    count += 1
            standard = _standard_item(count)
        items = (
            *items,
            standard,
            self._conversion(years, figures, missing, notes),
            *management_items(facts.management),
            *self._growth(years, figures, missing, notes),
        )

        # Item order is fixed: five IP items, conversion, four management items, two growth items.
        i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11 = items
        ip_low = i0.min_points + i1.min_points + i2.min_points + i3.min_points + i4.min_points
        ip_high = i0.max_points + i1.max_points + i2.max_points + i3.max_points + i4.max_points
        ip_low, ip_high = min(ip_low, 30), min(ip_high, 30)
        m_low = i6.min_points + i7.min_points + i8.min_points + i9.min_points
        m_high = i6.max_points + i7.max_points + i8.max_points + i9.max_points
        g_low, g_high = i10.min_points + i11.min_points, i10.max_points + i11.max_points
        low = ip_low + i5.min_points + m_low + g_low
        high = ip_high + i5.max_points + m_high + g_high
        cats = (
            _category(0, ip_low, ip_high),
            _category(1, i5.min_points, i5.max_points),
            _category(2, m_low, m_high),
            _category(3, g_low, g_high),
        )
        s = score(low, high, 100, PASS_MARK, cats, items)
        status, zh, en, advice = _score_verdict(
            low, high, (i0.expert, i1.expert, i2.expert, i3.expert)
        )
        if advice is not None:
            gaps.append(advice)
        actual = low if low == high else f"{low}–{high}"
        # The management items always need an expert, so the criterion always carries the flag.
        paths = ()
        if missing:
            zh, en, paths = with_missing(zh, en, missing)
        c = criterion(C_SCORE, status, actual, PASS_MARK, zh, en, True, paths)
        return s, c

    def _conversion(self, years, figures, missing: list[Missing], notes: list[Note]) -> ScoreItem:
        total = 0
        lacking = []
        for year, y in zip(years, figures, strict=True):
            if y is None or y.conversions is None:
                lacking.append((year, "conversions"))
            else:
                total += y.conversions
        if lacking or not years:
            m = missing_year_fields(lacking) if lacking else Missing((), "尚无会计年度", "No year")
            missing.append(m)
            return item(I_CONVERT, 0, 30, False, m.zh, m.en)
        made, extra = _conversion_item(total, len(years))
        notes.extend(extra)
        return made

    def _growth(self, years, figures, missing: list[Missing], notes: list[Note]) -> list[ScoreItem]:
        if len(figures) == 3 and None not in figures:
            # The usual case, three complete years and no negative net assets, without lists.
            y1, y2, y3 = figures
            a1, a2, a3 = y1.net_assets, y2.net_assets, y3.net_assets
            s1, s2, s3 = y1.sales, y2.sales, y3.sales
            if (
                a1 is not None
                and a2 is not None
                and a3 is not None
                and s1 is not None
                and s2 is not None
                and s3 is not None
                and a1 >= 0
                and a2 >= 0
                and a3 >= 0
            ):
                return [_growth_item(I_NET_ASSETS, a1, a2, a3), _growth_item(I_SALES, s1, s2, s3)]
        assets, sales, lacking = [], [], []
        negative = False
        for year, y in zip(years, figures, strict=True):
            if y is None:
                lacking.append((year, "net_assets"))
                lacking.append((year, "main_revenue"))
                continue
            value = y.net_assets
            if value is None:
                lacking.append((year, "net_assets"))
            else:
                if value < 0:
                    negative = True
                assets.append(value)
            value = y.sales
            if value is None:
                lacking.append((year, "main_revenue"))
            else:
                sales.append(value)
        made = []
        for spec, name, values in (
            (I_NET_ASSETS, "net_assets", assets),
            (I_SALES, "main_revenue", sales),
        ):
            if len(values) < len(years):
                m = missing_year_fields([pair for pair in lacking if pair[1] == name])
                missing.append(m)
                made.append(item(spec, 0, spec.full_marks, False, m.zh, m.en))
                continue
            if negative and spec is I_NET_ASSETS:
                notes.append(_NEGATIVE_NET_ASSETS)
                made.append(_NEGATIVE_ITEM)
                continue
            low, high, zh, en, flagged = growth_band(values)
            if flagged:
                notes.append(
                    note(
                        f"hnte.short_history.{spec.code.rsplit('.', 1)[1]}",
                        NoteKind.MANUAL_REVIEW,
                        f"{spec.name_zh}：经营不足三年，{zh}",
                        f"{spec.name_en}: under three years of history, {en}",
                    )
                )
            made.append(item(spec, low, high, False, zh, en))
        return made
