"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.carriers.models import Carrier
from kechuang.carriers.services import metric_fields
from kechuang.enterprises.forms import DateInput

BLANK = [("", "—")]


class CarrierForm(forms.Form):
    name = forms.CharField(label=_("载体名称"), max_length=200)
    kind = forms.ChoiceField(label=_("载体类型"), choices=BLANK + Carrier.Kind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=BLANK + Carrier.Level.choices)
    host = forms.ModelChoiceField(
        label=_("依托单位"), queryset=Organization.objects.order_by("kind", "name")
    )
    recognised_on = forms.DateField(label=_("认定（成立）日期"), widget=DateInput())
    recognised_by = forms.CharField(label=_("认定部门"), max_length=200, required=False)
    valid_until = forms.DateField(label=_("认定有效期至"), required=False, widget=DateInput())
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label=_("联系人（不公开）"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话（不公开）"), max_length=50, required=False)
    is_public = forms.BooleanField(label=_("公开（出现在公开数据中）"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=Carrier.Status.choices)
    note = forms.CharField(label=_("原因"), max_length=500, required=False)


METRIC_FORM_FIELDS = {
    "area_m2": lambda: forms.DecimalField(
        label=_("场地面积（平方米）"), max_digits=12, decimal_places=2, required=False
    ),
    "firms_incubating": lambda: forms.IntegerField(label=_("在孵企业数"), required=False),
    "firms_graduated": lambda: forms.IntegerField(label=_("毕业企业数"), required=False),
    "jobs": lambda: forms.IntegerField(label=_("带动就业人数"), required=False),
    "investment_raised": lambda: forms.DecimalField(
        label=_("在孵企业获得投融资（元）"), max_digits=16, decimal_places=2, required=False
    ),
    "staff": lambda: forms.IntegerField(label=_("研发人员数"), required=False),
    "projects": lambda: forms.IntegerField(label=_("承担项目数"), required=False),
    "patents": lambda: forms.IntegerField(label=_("专利数"), required=False),
    "papers": lambda: forms.IntegerField(label=_("论文数"), required=False),
    "standards": lambda: forms.IntegerField(label=_("标准数"), required=False),
}


class MetricsForm(forms.Form):
    """The year and the fields the carrier's kind reports (negative numbers reach the service,
    which names them)."""

    year = forms.IntegerField(label=_("年度"))

    def __init__(self, *args, carrier: Carrier, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = metric_fields(carrier.kind)
        for key in self.keys:
            self.fields[key] = METRIC_FORM_FIELDS[key]()
        self.fields["source"] = forms.CharField(label=_("数据来源"), max_length=200, required=False)

    def values(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.keys}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    approve = forms.BooleanField(label=_("导入即审核通过"), required=False)
