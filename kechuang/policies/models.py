"""The policy catalog (政策可见、可及、可得), its matches with the registry, applications, pushes
and 免申即享 rosters.

Money is Decimal yuan. Conditions are stored as the JSON of the condition language
(``kechuang.core.conditions``) and are checked by the service before any save. Matches are
derived data, recomputed by each ``MatchRun`` (which is the record of who ran it and when);
decisions about enterprises — applications, grants, pushes, rosters — keep their history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.models import Certification, Enterprise


def _money(label, **kw):
    return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True, **kw)


class Policy(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        REGION = "region", _("自治区")
        CITY = "city", _("市")
        DISTRICT = "district", _("区")

    class Category(models.TextChoices):
        ENTERPRISE = "enterprise", _("科技企业认定与培育")
        TAX = "tax", _("税收优惠")
        VOUCHER = "voucher", _("科技创新券")
        REWARD = "reward", _("奖励补助")
        TALENT = "talent", _("人才")
        FINANCE = "finance", _("科技金融")
        PLATFORM = "platform", _("平台载体")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        EXPIRED = "expired", _("已失效")

    code = models.SlugField(_("政策代码"), max_length=64, unique=True)
    title = models.CharField(_("政策名称"), max_length=300)
    title_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=200)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, db_index=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices, db_index=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    summary = models.TextField(_("政策摘要"))
    summary_en = models.TextField(_("英文摘要"), blank=True)
    full_text = models.TextField(_("政策原文"), blank=True)
    # 可及: who carries it out, where, and the number to call. Blank = 待补充, never invented.
    department = models.CharField(_("落实部门"), max_length=200, db_index=True)
    address = models.CharField(_("办理地点"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=100, blank=True)
    steps = models.JSONField(_("办理流程"), default=list, blank=True)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    conditions = models.JSONField(_("申请条件（机器可判）"), null=True, blank=True)
    conditions_note = models.TextField(_("申请条件说明"), blank=True)
    # 免申即享: granted from the registry's data, no application; the amount is set here.
    auto_grant = models.BooleanField(_("免申即享"), default=False, db_index=True)
    grant_amount = _money(_("每家兑现金额（元）"))
    grant_trigger = models.CharField(
        _("兑现依据（期内取得的资质）"),
        max_length=24,
        choices=Certification.Kind.choices,
        blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Tokens for Chinese search (jieba + pinyin), rebuilt by the service on every save.
    search_title = models.TextField(editable=False, blank=True)
    search_summary = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = [F("issued_on").desc(nulls_last=True), "code"]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        indexes = [
            models.Index(fields=["state", "level"], name="policy_state_level"),
            models.Index(fields=["state", "category"], name="policy_state_category"),
            models.Index(fields=["state", "effective_from", "expires_on"], name="policy_in_force"),
        ]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day) -> bool:
        return (
            self.state == self.State.PUBLISHED
            and (self.effective_from is None or self.effective_from <= day)
            and (self.expires_on is None or day <= self.expires_on)
        )

    def expired_on(self, day) -> bool:
        return self.state == self.State.EXPIRED or (
            self.expires_on is not None and self.expires_on < day
        )


class PolicyBenefit(models.Model):
    """What the policy gives: a description and, where it is money, the amount and its unit."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="benefits"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    description = models.CharField(_("支持内容"), max_length=500)
    description_en = models.CharField(_("英文说明"), max_length=500, blank=True)
    amount = _money(_("金额或比例"))
    unit = models.CharField(_("单位"), max_length=20, blank=True)

    class Meta:
        ordering = ["policy", "position", "id"]
        verbose_name = _("支持内容")
        verbose_name_plural = _("支持内容")

    def __str__(self) -> str:
        return self.description


