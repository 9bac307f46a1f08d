from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A unit people work for: the bureau, a responsible department, an enterprise, a provider."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("科技局")
        DEPARTMENT = "department", _("责任单位")
        ENTERPRISE = "enterprise", _("企业")
        PROVIDER = "provider", _("服务机构")
        INSTITUTION = "institution", _("科研机构")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. Its role decides what it may do; its organisation bounds where."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("科技局管理员")
        STAFF = "staff", _("科技局工作人员")
        REPORTER = "reporter", _("责任单位填报员")
        ENTERPRISE = "enterprise", _("企业用户")
        EXPERT = "expert", _("专家")
        PROVIDER = "provider", _("服务机构")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, db_index=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_bureau(self) -> bool:
        return self.role in {self.Role.ADMIN, self.Role.STAFF}
