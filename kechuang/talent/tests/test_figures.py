"""Figures for the reports: talents by program and year, nominations against selections."""

from __future__ import annotations

import datetime as dt

from kechuang.talent import selectors, services


def test_an_empty_platform_has_no_figures(db):
    assert selectors.talent_figures() == {
        "talents": [],
        "applications": [],
        "active": 0,
        "total": 0,
    }


def test_figures_count_selections_and_submitted_nominations_only(
    staff_user, employer, make_application, scored
):
    services.decide(staff_user, scored, approved=True)
    figures = selectors.talent_figures()
    assert figures["talents"] == [
        {
            "program": "youcheng",
            "program_name": "油城英才",
            "level": "city",
            "year": 2026,
            "talents": 1,
        }
    ]
    assert figures["applications"] == [
        {
            "program": "youcheng",
            "program_name": "油城英才",
            "year": 2026,
            "applications": 1,
            "approved": 1,
        }
    ]
    assert (figures["active"], figures["total"]) == (1, 1)


def test_a_talent_past_its_term_is_not_active(staff_user, scored):
    services.decide(staff_user, scored, approved=True)
    assert selectors.talent_figures(today=dt.date(2029, 1, 1))["active"] == 0
