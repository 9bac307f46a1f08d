"""The demo achievements and contracts: loaded once, plausible for indicator 8, removed whole."""

from __future__ import annotations

from decimal import Decimal

from kechuang.achievements import services
from kechuang.achievements.demo import TARGETS, load_achievements_demo, remove_achievements_demo
from kechuang.achievements.models import Achievement, TechContract
from kechuang.indicators.models import DataValue


def test_the_demo_records_contracts_without_touching_the_demo_indicator_values(demo):
    before = DataValue.objects.filter(element__code="TECH_CONTRACT_VALUE").count()
    report = load_achievements_demo()
    assert report.achievements >= 20 and report.published_years == 0
    assert Achievement.objects.filter(is_public=False).count() >= 3
    for year, target in TARGETS.items():
        assert services.district_totals(year).amount == target
    assert services.district_totals(2025).amount >= Decimal("50000000"), "0.5 亿元 by 2025"
    assert DataValue.objects.filter(element__code="TECH_CONTRACT_VALUE").count() == before
    assert load_achievements_demo().contracts == 0
    remove_achievements_demo()
    assert not TechContract.objects.exists() and not Achievement.objects.exists()


def test_without_indicator_figures_the_demo_publishes_its_years(plan, admin_user):
    report = load_achievements_demo()
    assert report.published_years == len(TARGETS)
    assert DataValue.objects.filter(
        element__code="TECH_CONTRACT_VALUE", status="submitted"
    ).count() == len(TARGETS)
