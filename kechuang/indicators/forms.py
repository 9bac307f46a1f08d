from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.indicators.models import DataElement, OrgUnit


class ValueForm(forms.Form):
    element = forms.ModelChoiceField(DataElement.objects.none(), label=_("数据元"))
    org_unit = forms.ModelChoiceField(OrgUnit.objects.all(), label=_("统计区域"))
    year = forms.IntegerField(label=_("年份"), min_value=1949)
    value = forms.DecimalField(label=_("数值"), max_digits=24, decimal_places=6)
    source = forms.CharField(label=_("来源"), max_length=300)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    submit = forms.BooleanField(label=_("直接提交审核"), required=False, initial=True)

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = elements


class UploadForm(forms.Form):
    file = forms.FileField(label=_("数据文件（.xlsx 或 .csv）"))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=500, required=False)
