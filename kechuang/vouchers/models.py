"""Innovation vouchers (科技创新券): schemes, providers and their services, applications,
vouchers, redemptions, and the append-only ledger that holds the money (``kechuang.core.ledger``).

Money is Decimal yuan. A voucher's state and its redemption's state change only through
``services``; every change leaves a row behind (``VoucherEvent``, ``LedgerEntry``) and an audit
entry, so the history of each yuan can be read back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.core import ledger


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=16, decimal_places=2, **kwargs)


class Category(models.TextChoices):
    """Service categories a scheme may cover (科技创新券支持的服务类别)."""

    TESTING = "testing", _("检验检测")
    RD_DESIGN = "rd_design", _("研发设计")
    TECH_TRANSFER = "tech_transfer", _("技术转移")
    IP = "ip", _("知识产权")
    CONSULTING = "consulting", _("科技咨询")
    FINANCE = "finance", _("科技金融")
    OTHER = "other", _("其他")


def category_labels(values) -> list[str]:
    labels = dict(Category.choices)
    return [str(labels.get(v, v)) for v in values]


class Scheme(models.Model):
    """A year's voucher scheme (券种): its budget, caps, subsidy ratio and windows."""

    class State(models.TextChoices):
        OPEN = "open", _("发放中")
        CLOSED = "closed", _("已停止发放")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    name = models.CharField(_("券种名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    # The authorised total; the ledger's budget account must agree (the reconciliation checks).
    budget = _money(_("总预算（元）"))
    cap = _money(_("每家企业上限（元）"))
    subsidy_ratio = models.DecimalField(_("补贴比例"), max_digits=5, decimal_places=4)
    categories = models.JSONField(_("支持的服务类别"), default=list)
    issue_from = models.DateField(_("发放开始日期"))
    issue_until = models.DateField(_("发放截止日期"))
    validity_days = models.PositiveSmallIntegerField(_("有效期（天）"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    policy = models.CharField(_("政策依据"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("创新券券种")
        verbose_name_plural = _("创新券券种")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="voucher_scheme_year_name"),
            models.CheckConstraint(
                condition=Q(subsidy_ratio__gt=0, subsidy_ratio__lte=1),
                name="voucher_scheme_ratio_fraction",
            ),
            models.CheckConstraint(
                condition=Q(issue_from__lte=models.F("issue_until")),
                name="voucher_scheme_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name if str(self.year) in self.name else f"{self.year} {self.name}"

    @property
    def terms(self) -> ledger.Terms:
        return ledger.Terms(
            cap=self.cap,
            ratio=self.subsidy_ratio,
            categories=frozenset(self.categories),
            issue_from=self.issue_from,
            issue_until=self.issue_until,
            validity_days=self.validity_days,
        )

    @property
    def category_labels(self) -> list[str]:
        return category_labels(self.categories)

    @property
    def ratio_pct(self):
        return self.subsidy_ratio * 100


class Provider(models.Model):
    """A registered service provider (服务机构): the organisation its users log in for."""

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("对应单位"),
        on_delete=models.PROTECT,
        related_name="voucher_provider",
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("机构名称"), max_length=200, db_index=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=50)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    categories = models.JSONField(_("服务类别"), default=list)
    description = models.TextField(_("机构简介"), blank=True)
    approved = models.BooleanField(_("已入库"), default=False, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("入库时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("服务机构")
        verbose_name_plural = _("服务机构")

    def __str__(self) -> str:
        return self.name

    @property
    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


class Service(models.Model):
    """One service a provider offers and vouchers may pay for."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    category = models.CharField(
        _("服务类别"), max_length=20, choices=Category.choices, db_index=True
    )
    name = models.CharField(_("服务名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    price_note = models.CharField(_("收费说明"), max_length=300, blank=True)
    active = models.BooleanField(_("在售"), default=True, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["provider__name", "category", "name"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="voucher_service_name"),
        ]

    def __str__(self) -> str:
        return f"{self.provider.name} · {self.name}"


class VoucherApplication(models.Model):
    """An enterprise's request for a voucher of a scheme (申领)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="voucher_applications"
    )
    amount = _money(_("申请金额（元）"))
    category = models.CharField(_("拟用服务类别"), max_length=20, choices=Category.choices)
    purpose = models.TextField(_("用途说明"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("创新券申请")
        verbose_name_plural = _("创新券申请")
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="voucher_app_queue"),
            models.Index(fields=["enterprise", "scheme"], name="voucher_app_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.scheme}"


class Voucher(models.Model):
    """One voucher in an enterprise's hands: face value, validity, and whom it may be used with."""

    class State(models.TextChoices):
        ISSUED = ledger.Status.ISSUED.value, _("未使用")
        REDEEMING = ledger.Status.REDEEMING.value, _("兑付审核中")
        SETTLED = ledger.Status.SETTLED.value, _("已结算")
        EXPIRED = ledger.Status.EXPIRED.value, _("已过期")

    number = models.CharField(_("券号"), max_length=32, unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="vouchers")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    application = models.OneToOneField(
        VoucherApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher",
    )
    face_amount = _money(_("面额（元）"))
    issued_on = models.DateField(_("发放日期"), db_index=True)
    expires_on = models.DateField(_("有效期至"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=ledger.Status.ISSUED.value
    )
    # Chosen by the enterprise: the service it contracted, hence the one provider who may redeem.
    service = models.ForeignKey(
        Service,
        verbose_name=_("使用的服务"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vouchers",
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("服务机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vouchers",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("创新券")
        verbose_name_plural = _("创新券")
        indexes = [
            models.Index(fields=["scheme", "state"], name="voucher_scheme_state"),
            models.Index(fields=["enterprise", "state"], name="voucher_enterprise_state"),
            models.Index(fields=["provider", "state"], name="voucher_provider_state"),
            models.Index(fields=["state", "expires_on"], name="voucher_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(face_amount__gt=0), name="voucher_face_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    def position(self, subsidy=None) -> ledger.Voucher:
        """This voucher as the pure ledger sees it."""
        return ledger.Voucher(
            number=self.number,
            holder=str(self.enterprise_id),
            face=self.face_amount,
            expires_on=self.expires_on,
            status=ledger.Status(self.state),
            subsidy=subsidy,
        )


class VoucherEvent(models.Model):
    """One step in a voucher's life, kept for its timeline (issued, assigned, claimed, …)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("发放")
        ASSIGNED = "assigned", _("选定服务")
        REDEMPTION_SUBMITTED = "redemption_submitted", _("提交兑付")
        REDEMPTION_VERIFIED = "redemption_verified", _("兑付审核通过")
        REDEMPTION_REJECTED = "redemption_rejected", _("兑付退回")
        SETTLED = "settled", _("结算")
        EXPIRED = "expired", _("过期")

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("创新券记录")
        verbose_name_plural = _("创新券记录")

    def __str__(self) -> str:
        return f"{self.voucher.number} {self.kind}"


class Redemption(models.Model):
    """A provider's claim on a voucher (兑付申请), with contract and invoice."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        VERIFIED = "verified", _("已审核")
        REJECTED = "rejected", _("已退回")
        SETTLED = "settled", _("已结算")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="redemptions")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="redemptions")
    contract_no = models.CharField(_("合同编号"), max_length=100)
    contract_amount = _money(_("合同金额（元）"))
    invoice_no = models.CharField(_("发票号码"), max_length=100)
    invoice_amount = _money(_("发票金额（元）"))
    subsidy = _money(_("补贴金额（元）"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("提交日期"), db_index=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("退回原因"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结算人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settled_on = models.DateField(_("结算日期"), null=True, blank=True)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("兑付申请")
        verbose_name_plural = _("兑付申请")
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="redemption_queue"),
            models.Index(fields=["provider", "state"], name="redemption_provider"),
        ]
        constraints = [
            # A voucher is redeemed once: at most one claim that has not been sent back.
            models.UniqueConstraint(
                fields=["voucher"],
                condition=~Q(state="rejected"),
                name="redemption_one_live_per_voucher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher.number} · {self.contract_no}"


class RedemptionFile(models.Model):
    """The signed contract or the invoice of a claim, served only after a permission check."""

    class Role(models.TextChoices):
        CONTRACT = "contract", _("服务合同")
        INVOICE = "invoice", _("发票")

    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("材料类型"), max_length=10, choices=Role.choices)
    file = models.FileField(upload_to="vouchers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("兑付材料")
        verbose_name_plural = _("兑付材料")

    def __str__(self) -> str:
        return self.original_name


class AppendOnly(Exception):
    """Raised by any attempt to change or remove a ledger entry."""


class LedgerQuerySet(models.QuerySet):
    """No bulk update or delete: a correction is a new entry."""

    def update(self, **kwargs):
        raise AppendOnly("创新券台账只能追加，不能修改 / the voucher ledger is append-only")

    def delete(self):
        raise AppendOnly("创新券台账只能追加，不能删除 / the voucher ledger is append-only")

    def discard_demo(self) -> int:
        """The one way out: the entries of demo schemes go when the demo is removed."""
        return models.QuerySet.delete(self.filter(scheme__is_demo=True))[0]


# (kind, debit, credit) as the pure ledger fixes them; the database refuses any other triple.
_FLOW_RULE = Q()
for _kind, (_debit, _credit) in ledger.FLOWS.items():
    _FLOW_RULE |= Q(kind=_kind.value, debit=_debit.value, credit=_credit.value)


class LedgerEntry(models.Model):
    """One movement of a scheme's money: a debit and a credit of the same amount. Never changed
    or removed (save of an existing row, delete and bulk update/delete all refuse)."""

    class Account(models.TextChoices):
        BUDGET = ledger.Account.BUDGET.value, _("预算")
        AVAILABLE = ledger.Account.AVAILABLE.value, _("可发放")
        ISSUED = ledger.Account.ISSUED.value, _("流通中")
        REDEEMED = ledger.Account.REDEEMED.value, _("待结算")
        SETTLED = ledger.Account.SETTLED.value, _("已结算")
        EXPIRED = ledger.Account.EXPIRED.value, _("过期")

    class Kind(models.TextChoices):
        BUDGET = ledger.Kind.BUDGET.value, _("预算下达")
        BUDGET_CUT = ledger.Kind.BUDGET_CUT.value, _("预算调减")
        ISSUE = ledger.Kind.ISSUE.value, _("发放")
        REDEEM = ledger.Kind.REDEEM.value, _("兑付申请")
        REJECT = ledger.Kind.REJECT.value, _("兑付退回")
        SETTLE = ledger.Kind.SETTLE.value, _("结算")
        RELEASE = ledger.Kind.RELEASE.value, _("未用部分退回")
        EXPIRE = ledger.Kind.EXPIRE.value, _("过期")
        RETURN = ledger.Kind.RETURN.value, _("过期额度退回")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    debit = models.CharField(_("借方"), max_length=10, choices=Account.choices)
    credit = models.CharField(_("贷方"), max_length=10, choices=Account.choices)
    amount = _money(_("金额（元）"))
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    posted_on = models.DateField(_("记账日期"), db_index=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("摘要"), max_length=300, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        indexes = [models.Index(fields=["scheme", "kind"], name="ledger_scheme_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=_FLOW_RULE, name="ledger_flow_of_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("创新券台账只能追加，不能修改 / the voucher ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("创新券台账只能追加，不能删除 / the voucher ledger is append-only")
