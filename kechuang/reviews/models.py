"""Expert review of applications (专家评审): a panel per application drawn verifiably from the
expert library, the experts' assignments and score sheets, the panel's decision and the call's
published result (公示).

A panel's result (``Panel.result``: each expert's total, mean, trimmed mean, final score, spread
warnings, per-criterion means) is what ``kechuang.core.review.aggregate`` returns for the panel's
final sheets. It is written by the same transaction that finalises a sheet, never on read: the
criteria are frozen once the review starts and a final sheet cannot change, so nothing else can
make it differ from a recomputation (``services.recompute_result`` and its test check that).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_REASON = 500
MAX_COMMENT = 2000


class Panel(models.Model):
    """评审组: the experts drawn to review one application."""

    class State(models.TextChoices):
        # The draw record (pool, exclusions, commitment) is public; the draw is not made yet.
        COMMITTED = "committed", _("待抽取")
        ACTIVE = "active", _("评审中")

    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="panel",
    )
    # The application's call again, so the review board reads a call's panels by one index.
    call = models.ForeignKey(
        "calls.Call", verbose_name=_("申报指南"), on_delete=models.PROTECT, related_name="panels"
    )
    # The panel's latest draw: the first one, or the supplementary draw staff opened.
    draw = models.ForeignKey(
        "experts.Draw", verbose_name=_("抽取"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.COMMITTED
    )
    # Set when the draw came up short or the alternates ran out: staff must act.
    needs_attention = models.BooleanField(_("需处理"), default=False)
    attention_zh = models.CharField(_("需处理原因"), max_length=300, blank=True)
    attention_en = models.CharField(_("需处理原因（英文）"), max_length=300, blank=True)
    sheets = models.PositiveSmallIntegerField(_("已收评分表"), default=0)
    final_score = models.DecimalField(
        _("最终得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    has_warning = models.BooleanField(_("分差预警"), default=False)
    result = models.JSONField(_("评审结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        indexes = [models.Index(fields=["call", "state"], name="panel_call_state")]

    def __str__(self) -> str:
        return f"{self.application.code} {_('评审组')}"


class Assignment(models.Model):
    """One expert on one panel: invited, accepted, conflicted out, or with the sheet submitted."""

    class State(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ACCEPTED = "accepted", _("已接受")
        CONFLICT = "conflict", _("已回避")
        SUBMITTED = "submitted", _("已提交评分")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    # The draw that chose the expert, as chosen member or as alternate.
    draw = models.ForeignKey(
        "experts.Draw", verbose_name=_("抽取"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.INVITED, db_index=True
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("替补"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    reason = models.CharField(_("产生方式"), max_length=MAX_REASON)
    conflict_reason = models.TextField(_("回避理由"), blank=True)
    overall_comment = models.TextField(_("总体评价"), blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    saved_at = models.DateTimeField(_("保存时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["panel_id", "position"]
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="assignment_panel_expert"),
            models.UniqueConstraint(fields=["panel", "position"], name="assignment_position"),
        ]
        indexes = [
            models.Index(fields=["expert", "state"], name="assignment_expert_state"),
            models.Index(fields=["panel", "state"], name="assignment_panel_state"),
        ]

    def __str__(self) -> str:
        return f"{self.panel_id}#{self.position} {self.expert_id}"

    @property
    def is_active(self) -> bool:
        return self.state != self.State.CONFLICT

    @property
    def is_open(self) -> bool:
        """The expert may still change the sheet (deadline aside)."""
        return self.state in (self.State.INVITED, self.State.ACCEPTED)


class Score(models.Model):
    """One criterion of an expert's sheet: the score on that criterion's scale and a comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "calls.Criterion", verbose_name=_("评审指标"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty in a draft whose expert has written the comment but not yet chosen the score.
    score = models.DecimalField(_("评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        ordering = ["assignment_id", "criterion__order", "criterion_id"]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.criterion_id}: {self.score}"


class Decision(models.Model):
    """The panel's decision on one application; it takes effect when the call's result is
    published, so until then it may be revised (each version is in the audit trail)."""

    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="review_decision",
    )
    approved = models.BooleanField(_("同意立项"))
    amount = models.DecimalField(
        _("立项资金（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    opinion = models.TextField(_("评审组意见"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("记录时间"))

    class Meta:
        ordering = ["application_id"]
        verbose_name = _("评审决定")
        verbose_name_plural = _("评审决定")

    def __str__(self) -> str:
        return f"{self.application_id} {'✓' if self.approved else '✗'}"


class Notice(models.Model):
    """A call's published result (立项公示): from this moment decisions are states, applicants
    see their scores and the panel experts' names are public."""

    call = models.OneToOneField(
        "calls.Call", verbose_name=_("申报指南"), on_delete=models.PROTECT, related_name="notice"
    )
    published_at = models.DateTimeField(_("公示时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("立项公示")
        verbose_name_plural = _("立项公示")

    def __str__(self) -> str:
        return f"{self.call_id} {self.published_at:%Y-%m-%d}"
