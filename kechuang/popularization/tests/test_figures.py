"""Figures for the yearly report and the public rows for open data."""

from __future__ import annotations

import datetime as dt

from kechuang.popularization import selectors


def test_event_figures_count_events_people_kinds_and_brands(make_event, base):
    make_event("科普日", participants=1500, base=base)
    make_event("讲座", kind="lecture", audience="elderly", participants=120)
    make_event("未统计", kind="schools", audience="youth")
    make_event("去年", starts_on=dt.date(2023, 5, 20), participants=999)
    f = selectors.event_figures(2024)
    assert (f["events"], f["participants"], f["uncounted"], f["bases"]) == (3, 1620, 1, 1)
    assert f["by_kind"]["lecture"] == {"events": 1, "participants": 120}
    assert f["by_audience"]["youth"] == {"events": 1, "participants": 0}
    assert f["brands"] == {
        "science_week": {"events": 0, "participants": 0},
        "science_day": {"events": 1, "participants": 1500},
        "science_winter": {"events": 0, "participants": 0},
    }


ALLOWED = set(selectors.PUBLIC_FIELDS)


def test_public_rows_hold_only_public_events_and_allowed_fields(make_event):
    make_event("公开活动", description="联系人：李四 13900000000")
    make_event("内部会议", kind="other", is_public=False)
    rows = selectors.public_rows()
    assert [r["title"] for r in rows] == ["公开活动"]
    assert all(set(r) <= ALLOWED for r in rows)
    assert "13900000000" not in str(rows) and "李四" not in str(rows)
