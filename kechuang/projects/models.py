"""Approved S&T projects from contract (任务书) to acceptance (验收).

A project is created from an approved application and carries its own copy of what was
approved (amount, dates, lead person) because later change requests alter them. History is
kept: state changes, approved changes (with before and after) and the disbursement ledger are
append-only; every other write is audited by django-auditlog.

Money is Decimal yuan (万元 only in display).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.projects import logic


def _money(label):
    return models.DecimalField(label, max_digits=16, decimal_places=2)


def _user(label, *, null: bool = False):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
    )


class Project(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("实施中")
        MIDTERM = "midterm", _("中期评估")
        ACCEPTANCE = "acceptance", _("验收中")
        PASSED = "passed", _("通过")
        CONCLUDED = "concluded", _("结题")
        FAILED = "failed", _("不通过")
        TERMINATED = "terminated", _("终止")

    code = models.CharField(_("项目编号"), max_length=20, unique=True)
    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("申报书"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    program = models.ForeignKey(
        "calls.Program", verbose_name=_("计划类别"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("承担单位"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("承担企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    title = models.CharField(_("项目名称"), max_length=300)
    fields = models.JSONField(_("技术领域"), default=list, blank=True)
    is_major = models.BooleanField(_("重大项目"), default=False)
    year = models.PositiveSmallIntegerField(_("立项年度"), db_index=True)
    requested_amount = _money(_("申请金额（元）"))
    approved_amount = _money(_("批准财政资金（元）"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), db_index=True)
    lead_person = models.CharField(_("项目负责人"), max_length=50)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.IN_PROGRESS, db_index=True
    )
    signed_on = models.DateField(_("任务书签订日期"), null=True, blank=True)
    signed_by = _user(_("签订确认人"), null=True)
    created_by = _user(_("立项人"))
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("科技项目")
        verbose_name_plural = _("科技项目")
        indexes = [
            models.Index(fields=["organization", "state"], name="project_org_state"),
            models.Index(fields=["program", "year"], name="project_program_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    BADGES = {
        "in_progress": "good",
        "midterm": "warn",
        "acceptance": "warn",
        "passed": "ok",
        "concluded": "ok",
        "failed": "bad",
        "terminated": "none",
    }

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def is_active(self) -> bool:
        return self.state in logic.ACTIVE

    @property
    def is_running(self) -> bool:
        return self.state in logic.RUNNING

    @property
    def is_unsuccessful(self) -> bool:
        return self.state in logic.UNSUCCESSFUL

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]


class ProjectStateChange(models.Model):
    """Every state a project passed through, who moved it and why: never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=Project.State.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=20, choices=Project.State.choices)
    note = models.TextField(_("说明"), blank=True)
    changed_by = _user(_("操作人"))
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("项目状态变更")
        verbose_name_plural = _("项目状态变更")
        indexes = [models.Index(fields=["project", "changed_at"], name="project_state_log")]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_state or '—'} → {self.to_state}"


# --- the contract (任务书) ---------------------------------------------------------------------


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("里程碑"), max_length=300)
    due_on = models.DateField(_("计划完成日期"), db_index=True)
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True, db_index=True)
    evidence_note = models.TextField(_("完成情况说明"), blank=True)
    done_by = _user(_("确认人"), null=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("项目里程碑")
        verbose_name_plural = _("项目里程碑")
        constraints = [
            models.UniqueConstraint(fields=["project", "title"], name="project_milestone_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Deliverable(models.Model):
    """A contracted result with its target quantity, compared with the outcomes at acceptance."""

    class Kind(models.TextChoices):
        PATENT = "patent", _("专利")
        PRODUCT = "product", _("新产品")
        STANDARD = "standard", _("标准")
        PAPER = "paper", _("论文")
        SOFTWARE = "software", _("软件著作权")
        OTHER = "other", _("其他")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("考核指标"), max_length=300)
    target_quantity = models.PositiveIntegerField(_("目标数量"))

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_quantity}"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        EQUIPMENT = "equipment", _("设备费")
        MATERIALS = "materials", _("材料费")
        TESTING = "testing", _("测试化验加工费")
        TRAVEL = "travel", _("差旅会议费")
        LABOUR = "labour", _("劳务费")
        CONSULTING = "consulting", _("专家咨询费")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        FISCAL = "fiscal", _("财政资金")
        SELF = "self", _("自筹资金")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("预算科目"), max_length=20, choices=Category.choices)
    source = models.CharField(_("资金来源"), max_length=10, choices=Source.choices)
    amount = _money(_("金额（元）"))

    class Meta:
        ordering = ["source", "category"]
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source", "category"], name="project_budget_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.get_category_display()} {self.amount}"


