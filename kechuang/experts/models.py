"""The expert library (专家库, with the 科技金融专家库 tag) and the random draws made from it.

An expert's ID number is never stored in the clear (``identity``): only its token, a keyed hash
for finding duplicates and the masked form lists show. A draw stores the record exactly as the
protocol hashes it (``kechuang.core.draw.record_to_json``), so what was published before the
draw can be checked against the row at any time.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Title(models.TextChoices):
        """职称级别; the exact title (教授级高级工程师, 研究员…) goes in ``title_name``."""

        SENIOR = "senior", _("正高级")
        ASSOCIATE = "associate", _("副高级")
        INTERMEDIATE = "intermediate", _("中级")
        OTHER = "other", _("其他")

    # Public id: the draw record names experts by it, never by name.
    code = models.CharField(_("专家编号"), max_length=16, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    id_number_token = models.TextField(_("身份证号（密文）"))
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, unique=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    title = models.CharField(_("职称级别"), max_length=16, choices=Title.choices, db_index=True)
    title_name = models.CharField(_("职称"), max_length=100, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("单位（平台内）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
    )
    # The unit as the expert gave it, so units outside our Organization table still work.
    organization_name = models.CharField(_("工作单位"), max_length=200, db_index=True)
    fields = models.JSONField(_("技术领域"), default=list)
    specialty = models.CharField(_("专业特长"), max_length=500, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    available = models.BooleanField(_("可参加评审"), default=True, db_index=True)
    # When unavailable: from/until bound the period (inclusive); either open means unbounded.
    unavailable_from = models.DateField(_("不可参加起"), null=True, blank=True)
    unavailable_until = models.DateField(_("不可参加止"), null=True, blank=True)
    unavailable_reason = models.CharField(_("不可参加原因"), max_length=200, blank=True)
    is_finance = models.BooleanField(_("科技金融专家"), default=False, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("专家")
        verbose_name_plural = _("专家")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def organisation_label(self) -> str:
        """The unit the conflict rules compare: our Organization's name when linked."""
        return self.organization.name if self.organization_id else self.organization_name


class ExpertField(models.Model):
    """One of an expert's fields, mirrored from ``Expert.fields`` so the list filter has an
    index on every database (SQLite cannot index inside a JSON list). Written only by the
    services, together with ``fields``."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="field_rows")
    field = models.CharField(_("技术领域"), max_length=16)

    class Meta:
        verbose_name = _("专家领域")
        verbose_name_plural = _("专家领域")
        constraints = [
            models.UniqueConstraint(fields=["expert", "field"], name="expert_field_unique"),
        ]
        indexes = [models.Index(fields=["field", "expert"], name="expert_field_by_field")]

    def __str__(self) -> str:
        return self.field


class Relationship(models.Model):
    """A tie an expert declares with a unit; it excludes the expert from that unit's draws."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("任职")
        PART_TIME = "part_time", _("兼职")
        RELATIVE = "relative", _("亲属")
        COOPERATION = "cooperation", _("合作")
        OTHER = "other", _("其他")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relationships")
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("单位（平台内）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization_name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("关系"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    declared_on = models.DateField(_("声明日期"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = _("关联关系")
        verbose_name_plural = _("关联关系")

    def __str__(self) -> str:
        return f"{self.expert.code} {self.get_kind_display()} {self.organization_name}"


class Collaboration(models.Model):
    """The expert was a co-applicant with a unit on a project: a conflict for three years."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="collaborations")
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("单位（平台内）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization_name = models.CharField(_("合作单位"), max_length=200)
    on = models.DateField(_("合作日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("合作记录")
        verbose_name_plural = _("合作记录")

    def __str__(self) -> str:
        return f"{self.expert.code} {self.organization_name} {self.on}"


class Draw(models.Model):
    """A verifiable random draw (docs/draw-protocol.md): committed, then drawn and published.

    ``record``, ``record_sha256`` and ``commitment`` never change after creation; the seed is
    kept encrypted in ``seed_token`` until the draw, then revealed in ``seed_hex``.
    """

    class Kind(models.TextChoices):
        REVIEW = "review", _("评审专家")
        MIDTERM = "midterm", _("中期评估专家")
        INSPECTION_OBJECTS = "inspection_objects", _("检查对象")
        INSPECTION_INSPECTORS = "inspection_inspectors", _("检查人员")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        COMMITTED = "committed", _("已公布承诺，待抽取")
        PUBLISHED = "published", _("已抽取并公布")

    draw_id = models.CharField(_("抽取编号"), max_length=32, unique=True)
    purpose = models.CharField(_("用途"), max_length=300)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, db_index=True)
    record = models.JSONField(_("抽取记录"))
    record_sha256 = models.CharField(_("记录哈希"), max_length=64)
    commitment = models.CharField(_("承诺值"), max_length=64)
    seed_token = models.TextField(_("种子（密文）"))
    seed_hex = models.CharField(_("种子"), max_length=64, blank=True)
    result = models.JSONField(_("抽取结果"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.COMMITTED, db_index=True
    )
    # Copied from the record at creation so lists need not load the record (a pool of thousands).
    pool_size = models.PositiveIntegerField(_("候选人数"))
    excluded = models.PositiveIntegerField(_("回避人数"))
    k = models.PositiveIntegerField(_("抽取人数"))
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("抽取事项"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("随机抽取")
        verbose_name_plural = _("随机抽取")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="draw_subject")]

    def __str__(self) -> str:
        return self.draw_id

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class DrawChoice(models.Model):
    """One chosen candidate of a published draw, so an expert's page finds its draws by index
    rather than by reading every draw's result."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="choices")
    candidate = models.CharField(_("候选人编号"), max_length=64, db_index=True)
    position = models.PositiveSmallIntegerField(_("顺位"))

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("入选")
        verbose_name_plural = _("入选")
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="draw_choice_position"),
        ]

    def __str__(self) -> str:
        return f"{self.draw.draw_id} #{self.position} {self.candidate}"
