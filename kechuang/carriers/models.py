"""Innovation carriers (创新载体): labs, centres, incubators, workstations, 科普基地.

A carrier is recognised at a level on a date and hosted by an organisation (an enterprise's
organisation when the host is a registered enterprise). Its yearly metrics are reported by the
bureau or by the host's own users and approved by the bureau; every submission, approval and
return is kept as a log row with the values as they stood.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Carrier(models.Model):
    class Kind(models.TextChoices):
        KEY_LAB = "key_lab", _("重点实验室")
        ENGINEERING_CENTER = "engineering_center", _("工程技术研究中心")
        ENTERPRISE_TECH_CENTER = "enterprise_tech_center", _("企业技术中心")
        NEW_RD_INSTITUTION = "new_rd_institution", _("新型研发机构")
        INNOVATION_CENTER = "innovation_center", _("创新中心")
        TESTING_CENTER = "testing_center", _("检测中心")
        MAKERSPACE = "makerspace", _("众创空间")
        SEEDBED = "seedbed", _("创业苗圃")
        INCUBATOR = "incubator", _("孵化器")
        ACCELERATOR = "accelerator", _("加速器")
        EXPERT_WORKSTATION = "expert_workstation", _("专家工作站")
        TALENT_WORKSTATION = "talent_workstation", _("人才工作站")
        POPULARIZATION_BASE = "popularization_base", _("科普基地")
        IUR_BASE = "iur_base", _("产学研基地")
        OTHER = "other", _("其他")

    # Incubation carriers report space, firms and money; the others report people and outputs.
    INCUBATION_KINDS = frozenset({"makerspace", "seedbed", "incubator", "accelerator"})

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        REGIONAL = "regional", _("自治区级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区级")

    class Status(models.TextChoices):
        ACTIVE = "active", _("运行中")
        RECTIFYING = "rectifying", _("整改")
        REVOKED = "revoked", _("撤销")

    name = models.CharField(_("载体名称"), max_length=200, unique=True)
    kind = models.CharField(_("载体类型"), max_length=24, choices=Kind.choices, db_index=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    host = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        related_name="carriers",
    )
    recognised_on = models.DateField(_("认定（成立）日期"), db_index=True)
    recognised_by = models.CharField(_("认定部门"), max_length=200, blank=True)
    valid_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    description = models.TextField(_("简介"), blank=True)
    # Internal: who the bureau calls. Never in public rows.
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    is_public = models.BooleanField(_("公开"), default=True, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("创新载体")
        verbose_name_plural = _("创新载体")
        indexes = [
            models.Index(fields=["kind", "level", "status"], name="carrier_kind_level_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_incubation(self) -> bool:
        return self.kind in self.INCUBATION_KINDS


class CarrierStatusChange(models.Model):
    """One change of a carrier's status (运行中 → 整改 → 撤销…), with who and why."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("载体"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=10, choices=Carrier.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=10, choices=Carrier.Status.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["carrier", "-changed_at", "-id"]
        verbose_name = _("载体状态变更")
        verbose_name_plural = _("载体状态变更")

    def __str__(self) -> str:
        return f"{self.carrier} {self.from_status}→{self.to_status}"


class CarrierMetrics(models.Model):
    """One year of a carrier's figures. Which fields apply depends on the carrier's kind."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("已退回")

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("载体"), on_delete=models.CASCADE, related_name="metrics"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    # Incubation carriers (众创空间, 创业苗圃, 孵化器, 加速器).
    area_m2 = models.DecimalField(
        _("场地面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    firms_incubating = models.PositiveIntegerField(_("在孵企业数"), null=True, blank=True)
    firms_graduated = models.PositiveIntegerField(_("毕业企业数"), null=True, blank=True)
    jobs = models.PositiveIntegerField(_("带动就业人数"), null=True, blank=True)
    investment_raised = models.DecimalField(
        _("在孵企业获得投融资"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # Labs, centres, workstations and the rest.
    staff = models.PositiveIntegerField(_("研发人员数"), null=True, blank=True)
    projects = models.PositiveIntegerField(_("承担项目数"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("专利数"), null=True, blank=True)
    papers = models.PositiveIntegerField(_("论文数"), null=True, blank=True)
    standards = models.PositiveIntegerField(_("标准数"), null=True, blank=True)

    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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

    INCUBATION_FIELDS = (
        "area_m2",
        "firms_incubating",
        "firms_graduated",
        "jobs",
        "investment_raised",
    )
    RD_FIELDS = ("staff", "projects", "patents", "papers", "standards")
    VALUE_FIELDS = INCUBATION_FIELDS + RD_FIELDS
    DECIMAL_FIELDS = frozenset({"area_m2", "investment_raised"})

    class Meta:
        ordering = ["carrier", "-year"]
        verbose_name = _("载体年度数据")
        verbose_name_plural = _("载体年度数据")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "year"], name="carrier_metrics_one_per_year"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="carrier_metrics_year_status")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year}"

    def values(self) -> dict:
        return {k: getattr(self, k) for k in self.VALUE_FIELDS}


class CarrierMetricsLog(models.Model):
    """Each submission, approval and return of a year's metrics, with the values at that moment."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        APPROVED = "approved", _("审核通过")
        RETURNED = "returned", _("退回")

    metrics = models.ForeignKey(
        CarrierMetrics, verbose_name=_("年度数据"), on_delete=models.CASCADE, related_name="log"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    values = models.JSONField(_("数值"), default=dict)
    comment = models.CharField(_("说明"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("载体年度数据记录")
        verbose_name_plural = _("载体年度数据记录")

    def __str__(self) -> str:
        return f"{self.metrics} {self.action}"