class PolicyStateChange(models.Model):
    """A policy's state over time: published, expired by date, withdrawn to draft."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["policy", "-changed_at", "-id"]
        verbose_name = _("政策状态变更")
        verbose_name_plural = _("政策状态变更")

    def __str__(self) -> str:
        return f"{self.policy} {self.from_state} → {self.to_state}"


class MatchRun(models.Model):
    """One matching of every policy in force against every registry enterprise."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    matched_on = models.DateField(_("匹配日"))
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("企业总数"), default=0)
    done = models.PositiveIntegerField(_("已匹配企业"), default=0)
    policies = models.PositiveIntegerField(_("参与匹配的政策"), default=0)
    eligible = models.PositiveIntegerField(_("符合"), default=0)
    possibly = models.PositiveIntegerField(_("可能符合"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策匹配任务")
        verbose_name_plural = _("政策匹配任务")

    def __str__(self) -> str:
        return f"{self.matched_on} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100 * self.done // self.total, 99)


class PolicyMatch(models.Model):
    """An enterprise that is eligible, or possibly eligible, for a policy (not-eligible pairs
    are not stored), with the missing facts and the explanation condition by condition."""

    class Verdict(models.TextChoices):
        ELIGIBLE = "eligible", _("符合")
        POSSIBLY = "possibly", _("可能符合")

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="matches"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="policy_matches"
    )
    verdict = models.CharField(_("匹配结果"), max_length=10, choices=Verdict.choices)
    missing = models.JSONField(_("缺少的数据"), default=list, blank=True)
    explanation = models.JSONField(_("逐项说明"), default=dict)
    matched_on = models.DateField(_("匹配日"))
    run = models.ForeignKey(
        MatchRun, verbose_name=_("匹配任务"), on_delete=models.SET_NULL, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("计算时间"))
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["policy", "verdict", "enterprise"]
        verbose_name = _("政策匹配")
        verbose_name_plural = _("政策匹配")
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policy_match_once"),
        ]
        indexes = [
            models.Index(fields=["policy", "verdict"], name="policy_match_policy"),
            models.Index(fields=["enterprise", "verdict"], name="policy_match_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}"


class PolicyApplication(models.Model):
    """An enterprise's application for a policy, or a grant made from a 免申即享 roster.

    ``basis`` tells grants of the same policy apart (the certificate that earned it); an
    enterprise applies once per policy and basis. Status changes are kept in ``changes``.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申请")
        GRANTED = "granted", _("已兑现")
        DECLINED = "declined", _("未获支持")

    class Via(models.TextChoices):
        APPLICATION = "application", _("企业申请")
        ROSTER = "roster", _("免申即享名单")

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="applications"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="policy_applications",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, db_index=True)
    via = models.CharField(_("来源"), max_length=12, choices=Via.choices, default=Via.APPLICATION)
    basis = models.CharField(_("兑现依据"), max_length=100, blank=True)
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    granted_on = models.DateField(_("兑现日期"), null=True, blank=True)
    amount = _money(_("兑现金额（元）"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["policy", "enterprise", "basis"]
        verbose_name = _("政策申请与兑现")
        verbose_name_plural = _("政策申请与兑现")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise", "basis"], name="policy_application_once"
            ),
        ]
        indexes = [
            models.Index(fields=["policy", "status"], name="policy_application_status"),
            models.Index(fields=["enterprise", "status"], name="policy_application_firm"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy} · {self.get_status_display()}"


class ApplicationChange(models.Model):
    application = models.ForeignKey(
        PolicyApplication,
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    from_status = models.CharField(_("原状态"), max_length=10, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10)
    amount = _money(_("金额（元）"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["application", "changed_at", "id"]
        verbose_name = _("申请状态变更")
        verbose_name_plural = _("申请状态变更")

    def __str__(self) -> str:
        return f"{self.application} {self.from_status} → {self.to_status}"


class PolicyPush(models.Model):
    """A notice pushed to an enterprise's users about a policy it may enjoy (政策找企业)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="pushes"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="policy_pushes"
    )
    verdict = models.CharField(_("推送时匹配结果"), max_length=10)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推送人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pushed_at = models.DateTimeField(_("推送时间"))
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-pushed_at", "-id"]
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        indexes = [
            models.Index(fields=["policy", "enterprise", "pushed_at"], name="policy_push_recent")
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"


class Roster(models.Model):
    """A 免申即享 beneficiary roster for one period, built from the data for staff approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已退回")

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="rosters"
    )
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    amount_each = _money(_("每家金额（元）"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    already_granted = models.PositiveIntegerField(_("此前已兑现（未列入）"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("免申即享名单")
        verbose_name_plural = _("免申即享名单")

    def __str__(self) -> str:
        return f"{self.policy} {self.period_start}–{self.period_end}"


class RosterEntry(models.Model):
    roster = models.ForeignKey(
        Roster, verbose_name=_("名单"), on_delete=models.CASCADE, related_name="entries"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    basis = models.CharField(_("兑现依据"), max_length=100)
    basis_date = models.DateField(_("依据日期"))
    verdict = models.CharField(_("条件判断"), max_length=12)
    missing = models.JSONField(_("缺少的数据"), default=list, blank=True)
    explanation = models.JSONField(_("逐项说明"), default=dict)
    included = models.BooleanField(_("列入名单"), default=False)
    amount = _money(_("金额（元）"))
    application = models.OneToOneField(
        PolicyApplication,
        verbose_name=_("兑现记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_entry",
    )

    class Meta:
        ordering = ["roster", "-included", "enterprise__name", "id"]
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        constraints = [
            models.UniqueConstraint(fields=["roster", "enterprise", "basis"], name="roster_once"),
        ]

    def __str__(self) -> str:
        return f"{self.roster} · {self.enterprise}"
