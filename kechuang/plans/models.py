from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A five-year plan loaded from its YAML file. Several plans live side by side."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("名称"), max_length=300)
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("印发单位"), max_length=200, blank=True)
    issuer_en = models.CharField(_("印发单位（英文）"), max_length=200, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("起始年"))
    period_end = models.PositiveSmallIntegerField(_("终止年"))
    baseline_year = models.PositiveSmallIntegerField(_("基期年"))
    region = models.ForeignKey(
        "indicators.OrgUnit", verbose_name=_("规划区域"), on_delete=models.PROTECT
    )
    summary = models.TextField(_("概要"), blank=True)
    summary_en = models.TextField(_("英文概要"), blank=True)
    source = models.CharField(_("文本来源"), max_length=300, blank=True)
    task_assignment_note = models.TextField(_("任务分工说明"), blank=True)
    task_assignment_note_en = models.TextField(_("任务分工说明（英文）"), blank=True)
    source_file = models.CharField(_("规划文件"), max_length=300, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        ordering = ["-period_start", "code"]
        verbose_name = _("规划")
        verbose_name_plural = _("规划")

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> range:
        return range(self.baseline_year, self.period_end + 1)


class Indicator(models.Model):
    """A plan indicator: a formula over data elements with a target."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")

    class TargetKind(models.TextChoices):
        VALUE = "value", _("数值目标")
        NON_DECREASING = "non_decreasing", _("只增不减")
        NON_INCREASING = "non_increasing", _("只减不增")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("代码"), max_length=64)
    number = models.PositiveSmallIntegerField(_("序号"), null=True, blank=True)
    is_key = models.BooleanField(_("关键指标"), default=True)
    sort_order = models.PositiveIntegerField(default=0)
    name = models.CharField(_("名称"), max_length=300)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    unit = models.CharField(_("计量单位"), max_length=30)
    decimals = models.PositiveSmallIntegerField(_("小数位"), default=2)
    formula = models.CharField(_("公式"), max_length=500)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    target_kind = models.CharField(_("目标类型"), max_length=20, choices=TargetKind.choices)
    target_value = models.DecimalField(
        _("目标值"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("目标年"))
    target_text = models.CharField(_("目标表述"), max_length=300, blank=True)
    target_source = models.CharField(_("指标来源"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    baseline_year = models.PositiveSmallIntegerField(_("基期年"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("基期值"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    baseline_source = models.CharField(_("基期值来源"), max_length=300, blank=True)
    definition = models.TextField(_("定义"), blank=True)
    definition_en = models.TextField(_("英文定义"), blank=True)
    choices = models.JSONField(_("口径选择"), default=list, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    notes_en = models.TextField(_("英文备注"), blank=True)

    class Meta:
        ordering = ["plan", "sort_order"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ValidationRule(models.Model):
    """A DHIS2-style consistency check between two expressions over data elements."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="validation_rules")
    code = models.CharField(_("代码"), max_length=64)
    name = models.CharField(_("名称"), max_length=300)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    left = models.CharField(_("左侧"), max_length=500)
    operator = models.CharField(_("运算符"), max_length=2)
    right = models.CharField(_("右侧"), max_length=500)
    importance = models.CharField(_("重要性"), max_length=10)
    missing = models.CharField(_("缺失值处理"), max_length=30)

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="validationrule_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskNode(models.Model):
    """A node of the plan's task tree: 工程 → 行动 → 举措."""

    class Level(models.TextChoices):
        PROJECT = "project", _("工程")
        ACTION = "action", _("行动")
        MEASURE = "measure", _("举措")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("编号"), max_length=32)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    sort_order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("名称"), max_length=300)
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    summary = models.TextField(_("概要"), blank=True)
    summary_en = models.TextField(_("英文概要"), blank=True)
    lead_department = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    co_departments = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("配合单位"),
        blank=True,
        related_name="co_tasks",
    )

    class Meta:
        ordering = ["plan", "sort_order"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="tasknode_code_unique"),
        ]
        indexes = [models.Index(fields=["lead_department", "plan"], name="task_lead_plan")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
