"""The enterprise registry: who the enterprises are, their yearly figures, IP and titles.

Choice values mirror the enums of ``kechuang.core.criteria.facts`` string for string, so that
building the rules' facts from the registry is a direct copy (a test keeps the two in step).
Money is Decimal yuan; ``None`` means "not declared", never zero.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _money(label):
    return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)


def _declared(label):
    # 是 / 否 / not declared: None must stay distinct from "no" for the rules.
    return models.BooleanField(label, null=True, blank=True)


def _people(label):
    # Yearly averages of monthly averages (工作指引) are not whole numbers.
    return models.DecimalField(label, max_digits=10, decimal_places=2, null=True, blank=True)


class Industry(models.Model):
    """A code of GB/T 4754-2017 国民经济行业分类, loaded from data/codes by ``load-codes``.

    ``code`` is the section letter followed by the digits ("C", "C26", "K701"), the form the
    rules' facts use. ``size_category`` is the row of the 2011 SME size table it falls under;
    blank where the code is too coarse to tell (K70 房地产业 spans two rows) or the 2011 rule
    does not apply.
    """

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    class SizeCategory(models.TextChoices):
        AGRICULTURE = "agriculture", _("农林牧渔业")
        INDUSTRY = "industry", _("工业")
        CONSTRUCTION = "construction", _("建筑业")
        WHOLESALE = "wholesale", _("批发业")
        RETAIL = "retail", _("零售业")
        TRANSPORT = "transport", _("交通运输业")
        WAREHOUSING = "warehousing", _("仓储业")
        POSTAL = "postal", _("邮政业")
        ACCOMMODATION = "accommodation", _("住宿业")
        CATERING = "catering", _("餐饮业")
        INFORMATION_TRANSMISSION = "information_transmission", _("信息传输业")
        SOFTWARE_IT = "software_it", _("软件和信息技术服务业")
        REAL_ESTATE_DEVELOPMENT = "real_estate_development", _("房地产开发经营")
        PROPERTY_MANAGEMENT = "property_management", _("物业管理")
        LEASING_BUSINESS_SERVICES = "leasing_business_services", _("租赁和商务服务业")
        OTHER = "other", _("其他未列明行业")

    code = models.CharField(_("行业代码"), max_length=8, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    section = models.CharField(_("门类"), max_length=1, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    size_category = models.CharField(
        _("划型行业"), max_length=32, choices=SizeCategory.choices, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def digits(self) -> str:
        """The code as the standard prints it (26, 701); a section is its letter."""
        return self.code[1:] or self.code


class Park(models.Model):
    """An industrial park (园区) an enterprise sits in."""

    code = models.SlugField(_("园区代码"), max_length=32, unique=True)
    name = models.CharField(_("园区名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """An enterprise, identified by its 统一社会信用代码 (GB 32100)."""

    class Ownership(models.TextChoices):
        STATE_OWNED = "state_owned", _("国有")
        COLLECTIVE = "collective", _("集体")
        PRIVATE = "private", _("私营")
        FOREIGN = "foreign", _("外商投资")
        HMT = "hmt", _("港澳台投资")
        OTHER = "other", _("其他")

    class HighTechField(models.TextChoices):
        """国家重点支持的高新技术领域, first level; values are the names the HNTE rules read."""

        ELECTRONIC_INFORMATION = "电子信息", _("电子信息")
        BIO_MEDICINE = "生物与新医药", _("生物与新医药")
        AEROSPACE = "航空航天", _("航空航天")
        NEW_MATERIALS = "新材料", _("新材料")
        HIGH_TECH_SERVICES = "高技术服务", _("高技术服务")
        NEW_ENERGY = "新能源与节能", _("新能源与节能")
        RESOURCES_ENVIRONMENT = "资源与环境", _("资源与环境")
        ADVANCED_MANUFACTURING = "先进制造与自动化", _("先进制造与自动化")

    class AdvancementView(models.TextChoices):
        """Pre-assessment view of the IP's technical advancement (values as the rules')."""

        HIGH = "high", _("高")
        FAIRLY_HIGH = "fairly_high", _("较高")
        AVERAGE = "average", _("一般")
        LOW = "low", _("较低")
        NONE = "none", _("无")

    class SupportView(models.TextChoices):
        """Pre-assessment view of how strongly the IP supports the main products."""

        STRONG = "strong", _("强")
        FAIRLY_STRONG = "fairly_strong", _("较强")
        AVERAGE = "average", _("一般")
        WEAK = "weak", _("较弱")
        NONE = "none", _("无")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    registered_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("注册地址"), max_length=300, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属行业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("所在园区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    ownership = models.CharField(
        _("登记注册类型"), max_length=16, choices=Ownership.choices, blank=True, db_index=True
    )
    high_tech_field = models.CharField(
        _("高新技术领域"), max_length=16, choices=HighTechField.choices, blank=True, db_index=True
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    # The login side of the enterprise: its users belong to this organisation.
    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("对应单位"),
        on_delete=models.PROTECT,
        related_name="enterprise",
    )
    service_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务专员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_enterprises",
    )
    in_district = models.BooleanField(_("区内企业"), default=True, db_index=True)
    # Standing declarations the rules need; None = not declared (the rules ask for it).
    resident = _declared(_("境内注册居民企业"))
    restricted_products = _declared(_("产品属于禁止、限制或淘汰类"))
    # 研究开发组织管理水平 (工作指引), the eleven declared elements.
    rd_management_system = _declared(_("研发组织管理制度"))
    rd_accounting_system = _declared(_("研发投入核算体系"))
    rd_ledger = _declared(_("研发费用辅助账"))
    rd_organisation = _declared(_("内部研发机构及科研条件"))
    industry_university_cooperation = _declared(_("产学研合作"))
    conversion_incentives = _declared(_("成果转化组织实施与激励奖励制度"))
    open_innovation_platform = _declared(_("开放式创新创业平台"))
    talent_training = _declared(_("科技人员培养进修"))
    skills_training = _declared(_("职工技能培训"))
    talent_recruitment = _declared(_("优秀人才引进"))
    performance_rewards = _declared(_("人才绩效评价奖励制度"))
    # A pre-assessment's (or expert panel's) views; blank = not given.
    ip_advancement = models.CharField(
        _("知识产权技术先进程度（预评）"),
        max_length=12,
        choices=AdvancementView.choices,
        blank=True,
    )
    ip_core_support = models.CharField(
        _("知识产权对主要产品的核心支持作用（预评）"),
        max_length=16,
        choices=SupportView.choices,
        blank=True,
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    MANAGEMENT_FIELDS = (
        "rd_management_system",
        "rd_accounting_system",
        "rd_ledger",
        "rd_organisation",
        "industry_university_cooperation",
        "conversion_incentives",
        "open_innovation_platform",
        "talent_training",
        "skills_training",
        "talent_recruitment",
        "performance_rewards",
    )
    DECLARATION_FIELDS = ("resident", "restricted_products", *MANAGEMENT_FIELDS)
    VIEW_FIELDS = ("ip_advancement", "ip_core_support")

    class Meta:
        ordering = ["name", "uscc"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name


class YearlyFigures(models.Model):
    """One accounting year of an enterprise's figures, with provenance and approval.

    Staff counts are yearly averages of monthly averages (工作指引). R&D expense is kept by its
    eight categories at cost; outsourced R&D is split into domestic and overseas parts so the
    rules can compute the domestic share and the 80% rate themselves.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)

    operating_revenue = _money(_("营业收入"))
    main_revenue = _money(_("主营业务收入"))
    other_revenue = _money(_("其他业务收入"))
    total_income = _money(_("收入总额"))
    non_taxable_income = _money(_("不征税收入"))
    high_tech_income = _money(_("高新技术产品（服务）收入"))
    technical_income = _money(_("技术性收入"))

    rd_personnel = _money(_("研发费用：人员人工费用"))
    rd_direct_inputs = _money(_("研发费用：直接投入费用"))
    rd_depreciation = _money(_("研发费用：折旧费用与长期待摊费用"))
    rd_amortization = _money(_("研发费用：无形资产摊销费用"))
    rd_design = _money(_("研发费用：设计费用"))
    rd_trials = _money(_("研发费用：装备调试费用与试验费用"))
    rd_outsourced_domestic = _money(_("研发费用：委托境内外部研发费用"))
    rd_outsourced_overseas = _money(_("研发费用：委托境外研发费用"))
    rd_other = _money(_("研发费用：其他费用"))
    rd_domestic = _money(_("境内研究开发费用"))

    employees = _people(_("职工总数"))
    st_staff = _people(_("科技人员数"))
    rd_staff = _people(_("研发人员数"))

    total_assets = _money(_("资产总额"))
    liabilities = _money(_("负债总额"))
    net_assets = _money(_("净资产"))
    net_profit = _money(_("净利润"))
    cost_and_expense_total = _money(_("成本费用支出总额"))
    conversions = models.PositiveSmallIntegerField(_("科技成果转化数"), null=True, blank=True)

    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="figures_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    RD_PARTS = (
        "rd_personnel",
        "rd_direct_inputs",
        "rd_depreciation",
        "rd_amortization",
        "rd_design",
        "rd_trials",
        "rd_outsourced_domestic",
        "rd_outsourced_overseas",
        "rd_other",
    )

    @property
    def rd_total(self):
        """All R&D booked, at cost; None when no category was declared."""
        parts = [getattr(self, f) for f in self.RD_PARTS]
        if all(p is None for p in parts):
            return None
        return sum(p for p in parts if p is not None)

    @property
    def net_assets_value(self):
        """净资产 as declared, else 资产总额 − 负债总额."""
        if self.net_assets is not None:
            return self.net_assets
        if self.total_assets is None or self.liabilities is None:
            return None
        return self.total_assets - self.liabilities


