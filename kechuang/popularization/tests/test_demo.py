"""The demo events: the plan's campaigns every year, this month not empty, removed whole."""

from __future__ import annotations

import datetime as dt

from kechuang.carriers.demo import load_carriers_demo
from kechuang.popularization.demo import load_popularization_demo, remove_popularization_demo
from kechuang.popularization.models import Event


def test_the_demo_has_each_years_campaigns_and_a_busy_current_month(plan):
    load_carriers_demo()
    report = load_popularization_demo(today=dt.date(2026, 12, 1))
    assert report.events >= 60
    for year in range(2021, 2027):
        kinds = set(Event.objects.filter(starts_on__year=year).values_list("kind", flat=True))
        assert {"science_week", "science_day", "science_winter"} <= kinds
    assert (
        Event.objects.filter(starts_on__year=2026, starts_on__month=12, is_public=True).count() >= 3
    )
    assert Event.objects.filter(starts_on__year=2027, starts_on__month=1).exists()
    assert not Event.objects.filter(starts_on__gte=dt.date(2026, 12, 1), participants__isnull=False)
    assert Event.objects.filter(base__name="独山子区文化中心").exists()
    assert load_popularization_demo(today=dt.date(2026, 12, 1)).events == 0
    remove_popularization_demo()
    assert not Event.objects.exists()
