"""The S&T achievements database (科技成果库) and the technology contract registry (技术合同登记).

Achievements are public or internal; the public page lists only the public ones. Search runs
on token columns (jieba words and pinyin, built by ``kechuang.policies.search``) that the
service rebuilds on every save.

Registered technology contracts feed key indicator 8: the yearly sums of contracts whose seller
is a district unit are published, through the indicators' own service, as the data elements
TECH_CONTRACT_VALUE and TECH_TRADE_VALUE (see ``services.publish_contract_totals``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.models import Enterprise


def _money(label):
    return models.DecimalField(label, max_digits=16, decimal_places=2)


class Achievement(models.Model):
    class TransferStatus(models.TextChoices):
        NOT_TRANSFERRED = "not_transferred", _("未转化")
        TRANSFERRING = "transferring", _("转化中")
        TRANSFERRED = "transferred", _("已转化")

    class TransferMode(models.TextChoices):
        ASSIGNMENT = "assignment", _("转让")
        LICENSING = "licensing", _("许可")
        EQUITY = "equity", _("作价投资")
        COOPERATION = "cooperation", _("合作")

    title = models.CharField(_("成果名称"), max_length=300, db_index=True)
    owners = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("完成单位"),
        related_name="achievements",
        blank=True,
    )
    # Units outside the platform, as the record names them; may name people, so never public.
    co_owners = models.CharField(_("其他完成单位"), max_length=500, blank=True)
    field = models.CharField(
        _("技术领域"),
        max_length=16,
        choices=Enterprise.HighTechField.choices,
        blank=True,
        db_index=True,
    )
    trl = models.PositiveSmallIntegerField(_("技术成熟度（TRL）"), db_index=True)
    year = models.PositiveSmallIntegerField(_("完成年度"), db_index=True)
    ip = models.ManyToManyField(
        "enterprises.IntellectualProperty",
        verbose_name=_("关联知识产权"),
        related_name="achievements",
        blank=True,
    )
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("关联科技项目"),
        related_name="achievements",
        blank=True,
    )
    transfer_status = models.CharField(
        _("转化状态"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.NOT_TRANSFERRED,
        db_index=True,
    )
    transfer_mode = models.CharField(
        _("转化方式"), max_length=12, choices=TransferMode.choices, blank=True
    )
    abstract = models.TextField(_("成果简介"), blank=True)
    is_public = models.BooleanField(_("公开"), default=False, db_index=True)
    search_title = models.TextField(editable=False, blank=True)
    search_summary = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("科技成果")
        verbose_name_plural = _("科技成果")
        indexes = [
            models.Index(fields=["is_public", "-year"], name="achievement_public_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("achievements:detail", kwargs={"pk": self.pk})


class TechContract(models.Model):
    """One registered technology contract (认定登记), seller and buyer each either a registry
    enterprise or a name and region."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("技术开发")
        TRANSFER = "transfer", _("技术转让")
        LICENSING = "licensing", _("技术许可")
        CONSULTING = "consulting", _("技术咨询")
        SERVICE = "service", _("技术服务")

    registration_number = models.CharField(_("登记编号"), max_length=40, unique=True)
    registered_on = models.DateField(_("登记日期"), db_index=True)
    # The registration year, the year the contract counts in (kept for the yearly sums' index).
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    kind = models.CharField(_("合同类型"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("合同名称"), max_length=300)
    seller = models.ForeignKey(
        Enterprise,
        verbose_name=_("卖方（企业库）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_sold",
    )
    seller_name = models.CharField(_("卖方名称"), max_length=200)
    seller_region = models.CharField(_("卖方所在地区"), max_length=100, blank=True)
    seller_in_district = models.BooleanField(_("卖方为本区单位"), db_index=True)
    buyer = models.ForeignKey(
        Enterprise,
        verbose_name=_("买方（企业库）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_bought",
    )
    buyer_name = models.CharField(_("买方名称"), max_length=200)
    buyer_region = models.CharField(_("买方所在地区"), max_length=100, blank=True)
    amount = _money(_("合同成交额"))
    trade_value = _money(_("技术交易额"))
    field = models.CharField(
        _("技术领域"), max_length=16, choices=Enterprise.HighTechField.choices, blank=True
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("关联成果"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-registered_on", "registration_number"]
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        indexes = [
            models.Index(fields=["year", "seller_in_district"], name="contract_year_district"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"

    def get_absolute_url(self) -> str:
        """The registry list, showing this contract."""
        return f"{reverse('achievements:contracts')}?{urlencode({'q': self.registration_number})}"
