from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Milestone(models.Model):
    """A dated deliverable of a task, against which lateness is judged."""

    task = models.ForeignKey("plans.TaskNode", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("里程碑"), max_length=300)
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    due_on = models.DateField(_("计划完成日期"), db_index=True)
    completed_on = models.DateField(_("实际完成日期"), null=True, blank=True, db_index=True)
    # Who vouched for completion: shown beside the date, so a reader need not dig the audit log.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        constraints = [
            models.UniqueConstraint(fields=["task", "title"], name="milestone_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A department's report on a task: what was done, how far along, with evidence."""

    task = models.ForeignKey(
        "plans.TaskNode", on_delete=models.CASCADE, related_name="progress_reports"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("进展情况"))
    reported_on = models.DateField(_("报告日期"), db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("报告单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        indexes = [models.Index(fields=["task", "-reported_on"], name="progress_task_date")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.percent}%"


class Evidence(models.Model):
    """A file attached to a progress report, served only after a permission check."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    # Fixes the file's identity at upload: a later swap on disk would be detectable.
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Supervision(models.Model):
    """A 督办 notice: bureau staff press a department on a late task and track the reply."""

    task = models.ForeignKey(
        "plans.TaskNode", on_delete=models.CASCADE, related_name="supervisions"
    )
    department = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    reason = models.TextField(_("督办事项"))
    respond_by = models.DateField(_("回复期限"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(_("回复"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["closed_at", "respond_by"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        indexes = [models.Index(fields=["department", "closed_at"], name="supervision_dept_open")]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
