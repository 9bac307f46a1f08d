"""Forms of the policy pages. They only parse what a person typed; the services validate."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.models import Certification
from kechuang.policies.models import Policy, PolicyApplication, PolicyMatch

BLANK = [("", "—")]


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class PolicyForm(forms.Form):
    """A policy as the bureau edits it. Lists are one item per line; benefits are
    ``description | amount | unit`` per line; conditions are written in YAML (or JSON)."""

    code = forms.SlugField(label=_("政策代码"), max_length=64, required=False)
    title = forms.CharField(label=_("政策名称"), max_length=300)
    title_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issuer = forms.CharField(label=_("发文单位"), max_length=200)
    level = forms.ChoiceField(label=_("层级"), choices=Policy.Level.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Policy.Category.choices)
    state = forms.ChoiceField(label=_("状态"), choices=Policy.State.choices)
    issued_on = forms.DateField(label=_("发布日期"), required=False)
    effective_from = forms.DateField(label=_("施行日期"), required=False)
    expires_on = forms.DateField(label=_("有效期至"), required=False)
    department = forms.CharField(label=_("落实部门"), max_length=200)
    address = forms.CharField(label=_("办理地点"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=100,
        required=False,
        help_text=_("未知请留空，页面显示“待补充”。"),
    )
    summary = forms.CharField(label=_("政策摘要"), widget=_rows(4))
    summary_en = forms.CharField(label=_("英文摘要"), widget=_rows(3), required=False)
    benefits = forms.CharField(
        label=_("支持内容"),
        widget=_rows(4),
        required=False,
        help_text=_(
            "每行一项：说明 | 金额 | 单位，如“首次认定奖励 | 100000 | 元”；无金额可只写说明。"
        ),
    )
    steps = forms.CharField(
        label=_("办理流程"), widget=_rows(4), required=False, help_text=_("每行一步。")
    )
    materials = forms.CharField(
        label=_("申请材料"), widget=_rows(4), required=False, help_text=_("每行一项。")
    )
    conditions = forms.CharField(
        label=_("申请条件（机器可判）"),
        widget=forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}),
        required=False,
        help_text=_("YAML 或 JSON，写法见 docs/policy-conditions.md；留空表示不作自动匹配。"),
    )
    conditions_note = forms.CharField(label=_("申请条件说明"), widget=_rows(3), required=False)
    full_text = forms.CharField(label=_("政策原文"), widget=_rows(8), required=False)
    auto_grant = forms.BooleanField(label=_("免申即享"), required=False)
    grant_trigger = forms.ChoiceField(
        label=_("兑现依据（期内取得的资质）"),
        choices=BLANK + Certification.Kind.choices,
        required=False,
    )
    grant_amount = forms.DecimalField(
        label=_("每家兑现金额（元）"), max_digits=16, decimal_places=2, required=False
    )

    def clean_conditions(self) -> Any:
        text = self.cleaned_data["conditions"].strip()
        if not text:
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第 {mark.line + 1} 行 / line {mark.line + 1}: " if mark else ""
            raise forms.ValidationError(f"{where}YAML 格式错误 / not valid YAML") from None

    def clean_benefits(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["benefits"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            rows.append(
                {
                    "description": parts[0],
                    "amount": parts[1] if len(parts) > 1 and parts[1] else None,
                    "unit": parts[2] if len(parts) > 2 else "",
                }
            )
        return rows

    def data_for_service(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        if not d.get("code"):
            d.pop("code", None)
        return d

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial = dict(data)
        initial["steps"] = "\n".join(data["steps"])
        initial["materials"] = "\n".join(data["materials"])
        initial["benefits"] = "\n".join(
            " | ".join(
                str(x)
                for x in (b["description"], "" if b["amount"] is None else b["amount"], b["unit"])
            ).rstrip(" |")
            for b in data["benefits"]
        )
        conditions = data.get("conditions")
        initial["conditions"] = (
            yaml.safe_dump(conditions, allow_unicode=True, sort_keys=False) if conditions else ""
        )
        return initial


class ApplicationForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=PolicyApplication.Status.choices)
    amount = forms.DecimalField(
        label=_("兑现金额（元）"), max_digits=16, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class PushForm(forms.Form):
    verdicts = forms.MultipleChoiceField(
        label=_("推送对象"),
        choices=PolicyMatch.Verdict.choices,
        initial=[PolicyMatch.Verdict.ELIGIBLE],
        widget=forms.CheckboxSelectMultiple,
    )


class RosterForm(forms.Form):
    start = forms.DateField(label=_("期间起"))
    end = forms.DateField(label=_("期间止"))


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=500, required=False)