class IntellectualProperty(models.Model):
    """A patent, software copyright or other right the enterprise holds or has applied for."""

    class Kind(models.TextChoices):
        INVENTION_PATENT = "invention_patent", _("发明专利")
        DEFENCE_PATENT = "defence_patent", _("国防专利")
        PLANT_VARIETY = "plant_variety", _("植物新品种")
        CROP_VARIETY = "crop_variety", _("国家级农作物品种")
        NEW_DRUG = "new_drug", _("国家新药")
        TCM_PROTECTED = "tcm_protected", _("国家一级中药保护品种")
        IC_LAYOUT = "ic_layout", _("集成电路布图设计专有权")
        UTILITY_MODEL = "utility_model", _("实用新型专利")
        DESIGN_PATENT = "design_patent", _("外观设计专利")
        SOFTWARE_COPYRIGHT = "software_copyright", _("软件著作权")
        TRADEMARK = "trademark", _("商标")
        OTHER = "other", _("其他")

    class IPClass(models.TextChoices):
        I = "I", _("Ⅰ类")  # noqa: E741 - the official name of the class
        II = "II", _("Ⅱ类")
        NONE = "none", _("不计类别")

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申请")
        GRANTED = "granted", _("已授权")

    class Ownership(models.TextChoices):
        SOLE = "sole", _("独有")
        CO_OWNED = "co_owned", _("共有")

    class Acquisition(models.TextChoices):
        SELF_DEVELOPED = "self_developed", _("自主研发")
        TRANSFERRED = "transferred", _("受让")
        DONATED = "donated", _("受赠")
        MERGED = "merged", _("并购")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="ip"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    ip_class = models.CharField(_("类别"), max_length=4, choices=IPClass.choices)
    number = models.CharField(_("号码"), max_length=64)
    title = models.CharField(_("名称"), max_length=300)
    applied_on = models.DateField(_("申请日"), null=True, blank=True)
    granted_on = models.DateField(_("授权日"), null=True, blank=True)
    status = models.CharField(
        _("法律状态"), max_length=10, choices=Status.choices, default=Status.GRANTED
    )
    valid = models.BooleanField(_("有效"), default=True, db_index=True)
    ownership = models.CharField(
        _("权属"), max_length=10, choices=Ownership.choices, default=Ownership.SOLE
    )
    acquisition = models.CharField(
        _("获得方式"),
        max_length=16,
        choices=Acquisition.choices,
        default=Acquisition.SELF_DEVELOPED,
    )
    # A Ⅱ类 right may serve one HNTE application only: where it was used, if anywhere.
    used_for_hnte_application = models.CharField(_("已用于高企申报"), max_length=200, blank=True)
    high_value = models.BooleanField(_("高价值知识产权"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["enterprise", "kind", "number"]
        verbose_name = _("知识产权")
        verbose_name_plural = _("知识产权")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "number"], name="ip_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_number}"

    PATENT_KINDS = ("invention_patent", "utility_model", "design_patent")

    @property
    def display_number(self) -> str:
        """A granted patent is cited as ZL + its application number."""
        granted = self.status == self.Status.GRANTED and self.kind in self.PATENT_KINDS
        return f"ZL{self.number}" if granted else self.number


class Certification(models.Model):
    """A title the enterprise holds (高新技术企业, 科技型中小企业…) with its validity."""

    class Kind(models.TextChoices):
        HNTE = "hnte", _("高新技术企业")
        TECH_SME = "tech_sme", _("科技型中小企业")
        INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")
        TECH_INNOVATIVE_SME = "tech_innovative_sme", _("科技和创新型中小企业")
        SPECIALIZED_SME = "specialized_sme", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("专精特新“小巨人”企业")
        TECH_INNOVATION_DEMO = "tech_innovation_demo", _("国家技术创新示范企业")
        IP_ADVANTAGE = "ip_advantage", _("国家知识产权优势企业")
        IP_DEMONSTRATION = "ip_demonstration", _("国家知识产权示范企业")
        MAKER_CHINA_TOP500 = "maker_china_top500", _("“创客中国”全国500强企业")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="certifications"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    number = models.CharField(_("证书编号"), max_length=64, blank=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    issuer = models.CharField(_("发证机关"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["enterprise", "kind", "-issued_on"]
        verbose_name = _("资质认定")
        verbose_name_plural = _("资质认定")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "issued_on"], name="certification_once_per_day"
            ),
        ]
        indexes = [models.Index(fields=["kind", "expires_on"], name="certification_kind_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class EnterpriseEvent(models.Model):
    """Something on the enterprise's record the rules weigh: an incident, a listing on a
    credit list, an award, a standard it led or joined, a recognised R&D institution.

    One table with a category; which of kind, level, role and rank apply depends on it, and the
    service checks that (``date`` is when it happened, was listed, awarded, published or
    recognised; ``ended_on`` is when a listing was lifted).
    """

    class Category(models.TextChoices):
        INCIDENT = "incident", _("事故与违法")
        LISTING = "listing", _("名录与名单")
        AWARD = "award", _("科技奖励")
        STANDARD = "standard", _("标准制定")
        INSTITUTION = "institution", _("研发机构")

    class Kind(models.TextChoices):
        SAFETY = "safety", _("重大安全事故")
        QUALITY = "quality", _("重大质量事故")
        ENVIRONMENTAL = "environmental", _("严重环境违法行为")
        NETWORK_DATA_SECURITY = "network_data_security", _("网络安全、数据安全事件")
        TAX_EVASION = "tax_evasion", _("偷税漏税")
        RESEARCH_INTEGRITY = "research_integrity", _("科研严重失信")
        ABNORMAL_OPERATION = "abnormal_operation", _("经营异常名录")
        SERIOUS_DISHONESTY = "serious_dishonesty", _("严重违法失信名单")

    class Level(models.TextChoices):
        INTERNATIONAL = "international", _("国际")
        NATIONAL = "national", _("国家级")
        MINISTERIAL = "ministerial", _("省部级（部委）")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        COUNTY = "county", _("县区级")
        INDUSTRY = "industry", _("行业")
        LOCAL = "local", _("地方")
        GROUP = "group", _("团体")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    class Role(models.TextChoices):
        LEAD = "lead", _("主导制定")
        PARTICIPATE = "participate", _("参与制定")

    INCIDENT_KINDS = (
        "safety",
        "quality",
        "environmental",
        "network_data_security",
        "tax_evasion",
        "research_integrity",
    )
    LISTING_KINDS = ("abnormal_operation", "serious_dishonesty")
    LEVELS = {
        "award": ("national", "ministerial", "provincial", "municipal", "other"),
        "standard": ("international", "national", "industry", "local", "group", "enterprise"),
        "institution": ("national", "ministerial", "provincial", "municipal", "county"),
    }

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="events"
    )
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, blank=True)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("完成单位排名"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=300, blank=True)
    description = models.TextField(_("说明"), blank=True)
    date = models.DateField(_("日期"))
    ended_on = models.DateField(_("移出日期"), null=True, blank=True)
    serious = models.BooleanField(_("重大/严重"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["enterprise", "-date", "-id"]
        verbose_name = _("企业记录事项")
        verbose_name_plural = _("企业记录事项")
        indexes = [models.Index(fields=["category", "kind", "date"], name="event_category_kind")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.date:%Y-%m-%d}"


class ImportJob(models.Model):
    """One uploaded file being checked and imported in the background, with its progress."""

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", _("企业名录")
        FIGURES = "figures", _("年度数据")
        IP = "ip", _("知识产权")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未导入")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("等待处理")
        CHECKING = "checking", _("逐行校验")
        WRITING = "writing", _("写入数据库")
        FINISHED = "finished", _("结束")

    MAX_PROBLEMS = 1000

    kind = models.CharField(_("导入内容"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    approve = models.BooleanField(_("导入即审核"), default=False)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    phase = models.CharField(_("阶段"), max_length=8, choices=Phase.choices, default=Phase.WAITING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_checked = models.PositiveIntegerField(_("已校验行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写入行数"), default=0)
    # The first MAX_PROBLEMS problems as {where, zh, en}; problem_count says how many in all.
    problems = models.JSONField(_("问题"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("问题数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        """Checking is the first half of the work, writing the second."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        half = 50 * (self.rows_checked + self.rows_done) // self.rows_total
        return min(half, 99)
