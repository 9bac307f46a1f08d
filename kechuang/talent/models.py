"""Talent programs (领军/拔尖人才, 油城英才, 双创杰青, 天山工匠, 特聘专家…), their yearly calls, the
applications employers make for named people, the expert panels that score them and the
registry of people selected.

A person never applies alone: the employer's account applies for them and is the contact, so
no phone or address of the person is kept. The ID number is stored only as a token, a keyed
hash and a masked form (``kechuang.experts.identity``). An application's state only changes
through ``kechuang.talent.services``, which writes a ``TalentStateChange`` row every time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TalentProgram(models.Model):
    """人才计划: a program people are selected under, with what it gives them."""

    class Level(models.TextChoices):
        REGION = "region", _("自治区级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区级")

    class Kind(models.TextChoices):
        LEADING = "leading", _("领军人才")
        TOP = "top", _("拔尖人才")
        YOUCHENG = "youcheng", _("油城英才")
        YOUTH = "youth", _("双创杰青")
        CRAFTSMAN = "craftsman", _("天山工匠")
        SPECIAL_EXPERT = "special_expert", _("特聘专家")
        OTHER = "other", _("其他")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, db_index=True)
    description = models.TextField(_("说明"), blank=True)
    support = models.TextField(_("支持内容"), blank=True)
    # Blank when the program gives no fixed sum (or the sum is set by the call's notice).
    support_amount = models.DecimalField(
        _("支持资金（元/人）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    term_years = models.PositiveSmallIntegerField(_("入选有效期（年）"), default=3)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["level", "kind", "code"]
        verbose_name = _("人才计划")
        verbose_name_plural = _("人才计划")

    def __str__(self) -> str:
        return self.name


class TalentCall(models.Model):
    """A year's call for nominations under a program, with its window and review criteria."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        REVIEWING = "reviewing", _("评审中")
        DECIDED = "decided", _("已公布结果")

    class Window(models.TextChoices):
        UPCOMING = "upcoming", _("即将开始")
        OPEN = "open", _("申报中")
        CLOSED = "closed", _("已截止")

    program = models.ForeignKey(
        TalentProgram, verbose_name=_("人才计划"), on_delete=models.PROTECT, related_name="calls"
    )
    code = models.SlugField(_("编号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    title_en = models.CharField(_("英文标题"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    description = models.TextField(_("申报说明"), blank=True)
    opens_at = models.DateTimeField(_("开始申报时间"))
    # Exclusive, as for project calls: at closes_at exactly submissions are closed.
    closes_at = models.DateTimeField(_("申报截止时间"), db_index=True)
    panel_size = models.PositiveSmallIntegerField(_("每人评审专家数"), default=5)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-opens_at", "code"]
        verbose_name = _("人才申报通知")
        verbose_name_plural = _("人才申报通知")
        indexes = [models.Index(fields=["state", "closes_at"], name="talent_call_state_closes")]

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


class TalentCriterion(models.Model):
    """A review criterion; a call's weights sum to 100 (``kechuang.core.review``)."""

    call = models.ForeignKey(TalentCall, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评审指标"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    description = models.TextField(_("评分说明"), blank=True)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("人才评审指标")
        verbose_name_plural = _("人才评审指标")

    def __str__(self) -> str:
        return f"{self.name} {self.weight}"


class TalentApplication(models.Model):
    """An employer's nomination of one person to a call."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤回")
        IN_REVIEW = "in_review", _("评审中")
        APPROVED = "approved", _("入选")
        NOT_APPROVED = "not_approved", _("未入选")

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("博士研究生")
        MASTER = "master", _("硕士研究生")
        BACHELOR = "bachelor", _("大学本科")
        COLLEGE = "college", _("大学专科")
        OTHER = "other", _("其他")

    call = models.ForeignKey(
        TalentCall,
        verbose_name=_("申报通知"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Public number (RC-2026-00012), given at first submission; draws and rankings name it.
    code = models.CharField(_("申报编号"), max_length=20, unique=True, null=True, blank=True)
    employer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("推荐单位"),
        on_delete=models.PROTECT,
        related_name="talent_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    # The year only, read from the ID number: enough for age limits, less than a birth date.
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    id_number_token = models.TextField(_("身份证号（密文）"))
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    title = models.CharField(_("职称"), max_length=100, blank=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    field = models.CharField(_("技术领域"), max_length=16, blank=True, db_index=True)
    achievements = models.TextField(_("主要业绩"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("人才申报")
        verbose_name_plural = _("人才申报")
        indexes = [
            models.Index(fields=["call", "state"], name="talent_app_call_state"),
            models.Index(fields=["employer", "-created_at"], name="talent_app_employer"),
            models.Index(fields=["call", "submitted_at"], name="talent_app_call_submitted"),
        ]
        constraints = [
            # One live nomination per person and call, whoever nominates them.
            models.UniqueConstraint(
                fields=["call", "id_number_hash"],
                condition=~Q(state="withdrawn"),
                name="talent_app_one_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    EDITABLE = (State.DRAFT, State.RETURNED)

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE


class TalentStateChange(models.Model):
    """One step of an application's history: from which state to which, by whom, why."""

    application = models.ForeignKey(
        TalentApplication, on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(
        _("原状态"), max_length=16, choices=TalentApplication.State.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=16, choices=TalentApplication.State.choices)
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
        verbose_name = _("人才申报状态变更")
        verbose_name_plural = _("人才申报状态变更")
        indexes = [models.Index(fields=["application", "at"], name="talent_state_application")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class TalentAssignment(models.Model):
    """An expert drawn to score one application; ``draw`` is the published draw that chose them."""

    application = models.ForeignKey(
        TalentApplication, on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="talent_assignments"
    )
    draw = models.ForeignKey("experts.Draw", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺位"))

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("人才评审专家")
        verbose_name_plural = _("人才评审专家")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="talent_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.position}"


class TalentScore(models.Model):
    """An expert's sheet for one application: a score per criterion, kept as entered.

    ``scores`` maps a criterion's id (as text) to its score (as text, so no float creeps in).
    ``entered_by`` is the expert, or bureau staff typing in a paper sheet.
    """

    assignment = models.OneToOneField(
        TalentAssignment, on_delete=models.CASCADE, related_name="score"
    )
    scores = models.JSONField(_("各项得分"))
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    opinion = models.TextField(_("评审意见"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人才评审评分")
        verbose_name_plural = _("人才评审评分")

    def __str__(self) -> str:
        return f"{self.assignment} {self.total}"


class Talent(models.Model):
    """人才库: a person selected under a program, for a term. Status follows the term's end, so
    it cannot go stale; the person's details stay on the application they were selected by."""

    application = models.OneToOneField(
        TalentApplication, on_delete=models.PROTECT, related_name="talent"
    )
    program = models.ForeignKey(
        TalentProgram, verbose_name=_("人才计划"), on_delete=models.PROTECT, related_name="talents"
    )
    year = models.PositiveSmallIntegerField(_("入选年度"), db_index=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    employer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="talents",
    )
    field = models.CharField(_("技术领域"), max_length=16, blank=True)
    term_end = models.DateField(_("有效期至"), db_index=True)
    selected_on = models.DateField(_("入选日期"))
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "program", "name", "id"]
        verbose_name = _("人才")
        verbose_name_plural = _("人才库")
        indexes = [
            models.Index(fields=["program", "year"], name="talent_program_year"),
            models.Index(fields=["employer", "year"], name="talent_employer_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.program} {self.year}"

    def is_active(self, on=None) -> bool:
        return self.term_end >= (on or timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(_("有效") if self.is_active() else _("已到期"))
