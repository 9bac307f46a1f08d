"""One JSON shape for a computed indicator, shared by the CLI, the API and the charts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kechuang.indicators.selectors import IndicatorResult, PlanResult


def rounded(value: Decimal | None, decimals: int) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def target_display(ind) -> str:
    if ind.target_kind == "value":
        return rounded(ind.target_value, ind.decimals)
    # Qualitative targets read best by their kind (只增不减); the plan's words stay in "text".
    return str(ind.get_target_kind_display())


def indicator_json(r: IndicatorResult, *, as_of: int | None = None) -> dict:
    """``as_of`` shows the indicator as it stood then: later years are left out."""
    ind, a = r.indicator, r.assessment
    d = ind.decimals
    values = [v for v in r.values if as_of is None or v.year <= as_of]
    shown = next((v for v in reversed(values) if v.value is not None), None)
    fit = a.fit
    return {
        "code": ind.code,
        "number": ind.number,
        "key": ind.is_key,
        "name": ind.name,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "year": shown.year if shown else as_of,
        "value": rounded(shown.value, d) if shown else None,
        "is_demo": bool(shown and shown.is_demo),
        "target": {
            "kind": ind.target_kind,
            "value": rounded(ind.target_value, d),
            "year": ind.target_year,
            "display": target_display(ind),
            "text": ind.target_text,
            "source": ind.target_source,
        },
        "baseline": (
            {"year": ind.baseline_year, "value": rounded(ind.baseline_value, d)}
            if ind.baseline_value is not None
            else None
        ),
        "status": {
            "code": a.status.value,
            "label_zh": a.status.label_zh,
            "label_en": a.status.label_en,
            "reasons": [
                {"code": x.code, "zh": x.message_zh, "en": x.message_en} for x in a.reasons
            ],
        },
        "gap": rounded(a.gap, d),
        "years_left": a.years_left,
        "required_annual_change": rounded(a.required_annual_change, d),
        "required_annual_rate": rounded(a.required_annual_rate, 4),
        "forecast": {
            "model": fit.model,
            "value": rounded(a.forecast, d),
            "annual_change": rounded(fit.annual_change, 4 if fit.model == "compound" else d),
            "rmse": rounded(fit.rmse, d),
        }
        if fit
        else None,
        "series": [
            {
                "year": v.year,
                "value": rounded(v.value, d),
                "is_demo": v.is_demo,
                "error": v.error.code if v.error else None,
            }
            for v in values
        ],
        "warnings": [
            {
                "code": w.code,
                "severity": w.severity,
                "year": w.year,
                "zh": w.message_zh,
                "en": w.message_en,
            }
            for w in r.warnings
        ],
    }


def plan_result_json(result: PlanResult, *, as_of: int | None = None) -> dict:
    p = result.plan
    return {
        "plan": {
            "code": p.code,
            "title": p.title,
            "title_en": p.title_en,
            "document_number": p.document_number,
        },
        "org_unit": {"code": result.org_unit.code, "name": result.org_unit.name},
        "has_demo": result.has_demo,
        "indicators": [indicator_json(r, as_of=as_of) for r in result.indicators],
    }
