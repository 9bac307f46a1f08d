"""What the rules know about an enterprise: plain, frozen facts, all money in Decimal yuan.

``None`` always means "not declared", never zero: a rule that needs an undeclared fact reports
its criterion as needing review and names the fact, instead of guessing. Empty tuples mean
"declared, and there are none" (no incidents, no awards). Build facts from JSON with
:func:`kechuang.core.criteria.intake.facts_from_dict`, which validates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal
from enum import Enum
from types import MappingProxyType

_ZERO = Decimal(0)
_EXACT = Context(prec=60)


class IPClass(Enum):
    """工作指引's two classes; trademarks belong to neither and never count."""

    I = "I"  # noqa: E741 - the official name of the class
    II = "II"
    NONE = "none"


class IPKind(Enum):
    INVENTION_PATENT = "invention_patent"  # 发明专利
    DEFENCE_PATENT = "defence_patent"  # 国防专利
    PLANT_VARIETY = "plant_variety"  # 植物新品种
    CROP_VARIETY = "crop_variety"  # 国家级农作物品种
    NEW_DRUG = "new_drug"  # 国家新药
    TCM_PROTECTED = "tcm_protected"  # 国家一级中药保护品种
    IC_LAYOUT = "ic_layout"  # 集成电路布图设计专有权
    UTILITY_MODEL = "utility_model"  # 实用新型专利
    DESIGN_PATENT = "design_patent"  # 外观设计专利
    SOFTWARE_COPYRIGHT = "software_copyright"  # 软件著作权
    TRADEMARK = "trademark"  # 商标
    OTHER = "other"  # 其他：须声明类别


KIND_CLASS: Mapping[IPKind, IPClass] = MappingProxyType(
    {
        IPKind.INVENTION_PATENT: IPClass.I,
        IPKind.DEFENCE_PATENT: IPClass.I,
        IPKind.PLANT_VARIETY: IPClass.I,
        IPKind.CROP_VARIETY: IPClass.I,
        IPKind.NEW_DRUG: IPClass.I,
        IPKind.TCM_PROTECTED: IPClass.I,
        IPKind.IC_LAYOUT: IPClass.I,
        IPKind.UTILITY_MODEL: IPClass.II,
        IPKind.DESIGN_PATENT: IPClass.II,
        IPKind.SOFTWARE_COPYRIGHT: IPClass.II,
        IPKind.TRADEMARK: IPClass.NONE,
    }
)


class IPStatus(Enum):
    APPLIED = "applied"  # 已申请（受理）
    GRANTED = "granted"  # 已授权


class Ownership(Enum):
    SOLE = "sole"
    CO_OWNED = "co_owned"


class Acquisition(Enum):
    SELF_DEVELOPED = "self_developed"  # 自主研发
    TRANSFERRED = "transferred"  # 受让
    DONATED = "donated"  # 受赠
    MERGED = "merged"  # 并购


class CertificationKind(Enum):
    HNTE = "hnte"  # 高新技术企业证书
    TECH_SME = "tech_sme"  # 科技型中小企业入库登记
    INNOVATIVE_SME = "innovative_sme"  # 创新型中小企业
    TECH_INNOVATIVE_SME = "tech_innovative_sme"  # 科技和创新型中小企业（2026）
    SPECIALIZED_SME = "specialized_sme"  # 专精特新中小企业
    LITTLE_GIANT = "little_giant"  # 专精特新“小巨人”企业
    TECH_INNOVATION_DEMO = "tech_innovation_demo"  # 国家技术创新示范企业
    IP_ADVANTAGE = "ip_advantage"  # 国家知识产权优势企业
    IP_DEMONSTRATION = "ip_demonstration"  # 国家知识产权示范企业
    MAKER_CHINA_TOP500 = "maker_china_top500"  # “创客中国”大赛全国 500 强企业组


# Years a title lasts when the facts give no expiry date: HNTE certificates three years
# (32号 第十五条), the 梯度培育 titles three years (63号), the tech-SME registration one year.
DEFAULT_VALIDITY_YEARS: Mapping[CertificationKind, int] = MappingProxyType(
    {kind: 3 for kind in CertificationKind} | {CertificationKind.TECH_SME: 1}
)


