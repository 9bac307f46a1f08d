"""Web forms: they parse what a browser sends; the services decide what is acceptable.

Money is typed in 万元, as people read it, and handed to the services in yuan.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.ledger import WAN
from kechuang.supervision.forms import DateInput, MultipleFileField
from kechuang.vouchers.models import Category, Scheme, Service
from kechuang.vouchers.services import MAX_TEXT


class WanField(forms.DecimalField):
    """An amount typed in 万元 (up to six decimals: to the fen), cleaned to yuan."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.000001"))
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(**kwargs)

    def clean(self, value):
        wan = super().clean(value)
        return None if wan is None else (wan * WAN).quantize(Decimal("0.01"))


class YuanField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("券种名称"), max_length=200)
    budget = WanField(label=_("总预算（万元）"))
    cap = WanField(label=_("每家企业上限（万元）"))
    ratio_pct = forms.DecimalField(
        label=_("补贴比例（%）"), min_value=Decimal("0.01"), max_value=100, decimal_places=2
    )
    categories = forms.MultipleChoiceField(
        label=_("支持的服务类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    issue_from = forms.DateField(label=_("发放开始日期"), widget=DateInput())
    issue_until = forms.DateField(label=_("发放截止日期"), widget=DateInput())
    validity_days = forms.IntegerField(label=_("有效期（天）"), min_value=1, max_value=1096)
    policy = forms.CharField(label=_("政策依据"), max_length=300, required=False)

    def scheme_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["subsidy_ratio"] = (d.pop("ratio_pct") / 100).quantize(Decimal("0.0001"))
        return d


class BudgetForm(forms.Form):
    budget = WanField(label=_("调整后的总预算（万元）"), min_value=Decimal(0))


class ApplicationForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("券种"), queryset=Scheme.objects.none())
    amount = WanField(label=_("申请金额（万元）"))
    category = forms.ChoiceField(label=_("拟用服务类别"), choices=Category.choices)
    purpose = forms.CharField(
        label=_("用途说明"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schemes is not None:
            self.fields["scheme"].queryset = schemes


class ApproveForm(forms.Form):
    amount = WanField(label=_("批准金额（万元）"), required=False)
    note = forms.CharField(label=_("审核意见"), max_length=MAX_TEXT, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class UseForm(forms.Form):
    service = forms.ModelChoiceField(label=_("服务"), queryset=Service.objects.none())

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services


class RedemptionForm(forms.Form):
    contract_no = forms.CharField(label=_("合同编号"), max_length=100)
    contract_amount = YuanField(label=_("合同金额（元）"))
    invoice_no = forms.CharField(label=_("发票号码"), max_length=100)
    invoice_amount = YuanField(label=_("发票金额（元）"))
    contract_files = MultipleFileField(label=_("服务合同（PDF、Word、Excel、JPEG、PNG）"))
    invoice_files = MultipleFileField(label=_("发票（PDF、Word、Excel、JPEG、PNG）"))


class ProviderForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    name = forms.CharField(label=_("机构名称"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=50)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    categories = forms.MultipleChoiceField(
        label=_("服务类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("机构简介"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved = forms.BooleanField(label=_("同时入库"), required=False)


class ServiceForm(forms.Form):
    category = forms.ChoiceField(label=_("服务类别"), choices=Category.choices)
    name = forms.CharField(label=_("服务名称"), max_length=200)
    price_note = forms.CharField(label=_("收费说明"), max_length=300, required=False)


def scheme_initial() -> dict:
    year = timezone.localdate().year
    return {
        "year": year,
        "ratio_pct": 50,
        "validity_days": 180,
        "issue_from": f"{year}-01-01",
        "issue_until": f"{year}-12-31",
    }
