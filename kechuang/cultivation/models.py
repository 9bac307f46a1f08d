"""The cultivation pipeline (高新技术企业培育库): stages, their standards, history and services.

发现一批、服务一批、推出一批、认定一批: an enterprise enters the pipeline (discovered), is served by
its officer (service records), is put forward for HNTE recognition when the yearly
re-evaluation finds it ready, and leaves as a certified HNTE. Every stage change is a
``StageChange`` row: the yearly re-evaluation proposes, staff confirm or reject, and only a
confirmed change moves the ``PipelineEntry``; the rows left behind are the full history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    TEAM = "team", _("科技创业团队")
    STARTUP = "startup", _("初创期科技型企业")
    POOL = "pool", _("入库培育企业")
    HNTE = "hnte", _("高新技术企业")
    EXITED = "exited", _("已出库")


# The order of the growth path; ``exited`` is off the path.
STAGE_ORDER = {Stage.TEAM: 0, Stage.STARTUP: 1, Stage.POOL: 2, Stage.HNTE: 3}


class StageStandard(models.Model):
    """An entry or exit standard of a stage: every condition must hold.

    Conditions are data (a list of {"test": name, ...params}) so the bureau can change a
    standard without a release; the tests they name live in ``standards.py``.
    """

    class Direction(models.TextChoices):
        ENTRY = "entry", _("入库/进入标准")
        EXIT = "exit", _("退出标准")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    direction = models.CharField(_("方向"), max_length=5, choices=Direction.choices)
    # For an exit standard, where the enterprise goes; an entry standard leads to ``stage``.
    to_stage = models.CharField(_("转入阶段"), max_length=10, choices=Stage.choices, blank=True)
    conditions = models.JSONField(_("条件"), default=list)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["priority", "code"]
        verbose_name = _("阶段标准")
        verbose_name_plural = _("阶段标准")

    def __str__(self) -> str:
        return self.name

    @property
    def target(self) -> str:
        return self.to_stage or self.stage


class PipelineEntry(models.Model):
    """Where one enterprise stands in the pipeline now."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="pipeline",
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, db_index=True)
    since = models.DateField(_("进入本阶段日期"))
    entered_on = models.DateField(_("入库日期"), db_index=True)
    service_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务专员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pipeline_entries",
    )
    notes = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("培育库企业")
        verbose_name_plural = _("培育库企业")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_stage_display()}"


class StageChange(models.Model):
    """A move between stages: proposed (by the re-evaluation or by staff), then decided."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField(_("原阶段"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=10, choices=Stage.choices)
    reason = models.TextField(_("理由"))
    reason_en = models.TextField(_("英文理由"), blank=True)
    standard = models.ForeignKey(
        StageStandard,
        verbose_name=_("依据标准"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("评价年度"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提议人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("提议时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    decision_comment = models.CharField(_("处理意见"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        constraints = [
            # One open proposal per enterprise: a second one would race the first.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status="proposed"),
                name="stage_change_one_open_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.from_stage or '—'} → {self.to_stage}"


class YearlyEvaluation(models.Model):
    """The outcome of one year's re-evaluation of an enterprise, kept so that lists, alerts and
    the funnel read it instead of re-assessing everything on every page."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    assessed_on = models.DateField(_("评估日"))
    stage = models.CharField(_("评价时阶段"), max_length=10, choices=Stage.choices, blank=True)
    outcomes = models.JSONField(_("各规则集结论"), default=dict)  # code → outcome value
    hnte_outcome = models.CharField(_("高企结论"), max_length=16, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("年度评价")
        verbose_name_plural = _("年度评价")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="evaluation_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    OUTCOME_LABELS = {
        "eligible": _("符合条件"),
        "not_eligible": _("不符合条件"),
        "needs_review": _("需人工复核"),
    }

    @property
    def hnte_label(self) -> str:
        return str(self.OUTCOME_LABELS.get(self.hnte_outcome, self.hnte_outcome))


class ServiceRecord(models.Model):
    """A service given to an enterprise: a visit, training, consultation, matchmaking."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访")
        TRAINING = "training", _("培训")
        CONSULTATION = "consultation", _("咨询辅导")
        MATCHMAKING = "matchmaking", _("对接服务")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="service_records",
    )
    kind = models.CharField(_("服务类型"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("服务日期"), db_index=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("服务内容"), blank=True)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True, db_index=True)
    follow_up_done = models.BooleanField(_("已跟进"), default=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.date}"
