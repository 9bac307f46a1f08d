"""Enterprise facts from JSON-like data, validated, and the JSON Schema that documents them.

One declarative table of fields drives both the validator and the schema, so the two cannot
drift apart (a test compares ``schemas/facts.schema.json`` with :func:`facts_json_schema`).
Every problem found is reported at once, each naming its JSON path, in Chinese and English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from kechuang.core.criteria.facts import (
    KIND_CLASS,
    Acquisition,
    AdvancementView,
    Award,
    AwardLevel,
    Certification,
    CertificationKind,
    DeclaredScores,
    EnterpriseFacts,
    ExpertViews,
    Financing,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPClass,
    IPKind,
    IPRight,
    IPStatus,
    LeadProductField,
    Listing,
    ListingKind,
    Management,
    Ownership,
    RDExpense,
    RDInstitution,
    Standard,
    StandardLevel,
    StandardRole,
    SupportView,
    YearFigures,
)
from kechuang.core.criteria.sme_size import SIZE_INDUSTRIES, TABLE
from kechuang.core.problems import Problem, Rejected

SCHEMA_ID = "https://kechuang.example/schemas/facts.schema.json"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_INDUSTRY = re.compile(r"[A-Ta-t]\d{0,4}")


ENUM_LABELS: dict[type[Enum], dict[str, tuple[str, str]]] = {
    IPKind: {
        "invention_patent": ("发明专利", "invention patent"),
        "defence_patent": ("国防专利", "defence patent"),
        "plant_variety": ("植物新品种", "new plant variety"),
        "crop_variety": ("国家级农作物品种", "national crop variety"),
        "new_drug": ("国家新药", "national new drug"),
        "tcm_protected": ("国家一级中药保护品种", "first-class protected TCM"),
        "ic_layout": ("集成电路布图设计专有权", "IC layout design"),
        "utility_model": ("实用新型专利", "utility model"),
        "design_patent": ("外观设计专利", "design patent"),
        "software_copyright": ("软件著作权", "software copyright"),
        "trademark": ("商标（不计入）", "trademark (never counts)"),
        "other": ("其他（须填 class）", "other (give class)"),
    },
    IPClass: {
        "I": ("Ⅰ类", "class I"),
        "II": ("Ⅱ类", "class II"),
        "none": ("不属于Ⅰ、Ⅱ类", "neither class"),
    },
    IPStatus: {"applied": ("已申请、未授权", "applied, pending"), "granted": ("已授权", "granted")},
    Ownership: {"sole": ("独有", "sole"), "co_owned": ("共有", "co-owned")},
    Acquisition: {
        "self_developed": ("自主研发", "self-developed"),
        "transferred": ("受让", "transferred"),
        "donated": ("受赠", "donated"),
        "merged": ("并购", "merger"),
    },
    CertificationKind: {
        "hnte": ("高新技术企业证书", "HNTE certificate"),
        "tech_sme": ("科技型中小企业入库登记", "technology-based SME registration"),
        "innovative_sme": ("创新型中小企业", "innovative SME"),
        "tech_innovative_sme": ("科技和创新型中小企业", "technology and innovative SME"),
        "specialized_sme": ("专精特新中小企业", "specialized SME"),
        "little_giant": ("专精特新“小巨人”企业", "little giant"),
        "tech_innovation_demo": ("国家技术创新示范企业", "national innovation demonstration"),
        "ip_advantage": ("国家知识产权优势企业", "national IP advantage enterprise"),
        "ip_demonstration": ("国家知识产权示范企业", "national IP demonstration enterprise"),
        "maker_china_top500": ("“创客中国”全国 500 强企业组", "Maker in China national top 500"),
    },
    IncidentKind: {
        "safety": ("重大安全事故", "major safety accident"),
        "quality": ("重大质量事故", "major quality accident"),
        "environmental": ("严重环境违法行为", "serious environmental violation"),
        "network_data_security": ("网络安全、数据安全事件", "network or data security event"),
        "tax_evasion": ("偷税漏税", "tax evasion"),
        "research_integrity": ("科研严重失信", "serious research misconduct"),
    },
    ListingKind: {
        "abnormal_operation": ("经营异常名录", "abnormal-operation list"),
        "serious_dishonesty": ("严重违法失信名单", "serious-dishonesty list"),
    },
    AwardLevel: {
        "national": ("国家级", "national"),
        "ministerial": ("部级", "ministerial"),
        "provincial": ("省级", "provincial"),
        "municipal": ("市级", "municipal"),
        "other": ("其他", "other"),
    },
    StandardLevel: {
        "international": ("国际标准", "international"),
        "national": ("国家标准", "national"),
        "industry": ("行业标准", "industry"),
        "local": ("地方标准", "local"),
        "group": ("团体标准", "group"),
        "enterprise": ("企业标准", "enterprise"),
    },
    StandardRole: {"lead": ("主导制定", "led"), "participate": ("参与制定", "took part")},
    InstitutionLevel: {
        "national": ("国家级", "national"),
        "ministerial": ("部级", "ministerial"),
        "provincial": ("省级", "provincial"),
        "municipal": ("市级", "municipal"),
        "county": ("县（区）级", "county or district"),
    },
    LeadProductField: {
        "key": ("工业“六基”、中华老字号或补短板/锻长板/填空白领域", "key fields (5 points)"),
        "related": ("制造强国、网络强国等重点领域", "related priority fields (3 points)"),
        "other": ("其他领域", "other (0 points)"),
    },
    AdvancementView: {
        "high": ("高（7–8 分）", "high (7–8)"),
        "fairly_high": ("较高（5–6 分）", "fairly high (5–6)"),
        "average": ("一般（3–4 分）", "average (3–4)"),
        "low": ("较低（1–2 分）", "low (1–2)"),
        "none": ("无（0 分）", "none (0)"),
    },
    SupportView: {
        "strong": ("强（7–8 分）", "strong (7–8)"),
        "fairly_strong": ("较强（5–6 分）", "fairly strong (5–6)"),
        "average": ("一般（3–4 分）", "average (3–4)"),
        "weak": ("较弱（1–2 分）", "weak (1–2)"),
        "none": ("无（0 分）", "none (0)"),
    },
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string, date, bool, int, money, signed_money, persons, enum, object, array, pairs
    zh: str
    en: str
    required: bool = False
    default: Any = None
    enum: type[Enum] | tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: re.Pattern[str] | None = None
    fields: tuple[Field, ...] = ()  # for objects and arrays of objects
    build: Callable[..., Any] | None = None  # turns the converted mapping into a dataclass


def _f(name: str, kind: str, zh: str, en: str, **options: Any) -> Field:
    return Field(name, kind, zh, en, **options)


def _money(name: str, zh: str, en: str, **options: Any) -> Field:
    return _f(name, "money", zh + "（元）", en + " (yuan)", **options)


RD_FIELDS = (
    _money("personnel", "人员人工费用", "Personnel costs", default=Decimal(0)),
    _money("direct_inputs", "直接投入费用", "Direct inputs", default=Decimal(0)),
    _money(
        "depreciation",
        "折旧费用与长期待摊费用",
        "Depreciation and long-term deferred costs",
        default=Decimal(0),
    ),
    _money(
        "amortization", "无形资产摊销费用", "Amortisation of intangible assets", default=Decimal(0)
    ),
    _money("design", "设计费用", "Design costs", default=Decimal(0)),
    _money(
        "trials",
        "装备调试费用与试验费用",
        "Equipment commissioning and trial costs",
        default=Decimal(0),
    ),
    _money(
        "outsourced_domestic",
        "委托境内外部机构研发费用（实际发生额）",
        "R&D outsourced in China (amount paid)",
        default=Decimal(0),
    ),
    _money(
        "outsourced_overseas",
        "委托境外机构研发费用（实际发生额）",
        "R&D outsourced abroad (amount paid)",
        default=Decimal(0),
    ),
    _money("other", "其他费用", "Other R&D costs", default=Decimal(0)),
    _money(
        "domestic",
        "境内研究开发费用（高企口径，企业自报；缺省时按总额减境外委托的 80% 估算）",
        "R&D spent in China on the HNTE basis, as the enterprise states it (estimated when absent)",
    ),
)

_PAIRS_ZH = "12 个月的 [月初人数, 月末人数]，按月平均 = (月初 + 月末) ÷ 2、全年 = Σ月平均 ÷ 12 计算"
_PAIRS_EN = (
    "twelve [start, end] monthly head counts; monthly mean = (start + end) ÷ 2, yearly = Σ ÷ 12"
)

YEAR_FIELDS = (
    _f("year", "int", "会计年度", "Accounting year", required=True, minimum=1949, maximum=2200),
    _money("main_revenue", "主营业务收入", "Main business revenue"),
    _money("other_revenue", "其他业务收入", "Other business revenue", default=Decimal(0)),
    _money(
        "operating_revenue",
        "营业收入；缺省为主营 + 其他业务收入",
        "Operating revenue; defaults to main + other",
    ),
    _money(
        "total_income", "收入总额（企业所得税口径）", "Total income (corporate income tax basis)"
    ),
    _money("non_taxable_income", "不征税收入", "Non-taxable income", default=Decimal(0)),
    _money(
        "high_tech_income",
        "高新技术产品（服务）收入，含技术性收入",
        "High-tech product and service income, incl. technical income",
    ),
    _f(
        "rd",
        "object",
        "研究开发费用，按八类归集（实际发生额）",
        "R&D expense by the eight categories (amounts incurred)",
        fields=RD_FIELDS,
        build=RDExpense,
    ),
    _f(
        "employees",
        "persons",
        "职工总数（全年月平均数）",
        "Employees (yearly average of monthly averages)",
    ),
    _f(
        "employees_monthly",
        "pairs",
        "职工总数逐月人数：" + _PAIRS_ZH,
        "Monthly employee counts: " + _PAIRS_EN,
    ),
    _f(
        "employees_year_end",
        "persons",
        "期末从业人员数（用于企业划型）",
        "Employed persons at year end (for sizing)",
    ),
    _f(
        "st_staff",
        "persons",
        "科技人员数（全年月平均数，累计工作 183 天以上）",
        "S&T personnel (yearly average, ≥ 183 days)",
    ),
    _f(
        "st_staff_monthly",
        "pairs",
        "科技人员逐月人数：" + _PAIRS_ZH,
        "Monthly S&T personnel counts: " + _PAIRS_EN,
    ),
    _f("rd_staff", "persons", "研发人员数", "R&D personnel"),
    _money("total_assets", "资产总额（年末）", "Total assets at year end"),
    _money("liabilities", "负债总额（年末）", "Total liabilities at year end"),
    _f(
        "net_assets",
        "signed_money",
        "净资产（所有者权益，元）；缺省为资产 − 负债",
        "Net assets (equity, yuan); defaults to assets − liabilities",
    ),
    _f("net_profit", "signed_money", "净利润（元）", "Net profit (yuan)"),
    _money("cost_and_expense_total", "成本费用支出总额", "Total costs and expenses"),
    _f(
        "conversions",
        "int",
        "当年科技成果转化数（项）",
        "Technology conversions in the year",
        minimum=0,
    ),
)

IP_FIELDS = (
    _f("kind", "enum", "知识产权类型", "Kind of IP right", required=True, enum=IPKind),
    _f(
        "class",
        "enum",
        "类别；已知类型可省略，由类型推定",
        "Class; inferred from the kind when omitted",
        enum=IPClass,
    ),
    _f("status", "enum", "状态", "Status", enum=IPStatus, default=IPStatus.GRANTED),
    _f("valid", "bool", "是否在有效期内（未失效）", "Still in force", default=True),
    _f("ownership", "enum", "权属", "Ownership", enum=Ownership, default=Ownership.SOLE),
    _f(
        "acquisition",
        "enum",
        "获得方式",
        "How it was obtained",
        enum=Acquisition,
        default=Acquisition.SELF_DEVELOPED,
    ),
    _f(
        "used_for_hnte",
        "bool",
        "是否已在以往高企认定中使用过",
        "Already used in an earlier HNTE application",
        default=False,
    ),
    _f(
        "high_value",
        "bool",
        "是否高价值知识产权（梯度培育）",
        "High-value IP (for the 梯度培育 scores)",
        default=False,
    ),
    _f(
        "main_product_related",
        "bool",
        "是否与主导产品相关",
        "Related to the lead product",
        default=True,
    ),
    _f("number", "string", "专利号或登记号", "Patent or registration number"),
    _f("title", "string", "名称", "Title"),
    _f("applied_on", "date", "申请日", "Filing date"),
    _f("granted_on", "date", "授权（登记）日", "Grant or registration date"),
)

CERTIFICATION_FIELDS = (
    _f("kind", "enum", "称号或证书", "Title or certificate", required=True, enum=CertificationKind),
    _f("issued_on", "date", "发证（认定）日期", "Date issued", required=True),
    _f(
        "expires_on",
        "date",
        "有效期最后一天；缺省时高企等称号按 3 年、科技型入库按 1 年",
        "Last day valid; default 3 years (tech-SME registration 1)",
    ),
    _f("number", "string", "证书编号", "Certificate number"),
)
INCIDENT_FIELDS = (
    _f("kind", "enum", "事故或违法类型", "Kind of incident", required=True, enum=IncidentKind),
    _f("occurred_on", "date", "发生（认定）日期", "Date it happened", required=True),
    _f(
        "serious",
        "bool",
        "是否重大（严重）；一般事件填 false",
        "Major or serious; false for minor events",
        default=True,
    ),
    _f("description", "string", "说明", "Description"),
)
LISTING_FIELDS = (
    _f("kind", "enum", "名录", "List", required=True, enum=ListingKind),
    _f("listed_on", "date", "列入日期", "Date listed", required=True),
    _f("removed_on", "date", "移出日期；仍在名录中则省略", "Date removed; omit while still listed"),
)
AWARD_FIELDS = (
    _f("level", "enum", "科技奖励级别", "Level of the S&T award", required=True, enum=AwardLevel),
    _f(
        "rank",
        "int",
        "在获奖单位中的排名（1 为第一）",
        "Place among the winning units (1 = first)",
        required=True,
        minimum=1,
    ),
    _f("awarded_on", "date", "获奖日期", "Date awarded", required=True),
    _f("name", "string", "奖项名称", "Name of the award"),
)
STANDARD_FIELDS = (
    _f("level", "enum", "标准级别", "Level of the standard", required=True, enum=StandardLevel),
    _f("role", "enum", "主导或参与", "Led or took part", required=True, enum=StandardRole),
    _f("published_on", "date", "发布日期", "Date published", required=True),
    _f("name", "string", "标准名称或编号", "Name or number"),
)
INSTITUTION_FIELDS = (
    _f(
        "level",
        "enum",
        "研发机构级别（经认定）",
        "Level of the recognised R&D institution",
        required=True,
        enum=InstitutionLevel,
    ),
    _f("recognised_on", "date", "认定日期", "Date recognised"),
    _f("name", "string", "名称", "Name"),
)
FINANCING_FIELDS = (
    _money("amount", "新增股权融资实缴额", "New equity paid in", required=True),
    _f("received_on", "date", "到账日期", "Date received", required=True),
    _f(
        "qualified_investor",
        "bool",
        "是否来自合格机构投资者",
        "From a qualified institutional investor",
        default=True,
    ),
)
MANAGEMENT_FIELDS = tuple(
    _f(name, "bool", zh, en)
    for name, zh, en in (
        ("rd_management_system", "已制定研究开发组织管理制度", "Has R&D management rules"),
        ("rd_accounting_system", "已建立研发投入核算体系", "Has R&D cost accounting"),
        ("rd_ledger", "已编制研发费用辅助账", "Keeps an R&D auxiliary ledger"),
        (
            "rd_organisation",
            "设有内部研发机构并具备科研条件",
            "Has an in-house R&D unit with facilities",
        ),
        (
            "industry_university_cooperation",
            "与国内外研发机构开展产学研合作",
            "Cooperates with universities or institutes",
        ),
        (
            "conversion_incentives",
            "建立科技成果转化组织实施与激励奖励制度",
            "Has conversion incentive rules",
        ),
        ("open_innovation_platform", "建立开放式创新创业平台", "Runs an open innovation platform"),
        ("talent_training", "建立科技人员培养进修制度", "Has S&T staff development"),
        ("skills_training", "开展职工技能培训", "Trains staff skills"),
        ("talent_recruitment", "建立优秀人才引进制度", "Recruits outstanding talent"),
        ("performance_rewards", "建立人才绩效评价奖励制度", "Rewards performance"),
    )
)
EXPERT_FIELDS = (
    _f(
        "ip_advancement",
        "enum",
        "知识产权所涉技术的先进程度（专家或预评判断）",
        "Technical advancement of the IP (expert or pre-assessment view)",
        enum=AdvancementView,
    ),
    _f(
        "ip_core_support",
        "enum",
        "知识产权对主要产品的核心支持作用（专家或预评判断）",
        "Core support of the IP to the main products (expert view)",
        enum=SupportView,
    ),
)
SCORE_FIELDS = (
    _f(
        "specialty_2022",
        "int",
        "专精特新（2022）特色化指标得分，由省级主管部门制定",
        "Specialized SME (2022) distinctiveness points, set by the province",
        minimum=0,
        maximum=15,
    ),
    _f(
        "specialized_2026",
        "int",
        "专精特新（2026）评价得分",
        "Specialized SME (2026) evaluation score",
        minimum=0,
        maximum=100,
    ),
    _f(
        "little_giant_2026",
        "int",
        "小巨人（2026）评价得分",
        "Little giant (2026) evaluation score",
        minimum=0,
        maximum=100,
    ),
)


def _array(name: str, zh: str, en: str, fields: tuple[Field, ...], build) -> Field:
    return _f(
        name,
        "array",
        zh + "；省略表示未申报（相关条件需复核），[] 表示没有",
        en + "; omit if not declared (the criteria then need review), [] for none",
        fields=fields,
        build=build,
    )


ROOT_FIELDS = (
    _f("name", "string", "企业名称", "Enterprise name", required=True),
    _f(
        "uscc",
        "string",
        "统一社会信用代码（18 位）",
        "Unified social credit code (18 characters)",
        pattern=_USCC,
    ),
    _f("registered_on", "date", "注册成立日期", "Date of registration"),
    _f(
        "application_date",
        "date",
        "申请（评价）日期；缺省为评估日",
        "Application date; defaults to the assessment date",
    ),
    _f(
        "industry_code",
        "string",
        "国民经济行业分类代码（GB/T 4754-2017），门类字母加数字，如 C2614",
        "GB/T 4754-2017 industry code, a letter and digits, e.g. C2614",
        pattern=_INDUSTRY,
    ),
    _f(
        "size_industry",
        "enum",
        "划型所属行业（工信部联企业〔2011〕300号 16 个行业之一）；缺省时由行业代码推定",
        "Industry row of the 2011 size rule; inferred from industry_code when absent",
        enum=SIZE_INDUSTRIES,
    ),
    _f(
        "high_tech_field",
        "string",
        "国家重点支持的高新技术领域：一级领域名称（如“新材料”）或编号（如“4.2.1”）",
        "State-supported high-tech field: a first-level name (e.g. 新材料) or a code (e.g. 4.2.1)",
    ),
    _f(
        "resident",
        "bool",
        "是否在中国境内（不含港澳台）注册的居民企业",
        "Resident enterprise registered in mainland China",
    ),
    _f("independent_legal_person", "bool", "是否具有独立法人资格", "Independent legal person"),
    _f(
        "restricted_products",
        "bool",
        "产品或服务是否属于国家禁止、限制或淘汰类",
        "Products or services in the prohibited, restricted or obsolete categories",
    ),
    _f(
        "strategic_emerging_product",
        "bool",
        "主导产品是否属于战略性新兴产业",
        "Lead product in a strategic emerging industry",
    ),
    _f(
        "lead_product_field",
        "enum",
        "主导产品所属领域（专精特新 2022 评分）",
        "Field of the lead product (specialized SME 2022 score)",
        enum=LeadProductField,
    ),
    _f(
        "niche_since",
        "date",
        "开始从事特定细分市场的日期",
        "Date the enterprise entered its niche market",
    ),
    _f(
        "digital_level",
        "int",
        "数字化水平等级（中小企业数字化水平评测）",
        "Digital maturity level (SME digital assessment)",
        minimum=0,
        maximum=4,
    ),
    _f(
        "quality_items",
        "int",
        "质量管理水平满足的项数（质量奖、体系认证、自主品牌等）",
        "Number of quality items met (awards, certified systems, own brand)",
        minimum=0,
    ),
    _f(
        "years",
        "array",
        "各会计年度数据；评价用申请日前三个会计年度",
        "Figures by accounting year; the three years before the application are used",
        fields=YEAR_FIELDS,
        build=None,
        default=(),
    ),
    _array("ip", "知识产权清单", "IP rights held or applied for", IP_FIELDS, None),
    _array(
        "certifications",
        "已获称号或证书",
        "Titles and certificates held",
        CERTIFICATION_FIELDS,
        Certification,
    ),
    _array(
        "incidents",
        "安全、质量、环境、网络数据、税务、科研诚信事件",
        "Safety, quality, environmental, data, tax and research-integrity incidents",
        INCIDENT_FIELDS,
        Incident,
    ),
    _array(
        "listings",
        "经营异常名录、严重违法失信名单记录",
        "Entries on the abnormal-operation or dishonesty lists",
        LISTING_FIELDS,
        Listing,
    ),
    _array("awards", "科技奖励", "S&T awards", AWARD_FIELDS, Award),
    _array(
        "standards",
        "参与制定的标准",
        "Standards the enterprise led or took part in",
        STANDARD_FIELDS,
        Standard,
    ),
    _array(
        "rd_institutions",
        "经认定的研发机构",
        "Recognised R&D institutions",
        INSTITUTION_FIELDS,
        RDInstitution,
    ),
    _array("financing", "股权融资", "Equity financing received", FINANCING_FIELDS, Financing),
    _f(
        "management",
        "object",
        "研究开发组织管理水平的申报情况；未填的要素由专家判断",
        "Declared elements of R&D management; the rest is for the experts",
        fields=MANAGEMENT_FIELDS,
        build=Management,
    ),
    _f(
        "expert_views",
        "object",
        "专家或预评判断（可选）",
        "Expert or pre-assessment views (optional)",
        fields=EXPERT_FIELDS,
        build=ExpertViews,
    ),
    _f(
        "declared_scores",
        "object",
        "国家文本之外设定的得分（省级特色化、2026 评价）",
        "Scores set outside the national text (provincial, 2026 evaluations)",
        fields=SCORE_FIELDS,
        build=DeclaredScores,
    ),
)


# ---------------------------------------------------------------------------------------------
# Validation


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, zh: str, en: str) -> None:
        self.problems.append(Problem(where, zh, en))

    def convert(self, spec: Field, value: Any, where: str) -> Any:
        kind = spec.kind
        if kind == "string":
            if not isinstance(value, str) or not value.strip():
                return self.fail(where, "应为非空字符串", "must be a non-empty string")
            if spec.pattern is not None and not spec.pattern.fullmatch(value.strip()):
                return self.fail(
                    where, f"格式不正确：{value}", f"is not in the expected format: {value}"
                )
            return value.strip()
        if kind == "date":
            if not isinstance(value, str) or not _DATE.fullmatch(value):
                return self.fail(
                    where, "应为 YYYY-MM-DD 格式的日期", "must be a date written YYYY-MM-DD"
                )
            try:
                return date.fromisoformat(value)
            except ValueError:
                return self.fail(where, f"不是有效日期：{value}", f"is not a valid date: {value}")
        if kind == "bool":
            if not isinstance(value, bool):
                return self.fail(where, "应为 true 或 false", "must be true or false")
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return self.fail(where, "应为整数", "must be a whole number")
            return self._bounded(spec, value, where)
        if kind in ("money", "signed_money", "persons"):
            return self._decimal(spec, value, where)
        if kind == "enum":
            options = self._options(spec)
            if value not in options:
                shown = "、".join(options)
                return self.fail(
                    where, f"取值应为以下之一：{shown}", f"must be one of: {', '.join(options)}"
                )
            return spec.enum(value) if isinstance(spec.enum, type) else value
        if kind == "pairs":
            return self._pairs(value, where)
        if kind == "object":
            converted = self.mapping(spec.fields, value, where)
            return None if converted is None else spec.build(**converted)
        if kind == "array":
            if not isinstance(value, list):
                return self.fail(where, "应为数组", "must be an array")
            made = []
            for index, entry in enumerate(value):
                converted = self.mapping(spec.fields, entry, f"{where}[{index}]")
                if converted is not None:
                    made.append(converted)
            return made
        raise AssertionError(kind)

    def _options(self, spec: Field) -> list[str]:
        if isinstance(spec.enum, type):
            return [member.value for member in spec.enum]
        return list(spec.enum or ())

    def _bounded(self, spec: Field, value: int, where: str) -> int | None:
        if spec.minimum is not None and value < spec.minimum:
            return self.fail(where, f"不应小于 {spec.minimum}", f"must be at least {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            return self.fail(where, f"不应大于 {spec.maximum}", f"must be at most {spec.maximum}")
        return value

    def _decimal(self, spec: Field, value: Any, where: str) -> Decimal | None:
        signed = spec.kind == "signed_money"
        unit_zh, unit_en = (
            ("人数", "a head count")
            if spec.kind == "persons"
            else ("金额（元）", "an amount in yuan")
        )
        example = '"12.5"' if spec.kind == "persons" else '"1250000.00"'
        sign_zh, sign_en = ("", "") if signed else ("非负", "non-negative ")
        problem = (
            f"应为{sign_zh}{unit_zh}，数字或数字字符串，如 {example}",
            f"must be {sign_en}{unit_en}, a number or numeric string, e.g. {example}",
        )
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return self.fail(where, *problem)
        if isinstance(value, str) and not _AMOUNT.fullmatch(value.strip()):
            return self.fail(where, *problem)
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return self.fail(where, *problem)
        if not number.is_finite() or (not signed and number < 0):
            return self.fail(where, *problem)
        return number

    def _pairs(self, value: Any, where: str) -> tuple[Decimal, ...] | None:
        problem = (
            "应为 12 个 [月初人数, 月末人数] 数对",
            "must be twelve [start, end] pairs of head counts",
        )
        if not isinstance(value, list) or len(value) != 12:
            return self.fail(where, *problem)
        sums = []
        for month, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                return self.fail(f"{where}[{month}]", *problem)
            counts = [
                self._decimal(Field("", "persons", "", ""), v, f"{where}[{month}][{i}]")
                for i, v in enumerate(pair)
            ]
            if None in counts:
                return None
            sums.append(counts[0] + counts[1])
        return tuple(sums)

    def mapping(self, fields: tuple[Field, ...], value: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            return self.fail(where, "应为对象", "must be an object")
        known = {spec.name for spec in fields}
        for key in value:
            if key not in known:
                self.fail(
                    f"{where}.{key}",
                    f"未知字段；可用字段：{'、'.join(sorted(known))}",
                    f"unknown field; known fields: {', '.join(sorted(known))}",
                )
        converted: dict[str, Any] = {}
        for spec in fields:
            path = f"{where}.{spec.name}"
            if spec.name not in value or value[spec.name] is None:
                if spec.required:
                    self.fail(path, "缺少必填字段", "required field is missing")
                elif spec.default is not None:
                    converted[spec.name] = spec.default
                continue
            result = self.convert(spec, value[spec.name], path)
            if result is not None:
                converted[spec.name] = result
        return converted


def _year(checker: _Checker, raw: dict[str, Any], where: str) -> YearFigures | None:
    if "year" not in raw:
        return None
    args = dict(raw)
    args["operating_revenue_declared"] = args.pop("operating_revenue", None)
    args["net_assets_declared"] = args.pop("net_assets", None)
    for name in ("employees", "st_staff"):
        sums = args.pop(f"{name}_monthly", None)
        if sums is None:
            continue
        total = sum(sums, Decimal(0))
        average = total / 24
        declared = args.get(name)
        if declared is not None and declared != average:
            checker.fail(
                f"{where}.{name}",
                f"与逐月人数计算的全年月平均数 {average:.2f} 不一致",
                f"differs from the yearly average of the monthly figures ({average:.2f})",
            )
        args[name] = average
        args[f"{name}_pair_sum"] = total
    employees = args.get("employees")
    for name in ("st_staff", "rd_staff"):
        staff = args.get(name)
        if employees is not None and staff is not None and staff > employees:
            checker.fail(
                f"{where}.{name}", "不应超过职工总数", "cannot exceed the number of employees"
            )
    return YearFigures(**args)


def _ip(checker: _Checker, raw: dict[str, Any], where: str) -> IPRight | None:
    if "kind" not in raw:
        return None
    kind = raw["kind"]
    declared = raw.pop("class", None)
    known = KIND_CLASS.get(kind)
    if known is None and declared is None:
        checker.fail(
            f"{where}.class", "类型为 other 时须填写类别", "class is required when kind is other"
        )
        return None
    if known is not None and declared is not None and declared is not known:
        checker.fail(
            f"{where}.class",
            f"{kind.value} 属于 {known.value} 类，与填写的 {declared.value} 不符",
            f"{kind.value} is class {known.value}, not {declared.value}",
        )
        return None
    return IPRight(ip_class=known or declared, **raw)


def facts_from_dict(d: dict) -> EnterpriseFacts:
    """Validated facts from JSON-like data; raises ``Rejected`` listing every problem."""
    checker = _Checker()
    raw = checker.mapping(ROOT_FIELDS, d, "$")
    if raw is None:
        raise Rejected(checker.problems)
    years = []
    seen: set[int] = set()
    for index, entry in enumerate(raw.pop("years", ())):
        where = f"$.years[{index}]"
        figures = _year(checker, entry, where)
        if figures is None:
            continue
        if figures.year in seen:
            checker.fail(
                f"{where}.year", f"{figures.year} 年重复", f"the year {figures.year} appears twice"
            )
            continue
        seen.add(figures.year)
        years.append(figures)
    ip = raw.pop("ip", None)
    if ip is not None:
        rights = [_ip(checker, entry, f"$.ip[{index}]") for index, entry in enumerate(ip)]
        ip = tuple(r for r in rights if r is not None)
    lists = {}
    for spec in ROOT_FIELDS:
        if spec.kind == "array" and spec.build is not None and spec.name in raw:
            entries = raw.pop(spec.name)
            lists[spec.name] = tuple(
                spec.build(**entry) for entry in entries if _complete(spec, entry)
            )
    if checker.problems:
        raise Rejected(checker.problems)
    return EnterpriseFacts(years=tuple(sorted(years, key=lambda y: y.year)), ip=ip, **lists, **raw)


def _complete(spec: Field, entry: dict[str, Any]) -> bool:
    return all(f.name in entry for f in spec.fields if f.required)


# ---------------------------------------------------------------------------------------------
# JSON Schema


def _describe(spec: Field) -> str:
    text = f"{spec.zh} / {spec.en}"
    if spec.kind == "enum" and isinstance(spec.enum, type) and spec.enum in ENUM_LABELS:
        labels = ENUM_LABELS[spec.enum]
        text += "。取值 / values: " + "; ".join(
            f"{v} = {zh} / {en}" for v, (zh, en) in labels.items()
        )
    elif spec.name == "size_industry":
        text += "。取值 / values: " + "; ".join(
            f"{row.code} = {row.name_zh} / {row.name_en}" for row in TABLE.rows
        )
    return text


def _schema(spec: Field) -> dict[str, Any]:
    kind = spec.kind
    node: dict[str, Any]
    if kind == "string":
        node = {"type": "string", "minLength": 1}
        if spec.pattern is not None:
            node["pattern"] = f"^{spec.pattern.pattern}$"
    elif kind == "date":
        node = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "bool":
        node = {"type": "boolean"}
    elif kind == "int":
        node = {"type": "integer"}
        if spec.minimum is not None:
            node["minimum"] = spec.minimum
        if spec.maximum is not None:
            node["maximum"] = spec.maximum
    elif kind in ("money", "persons"):
        node = {"$ref": "#/$defs/amount"}
    elif kind == "signed_money":
        node = {"$ref": "#/$defs/signed_amount"}
    elif kind == "enum":
        options = [m.value for m in spec.enum] if isinstance(spec.enum, type) else list(spec.enum)
        node = {"enum": options}
    elif kind == "pairs":
        node = {
            "type": "array",
            "minItems": 12,
            "maxItems": 12,
            "items": {
                "type": "array",
                "prefixItems": [{"$ref": "#/$defs/amount"}, {"$ref": "#/$defs/amount"}],
                "minItems": 2,
                "maxItems": 2,
            },
        }
    elif kind == "object":
        node = _object(spec.fields)
    elif kind == "array":
        node = {"type": "array", "items": _object(spec.fields)}
    else:
        raise AssertionError(kind)
    node["description"] = _describe(spec)
    if spec.default is not None:
        default = spec.default
        node["default"] = (
            default.value
            if isinstance(default, Enum)
            else format(default, "f")
            if isinstance(default, Decimal)
            else list(default)
            if isinstance(default, tuple)
            else default
        )
    return node


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {spec.name: _schema(spec) for spec in fields},
    }
    required = [spec.name for spec in fields if spec.required]
    if required:
        node["required"] = required
    return node


def facts_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the facts ``facts_from_dict`` accepts."""
    root = _object(ROOT_FIELDS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Kechuang enterprise facts / 科创企业资质评估事实数据",
        "description": (
            "评估高企、科技型中小企业、中小企业划型和梯度培育资格所需的企业事实。金额以元为单位，"
            "可写成数字或数字字符串（推荐字符串以保证精确）；省略的字段表示未申报，相应条件给出“需"
            "复核”。 / "
            "Facts about an enterprise for the HNTE, technology-based SME, size and 梯度培育 "
            "assessments. Money is in yuan, as a number or (for exactness, preferred) a numeric "
            "string; an omitted field means not declared, and the criteria needing it are "
            "reported as needing review."
        ),
        **root,
        "$defs": {
            "amount": {
                "description": (
                    "非负数，数字或数字字符串 / "
                    "A non-negative number, as a number or numeric string"
                ),
                "oneOf": [
                    {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
                    {"type": "number", "minimum": 0},
                ],
            },
            "signed_amount": {
                "description": (
                    "可为负的数，数字或数字字符串 / "
                    "A number that may be negative, as a number or numeric string"
                ),
                "oneOf": [
                    {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
                    {"type": "number"},
                ],
            },
        },
    }
