"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.carriers.models import Carrier
from kechuang.enterprises.forms import DateInput
from kechuang.popularization.models import Event, EventAttachment
from kechuang.popularization.services import EVENT_FIELDS
from kechuang.supervision.forms import MultipleFileField

BLANK = [("", "—")]


class EventForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(label=_("活动类型"), choices=BLANK + Event.Kind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("结束日期"), widget=DateInput(), required=False, help_text=_("一天的活动可留空")
    )
    venue = forms.CharField(label=_("地点"), max_length=200)
    organizer = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=Organization.objects.order_by("kind", "name"),
        required=False,
    )
    organizer_name = forms.CharField(
        label=_("主办单位（平台外，如学校、社区）"), max_length=200, required=False
    )
    audience = forms.ChoiceField(label=_("面向人群"), choices=BLANK + Event.Audience.choices)
    participants = forms.IntegerField(
        label=_("参加人数"), required=False, help_text=_("活动结束后填写")
    )
    base = forms.ModelChoiceField(
        label=_("所属科普基地"),
        queryset=Carrier.objects.filter(kind=Carrier.Kind.POPULARIZATION_BASE).order_by("name"),
        required=False,
    )
    description = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(label=_("公开（显示在科普日历）"), required=False)

    def values(self) -> dict:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(e: Event) -> dict:
        return {k: getattr(e, k) for k in EVENT_FIELDS}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=EventAttachment.Kind.choices)
    files = MultipleFileField(label=_("文件（照片：JPEG、PNG；总结：PDF、Word、Excel）"))
