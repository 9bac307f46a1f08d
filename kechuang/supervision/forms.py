"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.core.problems import Problem
from kechuang.plans.models import TaskNode
from kechuang.supervision.services import MAX_TEXT, MAX_TITLE
from kechuang.uploads import EXTENSIONS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each by content."""

    def __init__(self, **kwargs):
        accept = ",".join(sorted(EXTENSIONS))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    reported_on = forms.DateField(label=_("报告日期"), widget=DateInput())
    milestone = forms.ModelChoiceField(
        label=_("对应里程碑（可选）"), queryset=None, required=False, empty_label=_("（无）")
    )
    text = forms.CharField(
        label=_("进展情况"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(
        label=_("佐证材料（PDF、Word、Excel、JPEG、PNG）"),
    )

    def __init__(self, *args, task: TaskNode, **kwargs):
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.order_by("due_on", "id")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("里程碑名称"), max_length=MAX_TITLE)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DateInput())


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=DateInput())


class SuperviseForm(forms.Form):
    reason = forms.CharField(
        label=_("督办事项"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    respond_by = forms.DateField(label=_("回复期限"), widget=DateInput())


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("回复内容"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


def form_problems(form: forms.Form) -> list[Problem]:
    """Form errors in the same shape as a service's, so one box on the page shows them all."""
    out = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else name
        for e in errors:
            out.append(Problem(label, str(e), str(e)))
    return out
