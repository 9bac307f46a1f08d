"""In a real browser: a visitor opens the public calendar, moves to the next month, filters by
type and sees the event; on a phone the month reads as a list."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.popularization.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_month(today: dt.date) -> dt.date:
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _event(title: str, kind: str, day: dt.date, audience: str, venue: str) -> Event:
    return Event.objects.create(
        title=title,
        kind=kind,
        starts_on=day,
        ends_on=day,
        venue=venue,
        organizer_name="独山子区科学技术协会",
        audience=audience,
        is_public=True,
    )


def test_a_visitor_moves_to_next_month_filters_by_type_and_sees_the_event(browser, live_server):
    first = _next_month(dt.date.today())
    _event("青少年科技创新大赛", "contest", first.replace(day=12), "youth", "独山子区第一中学")
    _event("老年人防诈骗讲座", "lecture", first.replace(day=19), "elderly", "老年活动中心")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/popularization/calendar/")
    assert page.locator("h1").inner_text() == "科普活动日历"
    page.click("a[rel=next]")
    page.wait_for_url(f"**month={first:%Y-%m}*")
    grid = page.locator(".cal-grid")
    assert grid.get_by_text("青少年科技创新大赛").is_visible()
    assert grid.get_by_text("老年人防诈骗讲座").is_visible()
    page.select_option("select[name=kind]", "contest")
    page.click("form.filters button.primary")
    page.wait_for_url("**kind=contest*")
    assert f"month={first:%Y-%m}" in page.url, "the filter keeps the month"
    assert grid.get_by_text("青少年科技创新大赛").is_visible()
    assert grid.get_by_text("独山子区第一中学").first.is_visible()
    assert grid.get_by_text("老年人防诈骗讲座").count() == 0
    page.screenshot(path="var/screenshot-science-calendar.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    assert not grid.is_visible()
    listing = page.locator(".cal-list")
    assert listing.get_by_text("青少年科技创新大赛").is_visible()
    assert "独山子区科学技术协会" in listing.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
