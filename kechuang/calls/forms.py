"""Web forms: they parse what a browser sends; the services decide what is acceptable.

People type money in 万元; the services take yuan, so the forms convert.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.calls import selectors
from kechuang.calls.models import Application, Call, Program
from kechuang.core import eligibility
from kechuang.enterprises.models import Enterprise
from kechuang.supervision.forms import MultipleFileField, MultipleFileInput
from kechuang.uploads import DOCUMENT_KINDS, EXTENSIONS

WAN = Decimal(10000)
DOCUMENT_ACCEPT = ",".join(sorted(e for e, k in EXTENSIONS.items() if k in DOCUMENT_KINDS))
YEARS_CODE = "min_years_registered"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _moment(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def _wan(label, required=True):
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=16, decimal_places=6
    )


def to_yuan(wan: Decimal | None) -> Decimal | None:
    return None if wan is None else (wan * WAN).quantize(Decimal("0.01"))


def to_wan(yuan: Decimal | None) -> Decimal | None:
    """Yuan in 万元 as a person would type it: 1000, 12.5 (never 1E+3)."""
    if yuan is None:
        return None
    wan = (yuan / WAN).normalize()
    return wan.quantize(Decimal(1)) if wan == wan.to_integral_value() else wan


# --- applications -------------------------------------------------------------------------------


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ApplicationForm(forms.Form):
    """The application's content; one textarea per section of the call, named ``answer_<key>``."""

    title = forms.CharField(label=_("项目名称"), max_length=300)
    summary = forms.CharField(
        label=_("项目简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fields = forms.MultipleChoiceField(
        label=_("技术领域（高新技术领域，可多选）"),
        choices=Enterprise.HighTechField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requested_amount = _wan(_("申请资金（万元）"), required=False)
    co_applicants = OrganizationChoices(
        label=_("合作单位（可多选）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, application: Application, **kwargs):
        call = application.call
        kwargs.setdefault(
            "initial",
            {
                "title": application.title,
                "summary": application.summary,
                "fields": application.fields,
                "requested_amount": to_wan(application.requested_amount),
                "co_applicants": list(application.co_applicants.all()),
            }
            | {f"answer_{k}": v for k, v in application.answers.items()},
        )
        super().__init__(*args, **kwargs)
        self.fields["fields"].widget.attrs["class"] = "checks"
        self.fields["co_applicants"].queryset = selectors.co_applicant_choices(
            application.applicant_id
        )
        self.sections = list(call.sections.all())
        for s in self.sections:
            self.fields[f"answer_{s.key}"] = forms.CharField(
                label=s.title,
                required=False,
                help_text=s.guidance,
                widget=forms.Textarea(attrs={"rows": 6, "data-max": s.max_chars}),
            )

    def answer_fields(self):
        return [(s, self[f"answer_{s.key}"]) for s in self.sections]

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "summary": d["summary"],
            "fields": d["fields"],
            "requested_amount": to_yuan(d["requested_amount"]) or Decimal(0),
            "co_applicants": list(d["co_applicants"]),
            "answers": {s.key: d[f"answer_{s.key}"] for s in self.sections},
        }


class StartForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=300)


class AttachmentForm(forms.Form):
    files = MultipleFileField(
        label=_("附件（PDF、Word、Excel）"),
        widget=MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FormalCheckForm(forms.Form):
    OUTCOMES = [
        ("accept", _("通过")),
        ("return", _("退回修改")),
        ("reject", _("不通过")),
    ]
    outcome = forms.ChoiceField(label=_("审查结论"), choices=OUTCOMES, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("审查意见（退回或不通过时必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resubmit_by = _moment(_("补正截止时间（退回时；申报已截止则必填）"), required=False)


# --- calls --------------------------------------------------------------------------------------


class CallForm(forms.Form):
    program = forms.ModelChoiceField(label=_("科技计划"), queryset=Program.objects.all())
    code = forms.SlugField(label=_("编号（英文字母、数字、-）"), max_length=64)
    title = forms.CharField(label=_("标题"), max_length=300)
    title_en = forms.CharField(label=_("英文标题"), max_length=300, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("申报说明"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    opens_at = _moment(_("开始申报时间"))
    closes_at = _moment(_("申报截止时间"))
    budget = _wan(_("资金总额（万元）"))
    max_amount = _wan(_("单项申请上限（万元，可空）"), required=False)
    conditions = forms.MultipleChoiceField(
        label=_("申报条件"),
        required=False,
        choices=[
            (key, spec.name_zh) for key, spec in eligibility.CONDITIONS.items() if key != YEARS_CODE
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    min_years = forms.IntegerField(
        label=_("成立满几年（可空）"), required=False, min_value=1, max_value=eligibility.MAX_YEARS
    )
    panel_size = forms.IntegerField(label=_("每项评审专家数"), min_value=1, max_value=30, initial=5)
    review_deadline = _moment(_("评审截止时间（可空）"), required=False)

    @classmethod
    def initial_for(cls, call: Call) -> dict:
        codes = [eligibility.parse(c) for c in call.eligibility]
        return {
            "program": call.program,
            "code": call.code,
            "title": call.title,
            "title_en": call.title_en,
            "year": call.year,
            "description": call.description,
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "budget": to_wan(call.budget),
            "max_amount": to_wan(call.max_amount),
            "conditions": [c.code for c in codes if c.years is None],
            "min_years": next((c.years for c in codes if c.years), None),
            "panel_size": call.panel_size,
            "review_deadline": call.review_deadline,
        }

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        codes = list(d.pop("conditions"))
        years = d.pop("min_years")
        if years:
            codes.append(f"{YEARS_CODE}:{years}")
        d["eligibility"] = codes
        d["budget"] = to_yuan(d["budget"])
        d["max_amount"] = to_yuan(d["max_amount"])
        return d


class SectionForm(forms.Form):
    key = forms.SlugField(label=_("代码"), max_length=40, required=False)
    title = forms.CharField(label=_("栏目标题"), max_length=200, required=False)
    title_en = forms.CharField(label=_("英文标题"), max_length=200, required=False)
    guidance = forms.CharField(label=_("填写说明"), max_length=2000, required=False)
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    max_chars = forms.IntegerField(label=_("字数上限"), min_value=1, initial=3000, required=False)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("评审指标"), max_length=200, required=False)
    name_en = forms.CharField(label=_("英文名称"), max_length=200, required=False)
    description = forms.CharField(label=_("评分说明"), max_length=2000, required=False)
    weight = forms.DecimalField(
        label=_("权重（%）"), max_digits=5, decimal_places=2, required=False
    )
    max_score = forms.DecimalField(
        label=_("满分"), max_digits=6, decimal_places=2, initial=100, required=False
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=2)
CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)


def rows(formset, first: str) -> list[dict]:
    """The filled rows of a formset; a row whose first field is blank is left out."""
    out = []
    for form in formset:
        d = form.cleaned_data
        if d.get(first):
            out.append({k: v for k, v in d.items() if v is not None})
    return out
