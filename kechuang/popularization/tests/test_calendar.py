"""The public calendar: no login, public events only, month by month, filtered, as .ics."""

from __future__ import annotations

import datetime as dt

from kechuang.popularization.models import Event

URL = "/popularization/calendar/"


def test_anyone_sees_the_months_public_events_with_date_venue_and_organiser(client, make_event):
    make_event("全国科普日主场活动", starts_on=dt.date(2024, 9, 14), venue="青少年科技活动中心")
    make_event("内部联席会议", kind="other", starts_on=dt.date(2024, 9, 3), is_public=False)
    response = client.get(URL, {"month": "2024-09"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "全国科普日主场活动" in body and "青少年科技活动中心" in body
    assert "独山子区科学技术协会" in body
    assert "内部联席会议" not in body
    month = response.context["month"]
    (day,) = [d for w in month.weeks for d in w if d.date == dt.date(2024, 9, 14)]
    assert [e.title for e in day.events] == ["全国科普日主场活动"]


def test_the_month_moves_back_and_forward(client, plan):
    month = client.get(URL, {"month": "2024-12"}).context["month"]
    assert (month.prev_param, month.next_param) == ("2024-11", "2025-01")
    body = client.get(URL, {"month": "2024-12"}).content.decode()
    assert "?month=2025-01" in body and "?month=2024-11" in body


def test_without_a_month_the_calendar_opens_on_this_month(client, plan):
    today = dt.date.today()
    month = client.get(URL).context["month"]
    assert (month.year, month.month) == (today.year, today.month)
    assert client.get(URL, {"month": "nonsense"}).status_code == 200


def test_an_event_of_several_days_shows_on_each(client, make_event):
    make_event(
        "科技活动周",
        kind="science_week",
        starts_on=dt.date(2024, 5, 20),
        ends_on=dt.date(2024, 5, 26),
    )
    month = client.get(URL, {"month": "2024-05"}).context["month"]
    days = [d.date.day for w in month.weeks for d in w if d.events and d.in_month]
    assert days == list(range(20, 27))


def test_filters_by_kind_and_audience_keep_the_month(client, make_event):
    make_event("科普日", starts_on=dt.date(2024, 9, 14))
    make_event("科普讲座", kind="lecture", audience="elderly", starts_on=dt.date(2024, 9, 20))

    def titles(**q):
        month = client.get(URL, {"month": "2024-09", **q}).context["month"]
        return [e.title for e in month.events]

    assert titles(kind="lecture") == ["科普讲座"]
    assert titles(audience="public") == ["科普日"]
    body = client.get(URL, {"month": "2024-09", "kind": "lecture"}).content.decode()
    assert "month=2024-10&amp;kind=lecture" in body


def test_an_empty_month_says_so_and_points_to_the_next(client, plan):
    body = client.get(URL, {"month": "2019-02"}).content.decode()
    assert "本月暂无公开的科普活动" in body and "看看下个月" in body


def test_the_calendar_reads_in_one_query_however_many_events(
    client, make_event, django_assert_max_num_queries
):
    for i in range(30):
        make_event(f"活动{i}", starts_on=dt.date(2024, 9, 1 + i % 28))
    with django_assert_max_num_queries(3):
        client.get(URL, {"month": "2024-09"})


def test_the_ics_feed_lists_public_events_as_all_day_entries(client, make_event):
    today = dt.date.today()
    make_event("科技之冬启动", kind="science_winter", starts_on=today, venue="文化中心,报告厅;二楼")
    make_event("不公开的", starts_on=today, is_public=False)
    response = client.get("/popularization/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:科技之冬启动" in text and "不公开的" not in text
    assert f"DTSTART;VALUE=DATE:{today:%Y%m%d}" in text
    assert f"DTEND;VALUE=DATE:{today + dt.timedelta(days=1):%Y%m%d}" in text
    assert "LOCATION:文化中心\\,报告厅\\;二楼" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert Event.objects.count() == 2
