from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """A statistical area figures are reported for (DHIS2's org unit): city, district, park."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialised path ("/650200/650202/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=500, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("统计区域")
        verbose_name_plural = _("统计区域")

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    """A raw figure (GDP, R&D expenditure, population…) that indicators are computed from."""

    class ValueType(models.TextChoices):
        MONEY = "money", _("金额（元）")
        COUNT = "count", _("数量")
        NUMBER = "number", _("数值")
        PERCENT = "percent", _("百分比")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("可加总")
        NONE = "none", _("不可加总")

    code = models.CharField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20)
    value_type = models.CharField(_("数据类型"), max_length=10, choices=ValueType.choices)
    aggregation = models.CharField(
        _("汇总方式"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        related_name="data_elements",
    )
    definition = models.TextField(_("定义"), blank=True)
    definition_en = models.TextField(_("英文定义"), blank=True)
    source = models.CharField(_("数据来源"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("数据元")
        verbose_name_plural = _("数据元")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DataValue(models.Model):
    """One version of one figure for (element, org unit, year).

    Versions are never overwritten: an edit to an approved figure makes a new version, and the
    approved one keeps counting until its successor is approved. Exactly one approved version is
    current per key; at most one draft/submitted revision is open per key.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审核")
        REJECTED = "rejected", _("已退回")

    element = models.ForeignKey(
        DataElement, verbose_name=_("数据元"), on_delete=models.PROTECT, related_name="values"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("统计区域"), on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=6)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_current = models.BooleanField(_("当前有效"), default=False)
    source = models.CharField(_("来源"), max_length=300)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["element__code", "org_unit__path", "year", "-version"]
        verbose_name = _("数据值")
        verbose_name_plural = _("数据值")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "org_unit", "year", "version"], name="datavalue_version_unique"
            ),
            models.UniqueConstraint(
                fields=["element", "org_unit", "year"],
                condition=Q(is_current=True),
                name="datavalue_one_current",
            ),
            models.UniqueConstraint(
                fields=["element", "org_unit", "year"],
                condition=Q(status__in=["draft", "submitted"]),
                name="datavalue_one_open_revision",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="approved"),
                name="datavalue_current_is_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["org_unit", "year", "is_current"], name="datavalue_ou_year_cur"),
            models.Index(fields=["element", "is_current", "year"], name="datavalue_el_cur_year"),
            models.Index(fields=["status", "element"], name="datavalue_status_el"),
            # Covers every read of counting figures (dashboard, roll-ups, recompute) by itself.
            models.Index(
                fields=["element", "year", "org_unit", "value", "is_demo"],
                condition=Q(is_current=True),
                name="datavalue_current_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} {self.org_unit.code} {self.year} v{self.version}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SUBMITTED}
