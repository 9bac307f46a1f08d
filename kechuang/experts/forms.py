"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization, User
from kechuang.enterprises.forms import BLANK, DateInput
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert, Relationship


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("性别"), choices=BLANK + Expert.Gender.choices, required=False
    )
    title = forms.ChoiceField(label=_("职称级别"), choices=BLANK + Expert.Title.choices)
    title_name = forms.CharField(label=_("职称"), max_length=100, required=False)
    organization_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    organization = forms.ModelChoiceField(
        label=_("单位（平台内，可不选）"),
        queryset=Organization.objects.order_by("kind", "code"),
        required=False,
        help_text=_("选了平台内单位时，同单位回避按该单位判断；否则按工作单位名称判断。"),
    )
    # Not called "fields": that name is the form's own dict of fields.
    expert_fields = forms.MultipleChoiceField(
        label=_("技术领域"),
        choices=Enterprise.HighTechField.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    specialty = forms.CharField(
        label=_("专业特长"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    is_finance = forms.BooleanField(label=_("科技金融专家库"), required=False)
    available = forms.BooleanField(label=_("可参加评审"), required=False, initial=True)
    unavailable_from = forms.DateField(label=_("不可参加起"), required=False, widget=DateInput())
    unavailable_until = forms.DateField(label=_("不可参加止"), required=False, widget=DateInput())
    unavailable_reason = forms.CharField(label=_("不可参加原因"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("登录账号（专家角色）"),
        queryset=User.objects.filter(role=User.Role.EXPERT, is_active=True).order_by("username"),
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = not editing
        if editing:
            self.fields["id_number"].help_text = _("留空则不修改；填写新号码则替换。")

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["fields"] = d.pop("expert_fields")
        return d


class AvailabilityForm(forms.Form):
    available = forms.BooleanField(label=_("可以参加评审"), required=False)
    unavailable_from = forms.DateField(label=_("不可参加起"), required=False, widget=DateInput())
    unavailable_until = forms.DateField(label=_("不可参加止"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("原因（仅科技局可见）"), max_length=200, required=False)


class RelationshipForm(forms.Form):
    organization_name = forms.CharField(label=_("单位名称"), max_length=200)
    kind = forms.ChoiceField(label=_("关系"), choices=Relationship.Kind.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class CollaborationForm(forms.Form):
    organization_name = forms.CharField(label=_("合作单位"), max_length=200)
    on = forms.DateField(label=_("合作日期"), widget=DateInput())
    source = forms.CharField(label=_("来源"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
