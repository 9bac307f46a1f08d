"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Organization
from kechuang.achievements.models import Achievement, TechContract
from kechuang.enterprises.checks import clean_uscc
from kechuang.enterprises.forms import DateInput
from kechuang.enterprises.models import Enterprise

BLANK = [("", "—")]
SPLIT = re.compile(r"[\s,，、;；]+")


def _items(text: str) -> list[str]:
    return [x for x in SPLIT.split(text or "") if x]


class AchievementForm(forms.Form):
    title = forms.CharField(label=_("成果名称"), max_length=300)
    owners = forms.ModelMultipleChoiceField(
        label=_("完成单位"),
        queryset=Organization.objects.order_by("kind", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可多选（按住 Ctrl 或 ⌘）"),
    )
    co_owners = forms.CharField(
        label=_("其他完成单位（平台外，不公开）"), max_length=500, required=False
    )
    field = forms.ChoiceField(
        label=_("技术领域"), choices=BLANK + Enterprise.HighTechField.choices, required=False
    )
    trl = forms.IntegerField(label=_("技术成熟度（TRL 1–9）"))
    year = forms.IntegerField(label=_("完成年度"))
    transfer_status = forms.ChoiceField(
        label=_("转化状态"), choices=Achievement.TransferStatus.choices
    )
    transfer_mode = forms.ChoiceField(
        label=_("转化方式"), choices=BLANK + Achievement.TransferMode.choices, required=False
    )
    abstract = forms.CharField(
        label=_("成果简介"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    ip_numbers = forms.CharField(
        label=_("关联知识产权号码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行或用逗号分隔一个号码，须为完成单位在企业库中登记的知识产权"),
    )
    project_codes = forms.CharField(
        label=_("关联科技项目编号"), required=False, help_text=_("多个用逗号分隔")
    )
    is_public = forms.BooleanField(label=_("公开（在公开成果库中显示）"), required=False)

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        return d | {
            "owners": list(d["owners"]),
            "ip_numbers": _items(d["ip_numbers"]),
            "project_codes": _items(d["project_codes"]),
        }

    @staticmethod
    def initial_for(a: Achievement) -> dict:
        return {
            "title": a.title,
            "owners": list(a.owners.all()),
            "co_owners": a.co_owners,
            "field": a.field,
            "trl": a.trl,
            "year": a.year,
            "transfer_status": a.transfer_status,
            "transfer_mode": a.transfer_mode,
            "abstract": a.abstract,
            "ip_numbers": "\n".join(i.number for i in a.ip.all()),
            "project_codes": ", ".join(p.code for p in a.projects.all()),
            "is_public": a.is_public,
        }


TRI = [("", _("按企业库登记")), ("1", _("是")), ("0", _("否"))]


class ContractForm(forms.Form):
    registration_number = forms.CharField(label=_("登记编号"), max_length=40)
    registered_on = forms.DateField(label=_("登记日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("合同类型"), choices=BLANK + TechContract.Kind.choices)
    title = forms.CharField(label=_("合同名称"), max_length=300)
    seller_uscc = forms.CharField(
        label=_("卖方统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("卖方在企业库中的填写此项，名称自动取企业库"),
    )
    seller_name = forms.CharField(label=_("卖方名称"), max_length=200, required=False)
    seller_region = forms.CharField(label=_("卖方所在地区"), max_length=100, required=False)
    seller_in_district = forms.ChoiceField(label=_("卖方为本区单位"), choices=TRI, required=False)
    buyer_uscc = forms.CharField(label=_("买方统一社会信用代码"), max_length=30, required=False)
    buyer_name = forms.CharField(label=_("买方名称"), max_length=200, required=False)
    buyer_region = forms.CharField(label=_("买方所在地区"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("合同成交额（元）"), max_digits=16, decimal_places=2)
    trade_value = forms.DecimalField(label=_("技术交易额（元）"), max_digits=16, decimal_places=2)
    field = forms.ChoiceField(
        label=_("技术领域"), choices=BLANK + Enterprise.HighTechField.choices, required=False
    )
    achievement = forms.ModelChoiceField(
        label=_("关联成果"), queryset=Achievement.objects.order_by("title"), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def _enterprise(self, key: str):
        code = clean_uscc(self.cleaned_data.get(key))
        if not code:
            return None
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(
                _("企业库中没有统一社会信用代码为 %(c)s 的企业") % {"c": code}
            )
        return enterprise

    def clean_seller_uscc(self):
        return self._enterprise("seller_uscc")

    def clean_buyer_uscc(self):
        return self._enterprise("buyer_uscc")

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        seller, buyer = d.pop("seller_uscc"), d.pop("buyer_uscc")
        flag = d["seller_in_district"]
        return d | {
            "seller": seller,
            "buyer": buyer,
            "seller_in_district": None if flag == "" else flag == "1",
        }

    @staticmethod
    def initial_for(c: TechContract) -> dict:
        return {
            "registration_number": c.registration_number,
            "registered_on": c.registered_on,
            "kind": c.kind,
            "title": c.title,
            "seller_uscc": c.seller.uscc if c.seller_id else "",
            "seller_name": c.seller_name,
            "seller_region": c.seller_region,
            "seller_in_district": "1" if c.seller_in_district else "0",
            "buyer_uscc": c.buyer.uscc if c.buyer_id else "",
            "buyer_name": c.buyer_name,
            "buyer_region": c.buyer_region,
            "amount": c.amount,
            "trade_value": c.trade_value,
            "field": c.field,
            "achievement": c.achievement,
            "note": c.note,
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
