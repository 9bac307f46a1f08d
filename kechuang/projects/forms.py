"""Web forms: they parse what a browser sends; the services decide what is acceptable."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.projects.models import (
    Acceptance,
    BudgetLine,
    ChangeRequest,
    Deliverable,
    MidtermEvaluation,
    MidtermScore,
    Outcome,
    SelfInspection,
)
from kechuang.projects.services import (
    DEFAULT_PANEL,
    MAX_NAME,
    MAX_NOTE,
    MAX_PANEL,
    MAX_PERIOD,
    MAX_TEXT,
    MAX_TITLE,
)
from kechuang.supervision.forms import DateInput, MultipleFileField, MultipleFileInput
from kechuang.uploads import DOCUMENT_KINDS, EXTENSIONS


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=16, decimal_places=2, **kwargs)


def _textarea(label, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CreateForm(forms.Form):
    approved_amount = _money(_("批准财政资金（元）"), min_value=Decimal("0.01"))
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    lead_person = forms.CharField(label=_("项目负责人"), max_length=MAX_NAME)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("里程碑名称"), max_length=MAX_TITLE)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DateInput())


class DeliverableForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Deliverable.Kind.choices)
    description = forms.CharField(label=_("考核指标"), max_length=MAX_TITLE)
    target_quantity = forms.IntegerField(label=_("目标数量"), min_value=1)


def budget_key(source: str, category: str) -> str:
    return f"{source}_{category}"


class BudgetForm(forms.Form):
    """One amount per category and funding source; blanks are zero."""

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(b.source, b.category): b.amount for b in (lines or [])}
        for source, source_label in BudgetLine.Source.choices:
            for category, category_label in BudgetLine.Category.choices:
                self.fields[budget_key(source, category)] = _money(
                    f"{source_label}·{category_label}",
                    min_value=0,
                    required=False,
                    initial=current.get((source, category)),
                )

    def rows(self):
        """(category label, fiscal field, self-raised field) for the table on the page."""
        for category, label in BudgetLine.Category.choices:
            yield (
                label,
                self[budget_key(BudgetLine.Source.FISCAL, category)],
                self[budget_key(BudgetLine.Source.SELF, category)],
            )

    def lines(self) -> list[tuple[str, str, Decimal]]:
        return [
            (source, category, self.cleaned_data[budget_key(source, category)])
            for source in BudgetLine.Source.values
            for category in BudgetLine.Category.values
            if self.cleaned_data.get(budget_key(source, category)) is not None
        ]


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    evidence_note = _textarea(_("完成情况说明"), rows=2)


class DisburseForm(forms.Form):
    amount = _money(_("拨付金额（元）"), min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("拨付日期"), widget=DateInput())
    batch_note = forms.CharField(label=_("批次说明"), max_length=MAX_NOTE, required=False)


DOCUMENT_ACCEPT = ",".join(sorted(e for e, k in EXTENSIONS.items() if k in DOCUMENT_KINDS))


class ProgressForm(forms.Form):
    period = forms.CharField(label=_("报告期"), max_length=MAX_PERIOD)
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    spend_to_date = _money(_("累计支出（元）"), min_value=0)
    text = _textarea(_("进展情况"), rows=5)
    files = MultipleFileField(
        label=_("附件（PDF、Word、Excel）"),
        widget=MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeRequest.Kind.choices)
    ends_on = forms.DateField(label=_("新的结束日期"), widget=DateInput(), required=False)
    source = forms.ChoiceField(
        label=_("资金来源"), choices=BudgetLine.Source.choices, required=False
    )
    move_from = forms.ChoiceField(
        label=_("调出科目"), choices=BudgetLine.Category.choices, required=False
    )
    move_to = forms.ChoiceField(
        label=_("调入科目"), choices=BudgetLine.Category.choices, required=False
    )
    amount = _money(_("调剂金额（元）"), min_value=Decimal("0.01"), required=False)
    lead_person = forms.CharField(label=_("新项目负责人"), max_length=MAX_NAME, required=False)
    description = _textarea(_("变更内容"), required=False)
    reason = _textarea(_("变更理由"))

    def proposed(self) -> dict:
        d = self.cleaned_data
        kind = d["kind"]
        if kind == ChangeRequest.Kind.EXTEND:
            return {"ends_on": d["ends_on"]}
        if kind == ChangeRequest.Kind.BUDGET:
            return {
                "source": d["source"],
                "from": d["move_from"],
                "to": d["move_to"],
                "amount": d["amount"],
            }
        if kind == ChangeRequest.Kind.LEAD:
            return {"lead_person": d["lead_person"]}
        return {"description": d["description"]}


class DecideChangeForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("不批准"))]
    )
    note = _textarea(_("审批意见"), required=False, rows=2)


class MidtermStartForm(forms.Form):
    k = forms.IntegerField(
        label=_("抽取专家人数"), min_value=1, max_value=MAX_PANEL, initial=DEFAULT_PANEL
    )


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("评分（0–100）"), min_value=0, max_value=100)
    recommendation = forms.ChoiceField(label=_("建议"), choices=MidtermScore.Recommendation.choices)
    opinion = _textarea(_("评估意见"), rows=5)


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("评估结论"), choices=MidtermEvaluation.Conclusion.choices
    )
    note = _textarea(_("结论说明"), required=False)


class AcceptanceForm(forms.Form):
    """The summary and one row per kind of outcome; rows left blank are not recorded."""

    summary = _textarea(_("总结报告"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Outcome.Kind.choices:
            self.fields[f"qty_{kind}"] = _money(label, min_value=0, required=False)
            self.fields[f"note_{kind}"] = forms.CharField(
                label=_("说明"), max_length=MAX_TITLE, required=False
            )

    def rows(self):
        for kind, label in Outcome.Kind.choices:
            yield label, self[f"qty_{kind}"], self[f"note_{kind}"]

    def outcomes(self) -> list[tuple[str, Decimal, str]]:
        d = self.cleaned_data
        return [
            (kind, d[f"qty_{kind}"], d[f"note_{kind}"])
            for kind in Outcome.Kind.values
            if d.get(f"qty_{kind}") is not None
        ]


class DecideAcceptanceForm(forms.Form):
    result = forms.ChoiceField(label=_("验收结论"), choices=Acceptance.Result.choices)
    opinion = _textarea(_("验收意见"))
    decided_on = forms.DateField(label=_("验收日期"), widget=DateInput())


YES_NO = [("yes", _("是")), ("no", _("否"))]


class InspectionForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    funds_as_budgeted = forms.ChoiceField(
        label=_("资金按预算使用"), choices=YES_NO, widget=forms.RadioSelect
    )
    milestones_on_time = forms.ChoiceField(
        label=_("里程碑按期完成"), choices=YES_NO, widget=forms.RadioSelect
    )
    team_as_contracted = forms.ChoiceField(
        label=_("团队与任务书一致"), choices=YES_NO, widget=forms.RadioSelect
    )
    outcomes_truthful = forms.ChoiceField(
        label=_("成果真实"), choices=YES_NO, widget=forms.RadioSelect
    )
    issues = _textarea(_("发现的问题（有“否”时必填）"), required=False)
    corrective_actions = _textarea(_("整改措施（有“否”时必填）"), required=False)

    CHECKS = ("funds_as_budgeted", "milestones_on_time", "team_as_contracted", "outcomes_truthful")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)

    def checks(self):
        return [self[name] for name in self.CHECKS]

    def answers(self) -> dict:
        d = self.cleaned_data
        out = {name: d[name] == "yes" for name in self.CHECKS}
        out.update(year=d["year"], issues=d["issues"], corrective_actions=d["corrective_actions"])
        return out


class ReviewInspectionForm(forms.Form):
    review = forms.ChoiceField(label=_("审核结果"), choices=SelfInspection.Review.choices)
    note = _textarea(_("审核意见"), required=False, rows=2)


class ToleranceForm(forms.Form):
    attempted = _textarea(_("开展的工作"))
    failure_reason = _textarea(_("未达预期的原因"))
    diligence_evidence = _textarea(_("勤勉尽责的证明"))
    rationale = _textarea(_("容错理由"))
    decided_on = forms.DateField(label=_("认定日期"), widget=DateInput())


class MisconductForm(forms.Form):
    finding = _textarea(_("认定事实"))
    sanction = _textarea(_("处理措施"))
    decided_on = forms.DateField(label=_("认定日期"), widget=DateInput())