class IncidentKind(Enum):
    SAFETY = "safety"  # 重大安全事故
    QUALITY = "quality"  # 重大质量事故
    ENVIRONMENTAL = "environmental"  # 严重环境违法行为
    NETWORK_DATA_SECURITY = "network_data_security"  # 网络安全、数据安全事件
    TAX_EVASION = "tax_evasion"  # 偷税漏税
    RESEARCH_INTEGRITY = "research_integrity"  # 科研严重失信


class ListingKind(Enum):
    ABNORMAL_OPERATION = "abnormal_operation"  # 经营异常名录
    SERIOUS_DISHONESTY = "serious_dishonesty"  # 严重违法失信名单


class AwardLevel(Enum):
    NATIONAL = "national"
    MINISTERIAL = "ministerial"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    OTHER = "other"


class StandardLevel(Enum):
    INTERNATIONAL = "international"
    NATIONAL = "national"
    INDUSTRY = "industry"
    LOCAL = "local"
    GROUP = "group"  # 团体标准
    ENTERPRISE = "enterprise"


class StandardRole(Enum):
    LEAD = "lead"  # 主导制定
    PARTICIPATE = "participate"  # 参与制定


class InstitutionLevel(Enum):
    NATIONAL = "national"
    MINISTERIAL = "ministerial"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"


class LeadProductField(Enum):
    """专精特新 2022 "主导产品所属领域": key fields 5 points, related 3, other 0."""

    KEY = "key"  # 工业“六基”、中华老字号、补短板/锻长板/填空白
    RELATED = "related"  # 制造强国、网络强国战略等重点领域
    OTHER = "other"


class AdvancementView(Enum):
    """An expert's (or a pre-assessment's) view of the IP's technical advancement."""

    HIGH = "high"  # 高 7–8
    FAIRLY_HIGH = "fairly_high"  # 较高 5–6
    AVERAGE = "average"  # 一般 3–4
    LOW = "low"  # 较低 1–2
    NONE = "none"  # 无 0


class SupportView(Enum):
    """An expert's view of how strongly the IP supports the main products."""

    STRONG = "strong"  # 强 7–8
    FAIRLY_STRONG = "fairly_strong"  # 较强 5–6
    AVERAGE = "average"  # 一般 3–4
    WEAK = "weak"  # 较弱 1–2
    NONE = "none"  # 无 0


