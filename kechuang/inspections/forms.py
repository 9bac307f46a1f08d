"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.experts.services import FIELDS
from kechuang.inspections.models import Check, InspectionPlan
from kechuang.inspections.services import MAX_INSPECTORS, MAX_MONTHS, MAX_TEXT, MAX_TITLE
from kechuang.projects.forms import DOCUMENT_ACCEPT
from kechuang.supervision.forms import DateInput, MultipleFileField, MultipleFileInput


def _files() -> MultipleFileField:
    return MultipleFileField(
        label=_("附件（可选，PDF、Word、Excel）"),
        widget=MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


def _text(label, *, required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=MAX_TITLE)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    pool = forms.ChoiceField(label=_("检查对象库"), choices=InspectionPlan.Pool.choices)
    sampling = forms.ChoiceField(
        label=_("抽取方式"),
        choices=InspectionPlan.Sampling.choices,
        widget=forms.RadioSelect,
        initial=InspectionPlan.Sampling.RATIO,
    )
    # Left to the service, so "0" or "150" get its message that names the field and the limit.
    ratio_pct = forms.DecimalField(label=_("抽查比例（%）"), required=False, decimal_places=2)
    count = forms.IntegerField(label=_("抽查数量"), required=False)
    inspectors_per_check = forms.IntegerField(
        label=_("每组检查人员数"), min_value=1, max_value=MAX_INSPECTORS, initial=2
    )
    inspector_fields = forms.MultipleChoiceField(
        label=_("检查人员技术领域（可选，不选则不限）"),
        choices=[(f, f) for f in FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    finance_only = forms.BooleanField(label=_("仅从科技金融专家中抽取"), required=False)
    exclude_recent_months = forms.IntegerField(
        label=_("排除近几个月内已抽查的对象（0 为不排除）"),
        min_value=0,
        max_value=MAX_MONTHS,
        initial=12,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        # Only the chosen way of sampling reaches the service.
        if d["sampling"] == InspectionPlan.Sampling.RATIO:
            d.pop("count")
        else:
            d.pop("ratio_pct")
        return d


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("计划检查日期"), widget=DateInput())


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label=_("检查日期"), widget=DateInput())
    result = forms.ChoiceField(label=_("检查结果"), choices=Check.Result.choices)
    findings = _text(_("检查发现（将随结果公开）"))
    internal_notes = _text(_("内部记录（不公开，仅科技局与检查人员可见）"), required=False, rows=3)
    rectify_by = forms.DateField(
        label=_("整改期限（责令整改时填写）"), required=False, widget=DateInput()
    )
    files = _files()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"inspected_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RectificationForm(forms.Form):
    note = _text(_("整改情况"))
    files = _files()


class ConfirmForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("确认结果"),
        choices=[("1", _("整改完成")), ("0", _("整改未通过，退回"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = _text(_("意见（退回时必填）"), required=False, rows=2)
