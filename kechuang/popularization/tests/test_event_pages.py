"""Event pages: the public page of a public event; the bureau's list, forms, attachments and
yearly totals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.popularization import services
from kechuang.popularization.models import Event
from kechuang.popularization.tests.conftest import ROLES
from kechuang.supervision.tests.files import CONTENTS


@pytest.mark.parametrize("role", [None, *ROLES])
def test_a_public_event_opens_for_anyone_an_internal_one_only_for_the_bureau(
    as_role, role, make_event
):
    public = make_event()
    internal = make_event("联席会议", kind="other", is_public=False)
    client = as_role(role)
    assert client.get(f"/popularization/events/{public.pk}/").status_code == 200
    expected = 200 if role in {"admin_user", "staff_user"} else 404
    assert client.get(f"/popularization/events/{internal.pk}/").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_totals_are_the_bureaus(as_role, role, make_event):
    make_event()
    expected = 200 if role in {"admin_user", "staff_user"} else 403
    for url in ("/popularization/", "/popularization/totals/", "/popularization/events/new/"):
        assert as_role(role).get(url).status_code == expected


def test_anonymous_visitors_are_sent_to_log_in_for_the_list(client, plan):
    assert client.get("/popularization/").status_code == 302


def test_the_list_filters_sorts_and_exports(client_for, staff_user, make_event):
    make_event("甲", starts_on=dt.date(2023, 9, 16), participants=100)
    make_event("乙", kind="lecture", audience="elderly", participants=300)
    make_event("丙", kind="other", is_public=False)
    c = client_for(staff_user)

    def titles(**q):
        return [e.title for e in c.get("/popularization/", q).context["page"].object_list]

    assert titles(year="2023") == ["甲"]
    assert titles(kind="lecture") == ["乙"]
    assert titles(audience="elderly") == ["乙"]
    assert titles(visibility="internal") == ["丙"]
    assert titles(sort="participants")[:2] == ["乙", "甲"]
    response = c.get("/popularization/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_costs_the_same_queries_for_3_or_40_events(
    client_for, staff_user, make_event, base, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        make_event(f"活动{i}", base=base)
    c = client_for(staff_user)
    with CaptureQueriesContext(connection) as small:
        c.get("/popularization/")
    for i in range(3, 40):
        make_event(f"活动{i}", base=base)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get("/popularization/").context["page"].paginator.count == 40


def test_the_bureau_records_an_event_through_the_form(client_for, staff_user, kx):
    response = client_for(staff_user).post(
        "/popularization/events/new/",
        {
            "title": "科学实验进校园",
            "kind": "schools",
            "starts_on": "2024-03-28",
            "venue": "独山子区第三小学",
            "organizer": kx.pk,
            "audience": "youth",
            "participants": "500",
            "is_public": "on",
        },
    )
    e = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/popularization/events/{e.pk}/"


def test_the_form_shows_a_negative_turnout_and_saves_nothing(client_for, staff_user, kx):
    response = client_for(staff_user).post(
        "/popularization/events/new/",
        {
            "title": "x",
            "kind": "schools",
            "starts_on": "2024-03-28",
            "venue": "v",
            "organizer": kx.pk,
            "audience": "youth",
            "participants": "-5",
        },
    )
    assert "参加人数不能为负数（-5）" in response.content.decode()
    assert not Event.objects.exists()


def test_attachments_are_served_only_to_the_bureau(
    client, client_for, staff_user, reporter, make_event
):
    e = make_event()
    (att,) = services.attach(
        staff_user, e, [SimpleUploadedFile("总结.pdf", CONTENTS["pdf"])], "report"
    )
    url = f"/popularization/attachments/{att.pk}/"
    response = client_for(staff_user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENTS["pdf"]
    assert client_for(reporter).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert "总结.pdf" not in client.get(f"/popularization/events/{e.pk}/").content.decode()


def test_the_bureau_uploads_from_the_event_page(client_for, staff_user, make_event):
    e = make_event()
    c = client_for(staff_user)
    c.post(
        f"/popularization/events/{e.pk}/attachments/",
        {"kind": "photo", "files": [SimpleUploadedFile("a.png", CONTENTS["png"])]},
    )
    assert e.attachments.count() == 1
    assert "a.png" in c.get(f"/popularization/events/{e.pk}/").content.decode()


def test_the_totals_page_counts_events_and_people_per_year(client_for, staff_user, make_event):
    make_event("甲", starts_on=dt.date(2023, 9, 16), participants=100)
    make_event("乙", kind="science_week", participants=300)
    make_event("丙", kind="science_week", participants=None)
    response = client_for(staff_user).get("/popularization/totals/")
    (y2024, counts), (y2023, _) = response.context["rows"]
    assert (y2024.year, y2024.events, y2024.participants) == (2024, 2, 300)
    assert (y2023.year, y2023.events, y2023.participants) == (2023, 1, 100)
    assert y2024.by_kind == {"science_week": 2} and sum(counts) == 2
    assert response.context["chart"]["x"] == [2023, 2024]
    assert 'id="totals-chart"' in response.content.decode()
