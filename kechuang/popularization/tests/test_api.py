"""The events API: public events for anyone; one event for the bureau."""

from __future__ import annotations

import datetime as dt


def test_public_events_need_no_login_and_exclude_internal_ones(client, make_event):
    make_event("科普日")
    make_event("内部", kind="other", is_public=False)
    body = client.get("/api/events/public", {"start": "2024-01-01", "end": "2024-12-31"}).json()
    assert [e["title"] for e in body["items"]] == ["科普日"]
    assert "description" not in body["items"][0]


def test_the_window_and_kind_filter(client, make_event):
    make_event("科普日", starts_on=dt.date(2024, 9, 14))
    make_event("讲座", kind="lecture", starts_on=dt.date(2024, 11, 9))
    body = client.get(
        "/api/events/public", {"start": "2024-11-01", "end": "2024-11-30", "kind": "lecture"}
    ).json()
    assert [e["title"] for e in body["items"]] == ["讲座"]


def test_one_event_is_the_bureaus(client, client_for, staff_user, reporter, make_event):
    e = make_event(is_public=False)
    assert client_for(staff_user).get(f"/api/events/{e.pk}").json()["is_public"] is False
    assert client_for(reporter).get(f"/api/events/{e.pk}").status_code == 403
