"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import User
from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    ImportJob,
    Industry,
    IntellectualProperty,
    Park,
    YearlyFigures,
)
from kechuang.enterprises.tables import FIGURE_VALUES

BLANK = [("", "—")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IndustryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Industry) -> str:
        return f"{obj.code} {obj.name}"


class EnterpriseForm(forms.Form):
    """The whole profile, for bureau staff; ``uscc`` only when registering."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    name = forms.CharField(label=_("企业名称"), max_length=200)
    registered_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput())
    industry = IndustryChoice(
        label=_("所属行业（GB/T 4754-2017）"),
        queryset=Industry.objects.exclude(level=Industry.Level.SECTION).order_by("code"),
        required=False,
    )
    park = forms.ModelChoiceField(label=_("所在园区"), queryset=Park.objects.all(), required=False)
    ownership = forms.ChoiceField(
        label=_("登记注册类型"), choices=BLANK + Enterprise.Ownership.choices, required=False
    )
    high_tech_field = forms.ChoiceField(
        label=_("高新技术领域"), choices=BLANK + Enterprise.HighTechField.choices, required=False
    )
    address = forms.CharField(label=_("注册地址"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    in_district = forms.BooleanField(label=_("区内企业"), required=False, initial=True)
    # Declarations the rules need; "—" (not declared) stays distinct from "否".
    resident = forms.NullBooleanField(label=_("境内注册居民企业"), required=False)
    restricted_products = forms.NullBooleanField(
        label=_("产品属于禁止、限制或淘汰类"), required=False
    )
    rd_management_system = forms.NullBooleanField(label=_("研发组织管理制度"), required=False)
    rd_accounting_system = forms.NullBooleanField(label=_("研发投入核算体系"), required=False)
    rd_ledger = forms.NullBooleanField(label=_("研发费用辅助账"), required=False)
    rd_organisation = forms.NullBooleanField(label=_("内部研发机构及科研条件"), required=False)
    industry_university_cooperation = forms.NullBooleanField(label=_("产学研合作"), required=False)
    conversion_incentives = forms.NullBooleanField(
        label=_("成果转化组织实施与激励奖励制度"), required=False
    )
    open_innovation_platform = forms.NullBooleanField(label=_("开放式创新创业平台"), required=False)
    talent_training = forms.NullBooleanField(label=_("科技人员培养进修"), required=False)
    skills_training = forms.NullBooleanField(label=_("职工技能培训"), required=False)
    talent_recruitment = forms.NullBooleanField(label=_("优秀人才引进"), required=False)
    performance_rewards = forms.NullBooleanField(label=_("人才绩效评价奖励制度"), required=False)
    ip_advancement = forms.ChoiceField(
        label=_("知识产权技术先进程度（预评）"),
        choices=BLANK + Enterprise.AdvancementView.choices,
        required=False,
    )
    ip_core_support = forms.ChoiceField(
        label=_("知识产权对主要产品的核心支持作用（预评）"),
        choices=BLANK + Enterprise.SupportView.choices,
        required=False,
    )
    service_officer = forms.ModelChoiceField(
        label=_("服务专员"),
        queryset=User.objects.filter(role__in=[User.Role.ADMIN, User.Role.STAFF], is_active=True),
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["uscc"]

    def profile(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("uscc", None)
        d.pop("service_officer", None)
        d["industry"] = d["industry"].code if d["industry"] else ""
        d["park"] = d["park"].code if d["park"] else ""
        return d


class SelfServiceForm(forms.Form):
    """What an enterprise user may change on its own profile."""

    address = forms.CharField(label=_("注册地址"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=50, required=False)
    high_tech_field = forms.ChoiceField(
        label=_("高新技术领域"), choices=BLANK + Enterprise.HighTechField.choices, required=False
    )

    def profile(self) -> dict:
        return dict(self.cleaned_data)


FIGURE_GROUPS = (
    (
        _("收入"),
        (
            "operating_revenue",
            "main_revenue",
            "other_revenue",
            "total_income",
            "non_taxable_income",
            "high_tech_income",
            "technical_income",
        ),
    ),
    (
        _("研发费用（按八类归集）"),
        (
            "rd_personnel",
            "rd_direct_inputs",
            "rd_depreciation",
            "rd_amortization",
            "rd_design",
            "rd_trials",
            "rd_outsourced_domestic",
            "rd_outsourced_overseas",
            "rd_other",
            "rd_domestic",
        ),
    ),
    (_("人员（全年月平均数）"), ("employees", "st_staff", "rd_staff")),
    (
        _("资产与利润"),
        ("total_assets", "liabilities", "net_assets", "net_profit", "cost_and_expense_total"),
    ),
    (_("科技成果转化"), ("conversions",)),
)


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)
    submit = forms.BooleanField(label=_("提交审核"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, _zh, _en, kind in FIGURE_VALUES:
            if kind == "int":
                self.fields[key] = forms.IntegerField(
                    label=YearlyFigures._meta.get_field(key).verbose_name,
                    required=False,
                    min_value=0,
                    max_value=32767,
                    help_text=_("项"),
                )
                continue
            self.fields[key] = forms.DecimalField(
                label=YearlyFigures._meta.get_field(key).verbose_name,
                required=False,
                max_digits=18 if kind == "money" else 10,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                help_text=_("元") if kind == "money" else _("人"),
            )

    def groups(self):
        return [(title, [self[k] for k in keys]) for title, keys in FIGURE_GROUPS]

    def values(self) -> dict:
        return {k: self.cleaned_data.get(k) for k, *_ in FIGURE_VALUES}


class IPForm(forms.Form):
    kind = forms.ChoiceField(label=_("知识产权类型"), choices=IntellectualProperty.Kind.choices)
    number = forms.CharField(
        label=_("号码"),
        max_length=64,
        help_text=_("专利如 ZL202310123456.6；软件著作权如 2023SR0123456"),
    )
    title = forms.CharField(label=_("名称"), max_length=300)
    ip_class = forms.ChoiceField(
        label=_("类别（仅“其他”类型填写）"),
        choices=BLANK + IntellectualProperty.IPClass.choices,
        required=False,
    )
    applied_on = forms.DateField(label=_("申请日"), required=False, widget=DateInput())
    granted_on = forms.DateField(label=_("授权日"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("法律状态"), choices=BLANK + IntellectualProperty.Status.choices, required=False
    )
    valid = forms.BooleanField(label=_("有效"), required=False, initial=True)
    ownership = forms.ChoiceField(label=_("权属"), choices=IntellectualProperty.Ownership.choices)
    acquisition = forms.ChoiceField(
        label=_("获得方式"), choices=IntellectualProperty.Acquisition.choices
    )
    used_for_hnte_application = forms.CharField(
        label=_("已用于高企申报（申报年度或证书编号）"), max_length=200, required=False
    )
    high_value = forms.BooleanField(label=_("高价值知识产权"), required=False)

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["ip_class"] = d["ip_class"] or None
        d["status"] = d["status"] or None
        return d


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("资质类型"), choices=Certification.Kind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=64, required=False)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    expires_on = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=DateInput(),
        help_text=_("留空则按类型推算：高新技术企业 3 年，科技型中小企业 1 年，其他 3 年"),
    )
    issuer = forms.CharField(label=_("发证机关"), max_length=200, required=False)


class EventForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=EnterpriseEvent.Category.choices)
    date = forms.DateField(label=_("日期（发生、列入、获奖、发布或认定）"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("事项（事故、名录）"), choices=BLANK + EnterpriseEvent.Kind.choices, required=False
    )
    level = forms.ChoiceField(
        label=_("级别（奖励、标准、机构）"),
        choices=BLANK + EnterpriseEvent.Level.choices,
        required=False,
    )
    role = forms.ChoiceField(
        label=_("角色（标准）"), choices=BLANK + EnterpriseEvent.Role.choices, required=False
    )
    rank = forms.IntegerField(label=_("完成单位排名（奖励）"), min_value=1, required=False)
    name = forms.CharField(label=_("名称"), max_length=300, required=False)
    ended_on = forms.DateField(label=_("移出日期（名录）"), required=False, widget=DateInput())
    serious = forms.BooleanField(label=_("重大/严重"), required=False, initial=True)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    approve = forms.BooleanField(label=_("年度数据导入即审核通过"), required=False)
