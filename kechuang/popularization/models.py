"""Science popularization (科普): events with their organiser, audience and turnout, and the
科普基地 they belong to (carriers of kind 科普基地). Public events appear on the public calendar
and in its .ics feed; attachments (photos, reports) are kept under MEDIA_ROOT and served only
to the bureau.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        SCIENCE_WEEK = "science_week", _("科技周")
        SCIENCE_DAY = "science_day", _("全国科普日")
        SCIENCE_WINTER = "science_winter", _("科技之冬")
        SCHOOLS = "schools", _("进校园")
        COMMUNITIES = "communities", _("进社区")
        ENTERPRISES = "enterprises", _("进企业")
        OFFICES = "offices", _("进机关")
        LECTURE = "lecture", _("科普讲座")
        CONTEST = "contest", _("竞赛")
        OTHER = "other", _("其他")

    class Audience(models.TextChoices):
        YOUTH = "youth", _("青少年")
        RESIDENTS = "residents", _("社区居民")
        WORKERS = "workers", _("企业职工")
        FARMERS = "farmers", _("农牧民")
        ELDERLY = "elderly", _("老年人")
        PUBLIC = "public", _("公众")

    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=16, choices=Kind.choices, db_index=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    venue = models.CharField(_("地点"), max_length=200)
    organizer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="science_events",
    )
    # A unit outside the platform (a school, a community), named as the notice names it.
    organizer_name = models.CharField(_("主办单位（平台外）"), max_length=200, blank=True)
    audience = models.CharField(
        _("面向人群"), max_length=10, choices=Audience.choices, db_index=True
    )
    # Counted after the event; None until then.
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    base = models.ForeignKey(
        "carriers.Carrier",
        verbose_name=_("所属科普基地"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="science_events",
        limit_choices_to={"kind": "popularization_base"},
    )
    description = models.TextField(_("活动内容"), blank=True)
    is_public = models.BooleanField(_("公开（显示在科普日历）"), default=True)
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
        ordering = ["-starts_on", "title"]
        verbose_name = _("科普活动")
        verbose_name_plural = _("科普活动")
        indexes = [
            # The calendar reads public events overlapping a month.
            models.Index(fields=["is_public", "starts_on", "ends_on"], name="event_public_dates"),
            models.Index(fields=["starts_on", "kind"], name="event_start_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("popularization:event", kwargs={"pk": self.pk})

    @property
    def organizer_display(self) -> str:
        return self.organizer.name if self.organizer_id else self.organizer_name


class EventAttachment(models.Model):
    """A photo or the event's report, checked by content on upload, served only after a
    permission check."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("活动照片")
        REPORT = "report", _("活动总结")

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="popularization/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["event", "kind", "uploaded_at"]
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self) -> str:
        return self.original_name
