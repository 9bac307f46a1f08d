from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.cultivation.models import ServiceRecord, Stage


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=ServiceRecord.Kind.choices)
    date = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_on = forms.DateField(
        label=_("跟进日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("调整到阶段"), choices=Stage.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
