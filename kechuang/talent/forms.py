"""Web forms: they parse what a browser sends; the services decide what is acceptable.

People type money in 万元; the services take yuan, so the forms convert.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.calls.forms import DateTimeInput, to_wan, to_yuan
from kechuang.experts.services import FIELDS
from kechuang.talent.models import TalentApplication, TalentCall, TalentProgram


def _moment(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class ProgramForm(forms.Form):
    code = forms.SlugField(label=_("代码（英文字母、数字、-）"), max_length=64)
    name = forms.CharField(label=_("名称"), max_length=200)
    name_en = forms.CharField(label=_("英文名称"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=TalentProgram.Level.choices)
    kind = forms.ChoiceField(label=_("类别"), choices=TalentProgram.Kind.choices)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support = forms.CharField(
        label=_("支持内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support_wan = forms.DecimalField(
        label=_("支持资金（万元/人，可空）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=6,
    )
    term_years = forms.IntegerField(
        label=_("入选有效期（年）"), min_value=1, max_value=10, initial=3
    )

    @classmethod
    def initial_for(cls, program: TalentProgram) -> dict:
        return {
            key: getattr(program, key)
            for key in ("code", "name", "name_en", "level", "kind", "description", "support")
        } | {"support_wan": to_wan(program.support_amount), "term_years": program.term_years}

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["support_amount"] = to_yuan(d.pop("support_wan"))
        return d


class CallForm(forms.Form):
    program = forms.ModelChoiceField(label=_("人才计划"), queryset=TalentProgram.objects.all())
    code = forms.SlugField(label=_("编号（英文字母、数字、-）"), max_length=64)
    title = forms.CharField(label=_("标题"), max_length=300)
    title_en = forms.CharField(label=_("英文标题"), max_length=300, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("申报说明"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    opens_at = _moment(_("开始申报时间"))
    closes_at = _moment(_("申报截止时间"))
    panel_size = forms.IntegerField(label=_("每人评审专家数"), min_value=1, max_value=15, initial=5)

    @classmethod
    def initial_for(cls, call: TalentCall) -> dict:
        return {key: getattr(call, key) for key in cls.base_fields}


class ApplicationForm(forms.Form):
    """One person's nomination. Contact details are the employer's, so none are asked for."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(
        label=_("性别（可不填）"),
        required=False,
        choices=[("", "—"), *TalentApplication.Gender.choices],
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    education = forms.ChoiceField(
        label=_("学历"), required=False, choices=[("", "—"), *TalentApplication.Education.choices]
    )
    title = forms.CharField(label=_("职称"), max_length=100, required=False)
    position = forms.CharField(label=_("职务"), max_length=100, required=False)
    field = forms.ChoiceField(
        label=_("技术领域"), required=False, choices=[("", "—"), *((f, f) for f in FIELDS)]
    )
    achievements = forms.CharField(
        label=_("主要业绩（简述，不超过 5000 字）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    @classmethod
    def initial_for(cls, application: TalentApplication) -> dict:
        return {key: getattr(application, key) for key in cls.base_fields if key != "id_number"}

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    OUTCOMES = [("approve", _("入选")), ("reject", _("未入选"))]
    outcome = forms.ChoiceField(label=_("决定"), choices=OUTCOMES, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("说明（未入选时必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoreForm(forms.Form):
    """One number per criterion of the call (``score_<pk>``) and the opinion; for the bureau
    entering a paper sheet, also which panel member's sheet it is."""

    opinion = forms.CharField(
        label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        if members is not None:
            self.fields["assignment"] = forms.ChoiceField(
                label=_("专家"),
                choices=[(m.pk, f"{m.expert.code} {m.expert.name}") for m in members],
            )
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（{_('满分')} {c.max_score.normalize():f}，"
                f"{_('权重')} {c.weight.normalize():f}%）",
                min_value=0,
                max_value=c.max_score,
                max_digits=6,
                decimal_places=2,
            )

    def score_fields(self):
        return [(c, self[f"score_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