@dataclass(frozen=True, slots=True)
class RDExpense:
    """One year's R&D expense by the eight categories of 工作指引, at cost (before any cap).

    委托外部研究开发费用 is split into domestic and overseas so that the 60% domestic share can be
    computed; ``domestic`` is the enterprise's own figure for R&D spent in China on the HNTE
    basis, used instead of the platform's estimate when given.
    """

    personnel: Decimal = _ZERO  # 人员人工费用
    direct_inputs: Decimal = _ZERO  # 直接投入费用
    depreciation: Decimal = _ZERO  # 折旧费用与长期待摊费用
    amortization: Decimal = _ZERO  # 无形资产摊销费用
    design: Decimal = _ZERO  # 设计费用
    trials: Decimal = _ZERO  # 装备调试费用与试验费用
    outsourced_domestic: Decimal = _ZERO  # 委托外部研究开发费用（境内）
    outsourced_overseas: Decimal = _ZERO  # 委托外部研究开发费用（境外）
    other: Decimal = _ZERO  # 其他费用
    domestic: Decimal | None = None  # 境内研究开发费用（高企口径）, if the enterprise states it

    # Derived once, with the facts (see __post_init__).
    in_house: Decimal = field(init=False, default=_ZERO, repr=False, compare=False)
    """The six categories spent inside the enterprise (no outsourcing, no 其他费用)."""
    outsourced: Decimal = field(init=False, default=_ZERO, repr=False, compare=False)
    """委托外部研究开发费用, domestic and overseas, at cost."""
    booked_total: Decimal = field(init=False, default=_ZERO, repr=False, compare=False)
    """Everything booked, outsourced at 100% and no cap: the accounting figure."""

    def __post_init__(self) -> None:
        add = _EXACT.add
        in_house = add(
            add(add(self.personnel, self.direct_inputs), add(self.depreciation, self.amortization)),
            add(self.design, self.trials),
        )
        outsourced = add(self.outsourced_domestic, self.outsourced_overseas)
        object.__setattr__(self, "in_house", in_house)
        object.__setattr__(self, "outsourced", outsourced)
        object.__setattr__(self, "booked_total", add(add(in_house, outsourced), self.other))


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One accounting year. Staff figures are yearly averages of monthly averages."""

    year: int
    main_revenue: Decimal | None = None  # 主营业务收入
    other_revenue: Decimal = _ZERO  # 其他业务收入
    operating_revenue_declared: Decimal | None = None  # 营业收入, if it differs from main + other
    total_income: Decimal | None = None  # 收入总额
    non_taxable_income: Decimal = _ZERO  # 不征税收入
    high_tech_income: Decimal | None = None  # 高新技术产品（服务）收入
    rd: RDExpense | None = None
    employees: Decimal | None = None  # 职工总数（全年月平均数）
    employees_year_end: Decimal | None = None  # 期末从业人员数
    st_staff: Decimal | None = None  # 科技人员（全年月平均数）
    rd_staff: Decimal | None = None  # 研发人员
    # Σ(month start + month end) over twelve months, kept when monthly figures were given, so
    # that the ratio of two averages is computed from exact integers instead of rounded means.
    employees_pair_sum: Decimal | None = None
    st_staff_pair_sum: Decimal | None = None
    total_assets: Decimal | None = None  # 资产总额
    liabilities: Decimal | None = None  # 负债总额
    net_assets_declared: Decimal | None = None  # 净资产（所有者权益）
    net_profit: Decimal | None = None  # 净利润
    cost_and_expense_total: Decimal | None = None  # 成本费用支出总额
    conversions: int | None = None  # 科技成果转化数（项）

    # Derived once, with the facts, because every rule set reads them (see __post_init__).
    sales: Decimal | None = field(init=False, default=None, repr=False, compare=False)
    """销售收入 = 主营业务收入 + 其他业务收入."""
    operating_revenue: Decimal | None = field(init=False, default=None, repr=False, compare=False)
    """营业收入: as declared, else 主营 + 其他 (the two agree in ordinary accounts)."""
    net_assets: Decimal | None = field(init=False, default=None, repr=False, compare=False)
    """净资产: as declared, else 资产总额 − 负债总额."""

    def __post_init__(self) -> None:
        # A fixed context, so that the caller's decimal settings cannot round the sums.
        sales = None
        if self.main_revenue is not None:
            sales = _EXACT.add(self.main_revenue, self.other_revenue)
        operating = self.operating_revenue_declared
        net = self.net_assets_declared
        if net is None and self.total_assets is not None and self.liabilities is not None:
            net = _EXACT.subtract(self.total_assets, self.liabilities)
        object.__setattr__(self, "sales", sales)
        object.__setattr__(self, "operating_revenue", sales if operating is None else operating)
        object.__setattr__(self, "net_assets", net)


@dataclass(frozen=True, slots=True)
class IPRight:
    kind: IPKind
    ip_class: IPClass
    status: IPStatus = IPStatus.GRANTED
    valid: bool = True
    ownership: Ownership = Ownership.SOLE
    acquisition: Acquisition = Acquisition.SELF_DEVELOPED
    used_for_hnte: bool = False  # already used in an earlier HNTE application
    high_value: bool = False  # 高价值知识产权（梯度培育）
    main_product_related: bool = True  # 与主导产品相关
    number: str | None = None
    title: str | None = None
    applied_on: date | None = None
    granted_on: date | None = None


@dataclass(frozen=True, slots=True)
class Certification:
    kind: CertificationKind
    issued_on: date
    expires_on: date | None = None  # last day of validity; default from DEFAULT_VALIDITY_YEARS
    number: str | None = None

    def valid_on(self, day: date) -> bool:
        if day < self.issued_on:
            return False
        if self.expires_on is not None:
            return day <= self.expires_on
        return day < add_years(self.issued_on, DEFAULT_VALIDITY_YEARS[self.kind])


@dataclass(frozen=True, slots=True)
class Incident:
    kind: IncidentKind
    occurred_on: date
    serious: bool = True  # 重大/严重; minor events may be recorded with False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    kind: ListingKind
    listed_on: date
    removed_on: date | None = None

    def active_on(self, day: date) -> bool:
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)


@dataclass(frozen=True, slots=True)
class Award:
    level: AwardLevel
    rank: int  # the enterprise's place among the winning units, 1 = first
    awarded_on: date
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Standard:
    level: StandardLevel
    role: StandardRole
    published_on: date
    name: str | None = None


@dataclass(frozen=True, slots=True)
class RDInstitution:
    level: InstitutionLevel
    recognised_on: date | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Financing:
    """New equity financing; only paid-in money from qualified investors counts."""

    amount: Decimal
    received_on: date
    qualified_investor: bool = True


@dataclass(frozen=True, slots=True)
class Management:
    """Declared elements of 研究开发组织管理水平 (工作指引); None = not declared."""

    rd_management_system: bool | None = None  # 研发组织管理制度
    rd_accounting_system: bool | None = None  # 研发投入核算体系
    rd_ledger: bool | None = None  # 研发费用辅助账
    rd_organisation: bool | None = None  # 内部研发机构及科研条件
    industry_university_cooperation: bool | None = None  # 产学研合作
    conversion_incentives: bool | None = None  # 成果转化组织实施与激励奖励制度
    open_innovation_platform: bool | None = None  # 开放式创新创业平台
    talent_training: bool | None = None  # 科技人员培养进修
    skills_training: bool | None = None  # 职工技能培训
    talent_recruitment: bool | None = None  # 优秀人才引进
    performance_rewards: bool | None = None  # 人才绩效评价奖励制度
    # The eleven declarations in field order, as a plain tuple: rules look results up by it,
    # and a tuple of booleans hashes and compares in C where the dataclass would in Python.
    states: tuple[bool | None, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "states",
            (
                self.rd_management_system,
                self.rd_accounting_system,
                self.rd_ledger,
                self.rd_organisation,
                self.industry_university_cooperation,
                self.conversion_incentives,
                self.open_innovation_platform,
                self.talent_training,
                self.skills_training,
                self.talent_recruitment,
                self.performance_rewards,
            ),
        )


@dataclass(frozen=True, slots=True)
class ExpertViews:
    """Judgements only an expert can make, when a review panel or pre-assessment gave them."""

    ip_advancement: AdvancementView | None = None
    ip_core_support: SupportView | None = None


@dataclass(frozen=True, slots=True)
class DeclaredScores:
    """Scores set outside the national text: the province's 特色化 points, the 2026 evaluations."""

    specialty_2022: int | None = None  # 专精特新 2022 特色化指标（0–15，省级制定）
    specialized_2026: int | None = None  # 专精特新 2026 评价得分
    little_giant_2026: int | None = None  # 小巨人 2026 评价得分


