"""A generated report: what was asked for, how far its generation has got, and the file.

Reports are never overwritten: regenerating one makes a new ``Report`` with the next version
number for the same subject, so every file handed out stays available as it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Kind(models.TextChoices):
        YEARLY = "yearly", _("年度监测报告")
        FINAL = "final", _("终期评估报告")
        ENTERPRISE = "enterprise", _("企业概况")
        DEPARTMENT = "department", _("部门任务报告")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("报告类型"), max_length=12, choices=Kind.choices, db_index=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("规划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    # "yearly:plan=3:year=2024": versions of one report share it (and are unique within it).
    subject = models.CharField(max_length=100, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    state = models.CharField(
        _("状态"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), null=True, blank=True)
    # Fixes the file's identity when it is written: a later change on disk would be detectable.
    sha256 = models.CharField(max_length=64, blank=True)
    # Notes the report itself carries (sections without data, charts without a CJK font…).
    notes = models.JSONField(_("说明"), default=list, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        indexes = [
            models.Index(fields=["kind", "plan", "year", "-version"], name="report_plan_subject"),
            models.Index(fields=["enterprise", "-created_at"], name="report_enterprise"),
            models.Index(fields=["department", "-created_at"], name="report_department"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subject", "version"], name="report_version_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def badge(self) -> str:
        return {"done": "ok", "failed": "bad", "running": "good"}.get(self.state, "none")

    @staticmethod
    def subject_of(kind: str, *, plan=None, year=None, enterprise=None, department=None) -> str:
        parts = [kind]
        for name, value in (
            ("plan", plan and plan.pk),
            ("year", year),
            ("enterprise", enterprise and enterprise.pk),
            ("department", department and department.pk),
        ):
            if value is not None:
                parts.append(f"{name}={value}")
        return ":".join(parts)
