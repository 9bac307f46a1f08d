"""Cultivation fixtures: the registry's enterprise fixtures, plus an enterprise whose registry
record mirrors the documented facts example (schemas/facts.example.json)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from kechuang.enterprises.tests.conftest import (  # noqa: F401 - fixtures re-exported
    enterprise,
    industries,
    make_enterprise,
    make_uscc,
    media,
    own_user,
    uscc,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "schemas" / "facts.example.json"
ON = dt.date(2025, 6, 30)

# Registry field ← facts-example key, for the yearly figures the registry keeps.
_FIG = {
    "main_revenue": "main_revenue",
    "other_revenue": "other_revenue",
    "total_income": "total_income",
    "non_taxable_income": "non_taxable_income",
    "high_tech_income": "high_tech_income",
    "total_assets": "total_assets",
    "liabilities": "liabilities",
    "net_profit": "net_profit",
    "cost_and_expense_total": "cost_and_expense_total",
    "employees": "employees",
    "st_staff": "st_staff",
    "rd_staff": "rd_staff",
    "conversions": "conversions",
}


def _d(text):
    return dt.date.fromisoformat(text) if text else None


def example_facts() -> dict:
    """The documented example reduced to what the registry records, as JSON facts."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["high_tech_field"] = "新材料"
    data.pop("size_industry")
    for key in (
        "independent_legal_person",
        "strategic_emerging_product",
        "lead_product_field",
        "niche_since",
        "digital_level",
        "quality_items",
        "declared_scores",
        "financing",
    ):
        data.pop(key, None)
    for y in data["years"]:
        y.pop("employees_year_end", None)
        y.pop("employees_monthly", None)
        y.pop("st_staff_monthly", None)
        y.setdefault("employees", "186")
        y.setdefault("st_staff", "34")
    data["ip"] = [ip for ip in data["ip"]]
    for c in data["certifications"]:
        c["expires_on"] = "2026-04-17"
    data["industry_code"] = "C26"
    return data


@pytest.fixture
def example_enterprise(make_enterprise):  # noqa: F811
    """A registry enterprise with the example's figures, IP, titles and events, approved."""
    from kechuang.enterprises.models import (
        Certification,
        EnterpriseEvent,
        IntellectualProperty,
        YearlyFigures,
    )

    data = example_facts()
    e = make_enterprise(
        7,
        name=data["name"],
        registered_on=dt.date.fromisoformat(data["registered_on"]),
        industry="C26",
        high_tech_field="新材料",
        resident=data["resident"],
        restricted_products=data["restricted_products"],
        **data["management"],
        **data["expert_views"],
    )
    for y in data["years"]:
        values = {col: Decimal(str(y[key])) for col, key in _FIG.items() if key in y}
        for part, amount in y["rd"].items():
            values[f"rd_{part}"] = Decimal(amount)
        YearlyFigures.objects.create(
            enterprise=e, year=y["year"], status=YearlyFigures.Status.APPROVED, **values
        )
    # A draft for the next year must never reach the rules.
    YearlyFigures.objects.create(enterprise=e, year=2025, main_revenue=Decimal(1))
    from kechuang.core.criteria.facts import KIND_CLASS, IPKind

    for ip in data["ip"]:
        IntellectualProperty.objects.create(
            enterprise=e,
            kind=ip["kind"],
            ip_class=KIND_CLASS[IPKind(ip["kind"])].value,
            number=ip["number"],
            title=ip["title"],
            applied_on=_d(ip.get("applied_on")),
            granted_on=_d(ip.get("granted_on")),
            status=ip.get("status", "granted"),
            acquisition=ip.get("acquisition", "self_developed"),
            high_value=ip.get("high_value", False),
        )
    for c in data["certifications"]:
        Certification.objects.create(
            enterprise=e,
            kind=c["kind"],
            issued_on=_d(c["issued_on"]),
            expires_on=_d(c["expires_on"]),
            number=c["number"],
        )
    for a in data["awards"]:
        EnterpriseEvent.objects.create(
            enterprise=e,
            category="award",
            level=a["level"],
            rank=a["rank"],
            date=_d(a["awarded_on"]),
            name=a["name"],
        )
    for s in data["standards"]:
        EnterpriseEvent.objects.create(
            enterprise=e,
            category="standard",
            level=s["level"],
            role=s["role"],
            date=_d(s["published_on"]),
            name=s["name"],
        )
    for r in data["rd_institutions"]:
        EnterpriseEvent.objects.create(
            enterprise=e,
            category="institution",
            level=r["level"],
            date=_d(r["recognised_on"]),
            name=r["name"],
        )
    return e


@pytest.fixture
def other_enterprise(make_enterprise):  # noqa: F811
    return make_enterprise(8, registered_on=dt.date(2016, 1, 1))


@pytest.fixture
def other_user(other_enterprise):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username="t_other",
        password="pw-t_other",
        role="enterprise",
        organization=other_enterprise.organization,
    )


@pytest.fixture
def cultivation_demo(demo, industries):  # noqa: F811
    """The registry's 300 demo enterprises, with the cultivation demo over them."""
    from kechuang.cultivation.demo import load_cultivation_demo
    from kechuang.enterprises.demo import load_enterprise_demo

    load_enterprise_demo()
    return load_cultivation_demo()
