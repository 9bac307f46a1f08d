"""双随机一公开: a spot-check plan, the objects and inspectors drawn for it, and each check.

A plan fixes its object pool when it is created: the candidate objects go into the record of a
verifiable draw (``experts.Draw``, kind ``inspection_objects``) whose commitment is public
before anything is drawn. Each drawn object becomes a ``Check`` with its own draw of inspectors
(kind ``inspection_inspectors``). History is kept: the plan's state changes and every result and
rectification step of a check are rows that are never edited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _user(label, *, null: bool = False):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
    )


class InspectionPlan(models.Model):
    class Pool(models.TextChoices):
        PROJECTS_RUNNING = "projects_running", _("在研项目")
        PROJECTS_FINISHED = "projects_finished", _("本年度结束的项目")
        HNTE = "hnte", _("高新技术企业")
        CULTIVATION = "cultivation", _("入库培育企业")

    class Sampling(models.TextChoices):
        RATIO = "ratio", _("按比例")
        COUNT = "count", _("按数量")

    class State(models.TextChoices):
        DRAFT = "draft", _("已公布承诺，待抽取对象")
        OBJECTS_DRAWN = "objects_drawn", _("已抽取检查对象")
        INSPECTORS_DRAWN = "inspectors_drawn", _("已抽取检查人员")
        IN_PROGRESS = "in_progress", _("检查中")
        PUBLISHED = "published", _("结果已公开")

    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    pool = models.CharField(_("检查对象库"), max_length=20, choices=Pool.choices, db_index=True)
    sampling = models.CharField(_("抽取方式"), max_length=8, choices=Sampling.choices)
    ratio_pct = models.DecimalField(
        _("抽查比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("抽查数量"), null=True, blank=True)
    inspectors_per_check = models.PositiveSmallIntegerField(_("每组检查人员数"), default=2)
    # Only experts in these fields (any one of them); empty means the whole library.
    inspector_fields = models.JSONField(_("检查人员技术领域"), default=list, blank=True)
    finance_only = models.BooleanField(_("仅科技金融专家"), default=False)
    exclude_recent_months = models.PositiveSmallIntegerField(
        _("排除近几个月已抽查对象"), default=12
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Set in the transaction that creates the plan (the draw names the plan as its subject, so
    # the plan is saved first); never empty once that transaction commits.
    objects_draw = models.OneToOneField(
        "experts.Draw",
        verbose_name=_("检查对象抽取"),
        on_delete=models.PROTECT,
        null=True,
        related_name="inspection_plan",
    )
    created_by = _user(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = _user(_("公开人"), null=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    BADGES = {
        "draft": "draft",
        "objects_drawn": "submitted",
        "inspectors_drawn": "submitted",
        "in_progress": "warn",
        "published": "ok",
    }

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    @property
    def is_project_pool(self) -> bool:
        return self.pool in {self.Pool.PROJECTS_RUNNING, self.Pool.PROJECTS_FINISHED}

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class PlanStateChange(models.Model):
    """Every state a plan passed through and who moved it: never edited."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=InspectionPlan.State.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=20, choices=InspectionPlan.State.choices)
    changed_by = _user(_("操作人"), null=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("抽查计划状态变更")
        verbose_name_plural = _("抽查计划状态变更")
        indexes = [models.Index(fields=["plan", "changed_at"], name="inspection_plan_log")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_state or '—'} → {self.to_state}"


class Check(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        BASIC = "basic", _("基本合格")
        FAIL = "fail", _("不合格")

    class Rectification(models.TextChoices):
        NONE = "", _("无需整改")
        REQUIRED = "required", _("待整改")
        REPORTED = "reported", _("已报整改，待确认")
        DONE = "done", _("整改完成")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveSmallIntegerField(_("抽中顺位"))
    # The candidate id in the objects draw: a project code or a USCC.
    object_code = models.CharField(_("对象编号"), max_length=20, db_index=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_checks",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_checks",
    )
    # The unit inspected: its users see the result, its people may not inspect it.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    # As for the plan's objects draw: set in the transaction that creates the check.
    inspectors_draw = models.OneToOneField(
        "experts.Draw",
        verbose_name=_("检查人员抽取"),
        on_delete=models.PROTECT,
        null=True,
        related_name="inspection_check",
    )
    scheduled_on = models.DateField(_("计划检查日期"), null=True, blank=True, db_index=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True, db_index=True)
    result = models.CharField(
        _("检查结果"), max_length=8, choices=Result.choices, blank=True, db_index=True
    )
    findings = models.TextField(_("检查发现（公开）"), blank=True)
    internal_notes = models.TextField(_("内部记录（不公开）"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectification = models.CharField(
        _("整改情况"),
        max_length=10,
        choices=Rectification.choices,
        blank=True,
        default=Rectification.NONE,
        db_index=True,
    )
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    result_by = _user(_("结果记录人"), null=True)
    result_at = models.DateTimeField(_("结果记录时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("抽中时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="inspection_check_pos"),
            models.UniqueConstraint(fields=["plan", "object_code"], name="inspection_check_once"),
        ]
        indexes = [models.Index(fields=["organization", "plan"], name="inspection_check_org_plan")]

    def __str__(self) -> str:
        return f"{self.object_code} {self.label}"

    @property
    def label(self) -> str:
        """What was inspected, as the public page names it."""
        if self.project_id:
            return self.project.title
        return self.enterprise.name if self.enterprise_id else self.object_code

    RESULT_BADGES = {"pass": "ok", "basic": "warn", "fail": "bad", "": "none"}
    RECTIFICATION_BADGES = {"": "none", "required": "bad", "reported": "submitted", "done": "ok"}

    @property
    def result_badge(self) -> str:
        return self.RESULT_BADGES[self.result]

    @property
    def rectification_badge(self) -> str:
        return self.RECTIFICATION_BADGES[self.rectification]


class Assignment(models.Model):
    """An inspector drawn for a check, in draw order."""

    spot_check = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("检查人员"),
        on_delete=models.PROTECT,
        related_name="inspection_assignments",
    )
    position = models.PositiveSmallIntegerField(_("顺位"))

    class Meta:
        ordering = ["spot_check", "position"]
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")
        constraints = [
            models.UniqueConstraint(
                fields=["spot_check", "expert"], name="inspection_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spot_check_id} #{self.position} {self.expert_id}"


class CheckEvent(models.Model):
    """One step in a check's record: a result (first or corrected) or a rectification step.

    The check's own fields hold the current state; these rows are the history behind it.
    """

    class Kind(models.TextChoices):
        RESULT = "result", _("记录检查结果")
        RECTIFICATION_REPORTED = "reported", _("报送整改情况")
        RECTIFICATION_ACCEPTED = "accepted", _("确认整改完成")
        RECTIFICATION_RETURNED = "returned", _("整改未通过，退回")

    spot_check = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=10, choices=Kind.choices)
    result = models.CharField(_("检查结果"), max_length=8, choices=Check.Result.choices, blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    internal_note = models.TextField(_("内部记录"), blank=True)
    by = _user(_("操作人"), null=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("抽查记录")
        verbose_name_plural = _("抽查记录")
        indexes = [models.Index(fields=["spot_check", "at"], name="inspection_check_event_log")]

    def __str__(self) -> str:
        return f"{self.spot_check_id} {self.kind}"

    @property
    def is_rectification_report(self) -> bool:
        return self.kind == self.Kind.RECTIFICATION_REPORTED


class CheckFile(models.Model):
    """A file that came with a step (inspection record, rectification report); served only
    after a permission check."""

    event = models.ForeignKey(CheckEvent, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="inspections/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("抽查附件")
        verbose_name_plural = _("抽查附件")

    def __str__(self) -> str:
        return self.original_name
