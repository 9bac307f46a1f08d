"""The demo carriers: the plan's platforms with 2021–2025 metrics, loaded once, removed whole."""

from __future__ import annotations

from kechuang.accounts.models import Organization
from kechuang.carriers.demo import load_carriers_demo, remove_carriers_demo
from kechuang.carriers.models import Carrier, CarrierMetrics


def test_the_demo_loads_the_plans_carriers_once_and_is_removed_whole(plan):
    report = load_carriers_demo()
    assert report.carriers >= 12 and report.metrics > 40
    names = set(Carrier.objects.values_list("name", flat=True))
    for name in ("独山子区创新中心", "石油化工产品开发及检测中心", "独山子区文化中心"):
        assert name in names
    base = Carrier.objects.get(name="独山子区文化中心")
    assert (base.kind, base.level, base.valid_until.year) == (
        "popularization_base",
        "regional",
        2020,
    )
    for m in CarrierMetrics.objects.filter(firms_incubating__isnull=False):
        assert m.firms_graduated <= m.firms_incubating
    assert load_carriers_demo().carriers == 0
    remove_carriers_demo()
    assert not Carrier.objects.exists()
    assert not Organization.objects.filter(code__startswith="demo-dsz").exists()
