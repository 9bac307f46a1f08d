from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.reviews.models import MAX_REASON
from kechuang.reviews.services import MAX_OPINION


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("回避理由"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：与申报单位存在任职、合作或亲属关系。"),
    )


class DecisionForm(forms.Form):
    OUTCOMES = [("approve", _("同意立项")), ("reject", _("不予立项"))]
    outcome = forms.ChoiceField(label=_("评审决定"), choices=OUTCOMES, widget=forms.RadioSelect)
    # 万元, as people type amounts; the service works in yuan.
    amount_wan = forms.DecimalField(
        label=_("立项资金（万元）"), required=False, min_value=0, decimal_places=6
    )
    opinion = forms.CharField(
        label=_("评审组意见"), max_length=MAX_OPINION, widget=forms.Textarea(attrs={"rows": 3})
    )
