"""S&T programs, calls for applications (申报指南), applications and their state history.

Money is Decimal yuan. An application's state only changes through
``kechuang.calls.services.record_state``, which writes a ``StateChange`` row every time, so the
history of every application is complete, whichever app moved it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=16, decimal_places=2, **kwargs)


class Program(models.Model):
    """科技计划类别: a kind of S&T program the bureau issues calls under."""

    class Kind(models.TextChoices):
        MAJOR = "major", _("重大科技专项")
        KEY_RD = "key_rd", _("重点研发")
        TRANSFER = "transfer", _("成果转化")
        PLATFORM = "platform", _("创新平台建设")
        OTHER = "other", _("其他")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, db_index=True)
    # Major projects get a mid-term performance evaluation (推行科技重大专项中期绩效评估).
    is_major = models.BooleanField(_("重大项目"), default=False)
    description = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("科技计划")
        verbose_name_plural = _("科技计划")

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """申报指南/通知: a call for applications with its window, budget and conditions."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已截止")
        REVIEWING = "reviewing", _("评审中")
        DECIDED = "decided", _("已立项")

    class Window(models.TextChoices):
        """Where submissions stand now; computed from the state and the window."""

        UPCOMING = "upcoming", _("即将开始")
        OPEN = "open", _("申报中")
        CLOSED = "closed", _("已截止")

    program = models.ForeignKey(
        Program, verbose_name=_("科技计划"), on_delete=models.PROTECT, related_name="calls"
    )
    code = models.SlugField(_("编号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    title_en = models.CharField(_("英文标题"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    description = models.TextField(_("申报说明"), blank=True)
    opens_at = models.DateTimeField(_("开始申报时间"))
    # Exclusive: at closes_at exactly the call is closed ("17:00 截止" means nothing at 17:00).
    closes_at = models.DateTimeField(_("申报截止时间"), db_index=True)
    budget = _money(_("资金总额（元）"))
    max_amount = _money(_("单项申请上限（元）"), null=True, blank=True)
    eligibility = models.JSONField(_("申报条件"), default=list, blank=True)
    panel_size = models.PositiveSmallIntegerField(_("每项评审专家数"), default=5)
    review_deadline = models.DateTimeField(_("评审截止时间"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-opens_at", "code"]
        verbose_name = _("申报指南")
        verbose_name_plural = _("申报指南")
        indexes = [models.Index(fields=["state", "-opens_at"], name="call_state_opens")]

    def __str__(self) -> str:
        return self.title

    def window(self, now=None) -> str:
        now = now or timezone.now()
        if self.state != self.State.PUBLISHED or now >= self.closes_at:
            return self.Window.CLOSED
        if now < self.opens_at:
            return self.Window.UPCOMING
        return self.Window.OPEN

    def is_open(self, now=None) -> bool:
        return self.window(now) == self.Window.OPEN

    def get_window_display(self) -> str:
        return self.Window(self.window()).label


class CallSection(models.Model):
    """A part of the application form the call asks for (项目概述, 技术路线, 预期成果…)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("代码"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    guidance = models.TextField(_("填写说明"), blank=True)
    required = models.BooleanField(_("必填"), default=True)
    max_chars = models.PositiveIntegerField(_("字数上限"), default=3000)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("申报书栏目")
        verbose_name_plural = _("申报书栏目")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="call_section_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A review criterion with its weight; a call's weights sum to 100."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评审指标"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    description = models.TextField(_("评分说明"), blank=True)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("评审指标")
        verbose_name_plural = _("评审指标")

    def __str__(self) -> str:
        return f"{self.name} {self.weight}"


class CodeCounter(models.Model):
    """The last public number handed out per year, locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申报编号计数")
        verbose_name_plural = _("申报编号计数")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Application(models.Model):
    """A project application to a call by an enterprise or an institution."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤回")
        ACCEPTED = "accepted", _("形式审查通过")
        REJECTED = "rejected", _("形式审查不通过")
        IN_REVIEW = "in_review", _("评审中")
        APPROVED = "approved", _("已立项")
        NOT_APPROVED = "not_approved", _("未立项")

    call = models.ForeignKey(
        Call, verbose_name=_("申报指南"), on_delete=models.PROTECT, related_name="applications"
    )
    # Public number (e.g. SB-2026-0001), given at first submission; blank while a draft.
    code = models.CharField(_("申报编号"), max_length=20, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("项目名称"), max_length=300)
    summary = models.TextField(_("项目简介"), blank=True)
    fields = models.JSONField(_("技术领域"), default=list, blank=True)
    requested_amount = _money(_("申请资金（元）"), default=0)
    co_applicants = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("合作单位"),
        blank=True,
        related_name="co_applications",
    )
    answers = models.JSONField(_("申报书内容"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Set by the bureau when returning for revision after the window closed; until then the
    # applicant may resubmit. Otherwise a returned application has the call's window.
    resubmit_by = models.DateTimeField(_("补正截止时间"), null=True, blank=True)
    # The eligibility results the last submission was judged with, as JSON (see core.eligibility).
    eligibility_results = models.JSONField(_("申报条件核验结果"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("项目申报")
        verbose_name_plural = _("项目申报")
        indexes = [
            models.Index(fields=["call", "state"], name="application_call_state"),
            models.Index(fields=["applicant", "-created_at"], name="application_applicant"),
            models.Index(fields=["state", "submitted_at"], name="application_state_submitted"),
            models.Index(fields=["call", "requested_amount"], name="application_call_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.code or _('草稿')} {self.title}"

    EDITABLE = (State.DRAFT, State.RETURNED)

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    def submission_deadline(self):
        """When the applicant's chance to (re)submit ends."""
        if self.state == self.State.RETURNED and self.resubmit_by is not None:
            return self.resubmit_by
        return self.call.closes_at


class ApplicationField(models.Model):
    """One 高新技术领域 of an application, kept beside ``Application.fields`` so that filtering by
    field uses an index on SQLite and PostgreSQL alike (JSON containment is not portable)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="field_rows"
    )
    field = models.CharField(_("技术领域"), max_length=16)

    class Meta:
        verbose_name = _("申报技术领域")
        verbose_name_plural = _("申报技术领域")
        constraints = [
            models.UniqueConstraint(
                fields=["field", "application"], name="application_field_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.field


class Attachment(models.Model):
    """A file attached to an application, stored under MEDIA_ROOT/applications/, never by URL."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("类型"), max_length=8)  # a key of kechuang.uploads.KINDS
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")

    def __str__(self) -> str:
        return self.original_name


class StateChange(models.Model):
    """One step of an application's history: from which state to which, by whom, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(
        _("原状态"), max_length=16, choices=Application.State.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=16, choices=Application.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        indexes = [models.Index(fields=["application", "at"], name="state_change_application")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