class Disbursement(models.Model):
    """One payment of fiscal funds (拨付). The ledger is append-only: rows are never changed."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    amount = _money(_("拨付金额（元）"))
    paid_on = models.DateField(_("拨付日期"), db_index=True)
    batch_note = models.CharField(_("批次说明"), max_length=200, blank=True)
    recorded_by = _user(_("登记人"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        indexes = [models.Index(fields=["project", "paid_on"], name="disbursement_project")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.amount} {self.paid_on:%Y-%m-%d}"


# --- progress and changes ---------------------------------------------------------------------


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("报告期"), max_length=50)
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MaxValueValidator(100)]
    )
    spend_to_date = _money(_("累计支出（元）"))
    reported_by = _user(_("报告人"))
    reported_at = models.DateTimeField(auto_now_add=True, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("项目进展报告")
        verbose_name_plural = _("项目进展报告")
        indexes = [models.Index(fields=["project", "-reported_at"], name="project_report_date")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period}"


class Attachment(models.Model):
    """A file attached to a progress report, served only after a permission check."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="projects/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展附件")
        verbose_name_plural = _("进展附件")

    def __str__(self) -> str:
        return self.original_name


class ChangeRequest(models.Model):
    """变更申请: what the organisation asks to change; on approval, what it was and became."""

    class Kind(models.TextChoices):
        EXTEND = "extend", _("延长执行期")
        BUDGET = "budget", _("预算科目调剂")
        LEAD = "lead", _("变更项目负责人")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变更类型"), max_length=10, choices=Kind.choices)
    proposed = models.JSONField(_("变更内容"))
    reason = models.TextField(_("变更理由"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    requested_by = _user(_("申请人"))
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = _user(_("审批人"), null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        indexes = [models.Index(fields=["project", "state"], name="project_change_state")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()}"


# --- mid-term evaluation ----------------------------------------------------------------------


class MidtermEvaluation(models.Model):
    """中期绩效评估 of a major project by a randomly drawn expert panel."""

    class Conclusion(models.TextChoices):
        CONTINUE = "continue", _("继续实施")
        ADJUST = "adjust", _("调整后实施")
        STOP = "stop", _("终止实施")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="midterm")
    draw = models.ForeignKey(
        "experts.Draw", verbose_name=_("专家抽取"), on_delete=models.PROTECT, related_name="+"
    )
    started_by = _user(_("发起人"))
    started_at = models.DateTimeField(auto_now_add=True)
    conclusion = models.CharField(
        _("评估结论"), max_length=10, choices=Conclusion.choices, blank=True
    )
    conclusion_note = models.TextField(_("结论说明"), blank=True)
    mean_score = models.DecimalField(
        _("平均分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    concluded_by = _user(_("结论记录人"), null=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("中期评估")
        verbose_name_plural = _("中期评估")

    def __str__(self) -> str:
        return f"{self.project.code} 中期评估"

    @property
    def is_open(self) -> bool:
        return not self.conclusion


class PanelMember(models.Model):
    evaluation = models.ForeignKey(
        MidtermEvaluation, on_delete=models.CASCADE, related_name="panel"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("专家"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("评估专家")
        verbose_name_plural = _("评估专家")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="panel_member_unique")
        ]

    def __str__(self) -> str:
        return str(self.expert)


class MidtermScore(models.Model):
    class Recommendation(models.TextChoices):
        CONTINUE = "continue", _("继续实施")
        ADJUST = "adjust", _("调整后实施")
        STOP = "stop", _("终止实施")

    member = models.OneToOneField(PanelMember, on_delete=models.CASCADE, related_name="score")
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MaxValueValidator(100)])
    opinion = models.TextField(_("评估意见"))
    recommendation = models.CharField(_("建议"), max_length=10, choices=Recommendation.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")

    def __str__(self) -> str:
        return f"{self.member} {self.score}"


# --- acceptance -------------------------------------------------------------------------------


class Acceptance(models.Model):
    """The organisation's application for acceptance (验收) and the bureau's decision."""

    class Result(models.TextChoices):
        PASSED = "passed", _("通过")
        CONCLUDED = "concluded", _("结题")
        FAILED = "failed", _("不通过")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="acceptance")
    summary = models.TextField(_("总结报告"))
    applied_by = _user(_("申请人"))
    applied_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(_("验收结论"), max_length=10, choices=Result.choices, blank=True)
    opinion = models.TextField(_("验收意见"), blank=True)
    decided_on = models.DateField(_("验收日期"), null=True, blank=True)
    decided_by = _user(_("记录人"), null=True)

    class Meta:
        verbose_name = _("验收")
        verbose_name_plural = _("验收")

    def __str__(self) -> str:
        return f"{self.project.code} 验收"


class Outcome(models.Model):
    class Kind(models.TextChoices):
        PATENT_FILED = "patent_filed", _("申请专利（项）")
        PATENT_GRANTED = "patent_granted", _("授权专利（项）")
        PRODUCT = "product", _("新产品（个）")
        STANDARD = "standard", _("标准（项）")
        PAPER = "paper", _("论文（篇）")
        SOFTWARE = "software", _("软件著作权（项）")
        REVENUE = "revenue", _("新增销售收入（元）")
        JOBS = "jobs", _("新增就业（人）")
        OTHER = "other", _("其他")

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("成果类型"), max_length=20, choices=Kind.choices)
    quantity = _money(_("数量"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("项目成果")
        verbose_name_plural = _("项目成果")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"


# --- yearly self-inspection -------------------------------------------------------------------


class SelfInspection(models.Model):
    """自查自纠: the organisation's yearly check of its own project, reviewed by the bureau."""

    class Review(models.TextChoices):
        OK = "ok", _("无问题")
        RECTIFY = "rectify", _("需整改")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    year = models.PositiveSmallIntegerField(_("年度"))
    funds_as_budgeted = models.BooleanField(_("资金按预算使用"))
    milestones_on_time = models.BooleanField(_("里程碑按期完成"))
    team_as_contracted = models.BooleanField(_("团队与任务书一致"))
    outcomes_truthful = models.BooleanField(_("成果真实"))
    issues = models.TextField(_("发现的问题"), blank=True)
    corrective_actions = models.TextField(_("整改措施"), blank=True)
    submitted_by = _user(_("填报人"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    review = models.CharField(_("审核结果"), max_length=10, choices=Review.choices, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = _user(_("审核人"), null=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "project"]
        verbose_name = _("自查自纠")
        verbose_name_plural = _("自查自纠")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="self_inspection_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}"

    @property
    def all_clear(self) -> bool:
        return all(
            (
                self.funds_as_budgeted,
                self.milestones_on_time,
                self.team_as_contracted,
                self.outcomes_truthful,
            )
        )


# --- 容错 and misconduct: two different things, kept apart on purpose --------------------------


class ToleranceRecord(models.Model):
    """容错免责: the project failed although the team was diligent. Not a mark against anyone."""

    class Result(models.TextChoices):
        EXEMPT = "exempt", _("免责")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="tolerances")
    attempted = models.TextField(_("开展的工作"))
    failure_reason = models.TextField(_("未达预期的原因"))
    diligence_evidence = models.TextField(_("勤勉尽责的证明"))
    rationale = models.TextField(_("容错理由"))
    decided_by = _user(_("认定人"))
    decided_on = models.DateField(_("认定日期"))
    outcome = models.CharField(
        _("认定结果"), max_length=10, choices=Result.choices, default=Result.EXEMPT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("容错免责记录")
        verbose_name_plural = _("容错免责记录")

    def __str__(self) -> str:
        return f"{self.project.code} 容错免责"


class MisconductRecord(models.Model):
    """科研失信或违规: a finding against the organisation and the sanction imposed."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="misconducts")
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="misconducts",
    )
    finding = models.TextField(_("认定事实"))
    sanction = models.TextField(_("处理措施"))
    decided_by = _user(_("认定人"))
    decided_on = models.DateField(_("认定日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("科研失信与违规记录")
        verbose_name_plural = _("科研失信与违规记录")
        indexes = [models.Index(fields=["organization", "-decided_on"], name="misconduct_org")]

    def __str__(self) -> str:
        return f"{self.project.code} 失信/违规"