@dataclass(frozen=True, slots=True)
class EnterpriseFacts:
    name: str
    registered_on: date | None = None
    uscc: str | None = None  # 统一社会信用代码
    application_date: date | None = None
    industry_code: str | None = None  # GB/T 4754 letter + digits, e.g. C2614
    size_industry: str | None = None  # a row of the 2011 size table; else from industry_code
    high_tech_field: str | None = None  # 国家重点支持的高新技术领域: name or code like "4.2"
    resident: bool | None = None  # 境内（不含港澳台）注册的居民企业
    independent_legal_person: bool | None = None
    restricted_products: bool | None = None  # products in 禁止、限制、淘汰类
    strategic_emerging_product: bool | None = None  # 主导产品属于战略性新兴产业
    lead_product_field: LeadProductField | None = None
    niche_since: date | None = None  # 开始从事特定细分市场
    digital_level: int | None = None  # 数字化水平等级
    quality_items: int | None = None  # 质量管理水平：满足的项数
    years: tuple[YearFigures, ...] = ()
    ip: tuple[IPRight, ...] | None = None
    certifications: tuple[Certification, ...] | None = None
    incidents: tuple[Incident, ...] | None = None
    listings: tuple[Listing, ...] | None = None
    awards: tuple[Award, ...] | None = None
    standards: tuple[Standard, ...] | None = None
    rd_institutions: tuple[RDInstitution, ...] | None = None
    financing: tuple[Financing, ...] | None = None
    management: Management | None = None
    expert_views: ExpertViews | None = None
    declared_scores: DeclaredScores | None = None
    _by_year: Mapping[int, YearFigures] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        by_year = {figures.year: figures for figures in self.years}
        if len(by_year) != len(self.years):
            raise ValueError("more than one set of figures for a year")
        # Rules look years up on every assessment; the index is built once with the facts.
        object.__setattr__(self, "_by_year", MappingProxyType(by_year))

    def year(self, year: int) -> YearFigures | None:
        return self._by_year.get(year)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
